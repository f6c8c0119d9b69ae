import type { Identity } from '../model/identity/identity-schema'
import { LINKEDIN_LIMITS } from '../model/identity/linkedin-limits'
import type { SequenceStep } from '../model/sequence/sequence-schema'
import type { WaitReason } from './wait-reason'

/**
 * A lane is one rate-limited stream of actions of one identity. The LinkedIn queue has a lane per kind of
 * limit (visits, reactions, invitations, messages, acceptance checks, withdrawals); the email queue has a
 * lane per inbox; internal steps (conditions, tasks, moving a lead) run at once in the `internal` lane.
 */
export type LinkedInLane =
  | 'linkedin:visit'
  | 'linkedin:reaction'
  | 'linkedin:connection'
  | 'linkedin:message'
  | 'linkedin:check'
  | 'linkedin:withdraw'
export type EmailLane = `email:${string}`
export type Lane = LinkedInLane | EmailLane | 'internal' | typeof AWAITING_INBOX_LANE

/**
 * Where leads wait whose next step is an email while their identity has no inbox. It never opens: adding an
 * inbox to the identity moves them on (the engine looks them up there).
 */
export const AWAITING_INBOX_LANE = 'awaiting-inbox'

export const LINKEDIN_LANES: readonly LinkedInLane[] = [
  'linkedin:visit',
  'linkedin:reaction',
  'linkedin:connection',
  'linkedin:message',
  'linkedin:check',
  'linkedin:withdraw',
]

export function emailLane(inbox: string): EmailLane {
  return `email:${inbox.toLowerCase()}`
}

export function isLinkedInLane(lane: Lane): lane is LinkedInLane {
  return lane.startsWith('linkedin:')
}

export function isEmailLane(lane: Lane): lane is EmailLane {
  return lane.startsWith('email:')
}

/** The inbox address of an email lane. */
export function inboxOfLane(lane: EmailLane): string {
  return lane.slice('email:'.length)
}

/** The lane a step's action runs in; email steps need the lead's inbox. */
export function laneOfStep(step: SequenceStep, inbox: string | undefined): Lane {
  switch (step.kind) {
    case 'visit_profile':
      return 'linkedin:visit'
    case 'react_to_last_post':
      return 'linkedin:reaction'
    case 'send_connection':
      return 'linkedin:connection'
    case 'linkedin_message':
    case 'linkedin_inmail':
    case 'linkedin_attachment':
    case 'linkedin_voice':
      return 'linkedin:message'
    case 'email':
      return inbox === undefined ? 'internal' : emailLane(inbox)
    default:
      return 'internal'
  }
}

/** How a lane is limited. */
export interface LaneLimits {
  /** Most actions per local day; absent means no daily cap. */
  readonly perDay?: number
  /** Why a lane with `perDay` 0 is closed, when it is not its daily limit (an inbox in warm-up). */
  readonly closedReason?: WaitReason
  /** Spread the daily cap evenly through the working day instead of sending at the start. */
  readonly paced: boolean
  /** Least time between two actions of this lane. */
  readonly minGapMs: number
  /**
   * At most `max` actions in any sliding window of `ms` (e.g. 5 emails in any 60 minutes); `reason` is what
   * a lead waiting on it shows (default `window_limit`).
   */
  readonly window?: { readonly max: number; readonly ms: number; readonly reason?: WaitReason }
}

const MINUTE = 60_000

/** Least time between any two LinkedIn actions of one identity, so lanes never fire in a burst together. */
export const LINKEDIN_QUEUE_GAP_MS = MINUTE

/** The limits of a lane, from the identity's LinkedIn limits and its inboxes' email limits. */
export function laneLimits(identity: Identity, lane: Lane): LaneLimits {
  const limits = identity.linkedin?.limits
  switch (lane) {
    case 'internal':
      return { paced: false, minGapMs: 0 }
    case AWAITING_INBOX_LANE:
      return { perDay: 0, paced: false, minGapMs: 0 }
    case 'linkedin:visit':
      return {
        perDay: limits?.profileVisitsPerDay ?? 0,
        paced: true,
        minGapMs: (limits?.minutesBetweenProfileVisits ?? 4) * MINUTE,
      }
    case 'linkedin:reaction':
      return { paced: false, minGapMs: (limits?.minutesBetweenPostReactions ?? 5) * MINUTE }
    case 'linkedin:connection':
      return {
        perDay: limits?.connectionsPerDay ?? 0,
        paced: true,
        minGapMs: 2 * MINUTE,
        // Identities stored before the weekly limit existed get its default.
        window: {
          max: limits?.invitationsPerWeek ?? LINKEDIN_LIMITS.invitationsPerWeek.default,
          ms: 7 * 24 * 60 * MINUTE,
          reason: 'weekly_limit',
        },
      }
    case 'linkedin:message':
      return { perDay: limits?.messagesPerDay ?? 0, paced: true, minGapMs: MINUTE }
    case 'linkedin:check': {
      const checks = limits?.acceptanceChecks ?? { max: 5, perMinutes: 30 }
      return { paced: false, minGapMs: MINUTE, window: { max: checks.max, ms: checks.perMinutes * MINUTE } }
    }
    case 'linkedin:withdraw':
      return { paced: false, minGapMs: 2 * MINUTE }
    default: {
      const address = inboxOfLane(lane)
      const inbox = identity.email.inboxes.find((each) => each.address.toLowerCase() === address)
      const perDay = inbox?.limits.perDay ?? 0
      const perHour = inbox?.limits.perHour ?? 0
      return { perDay, paced: true, minGapMs: MINUTE, window: { max: perHour, ms: 60 * MINUTE } }
    }
  }
}
