import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  activityFromActions,
  type EngagementBillingInput,
  engagementBilling,
  type IdentityActivity,
  type MeteredIdentity,
} from '../src/index'

const NOVEMBER = { start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' }
const DECEMBER = { start: '2026-12-01T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' }
const day = (date: string, hour = 9) => `2026-${date}T${String(hour).padStart(2, '0')}:00:00.000Z`

/** Identities that connect an account on `created` and run an action every 7 days until deleted (or January). */
function used(
  ids: readonly string[],
  created: string,
  deleted?: string,
): {
  identities: MeteredIdentity[]
  activity: IdentityActivity[]
} {
  const identities = ids.map((id) => ({
    id,
    type: 'engagement' as const,
    createdAt: created,
    ...(deleted === undefined ? {} : { deletedAt: deleted }),
  }))
  const activity: IdentityActivity[] = []
  const stop = Date.parse(deleted ?? '2027-01-01T00:00:00.000Z')
  for (const id of ids) {
    activity.push({ identityId: id, at: created, kind: 'integration-connected' })
    for (let at = Date.parse(created) + 3_600_000; at < stop; at += 7 * 86_400_000)
      activity.push({ identityId: id, at: new Date(at).toISOString(), kind: 'action' })
  }
  return { identities, activity }
}
const merge = (...parts: ReturnType<typeof used>[]) => ({
  identities: parts.flatMap((part) => part.identities),
  activity: parts.flatMap((part) => part.activity),
})
const billed = (scenario: ReturnType<typeof merge>) => [
  engagementBilling({ ...scenario, cycle: NOVEMBER }).peak,
  engagementBilling({ ...scenario, cycle: DECEMBER }).peak,
]
const ids = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${prefix}${n + 1}`)

describe('reference 004, "Billing Examples": current and next cycle billed', () => {
  it('peak of 10, then all 10 deleted: 10 now, 0 next cycle', () => {
    expect(billed(merge(used(ids('e', 10), day('11-02'), day('11-20'))))).toEqual([10, 0])
  })

  it('peak of 10, delete 10, recreate 10 (all active again): 10 and 10', () => {
    const first = used(ids('a', 10), day('11-02'), day('11-15'))
    const second = used(ids('b', 10), day('11-16'))
    expect(billed(merge(first, second))).toEqual([10, 10])
  })

  it('peak of 3, delete 1, do not recreate: 3 and 2', () => {
    expect(billed(merge(used(['k1', 'k2'], day('11-02')), used(['d1'], day('11-02'), day('11-10'))))).toEqual(
      [3, 2],
    )
  })

  it('peak of 3, delete 1, recreate 1: 3 and 3', () => {
    const scenario = merge(
      used(['k1', 'k2'], day('11-02')),
      used(['d1'], day('11-02'), day('11-10')),
      used(['r1'], day('11-12')),
    )
    expect(billed(scenario)).toEqual([3, 3])
  })
})

describe('the peak, not the total', () => {
  it('5 active, 3 more (8), 2 inactive (6), 2 more (8), 3 inactive (5): billed 8 though 10 were active', () => {
    // The reference's steps: start with 5, +3, -2, +2, -3.
    const steps = merge(
      used(['a1', 'a2', 'a3'], day('11-01')),
      used(['a4', 'a5'], day('11-01'), day('11-08')),
      used(['b1', 'b2', 'b3'], day('11-05'), day('11-20')),
      used(['c1', 'c2'], day('11-10')),
    )
    const result = engagementBilling({ ...steps, cycle: NOVEMBER })
    expect(result.timeline.map((point) => point.active)).toEqual([5, 8, 6, 8, 5])
    expect(result.peak).toBe(8)
    expect(result.identities).toHaveLength(10)
  })
})

describe('when an engagement identity is active', () => {
  const identity: MeteredIdentity = { id: 'e1', type: 'engagement', createdAt: day('10-01') }
  const run = (activity: IdentityActivity[], cycle = NOVEMBER) =>
    engagementBilling({ identities: [identity], activity, cycle })

  it('stays active 30 days after an action, and is inactive from the 30th day on', () => {
    const result = run([{ identityId: 'e1', at: day('11-02'), kind: 'action' }])
    expect(result.identities[0]?.activePeriods).toEqual([{ from: day('11-02'), to: null }])
    const december = run([{ identityId: 'e1', at: day('11-02'), kind: 'action' }], DECEMBER)
    // 2 November 09:00 + 30 days = 2 December 09:00: active until then, not at it.
    expect(december.identities[0]?.activePeriods).toEqual([{ from: DECEMBER.start, to: day('12-02') }])
  })

  it('goes inactive 5 days after a sync with no action, and an action brings it back', () => {
    const result = run([
      { identityId: 'e1', at: day('11-02'), kind: 'account-synced' },
      { identityId: 'e1', at: day('11-20'), kind: 'action' },
    ])
    expect(result.identities[0]?.activePeriods).toEqual([
      { from: day('11-02'), to: day('11-07') },
      { from: day('11-20'), to: null },
    ])
    expect(result.timeline).toEqual([
      { at: day('11-02'), active: 1 },
      { at: day('11-07'), active: 0 },
      { at: day('11-20'), active: 1 },
    ])
  })

  it('is reactivated by connecting a new integration', () => {
    const result = run([
      { identityId: 'e1', at: day('10-20'), kind: 'action' },
      { identityId: 'e1', at: day('11-25'), kind: 'integration-connected' },
    ])
    expect(result.activeAtStart).toBe(1)
    expect(result.identities[0]?.activePeriods).toEqual([
      { from: NOVEMBER.start, to: day('11-19') },
      { from: day('11-25'), to: day('11-30') },
    ])
  })

  it('never counts standard identities, nor deleted ones after their deletion', () => {
    const result = engagementBilling({
      identities: [
        { id: 'std', type: 'standard', createdAt: day('11-01') },
        { id: 'gone', type: 'engagement', createdAt: day('11-01'), deletedAt: day('11-03') },
      ],
      activity: [
        { identityId: 'std', at: day('11-02'), kind: 'action' },
        { identityId: 'gone', at: day('11-02'), kind: 'action' },
      ],
      cycle: NOVEMBER,
    })
    expect(result.peak).toBe(1)
    expect(result.identities).toEqual([
      { id: 'gone', activePeriods: [{ from: day('11-02'), to: day('11-03') }] },
    ])
    expect(result.activeAtEnd).toBe(0)
  })
})

describe('input', () => {
  it('refuses a type change: the type is fixed at creation', () => {
    expect(() =>
      engagementBilling({
        identities: [
          { id: 'e1', type: 'standard', createdAt: day('11-01') },
          { id: 'e1', type: 'engagement', createdAt: day('11-02') },
        ],
        activity: [],
        cycle: NOVEMBER,
      }),
    ).toThrow(
      expect.objectContaining({ code: 'identity_type_fixed', message: expect.stringMatching(/delete it/) }),
    )
  })

  it('names the field that is wrong', () => {
    expect(() =>
      engagementBilling({
        identities: [{ id: 'e1', type: 'premium' as never, createdAt: 'yesterday' }],
        activity: [],
        cycle: NOVEMBER,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: expect.arrayContaining([
          expect.objectContaining({ field: 'identities[0].type' }),
          expect.objectContaining({ field: 'identities[0].createdAt' }),
        ]),
      }),
    )
    expect(() =>
      engagementBilling({
        identities: [],
        activity: [{ identityId: 'x', at: day('11-02'), kind: 'action' }],
        cycle: NOVEMBER,
      }),
    ).toThrow(/activity\[0\]\.identityId/)
  })
})

describe('from the engine action log', () => {
  it('counts LinkedIn actions and reconnections, and nothing else', () => {
    expect(
      activityFromActions([
        { type: 'invitation-sent', at: day('11-02'), identityId: 'ana', channel: 'linkedin' },
        { type: 'message-sent', at: Date.parse(day('11-03')), identityId: 'ana', channel: 'linkedin' },
        { type: 'message-sent', at: day('11-03'), identityId: 'ana', channel: 'email' },
        { type: 'channel-reconnected', at: day('11-04'), identityId: 'ana', channel: 'linkedin' },
        { type: 'reply-received', at: day('11-05'), identityId: 'ana', channel: 'linkedin' },
        { type: 'lead-started', at: day('11-05'), identityId: null },
      ]),
    ).toEqual([
      { identityId: 'ana', at: day('11-02'), kind: 'action' },
      { identityId: 'ana', at: day('11-03'), kind: 'action' },
      { identityId: 'ana', at: day('11-04'), kind: 'integration-connected' },
    ])
  })
})

describe('properties', () => {
  it('the peak is at least every point of the timeline and at most the engagement identities', () => {
    const event = fc.record({
      identity: fc.nat({ max: 5 }),
      offsetHours: fc.nat({ max: 24 * 90 }),
      kind: fc.constantFrom('integration-connected' as const, 'account-synced' as const, 'action' as const),
    })
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.array(event, { maxLength: 40 }),
        (engagement, events) => {
          const base = Date.parse('2026-10-01T00:00:00.000Z')
          const input: EngagementBillingInput = {
            identities: engagement.map((isEngagement, n) => ({
              id: `i${n}`,
              type: isEngagement ? 'engagement' : 'standard',
              createdAt: new Date(base).toISOString(),
            })),
            activity: events.map((each) => ({
              identityId: `i${each.identity}`,
              at: new Date(base + each.offsetHours * 3_600_000).toISOString(),
              kind: each.kind,
            })),
            cycle: NOVEMBER,
          }
          const result = engagementBilling(input)
          for (const point of result.timeline) expect(result.peak).toBeGreaterThanOrEqual(point.active)
          expect(result.peak).toBeGreaterThanOrEqual(result.activeAtStart)
          expect(result.peak).toBeLessThanOrEqual(engagement.filter(Boolean).length)
        },
      ),
      { seed: 20261122, numRuns: 200 },
    )
  })
})
