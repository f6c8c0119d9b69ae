import {
  type CollectionName,
  type IndexQuery,
  type IndexRange,
  type IndexValue,
  STORAGE_COLLECTIONS,
} from '../../ports/storage'
import type { Store } from '../store'
import type { ListPosition } from './list-cursor'

export interface IndexScan<T> {
  readonly collection: CollectionName
  readonly index: string
  readonly equals: readonly IndexValue[]
  readonly order: 'asc' | 'desc'
  /** Bounds on the ordering field (the first field after `equals`). */
  readonly bounds?: IndexRange
  /** Continue after this position (from a cursor). */
  readonly start?: ListPosition
  /** The ordering field's value of a document. */
  readonly value: (document: T) => number | string
  readonly key: (document: T) => string
  /** Documents per read. */
  readonly batch: number
}

/**
 * Reads an index in order, batch by batch, each document with its position. A cursor's position is found
 * again by value and key (so documents added or moved since do not break the listing); within the
 * transaction the scan continues with the port's `after`. When the cursor's document is still where the
 * cursor left it, the scan starts right after it; otherwise (it moved or went) it starts at the cursor's
 * value and skips what came before it. Many documents share one value (leads added in one import share
 * their time added), so starting after the document keeps every page as cheap as the first.
 */
export async function* scanIndex<T>(
  store: Store,
  scan: IndexScan<T>,
): AsyncGenerator<{ readonly document: T; readonly position: ListPosition }> {
  const ascending = scan.order === 'asc'
  const start = scan.start
  const range = start === undefined ? { ...scan.bounds } : fromPosition(scan.bounds, start.v, ascending)
  let after: string | undefined =
    start !== undefined && (await stillAt(store, scan, start)) ? start.k : undefined
  for (;;) {
    const query: IndexQuery = {
      index: scan.index,
      equals: scan.equals,
      order: scan.order,
      limit: scan.batch,
      ...(Object.keys(range).length === 0 ? {} : { range }),
      ...(after === undefined ? {} : { after }),
    }
    const read = (await store.query(scan.collection as never, query)) as unknown as T[]
    for (const document of read) {
      const position = { v: scan.value(document), k: scan.key(document) }
      if (start !== undefined && position.v === start.v) {
        const beyond = ascending ? position.k > start.k : position.k < start.k
        if (!beyond) continue
      }
      yield { document, position }
    }
    if (read.length < scan.batch) return
    after = scan.key(read[read.length - 1] as T)
  }
}

/**
 * The bounds of a scan that starts at a cursor's value: the cursor's value replaces the bound on the side it
 * starts from unless that bound is tighter. One bound per side, because a store reads `lt` or `lte` (and `gt`
 * or `gte`), not both: `{ lt: periodEnd, lte: cursor }` would restart a newest-first page at the period's end.
 */
function fromPosition(bounds: IndexRange = {}, value: number | string, ascending: boolean): IndexRange {
  const { gt, gte, lt, lte } = bounds
  if (ascending) {
    const lower = gt ?? gte
    if (lower !== undefined && (lower > value || (gt !== undefined && lower === value))) return { ...bounds }
    return { ...(lt === undefined ? {} : { lt }), ...(lte === undefined ? {} : { lte }), gte: value }
  }
  const upper = lt ?? lte
  if (upper !== undefined && (upper < value || (lt !== undefined && upper === value))) return { ...bounds }
  return { ...(gt === undefined ? {} : { gt }), ...(gte === undefined ? {} : { gte }), lte: value }
}

/** Whether the cursor's document is still in the scanned part of the index, at the cursor's value. */
async function stillAt<T>(store: Store, scan: IndexScan<T>, start: ListPosition): Promise<boolean> {
  const definition = STORAGE_COLLECTIONS[scan.collection].indexes.find((index) => index.name === scan.index)
  if (definition === undefined) return false
  const document = (await store.get(scan.collection as never, start.k)) as Record<string, unknown> | undefined
  if (document === undefined || scan.key(document as T) !== start.k) return false
  const fields = definition.fields
  return (
    scan.equals.every((value, at) => document[fields[at] as string] === value) &&
    document[fields[scan.equals.length] as string] === start.v
  )
}
