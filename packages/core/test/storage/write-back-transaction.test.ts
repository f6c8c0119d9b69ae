import { describe, expect, it } from 'vitest'
import { WriteBackTransaction } from '../../src/engine/write-back-transaction'
import type { StorageTransaction } from '../../src/ports'
import { createMemoryStorage } from '../../src/testing'

/** Counts the writes that reach the real transaction. */
function counted(tx: StorageTransaction) {
  const writes: string[] = []
  const inner: StorageTransaction = {
    get: (collection, key) => tx.get(collection, key),
    getMany: (collection, keys) => tx.getMany(collection, keys),
    put: async (collection, key, document) => {
      writes.push(`put ${collection} ${key}`)
      await tx.put(collection, key, document)
    },
    delete: async (collection, key) => {
      writes.push(`delete ${collection} ${key}`)
      await tx.delete(collection, key)
    },
    query: (collection, query) => tx.query(collection, query),
  }
  return { inner, writes }
}

describe('WriteBackTransaction', () => {
  it('writes each kept document once, with its last value, and passes other collections through', async () => {
    const storage = createMemoryStorage()
    await storage.transaction('ws', async (tx) => {
      await tx.put('state', 'gone', { key: 'gone', value: 1 })
      const { inner, writes } = counted(tx)
      const buffered = new WriteBackTransaction(inner, ['state'])
      for (let n = 1; n <= 100; n++) await buffered.put('state', 'a', { key: 'a', value: n })
      await buffered.delete('state', 'gone')
      await buffered.put('leads', 'l1', { id: 'l1', lead: {} })
      expect(writes).toEqual(['put leads l1'])
      expect(await buffered.get('state', 'a')).toEqual({ key: 'a', value: 100 })
      expect(await buffered.get('state', 'gone')).toBeUndefined()
      expect(await buffered.getMany('state', ['gone', 'a', 'missing'])).toEqual([{ key: 'a', value: 100 }])
      // Not written yet: the real transaction still has the old state.
      expect(await tx.get('state', 'gone')).toEqual({ key: 'gone', value: 1 })
      await buffered.flush()
      expect(writes.sort()).toEqual(['delete state gone', 'put leads l1', 'put state a'])
      expect(await tx.get('state', 'a')).toEqual({ key: 'a', value: 100 })
      expect(await tx.get('state', 'gone')).toBeUndefined()
    })
  })

  it('writes a kept collection before querying it, so a query sees what was written', async () => {
    const storage = createMemoryStorage()
    await storage.transaction('ws', async (tx) => {
      const buffered = new WriteBackTransaction(tx, ['state'])
      await buffered.put('state', 'b', { key: 'b', value: 2 })
      expect((await buffered.query('state')).map((document) => document.key)).toEqual(['b'])
    })
  })
})
