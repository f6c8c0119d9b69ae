import { activeSpans, type Span } from './active-periods'
import { activeTimeline } from './active-timeline'
import { type EngagementBillingInput, parseBillingInput } from './billing-input'

export interface ActivePeriod {
  /** ISO 8601 (UTC); the cycle start when the identity was already active then. */
  readonly from: string
  /** The first instant it is no longer active; `null` when it is still active as the cycle ends. */
  readonly to: string | null
}

export interface IdentityBilling {
  readonly id: string
  /** Empty when the identity existed during the cycle but was never active in it. */
  readonly activePeriods: readonly ActivePeriod[]
}

export interface EngagementBilling {
  /** What the cycle is billed for: the most engagement identities active at the same time. */
  readonly peak: number
  /** The first instant the peak was reached. */
  readonly peakAt: string
  readonly activeAtStart: number
  /**
   * Still active as the cycle ends, so already active when the next one starts: the next cycle's bill
   * if nothing else happens, and its floor otherwise.
   */
  readonly activeAtEnd: number
  /** Engagement identities that existed during the cycle, in input order; standard ones are never billed. */
  readonly identities: readonly IdentityBilling[]
  /** The number active at the cycle start, then after each change: live feedback on the bill so far. */
  readonly timeline: readonly { readonly at: string; readonly active: number }[]
}

/**
 * Edges' engagement-identity meter: which engagement identities were active during a billing cycle and
 * the peak of them active at the same time, which is what the cycle is billed for (not how many were
 * active at some point). Identities active before the cycle still count at its start. Pure: the only
 * times it knows are those of its input. See `activeSpans` for when an identity is active.
 */
export function engagementBilling(input: EngagementBillingInput): EngagementBilling {
  const { identities, activity, cycle } = parseBillingInput(input)
  const billed = identities
    .filter((identity) => identity.type === 'engagement')
    .filter((identity) => identity.createdAt < cycle.end && identity.deletedAt > cycle.start)
    .map((identity) => ({ id: identity.id, spans: activeSpans(identity, activity) }))

  const timeline = activeTimeline(
    billed.flatMap(({ spans }) => spans),
    cycle,
  )
  const peak = timeline.reduce((highest, point) => (point.active > highest.active ? point : highest))
  const inCycle = (span: Span) => span.from < cycle.end && span.to > cycle.start
  return {
    peak: peak.active,
    peakAt: iso(peak.at),
    activeAtStart: timeline[0]?.active ?? 0,
    activeAtEnd: billed.filter(({ spans }) =>
      spans.some((span) => span.from < cycle.end && span.to > cycle.end),
    ).length,
    identities: billed.map(({ id, spans }) => ({
      id,
      activePeriods: spans.filter(inCycle).map((span) => ({
        from: iso(Math.max(span.from, cycle.start)),
        to: span.to > cycle.end ? null : iso(span.to),
      })),
    })),
    timeline: timeline.map((point) => ({ at: iso(point.at), active: point.active })),
  }
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString()
}
