import { type LaneGate, laneCapacity, laneGate } from '../scheduler/lane-gate'
import {
  emailLane,
  inboxOfLane,
  isEmailLane,
  isLinkedInLane,
  type Lane,
  type LaneLimits,
  LINKEDIN_LANES,
  LINKEDIN_QUEUE_GAP_MS,
  laneLimits,
} from '../scheduler/lanes'
import { WorkingCalendar } from '../scheduler/working-calendar'
import { counterKeys, usageOf } from './counters'
import type { EngineContext } from './engine-context'
import type { CounterRecord, IdentityRecord } from './records'
import type { Store } from './store'
import { type WarmupPolicy, warmupAllowance } from './warmup'

/**
 * A lane's limits with its inbox's warm-up applied: campaign mail from an inbox in warm-up waits (policy
 * `exclude`) or stays within the provider's daily allowance (policy `limit`). Answers by hand
 * (`capacityFrom`) are not campaign mail and are not held.
 */
export function withWarmup(
  limits: LaneLimits,
  identity: IdentityRecord,
  lane: Lane,
  policy: WarmupPolicy,
): LaneLimits {
  if (!isEmailLane(lane)) return limits
  const allowance = warmupAllowance(identity.warmup?.[inboxOfLane(lane)], policy)
  if (allowance === undefined) return limits
  if (allowance === 0) return { ...limits, perDay: 0, closedReason: 'warming_up' }
  return { ...limits, perDay: Math.min(limits.perDay ?? allowance, allowance) }
}

const calendars = new Map<string, WorkingCalendar>()
const byObject = new WeakMap<object, WorkingCalendar>()

/**
 * The working calendar of an identity, cached by its working hours: by object first (a store that hands
 * out the same object costs nothing), then by content (stores that hand out fresh objects).
 */
export function calendarOf(identity: IdentityRecord): WorkingCalendar {
  const hours = identity.identity.workingHours
  const known = byObject.get(hours)
  if (known !== undefined) return known
  const key = JSON.stringify(hours)
  let calendar = calendars.get(key)
  if (calendar === undefined) {
    if (calendars.size > 1000) calendars.clear()
    calendar = new WorkingCalendar(hours)
    calendars.set(key, calendar)
  }
  byObject.set(hours, calendar)
  return calendar
}

/** All durable counters of an identity (lane usage, blocks, queue), read in one query. */
export async function loadCounters(store: Store, identityId: string): Promise<Map<string, CounterRecord>> {
  const counters = await store.query('counters', { index: 'byIdentity', equals: [identityId] })
  return new Map(counters.map((counter) => [counter.key, counter]))
}

/** When a lane of an identity may next act, from its counters. */
export function gateFrom(
  context: EngineContext,
  identity: IdentityRecord,
  lane: Lane,
  now: number,
  counters: ReadonlyMap<string, CounterRecord>,
): LaneGate {
  const identityId = identity.id
  const usage = counters.get(counterKeys.lane(identityId, lane))
  const blockedUntil = counters.get(counterKeys.block(identityId, lane))?.lastAt ?? undefined
  const queue = isLinkedInLane(lane) ? counters.get(counterKeys.queue(identityId, 'linkedin')) : undefined
  return laneGate({
    now,
    limits: withWarmup(laneLimits(identity.identity, lane), identity, lane, context.settings.warmupPolicy),
    usage: usageOf(usage),
    calendar: calendarOf(identity),
    ...(isLinkedInLane(lane)
      ? { queue: { lastAt: queue?.lastAt ?? undefined, gapMs: LINKEDIN_QUEUE_GAP_MS } }
      : {}),
    ...(blockedUntil === undefined || blockedUntil <= now ? {} : { blockedUntil }),
    seed: context.settings.seed,
    jitterKey: `${identityId}|${lane}`,
  })
}

/** When a lane of an identity has room for one more action by hand (caps only), from its counters. */
export function capacityFrom(
  identity: IdentityRecord,
  lane: Lane,
  now: number,
  counters: ReadonlyMap<string, CounterRecord>,
): LaneGate {
  const blockedUntil = counters.get(counterKeys.block(identity.id, lane))?.lastAt ?? undefined
  return laneCapacity({
    now,
    limits: laneLimits(identity.identity, lane),
    usage: usageOf(counters.get(counterKeys.lane(identity.id, lane))),
    calendar: calendarOf(identity),
    ...(blockedUntil === undefined ? {} : { blockedUntil }),
  })
}

/** When a lane of an identity may next act, reading its counters. */
export async function gateOf(
  context: EngineContext,
  store: Store,
  identity: IdentityRecord,
  lane: Lane,
  now: number,
): Promise<LaneGate> {
  return gateFrom(context, identity, lane, now, await loadCounters(store, identity.id))
}

/** Closes a lane until `until` (a provider's Retry-After applies to the whole account, not one lead). */
export async function blockLane(store: Store, identityId: string, lane: Lane, until: number): Promise<void> {
  const key = counterKeys.block(identityId, lane)
  await store.put('counters', key, { key, identityId, date: 'block', count: 0, lastAt: until, recent: [] })
}

/** The lanes an identity has: the LinkedIn lanes with a LinkedIn account, and one per inbox. */
export function lanesOf(identity: IdentityRecord): Lane[] {
  const lanes: Lane[] = identity.identity.linkedin === undefined ? [] : [...LINKEDIN_LANES]
  for (const inbox of identity.identity.email.inboxes) lanes.push(emailLane(inbox.address))
  return lanes
}
