import type { Identity } from '../model/identity/identity-schema'
import type { LaneUsage } from '../scheduler/lane-gate'
import { type Lane, laneLimits } from '../scheduler/lanes'
import type { WorkingCalendar } from '../scheduler/working-calendar'
import type { CounterRecord } from './records'
import { compoundKey, type Store } from './store'

/** Durable counter keys of an identity. */
export const counterKeys = {
  lane: (identityId: string, lane: Lane) => compoundKey(identityId, 'lane', lane),
  queue: (identityId: string, queue: 'linkedin') => compoundKey(identityId, 'queue', queue),
  month: (identityId: string) => compoundKey(identityId, 'conversations'),
  block: (identityId: string, lane: Lane) => compoundKey(identityId, 'block', lane),
  inboxAssignments: (identityId: string, inbox: string) => compoundKey(identityId, 'assigned', inbox),
}

/** A lane's usage as the scheduler reads it. */
export function usageOf(record: CounterRecord | undefined): LaneUsage | undefined {
  if (record === undefined) return undefined
  return record.lastAt === null
    ? { date: record.date, count: record.count, recent: record.recent }
    : { date: record.date, count: record.count, lastAt: record.lastAt, recent: record.recent }
}

/** How many recent action times a lane keeps: enough for its sliding window. */
function keepRecent(identity: Identity, lane: Lane): number {
  return Math.max(1, laneLimits(identity, lane).window?.max ?? 1)
}

/**
 * Charges one action to a counter: the count of the period it falls in (a new period starts at 1), its
 * time, and the recent times for sliding windows. Returns the counter key, to refund if the action
 * certainly did not happen.
 */
export async function charge(
  store: Store,
  identityId: string,
  key: string,
  period: string,
  at: number,
  keep: number,
): Promise<string> {
  const current = await store.get('counters', key)
  const count = current !== undefined && current.date === period ? current.count + 1 : 1
  const recent = [...(current?.recent ?? []), at].slice(-keep)
  await store.put('counters', key, { key, identityId, date: period, count, lastAt: at, recent })
  return key
}

/** Takes back one charged action of `at` (the time stays as last action: spacing is kept conservatively). */
export async function refund(store: Store, key: string, at: number): Promise<void> {
  const current = await store.get('counters', key)
  if (current === undefined) return
  const index = current.recent.lastIndexOf(at)
  const recent =
    index === -1 ? current.recent : [...current.recent.slice(0, index), ...current.recent.slice(index + 1)]
  await store.put('counters', key, { ...current, count: Math.max(0, current.count - 1), recent })
}

export async function chargeLane(
  store: Store,
  identity: Identity,
  lane: Lane,
  calendar: WorkingCalendar,
  at: number,
): Promise<string> {
  return charge(
    store,
    identity.id,
    counterKeys.lane(identity.id, lane),
    calendar.dayOf(at).date,
    at,
    keepRecent(identity, lane),
  )
}
