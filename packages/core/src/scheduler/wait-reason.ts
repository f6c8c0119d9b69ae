import type { InProgressSubstatus } from '../model/lead/lead-status'

/**
 * Why a lead in progress is not running right now: a machine-readable reason, finer than the substatus
 * it maps to.
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
  | 'outside_working_hours'
  | 'waiting_for_acceptance'
  /** A withdrawn invitation blocks a new one for 3 weeks. */
  | 'withdrawal_cooldown'
  | 'monthly_limit'
  /** The provider asked to slow down, or a send failed before anything went out: retried later. */
  | 'retry_backoff'
  /** The campaign is scheduled and has not started. */
  | 'campaign_not_started'

/** The substatus of reference 001 a wait reason shows as. */
export function substatusForWait(reason: WaitReason): InProgressSubstatus {
  switch (reason) {
    case 'daily_limit':
    case 'window_limit':
      return 'identity_limits'
    case 'outside_working_hours':
      return 'outside_working_hours'
    case 'waiting_for_acceptance':
      return 'waiting_to_connect'
    case 'withdrawal_cooldown':
      return 'connection_withdrawn'
    case 'monthly_limit':
      return 'monthly_conversation_limit'
    default:
      return 'scheduled'
  }
}
