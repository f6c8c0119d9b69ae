import type { LaneLimits } from './lanes'
import { unitInterval } from './seeded-random'
import type { WaitReason } from './wait-reason'
import type { WorkingCalendar } from './working-calendar'

/** Share of each working day the daily quota is spread over; the rest is slack for catching up. */
export const PACING_SHARE = 0.9
/** Jitter added to each paced slot, as a share of the slot's length. */
export const PACING_JITTER = 0.5

/** What a lane has done: today's count and recent action times. */
export interface LaneUsage {
  /** The local date the count belongs to; a count of another date is 0 today. */
  readonly date: string
  readonly count: number
  readonly lastAt?: number
  /** Times of the most recent actions, ascending, enough to check the sliding window. */
  readonly recent: readonly number[]
}

export interface LaneGateInput {
  readonly now: number
  readonly limits: LaneLimits
  readonly usage: LaneUsage | undefined
  readonly calendar: WorkingCalendar
  /** Last action of any lane of the same queue, with the least gap between two of them. */
  readonly queue?: { readonly lastAt: number | undefined; readonly gapMs: number }
  /** Extra closed-until time, e.g. a provider's Retry-After. */
  readonly blockedUntil?: number
  /** Seed and names for the deterministic pacing jitter. */
  readonly seed: number
  readonly jitterKey: string
}

export interface LaneGate {
  /** The earliest instant the lane may run its next action (`now` when it is open now). */
  readonly opensAt: number
  /** Why it is closed until then (meaningless when `opensAt === now`). */
  readonly reason: WaitReason
}

/**
 * When a lane may next act: inside working hours, under its daily cap (which resets at local midnight),
 * no earlier than its paced slot for the day, apart from the previous action by its least gap, and within
 * its sliding window. Pure: the same input gives the same answer.
 */
export function laneGate(input: LaneGateInput): LaneGate {
  const { now, limits, calendar } = input
  let at = now
  let reason: WaitReason | undefined
  const push = (candidate: number, why: WaitReason) => {
    if (candidate > at) {
      at = candidate
      reason ??= why
    }
  }
  // A lane with a zero limit never opens (for example LinkedIn on an identity without a LinkedIn account).
  if (limits.perDay === 0)
    return { opensAt: Number.POSITIVE_INFINITY, reason: limits.closedReason ?? 'daily_limit' }
  if (limits.window !== undefined && limits.window.max <= 0) {
    return { opensAt: Number.POSITIVE_INFINITY, reason: limits.window.reason ?? 'window_limit' }
  }
  if (input.blockedUntil !== undefined) push(input.blockedUntil, 'retry_backoff')

  // Each rule can push the time into a later window or day; repeat until every rule holds.
  for (let round = 0; round < 32; round++) {
    const before = at
    push(calendar.nextWorkingInstant(at), 'outside_working_hours')
    const day = calendar.dayOf(at)
    const count = input.usage !== undefined && input.usage.date === day.date ? input.usage.count : 0
    if (limits.perDay !== undefined) {
      if (count >= limits.perDay) {
        push(calendar.nextWorkingInstant(day.end), 'daily_limit')
        continue
      }
      if (limits.paced && day.workingMs > 0) {
        const slot = (day.workingMs * PACING_SHARE) / limits.perDay
        const jitter = unitInterval(input.seed, input.jitterKey, day.date, count) * slot * PACING_JITTER
        push(calendar.instantAtWorkingOffset(day, Math.floor(count * slot + jitter)), 'pacing')
      }
    }
    const lastAt = input.usage?.lastAt
    if (lastAt !== undefined) push(lastAt + limits.minGapMs, 'spacing')
    if (input.queue?.lastAt !== undefined) push(input.queue.lastAt + input.queue.gapMs, 'queued')
    if (limits.window !== undefined) {
      const { max, ms } = limits.window
      const inWindow = (input.usage?.recent ?? []).filter((time) => time > at - ms)
      if (inWindow.length >= max)
        push((inWindow[inWindow.length - max] as number) + ms, limits.window.reason ?? 'window_limit')
    }
    if (at === before) break
  }
  return { opensAt: at, reason: reason ?? 'queued' }
}

/**
 * When a lane has room for one more action, counting only its caps: the daily limit (which resets at local
 * midnight), the sliding window, and a provider's block. For an answer a person sends by hand: it goes out
 * at once, outside working hours and paced slots too, but never over a limit. Pure, like `laneGate`.
 */
export function laneCapacity(input: Omit<LaneGateInput, 'queue' | 'seed' | 'jitterKey'>): LaneGate {
  const { now, limits, calendar } = input
  if (limits.perDay === 0) return { opensAt: Number.POSITIVE_INFINITY, reason: 'daily_limit' }
  if (limits.window !== undefined && limits.window.max <= 0)
    return { opensAt: Number.POSITIVE_INFINITY, reason: limits.window.reason ?? 'window_limit' }
  if (input.blockedUntil !== undefined && input.blockedUntil > now)
    return { opensAt: input.blockedUntil, reason: 'retry_backoff' }
  const day = calendar.dayOf(now)
  const count = input.usage !== undefined && input.usage.date === day.date ? input.usage.count : 0
  if (limits.perDay !== undefined && count >= limits.perDay)
    return { opensAt: day.end, reason: 'daily_limit' }
  if (limits.window !== undefined) {
    const { max, ms } = limits.window
    const inWindow = (input.usage?.recent ?? []).filter((time) => time > now - ms)
    if (inWindow.length >= max)
      return {
        opensAt: (inWindow[inWindow.length - max] as number) + ms,
        reason: limits.window.reason ?? 'window_limit',
      }
  }
  return { opensAt: now, reason: 'queued' }
}
