import { describe, expect, it } from 'vitest'
import {
  defineIdentity,
  hash32,
  type LaneLimits,
  laneGate,
  laneLimits,
  PACING_SHARE,
  pickNext,
  priorityKey,
  unitInterval,
  WorkingCalendar,
} from '../../src/index'

const MINUTE = 60_000
const identity = defineIdentity({
  id: 'ana',
  name: 'Ana',
  workingHours: { timezone: 'UTC' },
  linkedin: { accountId: 'li', limits: { connectionsPerDay: 20 } },
  email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 30, perHour: 5 } }] },
})
const calendar = new WorkingCalendar(identity.workingHours)
const monday9 = Date.parse('2026-03-02T09:00:00Z')

function gate(
  limits: LaneLimits,
  now: number,
  usage?: { count: number; lastAt?: number; recent?: number[] },
) {
  return laneGate({
    now,
    limits,
    usage: usage === undefined ? undefined : { date: '2026-03-02', recent: [], ...usage },
    calendar,
    seed: 1,
    jitterKey: 'test',
  })
}

describe('laneGate', () => {
  it('is closed outside working hours until the next window', () => {
    const result = gate(laneLimits(identity, 'linkedin:message'), Date.parse('2026-03-02T07:00:00Z'))
    expect(result.reason).toBe('outside_working_hours')
    expect(result.opensAt).toBeGreaterThanOrEqual(monday9)
  })

  it('paces a daily limit through the working day instead of bursting at its start', () => {
    const limits = laneLimits(identity, 'linkedin:connection')
    const slot = (9 * 60 * MINUTE * PACING_SHARE) / 20
    for (const count of [0, 1, 5, 19]) {
      const result = gate(limits, monday9, { count })
      expect(result.opensAt).toBeGreaterThanOrEqual(monday9 + Math.floor(count * slot))
      expect(result.opensAt).toBeLessThan(monday9 + Math.floor((count + 0.5) * slot) + 1)
    }
  })

  it('closes for the day at the daily limit and reopens at the next working day', () => {
    const result = gate(laneLimits(identity, 'linkedin:connection'), Date.parse('2026-03-02T15:00:00Z'), {
      count: 20,
    })
    expect(result.reason).toBe('daily_limit')
    expect(new Date(result.opensAt).toISOString().slice(0, 10)).toBe('2026-03-03')
  })

  it('resets the count on a new local date', () => {
    const tuesday = Date.parse('2026-03-03T09:00:00Z')
    const result = laneGate({
      now: tuesday,
      limits: laneLimits(identity, 'linkedin:connection'),
      usage: { date: '2026-03-02', count: 20, recent: [] },
      calendar,
      seed: 1,
      jitterKey: 'test',
    })
    expect(result.reason).not.toBe('daily_limit')
    expect(result.opensAt - tuesday).toBeLessThan(15 * MINUTE)
  })

  it('keeps the least gap between two actions of a lane (one visit every 4 minutes)', () => {
    const limits = laneLimits(identity, 'linkedin:visit')
    const now = Date.parse('2026-03-02T16:00:00Z')
    const result = gate(limits, now, { count: 3, lastAt: now - MINUTE })
    expect(result.opensAt).toBe(now + 3 * MINUTE)
    expect(result.reason).toBe('spacing')
  })

  it('holds the weekly invitation limit over every sliding 7 days', () => {
    const limits = laneLimits(identity, 'linkedin:connection')
    expect(limits.window).toEqual({ max: 100, ms: 7 * 24 * 60 * MINUTE, reason: 'weekly_limit' })
    const now = Date.parse('2026-03-02T10:00:00Z')
    // 100 requests over the last six days, the oldest 6 days and 20 hours ago.
    const oldest = now - (6 * 24 + 20) * 60 * MINUTE
    const recent = Array.from({ length: 100 }, (_, n) => oldest + n * 90 * MINUTE)
    const result = gate(limits, now, { count: 0, lastAt: recent[99] as number, recent })
    expect(result.reason).toBe('weekly_limit')
    expect(result.opensAt).toBe(oldest + 7 * 24 * 60 * MINUTE)
  })

  it('holds an hourly email limit over every sliding 60 minutes, not per clock hour', () => {
    const limits = laneLimits(identity, 'email:ana@acme.io')
    const now = Date.parse('2026-03-02T16:10:00Z')
    const recent = [35, 30, 25, 20, 15].map((ago) => now - ago * MINUTE)
    const result = gate(limits, now, {
      count: 5,
      lastAt: now - 15 * MINUTE,
      recent: recent.sort((a, b) => a - b),
    })
    expect(result.reason).toBe('window_limit')
    expect(result.opensAt).toBe(now - 35 * MINUTE + 60 * MINUTE)
  })

  it('respects a provider block (Retry-After)', () => {
    const result = laneGate({
      now: monday9,
      limits: laneLimits(identity, 'linkedin:message'),
      usage: undefined,
      calendar,
      seed: 1,
      jitterKey: 'x',
      blockedUntil: monday9 + 30 * MINUTE,
    })
    expect(result.opensAt).toBeGreaterThanOrEqual(monday9 + 30 * MINUTE)
    expect(result.reason).toBe('retry_backoff')
  })

  it('never opens a lane with a zero limit', () => {
    const none = defineIdentity({ id: 'n', name: 'N', workingHours: { timezone: 'UTC' } })
    expect(gate(laneLimits(none, 'linkedin:connection'), monday9).opensAt).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('priority', () => {
  it('orders by message depth, then campaign priority, then the tie-break', () => {
    const keys = [
      priorityKey(0, 'high', 5),
      priorityKey(2, 'low', 9),
      priorityKey(1, 'medium', 1),
      priorityKey(1, 'high', 7),
      priorityKey(1, 'high', 3),
    ]
    const sorted = [...keys].sort((a, b) => a - b)
    expect(sorted).toEqual([keys[1], keys[4], keys[3], keys[2], keys[0]])
  })

  it('picks the best candidate whose lane is open, in one pass', () => {
    const candidates = [
      { id: 'a', lane: 'linkedin:message' as const, priorityKey: priorityKey(3, 'low', 1) },
      { id: 'b', lane: 'linkedin:connection' as const, priorityKey: priorityKey(0, 'high', 1) },
      { id: 'c', lane: 'linkedin:message' as const, priorityKey: priorityKey(1, 'high', 1) },
    ]
    expect(pickNext(candidates, () => true)?.id).toBe('a')
    expect(pickNext(candidates, (lane) => lane === 'linkedin:connection')?.id).toBe('b')
    expect(pickNext(candidates, () => false)).toBeUndefined()
  })
})

describe('seeded randomness', () => {
  it('is a pure function of the seed and the parts', () => {
    expect(hash32(42, 'campaign', 'lead-1')).toBe(hash32(42, 'campaign', 'lead-1'))
    expect(hash32(42, 'campaign', 'lead-1')).not.toBe(hash32(43, 'campaign', 'lead-1'))
    expect(hash32(42, 'ab', 'c')).not.toBe(hash32(42, 'a', 'bc'))
  })

  it('spreads values evenly over [0, 1)', () => {
    const buckets = new Array(10).fill(0)
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(unitInterval(7, 'lead', i) * 10)]++
    for (const count of buckets) expect(Math.abs(count - 1000)).toBeLessThan(150)
  })
})
