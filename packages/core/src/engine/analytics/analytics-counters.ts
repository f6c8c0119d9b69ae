import { compoundKey, type Store } from '../store'

/** Whose counters: a campaign's or an identity's. */
export type AnalyticsScope = 'campaign' | 'identity'

/**
 * One document of counters: an hour of one campaign or identity (`bucket`), a UTC day of it (`day`, the
 * sum of that day's hours), or all of its time.
 */
export interface AnalyticsRecord {
  readonly key: string
  readonly scope: AnalyticsScope
  readonly scopeId: string
  /**
   * Start of the hour, epoch ms; null for the day and all-time documents, which stay out of the index (a
   * day there would sort with the hour that starts at its midnight).
   */
  readonly bucket: number | null
  /** Start of the UTC day, epoch ms, on a day's document only. */
  readonly day?: number
  readonly counts: Readonly<Record<string, number>>
}

export const HOUR = 3_600_000
export const DAY = 24 * HOUR

/** Counters to add to one campaign's or identity's documents. */
export interface CounterChange {
  readonly scope: AnalyticsScope
  readonly scopeId: string
  readonly counts: Readonly<Record<string, number>>
}

/** One document's worth of additions: which document, and what to add. */
export interface DocumentChange extends CounterChange {
  readonly bucket: number | null
  /** The UTC day of a day's document (its `bucket` is null). */
  readonly day?: number
  /** Overrides the document key (the "where leads are now" document has its own). */
  readonly key?: string
}

export const keyOf = (scope: AnalyticsScope, scopeId: string, bucket: number | null) =>
  compoundKey('analytics', scope, scopeId, bucket === null ? 'all' : String(bucket))

/** The key of a UTC day's document: `d` and the day's start, so it never meets an hour's or `all`. */
export const dayKeyOf = (scope: AnalyticsScope, scopeId: string, day: number) =>
  compoundKey('analytics', scope, scopeId, `d${day}`)

/** The hour, UTC day and all-time documents a change at `at` adds to. */
export function timedChanges(at: number, changes: readonly CounterChange[]): DocumentChange[] {
  const hour = Math.floor(at / HOUR) * HOUR
  const day = Math.floor(at / DAY) * DAY
  return changes.flatMap((change) => [
    { ...change, bucket: hour },
    { ...change, bucket: null, day },
    { ...change, bucket: null },
  ])
}

const documentKey = (change: DocumentChange) =>
  change.key ??
  (change.day === undefined
    ? keyOf(change.scope, change.scopeId, change.bucket)
    : dayKeyOf(change.scope, change.scopeId, change.day))

/**
 * Adds to counter documents in the caller's transaction, reading them all in one round: a logged action
 * costs one read and a few writes, however many counters it moves.
 */
export async function applyChanges(store: Store, changes: readonly DocumentChange[]): Promise<void> {
  const wanted = changes
    .map((change) => ({ ...change, key: documentKey(change) }))
    .filter((change) => Object.values(change.counts).some((value) => value !== 0))
  if (wanted.length === 0) return
  const found = await store.getMany('analytics', [...new Set(wanted.map((change) => change.key))])
  const documents = new Map(found.map((record) => [record.key, record]))
  const next = new Map<string, AnalyticsRecord>()
  for (const change of wanted) {
    const current = next.get(change.key) ?? documents.get(change.key)
    const counts: Record<string, number> = { ...(current?.counts ?? {}) }
    for (const [name, value] of Object.entries(change.counts))
      if (value !== 0) counts[name] = (counts[name] ?? 0) + value
    next.set(change.key, {
      key: change.key,
      scope: change.scope,
      scopeId: change.scopeId,
      bucket: change.bucket,
      ...(change.day === undefined ? {} : { day: change.day }),
      counts,
    })
  }
  for (const [key, record] of next) await store.put('analytics', key, record)
}

/** The all-time totals of a campaign or identity. */
export async function allTime(
  store: Store,
  scope: AnalyticsScope,
  scopeId: string,
): Promise<Readonly<Record<string, number>>> {
  return (await store.get('analytics', keyOf(scope, scopeId, null)))?.counts ?? {}
}

/** The hours of a campaign or identity in [from, to), oldest first. */
export function hours(
  store: Store,
  scope: AnalyticsScope,
  scopeId: string,
  from: number,
  to: number,
): Promise<AnalyticsRecord[]> {
  return store.query('analytics', {
    index: 'byScope',
    equals: [scope, scopeId],
    range: { gte: Math.floor(from / HOUR) * HOUR, lt: to },
  })
}

/**
 * The counts of a campaign or identity in [from, to), exactly the sum of its hours there (`from` taken to
 * its hour, as `hours` does; without `from`, since its first hour). The whole UTC days of those hours come
 * from their day documents, read by key in one round, and only the hours before the first whole day and
 * after the last from the index: a period costs a few queries and one document a day, however long.
 */
export async function countsOver(
  store: Store,
  scope: AnalyticsScope,
  scopeId: string,
  from: number | null,
  to: number,
): Promise<Record<string, number>> {
  // The hours summed are those in [start, end), both on the hour.
  let start = Math.floor((from ?? 0) / HOUR) * HOUR
  let end = Math.ceil(to / HOUR) * HOUR
  if (!spansWholeDay(start, end)) return sum(await hours(store, scope, scopeId, start, end))
  // Only days with activity are read: the period shrinks to its first and last hours with counts.
  const first = await edgeHour(store, scope, scopeId, start, end, 'asc')
  const last = await edgeHour(store, scope, scopeId, start, end, 'desc')
  if (first === undefined || last === undefined) return {}
  start = first
  end = last + HOUR
  if (!spansWholeDay(start, end)) return sum(await hours(store, scope, scopeId, start, end))
  const firstDay = Math.ceil(start / DAY) * DAY
  const endDay = Math.floor(end / DAY) * DAY
  const days: string[] = []
  for (let day = firstDay; day < endDay; day += DAY) days.push(dayKeyOf(scope, scopeId, day))
  const before = start < firstDay ? await hours(store, scope, scopeId, start, firstDay) : []
  const whole = await store.getMany('analytics', days)
  const after = endDay < end ? await hours(store, scope, scopeId, endDay, end) : []
  return sum([...before, ...whole, ...after])
}

const spansWholeDay = (start: number, end: number) => Math.ceil(start / DAY) * DAY + DAY <= end

/** The start of the first (or last) hour with counts of a campaign or identity in [from, to), if any. */
export async function edgeHour(
  store: Store,
  scope: AnalyticsScope,
  scopeId: string,
  from: number,
  to: number,
  order: 'asc' | 'desc' = 'asc',
): Promise<number | undefined> {
  const [found] = await store.query('analytics', {
    index: 'byScope',
    equals: [scope, scopeId],
    range: { gte: from, lt: to },
    order,
    limit: 1,
  })
  return found?.bucket ?? undefined
}

/** Sums the counts of some documents. */
export function sum(
  records: readonly { readonly counts: Readonly<Record<string, number>> }[],
): Record<string, number> {
  const total: Record<string, number> = {}
  for (const record of records)
    for (const [name, value] of Object.entries(record.counts)) total[name] = (total[name] ?? 0) + value
  return total
}
