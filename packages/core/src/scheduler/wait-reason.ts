import type { InProgressSubstatus } from '../model/lead/lead-status'

/**
 * Why a lead in progress is not running right now: a machine-readable reason, finer than the substatus
 * it maps to. `WAIT_REASONS` has a sentence for each and what the lead view's `nextEligibleAt` means with it;
 * `describeWaitReason(view)` puts them together.
 */
export type WaitReason =
  /** The step's delay after the previous step has not passed. */
  | 'delay'
  /** Due, and waiting its turn behind leads with more priority. */
  | 'queued'
  /** The lane spreads its daily limit through the working day; the next slot has not come. */
  | 'pacing'
  /** The least time between two actions of this kind has not passed. */
  | 'spacing'
  /** The identity reached the daily limit of this action. */
  | 'daily_limit'
  /** The inbox reached its hourly limit, or acceptance checks their limit per 30 minutes. */
  | 'window_limit'
  /** The identity sent as many connection requests in the last 7 days as its weekly limit allows. */
  | 'weekly_limit'
  /** The identity's working hours are over for now. */
  | 'outside_working_hours'
  /** A connection condition waits for the invitation to be accepted, up to its `withinDays`. */
  | 'waiting_for_acceptance'
  /** A withdrawn invitation blocks a new one for 3 weeks. */
  | 'withdrawal_cooldown'
  /** The identity reached its monthly limit of new conversations. */
  | 'monthly_limit'
  /** The provider asked to slow down, or a send failed before anything went out: retried later. */
  | 'retry_backoff'
  /** The campaign is scheduled and has not started. */
  | 'campaign_not_started'
  /** The next step is an email, and the identity has no email inbox yet. */
  | 'waiting_for_email_account'
  /** The lead's inbox is warming up, and the warm-up allows no campaign mail now. */
  | 'warming_up'

export interface WaitReasonInfo {
  /** A sentence for people: why the lead waits. */
  readonly sentence: string
  /** What the lead view's `nextEligibleAt` is for this reason. */
  readonly nextEligibleAt: string
}

export const WAIT_REASONS: Readonly<Record<WaitReason, WaitReasonInfo>> = {
  delay: {
    sentence: "Waiting for the step's delay to pass",
    nextEligibleAt: 'when the delay ends',
  },
  queued: {
    sentence: 'Due, waiting its turn behind leads with more priority',
    nextEligibleAt: 'when it became due; it runs as soon as its turn comes',
  },
  pacing: {
    sentence: "Waiting for the next slot: the identity's daily limit is spread through the working day",
    nextEligibleAt: 'the next slot',
  },
  spacing: {
    sentence: 'Waiting for the least time between two actions of this kind to pass',
    nextEligibleAt: 'when that time has passed',
  },
  daily_limit: {
    sentence: "The identity reached today's limit for this action",
    nextEligibleAt:
      'when the limit resets: the next working day, at midnight in the identity time zone or later',
  },
  window_limit: {
    sentence: 'The inbox reached its hourly limit (or acceptance checks their limit per 30 minutes)',
    nextEligibleAt: 'when the window frees a slot',
  },
  weekly_limit: {
    sentence: 'The identity reached its limit of connection requests in any 7 days',
    nextEligibleAt: 'when the oldest request of the last 7 days is a week old',
  },
  outside_working_hours: {
    sentence: "Outside the identity's working hours",
    nextEligibleAt: 'when the next working window opens',
  },
  waiting_for_acceptance: {
    sentence: 'Waiting for the connection request to be accepted',
    nextEligibleAt:
      'the deadline: without an acceptance by then, the condition takes its No branch (an acceptance moves the lead on at once)',
  },
  withdrawal_cooldown: {
    sentence: 'A withdrawn invitation blocks a new one for 3 weeks',
    nextEligibleAt: 'when the 3 weeks are over and the invitation is sent again',
  },
  monthly_limit: {
    sentence: 'The identity reached its monthly limit of new conversations',
    nextEligibleAt: 'the start of next month in the identity time zone',
  },
  retry_backoff: {
    sentence: 'The provider asked to slow down, or a send failed before anything went out; it is tried again',
    nextEligibleAt: 'the time of the next try',
  },
  campaign_not_started: {
    sentence: 'The campaign is scheduled and has not started',
    nextEligibleAt: "the campaign's start time",
  },
  warming_up: {
    sentence: "The lead's inbox is warming up, and campaign mail from it waits",
    nextEligibleAt:
      'none while the warm-up holds it: the lead continues when the warm-up ends or allows mail',
  },
  waiting_for_email_account: {
    sentence: "The next step is an email, and the campaign's identity has no email account yet",
    nextEligibleAt: 'none: the lead continues as soon as an inbox is added to the identity',
  },
}

/**
 * A sentence for a lead view: why it waits and until when, e.g. "Waiting for the connection request to be
 * accepted (the deadline: ... : 2026-03-16T09:00:00.000Z)". Undefined for a lead that is not waiting.
 */
export function describeWaitReason(view: {
  readonly reason?: WaitReason
  readonly nextEligibleAt?: string
}): string | undefined {
  if (view.reason === undefined) return undefined
  const info = WAIT_REASONS[view.reason]
  return view.nextEligibleAt === undefined
    ? info.sentence
    : `${info.sentence} (${info.nextEligibleAt}: ${view.nextEligibleAt})`
}

/** The substatus a wait reason shows as, in the lead status table. */
export function substatusForWait(reason: WaitReason): InProgressSubstatus {
  switch (reason) {
    case 'daily_limit':
    case 'window_limit':
    case 'weekly_limit':
    case 'warming_up':
      return 'identity_limits'
    case 'outside_working_hours':
      return 'outside_working_hours'
    case 'waiting_for_acceptance':
      return 'waiting_to_connect'
    case 'withdrawal_cooldown':
      return 'connection_withdrawn'
    case 'monthly_limit':
      return 'monthly_conversation_limit'
    case 'waiting_for_email_account':
      return 'waiting_for_email_account'
    default:
      return 'scheduled'
  }
}
