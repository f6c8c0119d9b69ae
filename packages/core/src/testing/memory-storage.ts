import {
  COLLECTION_NAMES,
  type CollectionName,
  type IndexQuery,
  STORAGE_COLLECTIONS,
  type StorageTransaction,
  type StorageV1,
  type StoredDocument,
} from '../ports/storage'
import { afterNotInIndex } from '../ports/storage-errors'
import { indexValues, SortedIndex } from './sorted-index'

interface Collection {
  readonly documents: Map<string, StoredDocument>
  readonly primary: SortedIndex
  readonly indexes: Map<string, { readonly fields: readonly string[]; readonly index: SortedIndex }>
}

type Workspace = Map<CollectionName, Collection>

export interface MemoryStorage extends StorageV1 {
  /** How many documents a collection of a workspace holds (for tests and benchmarks). */
  count(workspaceId: string, collection: CollectionName): number
}

/**
 * The reference Storage adapter: everything in memory, transactions run one at a time and roll back on
 * error. Documents are stored as JSON copies and handed out frozen, exactly as a database would return
 * them, so code that passes here does not depend on sharing objects with the store.
 */
export function createMemoryStorage(): MemoryStorage {
  const workspaces = new Map<string, Workspace>()
  let queue: Promise<unknown> = Promise.resolve()

  const workspace = (id: string): Workspace => {
    let found = workspaces.get(id)
    if (found === undefined) {
      found = new Map()
      for (const name of COLLECTION_NAMES) {
        const indexes = new Map<string, { fields: readonly string[]; index: SortedIndex }>()
        for (const definition of STORAGE_COLLECTIONS[name].indexes) {
          indexes.set(definition.name, { fields: definition.fields, index: new SortedIndex() })
        }
        found.set(name, { documents: new Map(), primary: new SortedIndex(), indexes })
      }
      workspaces.set(id, found)
    }
    return found
  }

  const write = (collection: Collection, key: string, next: StoredDocument | undefined) => {
    const previous = collection.documents.get(key)
    if (previous === undefined && next === undefined) return
    if (previous === undefined) collection.primary.insert([], key)
    if (next === undefined) {
      collection.documents.delete(key)
      collection.primary.remove([], key)
    } else collection.documents.set(key, next)
    for (const { fields, index } of collection.indexes.values()) {
      const before = previous === undefined ? undefined : indexValues(previous, fields)
      const after = next === undefined ? undefined : indexValues(next, fields)
      // Most writes leave most index fields alone: keep those entries where they are.
      if (before !== undefined && after !== undefined && sameValues(before, after)) continue
      if (before !== undefined) index.remove(before, key)
      if (after !== undefined) index.insert(after, key)
    }
  }

  return {
    specificationVersion: 'v1',

    transaction<T>(
      workspaceId: string,
      work: (tx: StorageTransaction) => Promise<T>,
      options: { readOnly?: boolean } = {},
    ): Promise<T> {
      const run = async (): Promise<T> => {
        const data = workspace(workspaceId)
        const undo: { collection: Collection; key: string; previous: StoredDocument | undefined }[] = []
        let open = true
        const collectionOf = (name: CollectionName): Collection => {
          if (!open)
            throw new Error('this transaction has ended; use the transaction object only inside its callback')
          const collection = data.get(name)
          if (collection === undefined) throw new Error(`unknown collection ${String(name)}`)
          return collection
        }
        const change = (name: CollectionName, key: string, next: StoredDocument | undefined) => {
          if (options.readOnly) throw new Error('cannot write in a read-only transaction')
          const collection = collectionOf(name)
          undo.push({ collection, key, previous: collection.documents.get(key) })
          write(collection, key, next)
        }
        const tx: StorageTransaction = {
          async get(name, key) {
            return collectionOf(name).documents.get(key)
          },
          async getMany(name, keys) {
            const documents = collectionOf(name).documents
            const found: StoredDocument[] = []
            for (const key of keys) {
              const document = documents.get(key)
              if (document !== undefined) found.push(document)
            }
            return found
          },
          async put(name, key, document) {
            change(name, key, frozenCopy(document) as StoredDocument)
          },
          async delete(name, key) {
            change(name, key, undefined)
          },
          async query(name, query: IndexQuery = {}) {
            const collection = collectionOf(name)
            let index = collection.primary
            let fields: readonly string[] = []
            if (query.index !== undefined) {
              const found = collection.indexes.get(query.index)
              if (found === undefined)
                throw new Error(`collection ${String(name)} has no index ${query.index}`)
              index = found.index
              fields = found.fields
            }
            let afterValues: IndexValue[] | undefined
            if (query.after !== undefined) {
              const afterDocument = collection.documents.get(query.after)
              afterValues =
                afterDocument === undefined ? undefined : (indexValues(afterDocument, fields) ?? undefined)
              if (query.index === undefined) afterValues = []
              else if (afterValues === undefined)
                throw afterNotInIndex(String(name), query.index, query.after)
            }
            const documents: StoredDocument[] = []
            for (const key of index.keys(query, afterValues)) {
              const document = collection.documents.get(key)
              if (document !== undefined) documents.push(document)
            }
            return documents
          },
        }
        try {
          const result = await work(tx)
          return result
        } catch (error) {
          for (let i = undo.length - 1; i >= 0; i--) {
            const entry = undo[i]
            if (entry !== undefined) write(entry.collection, entry.key, entry.previous)
          }
          throw error
        } finally {
          open = false
        }
      }
      const result = queue.then(run, run)
      queue = result.catch(() => undefined)
      return result
    },

    count(workspaceId, collection) {
      return workspaces.get(workspaceId)?.get(collection)?.documents.size ?? 0
    },

    async close() {},
  }
}

type IndexValue = string | number

/**
 * A frozen deep copy with JSON semantics (what a database would store): `undefined` fields and functions
 * are dropped, dates become ISO strings, non-finite numbers become null.
 */
function frozenCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number') return Number.isFinite(value) ? (value === 0 ? 0 : value) : null
    return value
  }
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) {
    const items = new Array(value.length)
    for (let i = 0; i < value.length; i++) {
      const item = value[i]
      items[i] = item === undefined || typeof item === 'function' ? null : frozenCopy(item)
    }
    return Object.freeze(items)
  }
  const copy: Record<string, unknown> = {}
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue
    const field = (value as Record<string, unknown>)[key]
    if (field === undefined || typeof field === 'function') continue
    copy[key] = frozenCopy(field)
  }
  return Object.freeze(copy)
}

function sameValues(a: readonly IndexValue[], b: readonly IndexValue[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
