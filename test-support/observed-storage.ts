import type { StorageTransaction, StorageV1, StoredDocument } from '../packages/core/src/ports/storage'

export interface StorageObserver {
  /** Called as each transaction starts; throw to fail it (a storage failure). */
  readonly onTransaction?: () => void
  /** Called with what each `query` returned. */
  readonly onQuery?: (collection: string, found: readonly StoredDocument[]) => void
}

/**
 * A store that behaves as `storage` does and reports what the engine asks of it: for tests that check how
 * much is read, or what happens when storage fails halfway. Every call is delegated explicitly, so stores
 * whose transactions are class instances work too.
 */
export function observedStorage(storage: StorageV1, observer: StorageObserver): StorageV1 {
  return {
    specificationVersion: 'v1',
    transaction: (workspace, work, options) =>
      storage.transaction(
        workspace,
        (tx) => {
          observer.onTransaction?.()
          return work(observedTransaction(tx, observer))
        },
        options,
      ),
  }
}

function observedTransaction(tx: StorageTransaction, observer: StorageObserver): StorageTransaction {
  return {
    get: (collection, key) => tx.get(collection, key),
    getMany: (collection, keys) => tx.getMany(collection, keys),
    put: (collection, key, document) => tx.put(collection, key, document),
    delete: (collection, key) => tx.delete(collection, key),
    query: async (collection, query) => {
      const found = await tx.query(collection, query)
      observer.onQuery?.(collection, found)
      return found
    },
  }
}
