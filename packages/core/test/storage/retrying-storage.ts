import type { StorageTransaction, StorageV1, TransactionOptions } from '../../src/ports'

/** What a serializable database raises when a transaction lost a conflict (PostgreSQL's SQLSTATE 40001). */
export class SyntheticConflict extends Error {
  constructor() {
    super('could not serialize access due to concurrent update (synthetic)')
    this.name = 'SyntheticConflict'
  }
}

export interface RetryingStorage extends StorageV1 {
  /** How many write transactions were rolled back and run again so far. */
  readonly retries: number
}

/**
 * Wraps a store so that every write transaction conflicts once, as a SERIALIZABLE database may: `work` runs
 * for real against the inner transaction, the conflict is thrown inside it so the inner store rolls all of it
 * back, then `work` runs again and its second result is the one returned. Code whose callbacks only act
 * through the transaction and hand back what they produced behaves exactly as on the inner store; a callback
 * with effects outside it (an outer array, a counter, an emitted event) shows them twice.
 */
export function retryingStorage(inner: StorageV1): RetryingStorage {
  let retries = 0
  return {
    specificationVersion: 'v1',
    get retries() {
      return retries
    },
    async transaction<T>(
      workspaceId: string,
      work: (tx: StorageTransaction) => Promise<T>,
      options?: TransactionOptions,
    ): Promise<T> {
      // Read-only transactions take no write locks; the store under test retries writes only.
      if (options?.readOnly === true) return inner.transaction(workspaceId, work, options)
      try {
        await inner.transaction(
          workspaceId,
          async (tx) => {
            await work(tx)
            throw new SyntheticConflict()
          },
          options,
        )
      } catch (error) {
        // A real failure of `work` is not a conflict: a database hands it to the caller, not to a retry.
        if (!(error instanceof SyntheticConflict)) throw error
      }
      retries++
      return inner.transaction(workspaceId, work, options)
    },
    async close() {
      await inner.close?.()
    },
  }
}
