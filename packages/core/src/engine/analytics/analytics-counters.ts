import { compoundKey, type Store } from '../store'

/** Whose counters: a campaign's or an identity's. */
export type AnalyticsScope = 'campaign' | 'identity'

/** One document of counters: an hour of one campaign or identity (`bucket`), or all of its time (null). */
export interface AnalyticsRecord {
  readonly key: string
  readonly scope: AnalyticsScope
  readonly scopeId: string
  /** Start of the hour, epoch ms; null for the all-time totals (kept out of the index). */
  readonly bucket: number | null
  readonly counts: Readonly<Record<string, number>>
}

export const HOUR = 3_600_000

/** Counters to add to one campaign's or identity's documents. */
export interface CounterChange {
  readonly scope: AnalyticsScope
  readonly scopeId: string
  readonly counts: Readonly<Record<string, number>>
}

/** One document's worth of additions: which document, and what to add. */
export interface DocumentChange extends CounterChange {
  readonly bucket: number | null
  /** Overrides the document key (the "where leads are now" document has its own). */
  readonly key?: string
}

export const keyOf = (scope: AnalyticsScope, scopeId: string, bucket: number | null) =>
  compoundKey('analytics', scope, scopeId, bucket === null ? 'all' : String(bucket))

/** The hour and all-time documents a change at `at` adds to. */
export function timedChanges(at: number, changes: readonly CounterChange[]): DocumentChange[] {
  const hour = Math.floor(at / HOUR) * HOUR
  return changes.flatMap((change) => [
    { ...change, bucket: hour },
    { ...change, bucket: null },
  ])
}

/**
 * Adds to counter documents in the caller's transaction, reading them all in one round: a logged action
 * costs one read and a few writes, however many counters it moves.
 */
export async function applyChanges(store: Store, changes: readonly DocumentChange[]): Promise<void> {
  const wanted = changes
    .map((change) => ({ ...change, key: change.key ?? keyOf(change.scope, change.scopeId, change.bucket) }))
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

/** Sums the counts of some documents. */
export function sum(
  records: readonly { readonly counts: Readonly<Record<string, number>> }[],
): Record<string, number> {
  const total: Record<string, number> = {}
  for (const record of records)
    for (const [name, value] of Object.entries(record.counts)) total[name] = (total[name] ?? 0) + value
  return total
}
