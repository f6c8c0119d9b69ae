import type { ActivityKind, ParsedActivity, ParsedIdentity } from './billing-input'

const DAY_MS = 86_400_000

/** Edges: an engagement identity "has not been used in any action for 30 days" is inactive. */
export const ACTION_KEEPS_ACTIVE_MS = 30 * DAY_MS

/**
 * Edges: "you synchronized a LinkedIn account but have not called any action with that identity for 5 days"
 * makes it inactive. A connected integration counts as such a synchronization.
 */
export const SYNC_KEEPS_ACTIVE_MS = 5 * DAY_MS

/** `[from, to)` in epoch milliseconds; `to` is `Infinity` while nothing ends it. */
export interface Span {
  readonly from: number
  readonly to: number
}

// At one instant, an action comes after a connection or sync: "synced but no action for 5 days" is then false.
const ORDER_AT_SAME_INSTANT: Record<ActivityKind, number> = {
  'integration-connected': 0,
  'account-synced': 0,
  action: 1,
}

/**
 * When one identity was active. The reference's rules, read literally:
 * - an inactive identity becomes active when an integration is connected or an action runs; a sync alone
 *   does not activate it;
 * - an active identity goes inactive at the earlier of 30 days after its last action and 5 days after the
 *   latest connection or sync that no action followed (each new one restarts those 5 days);
 * - it is inactive from its deletion.
 * Spans are half-open: active at `from`, no longer at `to` (its last action + exactly 30 × 24 hours).
 * Spans that touch are merged, so an action at the very instant of expiry leaves no gap.
 */
export function activeSpans(identity: ParsedIdentity, activity: readonly ParsedActivity[]): Span[] {
  const events = activity
    .filter((each) => each.identityId === identity.id)
    .sort((a, b) => a.at - b.at || ORDER_AT_SAME_INSTANT[a.kind] - ORDER_AT_SAME_INSTANT[b.kind])

  const spans: Span[] = []
  let from: number | undefined
  let lastAction: number | undefined
  let unansweredSync: number | undefined
  const expiry = () =>
    Math.min(
      lastAction === undefined ? Number.POSITIVE_INFINITY : lastAction + ACTION_KEEPS_ACTIVE_MS,
      unansweredSync === undefined ? Number.POSITIVE_INFINITY : unansweredSync + SYNC_KEEPS_ACTIVE_MS,
      identity.deletedAt,
    )
  const close = () => {
    if (from === undefined) return
    const previous = spans.at(-1)
    if (previous !== undefined && previous.to === from)
      spans[spans.length - 1] = { from: previous.from, to: expiry() }
    else spans.push({ from, to: expiry() })
    from = undefined
    lastAction = undefined
    unansweredSync = undefined
  }

  for (const event of events) {
    if (from !== undefined && expiry() <= event.at) close()
    if (from === undefined) {
      if (event.kind === 'account-synced') continue
      from = event.at
    }
    if (event.kind === 'action') {
      lastAction = event.at
      unansweredSync = undefined
    } else unansweredSync = event.at
  }
  close()
  return spans
}
