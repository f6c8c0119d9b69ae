import { type EngineEvent, PacelineError } from '@paceline/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTION_KEEPS_ACTIVE_MS, SYNC_KEEPS_ACTIVE_MS } from '../../src/billing/active-periods'
import { activityFromActions, BILLING_ACTIVITY_TYPES } from '../../src/billing/activity-from-actions'
import type {
  ActivityKind,
  BilledIdentity,
  BillingCycle,
  EngagementBillingInput,
  IdentityActivity,
} from '../../src/billing/billing-input'
import { engagementBilling } from '../../src/billing/engagement-billing'

const DAY = 86_400_000
const MARCH: BillingCycle = { start: '2026-03-01T00:00:00.000Z', end: '2026-04-01T00:00:00.000Z' }
const APRIL: BillingCycle = { start: '2026-04-01T00:00:00.000Z', end: '2026-05-01T00:00:00.000Z' }

/** An instant of 2026, at 09:00 UTC unless told. */
const on = (month: number, day: number, hour = 9) =>
  new Date(Date.UTC(2026, month - 1, day, hour)).toISOString()
const plus = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString()
const names = (prefix: string, count: number) => Array.from({ length: count }, (_, n) => `${prefix}${n + 1}`)

/** A history of identities and what happened to them, written in the order of the story. */
class Story {
  readonly identities: BilledIdentity[] = []
  readonly activity: IdentityActivity[] = []

  engagement(ids: readonly string[], createdAt: string): this {
    for (const id of ids) this.identities.push({ id, type: 'engagement', createdAt })
    return this
  }

  standard(ids: readonly string[], createdAt: string): this {
    for (const id of ids) this.identities.push({ id, type: 'standard', createdAt })
    return this
  }

  connect(ids: readonly string[], at: string): this {
    return this.happen(ids, 'integration-connected', [at])
  }

  sync(ids: readonly string[], at: string): this {
    return this.happen(ids, 'account-synced', [at])
  }

  act(ids: readonly string[], ...ats: string[]): this {
    return this.happen(ids, 'action', ats)
  }

  delete(ids: readonly string[], at: string): this {
    for (const [index, identity] of this.identities.entries())
      if (ids.includes(identity.id)) this.identities[index] = { ...identity, deletedAt: at }
    return this
  }

  bill(cycle: BillingCycle) {
    return engagementBilling({ identities: this.identities, activity: this.activity, cycle })
  }

  /** How many engagement identities are active at one instant: a one-millisecond cycle starting there. */
  activeAt(at: string): number {
    return this.bill({ start: at, end: plus(at, 1) }).activeAtStart
  }

  periodsOf(id: string, cycle: BillingCycle) {
    return this.bill(cycle).identities.find((each) => each.id === id)?.activePeriods
  }

  private happen(ids: readonly string[], kind: ActivityKind, ats: readonly string[]): this {
    for (const id of ids) for (const at of ats) this.activity.push({ identityId: id, at, kind })
    return this
  }
}

/** What the current and the next cycle are billed, checking the first's forecast matches the second. */
function currentAndNext(story: Story): [number, number] {
  const march = story.bill(MARCH)
  const april = story.bill(APRIL)
  expect(march.activeAtEnd).toBe(april.peak)
  return [march.peak, april.peak]
}

describe('reference "Billing Examples": current and next cycle billed', () => {
  it('peak of 10 active, then all 10 deleted: 10 this cycle, 0 the next', () => {
    const ten = names('e', 10)
    const story = new Story()
      .engagement(ten, on(3, 2))
      .connect(ten, on(3, 2))
      .act(ten, on(3, 2, 10), on(3, 9))
      .delete(ten, on(3, 20))

    expect(currentAndNext(story)).toEqual([10, 0])
    expect(story.bill(MARCH).timeline).toEqual([
      { at: MARCH.start, active: 0 },
      { at: on(3, 2), active: 10 },
      { at: on(3, 20), active: 0 },
    ])
  })

  it('peak of 10, delete 10, recreate 10 (all active again): 10 and 10, never 20', () => {
    const first = names('a', 10)
    const second = names('b', 10)
    const story = new Story()
      .engagement(first, on(3, 2))
      .act(first, on(3, 2), on(3, 9))
      .delete(first, on(3, 15))
      .engagement(second, on(3, 16))
      .connect(second, on(3, 16))
      .act(second, on(3, 16, 10), on(3, 23), on(3, 30))

    expect(currentAndNext(story)).toEqual([10, 10])
    expect(story.bill(MARCH).timeline.map((point) => point.active)).toEqual([0, 10, 0, 10])
    // Their last action, 30 March, keeps the recreated ten active until 29 April.
    expect(story.bill(APRIL).timeline).toEqual([
      { at: APRIL.start, active: 10 },
      { at: on(4, 29), active: 0 },
    ])
  })

  it('peak of 3, delete 1, do not recreate: 3 and 2', () => {
    const story = new Story()
      .engagement(['keep1', 'keep2', 'gone'], on(3, 2))
      .connect(['keep1', 'keep2', 'gone'], on(3, 2))
      .act(['keep1', 'keep2', 'gone'], on(3, 3))
      .act(['keep1', 'keep2'], on(3, 16), on(3, 30))
      .delete(['gone'], on(3, 10))

    expect(currentAndNext(story)).toEqual([3, 2])
  })

  it('peak of 3, delete 1, recreate 1: 3 and 3', () => {
    const story = new Story()
      .engagement(['keep1', 'keep2', 'gone'], on(3, 2))
      .connect(['keep1', 'keep2', 'gone'], on(3, 2))
      .act(['keep1', 'keep2', 'gone'], on(3, 3))
      .act(['keep1', 'keep2'], on(3, 16), on(3, 30))
      .delete(['gone'], on(3, 10))
      .engagement(['new'], on(3, 12))
      .connect(['new'], on(3, 12))
      .act(['new'], on(3, 13), on(3, 27))

    expect(currentAndNext(story)).toEqual([3, 3])
    expect(story.bill(MARCH).timeline.map((point) => point.active)).toEqual([0, 3, 2, 3])
  })
})

describe('reference "How we count": the peak, not everyone who was active', () => {
  it('5 at the start, +3 (8), 2 inactive (6), +2 (8), 3 inactive (5): billed 8 although 10 were active', () => {
    const stay = ['o1', 'o2', 'o3']
    const lapse = ['o4', 'o5']
    const story = new Story()
      // The five active on 1 March acted in February; o4 and o5 never again, so they lapse 30 days later.
      .engagement([...stay, ...lapse], on(2, 1))
      .act([...stay, ...lapse], on(2, 10))
      .act(stay, on(3, 10))
      .engagement(['n1', 'n2', 'n3'], on(3, 5))
      .connect(['n1', 'n2', 'n3'], on(3, 5))
      .act(['n1', 'n2', 'n3'], on(3, 5, 10))
      .engagement(['m1', 'm2'], on(3, 18))
      .connect(['m1', 'm2'], on(3, 18))
      .act(['m1', 'm2'], on(3, 19))
      .delete(['n1', 'n2', 'n3'], on(3, 25))

    const march = story.bill(MARCH)
    expect(march.timeline).toEqual([
      { at: MARCH.start, active: 5 },
      { at: on(3, 5), active: 8 },
      { at: on(3, 12), active: 6 },
      { at: on(3, 18), active: 8 },
      { at: on(3, 25), active: 5 },
    ])
    expect(march.peak).toBe(8)
    expect(march.peakAt).toBe(on(3, 5))
    expect(march.identities.filter((each) => each.activePeriods.length > 0)).toHaveLength(10)
    expect(march.activeAtEnd).toBe(5)
  })
})

describe('the 30-day rule: inactive 30 days after the last action', () => {
  // The boundary: the last action + exactly 30 × 24 hours is the first instant the identity is inactive.
  const action = on(3, 2)
  const story = new Story().engagement(['e'], on(3, 1)).act(['e'], action)

  it('is active on day 29 and up to the last millisecond before day 30', () => {
    expect(ACTION_KEEPS_ACTIVE_MS).toBe(30 * DAY)
    expect(story.activeAt(action)).toBe(1)
    expect(story.activeAt(plus(action, 29 * DAY))).toBe(1)
    expect(story.activeAt(plus(action, 30 * DAY - 1))).toBe(1)
  })

  it('is inactive at exactly 30 days and after', () => {
    expect(story.activeAt(plus(action, 30 * DAY))).toBe(0)
    expect(story.activeAt(plus(action, 31 * DAY))).toBe(0)
    expect(story.periodsOf('e', { start: MARCH.start, end: APRIL.end })).toEqual([
      { from: action, to: on(4, 1) },
    ])
  })

  it('counts the 30 days from the last action', () => {
    const busy = new Story().engagement(['e'], on(3, 1)).act(['e'], on(3, 2), on(3, 22))
    expect(busy.activeAt(on(4, 1))).toBe(1)
    expect(busy.periodsOf('e', { start: MARCH.start, end: APRIL.end })).toEqual([
      { from: on(3, 2), to: on(4, 21) },
    ])
  })
})

describe('the 5-day rule: a sync or connection that no action follows', () => {
  it('a connected account with no action is inactive 5 days later, to the millisecond', () => {
    const story = new Story().engagement(['e'], on(3, 1)).connect(['e'], on(3, 2))
    expect(SYNC_KEEPS_ACTIVE_MS).toBe(5 * DAY)
    expect(story.activeAt(on(3, 2))).toBe(1)
    expect(story.activeAt(plus(on(3, 7), -1))).toBe(1)
    expect(story.activeAt(on(3, 7))).toBe(0)
  })

  it('an action within the 5 days switches to the 30-day rule', () => {
    const story = new Story().engagement(['e'], on(3, 1)).connect(['e'], on(3, 2)).act(['e'], on(3, 6))
    expect(story.periodsOf('e', MARCH)).toEqual([{ from: on(3, 2), to: null }])
    expect(story.periodsOf('e', APRIL)).toEqual([{ from: APRIL.start, to: on(4, 5) }])
  })

  it('a sync after the last action ends activity 5 days later, before the 30 days are up', () => {
    const story = new Story().engagement(['e'], on(3, 1)).act(['e'], on(3, 2)).sync(['e'], on(3, 12))
    expect(story.periodsOf('e', MARCH)).toEqual([{ from: on(3, 2), to: on(3, 17) }])
  })

  it('each new sync restarts the 5 days', () => {
    const story = new Story().engagement(['e'], on(3, 1)).connect(['e'], on(3, 2)).sync(['e'], on(3, 5))
    expect(story.periodsOf('e', MARCH)).toEqual([{ from: on(3, 2), to: on(3, 10) }])
  })

  it('a sync and an action at the same instant: the action follows the sync', () => {
    const story = new Story().engagement(['e'], on(3, 1)).act(['e'], on(3, 2)).sync(['e'], on(3, 2))
    expect(story.periodsOf('e', MARCH)).toEqual([{ from: on(3, 2), to: null }])
  })

  it('a sync alone does not make an inactive identity active', () => {
    const story = new Story().engagement(['e'], on(3, 1)).sync(['e'], on(3, 2))
    expect(story.bill(MARCH).peak).toBe(0)
    expect(story.periodsOf('e', MARCH)).toEqual([])
  })
})

describe('reactivation after going inactive', () => {
  const lapsed = () => new Story().engagement(['e'], on(2, 1)).act(['e'], on(2, 2))

  it('an action makes it active again, for another 30 days', () => {
    const story = lapsed().act(['e'], on(3, 14))
    expect(story.periodsOf('e', MARCH)).toEqual([
      { from: MARCH.start, to: on(3, 4) },
      { from: on(3, 14), to: null },
    ])
    expect(story.bill(MARCH).peak).toBe(1)
  })

  it('connecting a new integration makes it active again, for 5 days without an action', () => {
    const story = lapsed().connect(['e'], on(3, 14))
    expect(story.periodsOf('e', MARCH)).toEqual([
      { from: MARCH.start, to: on(3, 4) },
      { from: on(3, 14), to: on(3, 19) },
    ])
  })

  it('an action at the very instant of expiry leaves no gap', () => {
    const story = lapsed().act(['e'], on(3, 4))
    expect(story.periodsOf('e', MARCH)).toEqual([{ from: MARCH.start, to: null }])
    expect(story.bill(MARCH).timeline).toEqual([{ at: MARCH.start, active: 1 }])
  })
})

describe('who is billed', () => {
  it('never counts standard identities, whatever they do', () => {
    const story = new Story()
      .standard(['s1', 's2'], on(3, 1))
      .connect(['s1', 's2'], on(3, 2))
      .act(['s1', 's2'], on(3, 3))
      .engagement(['e'], on(3, 1))
      .act(['e'], on(3, 20))

    const march = story.bill(MARCH)
    expect(march.peak).toBe(1)
    expect(march.identities.map((each) => each.id)).toEqual(['e'])
    expect(new Story().standard(['s'], on(3, 1)).act(['s'], on(3, 2)).bill(MARCH)).toEqual({
      peak: 0,
      peakAt: MARCH.start,
      activeAtStart: 0,
      activeAtEnd: 0,
      identities: [],
      timeline: [{ at: MARCH.start, active: 0 }],
    })
  })

  it('a deleted identity stops counting at the instant of its deletion', () => {
    const story = new Story().engagement(['e'], on(3, 1)).act(['e'], on(3, 2)).delete(['e'], on(3, 5))
    expect(story.activeAt(plus(on(3, 5), -1))).toBe(1)
    expect(story.activeAt(on(3, 5))).toBe(0)
    expect(story.periodsOf('e', MARCH)).toEqual([{ from: on(3, 2), to: on(3, 5) }])
    expect(story.bill(APRIL).identities).toEqual([])
  })

  it('one identity replaced by another at the same instant is never counted twice', () => {
    const story = new Story()
      .engagement(['old'], on(3, 1))
      .act(['old'], on(3, 2))
      .delete(['old'], on(3, 10))
      .engagement(['new'], on(3, 10))
      .connect(['new'], on(3, 10))
      .act(['new'], on(3, 10))
    expect(story.bill(MARCH).peak).toBe(1)
    expect(story.bill(MARCH).timeline).toEqual([
      { at: MARCH.start, active: 0 },
      { at: on(3, 2), active: 1 },
    ])
  })
})

describe('input', () => {
  const bill = (input: Partial<EngagementBillingInput>) => () =>
    engagementBilling({ identities: [], activity: [], cycle: MARCH, ...input })
  const fieldsOf = (run: () => unknown) => {
    try {
      run()
    } catch (error) {
      if (PacelineError.is(error, 'invalid_options')) return error.issues.map((issue) => issue.field)
      throw error
    }
    throw new Error('expected the input to be rejected')
  }

  it('rejects a type change: the type is fixed at creation', () => {
    const run = bill({
      identities: [
        { id: 'ana', type: 'standard', createdAt: on(3, 1) },
        { id: 'ana', type: 'engagement', createdAt: on(3, 2) },
      ],
    })
    expect(run).toThrow(PacelineError)
    expect(run).toThrow(
      expect.objectContaining({
        code: 'identity_type_fixed',
        message: expect.stringContaining("Identity 'ana' is a standard identity"),
        details: { identityId: 'ana', from: 'standard', to: 'engagement' },
      }),
    )
  })

  it('names each field that is malformed', () => {
    const identities = [
      { id: 'e', type: 'premium', createdAt: 'yesterday', deleteAt: on(3, 2) },
    ] as unknown as BilledIdentity[]
    const activity = [{ identityId: 'e', at: on(3, 2), kind: 'login' }] as unknown as IdentityActivity[]
    expect(fieldsOf(bill({ identities, activity, cycle: { start: MARCH.start, end: '' } }))).toEqual([
      'identities[0].type',
      'identities[0].createdAt',
      'identities[0].deleteAt',
      'activity[0].kind',
      'cycle.end',
    ])
  })

  it('names each field that contradicts the rest', () => {
    const run = bill({
      identities: [
        { id: 'e', type: 'engagement', createdAt: on(3, 5), deletedAt: on(3, 1) },
        { id: 'f', type: 'engagement', createdAt: on(3, 1), deletedAt: on(3, 10) },
        { id: 'f', type: 'engagement', createdAt: on(3, 1) },
      ],
      activity: [
        { identityId: 'nobody', at: on(3, 2), kind: 'action' },
        { identityId: 'f', at: on(2, 27), kind: 'action' },
        { identityId: 'f', at: on(3, 10), kind: 'action' },
      ],
      cycle: { start: MARCH.end, end: MARCH.start },
    })
    expect(fieldsOf(run)).toEqual([
      'cycle.end',
      'identities[0].deletedAt',
      'identities[2].id',
      'activity[0].identityId',
      'activity[1].at',
      'activity[2].at',
    ])
  })
})

describe('activityFromActions', () => {
  const log: EngineEvent[] = [
    { at: on(3, 2), type: 'lead-started', campaignId: 'c', leadId: 'l1' },
    {
      at: on(3, 2),
      type: 'invitation-sent',
      identityId: 'ana',
      channel: 'linkedin',
      action: 'send_connection',
    },
    { at: on(3, 3), type: 'message-sent', identityId: 'ana', channel: 'email', action: 'email' },
    { at: on(3, 3), type: 'reply-received', identityId: 'ana', channel: 'linkedin' },
    { at: on(3, 4), type: 'invitation-withdrawn', identityId: 'ana', channel: 'linkedin' },
    { at: on(3, 5), type: 'task-created', identityId: 'ana', channel: 'tasks', action: 'task' },
    { at: on(3, 6), type: 'channel-disconnected', identityId: 'bob', channel: 'linkedin' },
    { at: on(3, 7), type: 'channel-reconnected', identityId: 'bob', channel: 'linkedin' },
    {
      at: on(3, 8),
      type: 'invitation-withdrawn',
      identityId: 'ana',
      channel: 'linkedin',
      action: 'withdraw_invitation',
    },
    {
      at: on(3, 9),
      type: 'profile-visited',
      identityId: 'bob',
      channel: 'linkedin',
      action: 'visit_profile',
    },
  ]

  it('keeps LinkedIn actions and reconnections, and nothing else', () => {
    expect(activityFromActions(log)).toEqual([
      { identityId: 'ana', at: on(3, 2), kind: 'action' },
      { identityId: 'bob', at: on(3, 7), kind: 'integration-connected' },
      { identityId: 'ana', at: on(3, 8), kind: 'action' },
      { identityId: 'bob', at: on(3, 9), kind: 'action' },
    ])
  })

  it('reads only the entries of BILLING_ACTIVITY_TYPES: a log narrowed to them gives the same activity', () => {
    const narrowed = log.filter((entry) => BILLING_ACTIVITY_TYPES.includes(entry.type))
    expect(narrowed.length).toBeLessThan(log.length)
    expect(activityFromActions(narrowed)).toEqual(activityFromActions(log))
  })

  it('feeds the meter', () => {
    const identities: BilledIdentity[] = [
      { id: 'ana', type: 'engagement', createdAt: on(3, 1) },
      { id: 'bob', type: 'engagement', createdAt: on(3, 1) },
    ]
    const march = engagementBilling({ identities, activity: activityFromActions(log), cycle: MARCH })
    expect(march.timeline).toEqual([
      { at: MARCH.start, active: 0 },
      { at: on(3, 2), active: 1 },
      { at: on(3, 7), active: 2 },
    ])
  })
})

describe('properties', () => {
  const base = Date.parse('2026-01-01T00:00:00.000Z')
  const HOUR = 3_600_000
  const iso = (ms: number) => new Date(ms).toISOString()
  const story = fc
    .record({
      identities: fc.array(
        fc.record({
          engagement: fc.boolean(),
          createdHour: fc.nat({ max: 24 * 60 }),
          lifeHours: fc.option(fc.integer({ min: 1, max: 24 * 90 }), { nil: undefined }),
        }),
        { minLength: 1, maxLength: 6 },
      ),
      events: fc.array(
        fc.record({
          identity: fc.nat(),
          hour: fc.nat({ max: 24 * 150 }),
          kind: fc.constantFrom<ActivityKind>('integration-connected', 'account-synced', 'action'),
        }),
        { maxLength: 40 },
      ),
      cycleStartHour: fc.nat({ max: 24 * 150 }),
      cycleHours: fc.integer({ min: 1, max: 24 * 45 }),
    })
    .map(({ identities, events, cycleStartHour, cycleHours }): EngagementBillingInput => {
      const lives = identities.map((each, n) => ({
        id: `i${n}`,
        type: each.engagement ? ('engagement' as const) : ('standard' as const),
        from: base + each.createdHour * HOUR,
        to:
          each.lifeHours === undefined
            ? Number.POSITIVE_INFINITY
            : base + (each.createdHour + each.lifeHours) * HOUR,
      }))
      return {
        identities: lives.map((life) => ({
          id: life.id,
          type: life.type,
          createdAt: iso(life.from),
          ...(life.to === Number.POSITIVE_INFINITY ? {} : { deletedAt: iso(life.to) }),
        })),
        // Only what can happen: events during the identity's lifetime.
        activity: events.flatMap((event) => {
          const life = lives[event.identity % lives.length]
          const at = base + event.hour * HOUR
          return life !== undefined && life.from <= at && at < life.to
            ? [{ identityId: life.id, at: iso(at), kind: event.kind }]
            : []
        }),
        cycle: {
          start: iso(base + cycleStartHour * HOUR),
          end: iso(base + (cycleStartHour + cycleHours) * HOUR),
        },
      }
    })

  it('the peak is at least the active count at every point, and at most the engagement identities', () => {
    fc.assert(
      fc.property(story, (input) => {
        const result = engagementBilling(input)
        for (const point of result.timeline) expect(result.peak).toBeGreaterThanOrEqual(point.active)
        expect(result.peak).toBeGreaterThanOrEqual(result.activeAtEnd)
        const engagement = input.identities.filter((each) => each.type === 'engagement')
        expect(result.peak).toBeLessThanOrEqual(engagement.length)
      }),
      { seed: 20260301, numRuns: 200 },
    )
  })

  it('every timeline point counts exactly the identities whose active periods contain it', () => {
    fc.assert(
      fc.property(story, (input) => {
        const result = engagementBilling(input)
        for (const point of result.timeline) {
          const containing = result.identities.filter((identity) =>
            identity.activePeriods.some(
              (period) => period.from <= point.at && (period.to === null || point.at < period.to),
            ),
          )
          expect(point.active).toBe(containing.length)
        }
        expect(result.peak).toBe(Math.max(...result.timeline.map((point) => point.active)))
      }),
      { seed: 20260302, numRuns: 200 },
    )
  })
})
