import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COLLECTION_NAMES, type StorageV1, type StoredDocument } from '../ports/storage'

export interface StorageConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /** A new, empty store for each test. */
  readonly create: () => StorageV1 | Promise<StorageV1>
  /** Cleans up after each test (closing is done for you when the store has `close`). */
  readonly destroy?: (storage: StorageV1) => void | Promise<void>
}

const doc = (fields: Record<string, unknown>): StoredDocument => fields

/**
 * The Storage port's conformance suite. Call it from your adapter's own vitest file:
 *
 * ```ts
 * import { storageConformance } from '@paceline/core/conformance'
 * storageConformance({ name: 'my-store', create: () => createMyStorage() })
 * ```
 */
export function storageConformance(options: StorageConformanceOptions): void {
  describe(`Storage v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    let storage: StorageV1
    beforeEach(async () => {
      storage = await options.create()
    })
    afterEach(async () => {
      await options.destroy?.(storage)
      await storage.close?.()
    })
    const tx = <T>(work: Parameters<StorageV1['transaction']>[1], workspace = 'ws') =>
      storage.transaction(workspace, work) as Promise<T>

    it('declares specification v1', () => {
      expect(storage.specificationVersion).toBe('v1')
    })

    it('stores, reads and deletes documents in every collection', async () => {
      for (const collection of COLLECTION_NAMES) {
        await tx(async (t) =>
          t.put(collection, 'k1', doc({ key: 'k1', id: 'k1', n: 1, nested: { list: [1, 'two', null] } })),
        )
        expect(await tx(async (t) => t.get(collection, 'k1'))).toEqual({
          key: 'k1',
          id: 'k1',
          n: 1,
          nested: { list: [1, 'two', null] },
        })
        await tx(async (t) => t.delete(collection, 'k1'))
        expect(await tx(async (t) => t.get(collection, 'k1'))).toBeUndefined()
      }
    })

    it('stores JSON: undefined fields are dropped, text keeps every character', async () => {
      const text = 'Zoë — 日本語 🎉 "quotes" \\ \u001f end'
      await tx(async (t) =>
        t.put('leads', 'a', doc({ id: 'a', kept: text, dropped: undefined, big: 'x'.repeat(20_000) })),
      )
      const stored = await tx<StoredDocument | undefined>(async (t) => t.get('leads', 'a'))
      expect(stored).toEqual({ id: 'a', kept: text, big: 'x'.repeat(20_000) })
      expect(stored !== undefined && 'dropped' in stored).toBe(false)
    })

    it('replaces a document on put, and accepts unusual keys', async () => {
      const key = 'campaign\u001flead/with spaces & ünïcode'
      await tx(async (t) => t.put('enrolments', key, doc({ key, v: 1 })))
      await tx(async (t) => t.put('enrolments', key, doc({ key, v: 2 })))
      expect(await tx(async (t) => t.get('enrolments', key))).toEqual({ key, v: 2 })
    })

    it('returns getMany in the order asked and skips missing keys', async () => {
      await tx(async (t) => {
        for (const id of ['a', 'b', 'c']) await t.put('leads', id, doc({ id }))
      })
      const found = await tx<StoredDocument[]>(async (t) => t.getMany('leads', ['c', 'missing', 'a']))
      expect(found.map((each) => each.id)).toEqual(['c', 'a'])
    })

    it('keeps workspaces apart: nothing written in one is visible from another', async () => {
      await tx(
        async (t) => t.put('leads', 'shared-id', doc({ id: 'shared-id', emailKey: 'a@x.io', owner: 'one' })),
        'one',
      )
      await tx(
        async (t) => t.put('leads', 'other', doc({ id: 'other', emailKey: 'a@x.io', owner: 'two' })),
        'two',
      )
      expect(await tx(async (t) => t.get('leads', 'shared-id'), 'two')).toBeUndefined()
      expect(await tx(async (t) => t.getMany('leads', ['shared-id']), 'two')).toEqual([])
      const two = await tx<StoredDocument[]>(
        async (t) => t.query('leads', { index: 'byEmail', equals: ['a@x.io'] }),
        'two',
      )
      expect(two.map((each) => each.owner)).toEqual(['two'])
      const all = await tx<StoredDocument[]>(async (t) => t.query('leads'), 'one')
      expect(all.map((each) => each.id)).toEqual(['shared-id'])
    })

    it('rolls back every write of a transaction that throws', async () => {
      await tx(async (t) => t.put('leads', 'keep', doc({ id: 'keep', v: 1 })))
      const failing = tx(async (t) => {
        await t.put('leads', 'keep', doc({ id: 'keep', v: 2 }))
        await t.put('leads', 'new', doc({ id: 'new', emailKey: 'n@x.io' }))
        await t.delete('leads', 'keep')
        throw new Error('boom')
      })
      await expect(failing).rejects.toThrow('boom')
      expect(await tx(async (t) => t.get('leads', 'keep'))).toEqual({ id: 'keep', v: 1 })
      expect(await tx(async (t) => t.get('leads', 'new'))).toBeUndefined()
      expect(await tx(async (t) => t.query('leads', { index: 'byEmail', equals: ['n@x.io'] }))).toEqual([])
    })

    it('runs concurrent transactions as if one after another (no lost updates)', async () => {
      await tx(async (t) => t.put('counters', 'c', doc({ key: 'c', count: 0 })))
      await Promise.all(
        Array.from({ length: 25 }, () =>
          tx(async (t) => {
            const current = (await t.get('counters', 'c')) as { count: number }
            await t.put('counters', 'c', doc({ key: 'c', count: current.count + 1 }))
          }),
        ),
      )
      expect(await tx(async (t) => t.get('counters', 'c'))).toEqual({ key: 'c', count: 25 })
    })

    it('refuses writes in a read-only transaction', async () => {
      await expect(
        storage.transaction('ws', async (t) => t.put('leads', 'x', doc({ id: 'x' })), { readOnly: true }),
      ).rejects.toThrow()
      expect(await tx(async (t) => t.get('leads', 'x'))).toBeUndefined()
    })

    describe('index queries', () => {
      const rows = [
        { key: 'e1', identityId: 'ana', readyLane: 'linkedin:message', priorityKey: 30 },
        { key: 'e2', identityId: 'ana', readyLane: 'linkedin:message', priorityKey: 10 },
        { key: 'e3', identityId: 'ana', readyLane: 'linkedin:message', priorityKey: 20 },
        { key: 'e4', identityId: 'ana', readyLane: 'linkedin:visit', priorityKey: 5 },
        { key: 'e5', identityId: 'ben', readyLane: 'linkedin:message', priorityKey: 1 },
        { key: 'e6', identityId: 'ana', readyLane: null, priorityKey: 0 },
        { key: 'e7', identityId: 'ana', readyLane: 'linkedin:message', priorityKey: 20 },
      ]
      beforeEach(async () => {
        await tx(async (t) => {
          for (const row of rows) await t.put('enrolments', row.key, doc(row))
        })
      })
      const keys = (query: Parameters<import('../ports/storage').StorageTransaction['query']>[1]) =>
        tx<StoredDocument[]>(async (t) => t.query('enrolments', query)).then((found) =>
          found.map((each) => each.key),
        )

      it('orders by the index fields, then by key, within an equality prefix', async () => {
        expect(await keys({ index: 'ready', equals: ['ana', 'linkedin:message'] })).toEqual([
          'e2',
          'e3',
          'e7',
          'e1',
        ])
      })

      it('leaves out documents whose index field is null or missing', async () => {
        expect(await keys({ index: 'ready', equals: ['ana'] })).toEqual(['e2', 'e3', 'e7', 'e1', 'e4'])
      })

      it('bounds the next field with gt, gte, lt and lte', async () => {
        const lane = ['ana', 'linkedin:message']
        expect(await keys({ index: 'ready', equals: lane, range: { gt: 10 } })).toEqual(['e3', 'e7', 'e1'])
        expect(await keys({ index: 'ready', equals: lane, range: { gte: 20, lte: 20 } })).toEqual([
          'e3',
          'e7',
        ])
        expect(await keys({ index: 'ready', equals: lane, range: { lt: 20 } })).toEqual(['e2'])
        expect(await keys({ index: 'ready', equals: lane, range: { gt: 10, lt: 30 } })).toEqual(['e3', 'e7'])
      })

      it('reads in descending order, with a limit', async () => {
        expect(
          await keys({ index: 'ready', equals: ['ana', 'linkedin:message'], order: 'desc', limit: 3 }),
        ).toEqual(['e1', 'e7', 'e3'])
      })

      it('continues after a key, in both orders (paging)', async () => {
        const lane = ['ana', 'linkedin:message']
        expect(await keys({ index: 'ready', equals: lane, limit: 2 })).toEqual(['e2', 'e3'])
        expect(await keys({ index: 'ready', equals: lane, limit: 2, after: 'e3' })).toEqual(['e7', 'e1'])
        expect(await keys({ index: 'ready', equals: lane, order: 'desc', after: 'e7' })).toEqual(['e3', 'e2'])
      })

      it('moves a document in the index when its fields change, and drops it on delete', async () => {
        await tx(async (t) => {
          await t.put('enrolments', 'e1', doc({ ...rows[0], priorityKey: 0 }))
          await t.delete('enrolments', 'e2')
          await t.put('enrolments', 'e6', doc({ ...rows[5], readyLane: 'linkedin:message', priorityKey: 15 }))
        })
        expect(await keys({ index: 'ready', equals: ['ana', 'linkedin:message'] })).toEqual([
          'e1',
          'e6',
          'e3',
          'e7',
        ])
      })

      it('orders by key without an index', async () => {
        expect(await keys({})).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7'])
        expect(await keys({ limit: 2, after: 'e5' })).toEqual(['e6', 'e7'])
        // Any key marks a position in key order, whether or not a document has it.
        expect(await keys({ limit: 2, after: 'e35' })).toEqual(['e4', 'e5'])
        expect(await keys({ order: 'desc', after: 'e35' })).toEqual(['e3', 'e2', 'e1'])
      })

      it('refuses to page an index after a document that is not in it, rather than skip or restart', async () => {
        const lane = ['ana', 'linkedin:message']
        await tx(async (t) => {
          await t.delete('enrolments', 'e3')
          await t.put('enrolments', 'e7', doc({ ...rows[6], readyLane: null }))
        })
        for (const after of ['e3', 'e7', 'missing']) {
          await expect(keys({ index: 'ready', equals: lane, limit: 2, after })).rejects.toMatchObject({
            code: 'invalid_query',
          })
        }
      })

      it('orders numbers numerically (negatives, fractions, large values)', async () => {
        await tx(async (t) => {
          for (const [key, at] of [
            ['a', 1e15],
            ['b', -3],
            ['c', 2.5],
            ['d', 0],
            ['e', 10],
          ] as const) {
            await t.put('actions', key, doc({ key, campaignId: 'c', at }))
          }
        })
        const found = await tx<StoredDocument[]>(async (t) =>
          t.query('actions', { index: 'byCampaign', equals: ['c'] }),
        )
        expect(found.map((each) => each.key)).toEqual(['b', 'd', 'c', 'e', 'a'])
      })

      it('orders text by its characters, with a prefix not matching longer values', async () => {
        await tx(async (t) => {
          for (const email of ['ab@x.io', 'a@x.io', 'b@x.io', 'a@x.iox'])
            await t.put('leads', email, doc({ id: email, emailKey: email }))
        })
        const exact = await tx<StoredDocument[]>(async (t) =>
          t.query('leads', { index: 'byEmail', equals: ['a@x.io'] }),
        )
        expect(exact.map((each) => each.id)).toEqual(['a@x.io'])
        const all = await tx<StoredDocument[]>(async (t) => t.query('leads', { index: 'byEmail' }))
        expect(all.map((each) => each.id)).toEqual(['a@x.io', 'a@x.iox', 'ab@x.io', 'b@x.io'])
      })

      it('rejects an index the collection does not declare', async () => {
        await expect(tx(async (t) => t.query('enrolments', { index: 'nope' }))).rejects.toThrow()
      })
    })
  })
}
