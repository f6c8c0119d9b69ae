import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  COLLECTION_NAMES,
  type IndexQuery,
  type IndexRange,
  type StorageV1,
  type StoredDocument,
} from '../ports/storage'
import { fail, list, rejectionOf, show, throwing } from './conformance-messages'

export interface StorageConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /** A new, empty store for each test. */
  readonly create: () => StorageV1 | Promise<StorageV1>
  /** Cleans up after each test (closing is done for you when the store has `close`). */
  readonly destroy?: (storage: StorageV1) => void | Promise<void>
}

const doc = (fields: Record<string, unknown>): StoredDocument => fields

/** How a failure message names a query: `query('enrolments', { index: 'ready', equals: ['ana'] })`. */
const queryCall = (collection: string, query?: IndexQuery) =>
  `query('${collection}'${query === undefined ? '' : `, ${show(query)}`})`

/** A range as a condition on the field after `equals`: `priorityKey > 10 and < 30`. */
const bounds = (field: string, range: IndexRange) =>
  `${field} ${[
    ...(range.gt === undefined ? [] : [`> ${range.gt}`]),
    ...(range.gte === undefined ? [] : [`>= ${range.gte}`]),
    ...(range.lt === undefined ? [] : [`< ${range.lt}`]),
    ...(range.lte === undefined ? [] : [`<= ${range.lte}`]),
  ].join(' and ')}`

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
      expect(
        storage.specificationVersion,
        `storage.specificationVersion must be 'v1', the version of the port this suite checks — got ${show(storage.specificationVersion)}`,
      ).toBe('v1')
    })

    it('stores, reads and deletes documents in every collection', async () => {
      for (const collection of COLLECTION_NAMES) {
        await tx(async (t) =>
          t.put(collection, 'k1', doc({ key: 'k1', id: 'k1', n: 1, nested: { list: [1, 'two', null] } })),
        )
        const stored = await tx(async (t) => t.get(collection, 'k1'))
        expect(
          stored,
          `get('${collection}', 'k1') after put('${collection}', 'k1', …) committed must return the document as put — got ${show(stored)}`,
        ).toEqual({
          key: 'k1',
          id: 'k1',
          n: 1,
          nested: { list: [1, 'two', null] },
        })
        await tx(async (t) => t.delete(collection, 'k1'))
        const deleted = await tx(async (t) => t.get(collection, 'k1'))
        expect(
          deleted,
          `get('${collection}', 'k1') after delete('${collection}', 'k1') committed must return undefined — got ${show(deleted)}`,
        ).toBeUndefined()
      }
    })

    it('stores JSON: undefined fields are dropped, text keeps every character', async () => {
      const text = 'Zoë — 日本語 🎉 "quotes" \\ \u001f end'
      await tx(async (t) =>
        t.put('leads', 'a', doc({ id: 'a', kept: text, dropped: undefined, big: 'x'.repeat(20_000) })),
      )
      const stored = await tx<StoredDocument | undefined>(async (t) => t.get('leads', 'a'))
      expect(
        stored,
        `get('leads', 'a') must return the document as put: undefined fields dropped, every character of the text kept (${show(text)}), a 20,000-character value whole — got ${show(stored)}`,
      ).toEqual({ id: 'a', kept: text, big: 'x'.repeat(20_000) })
      expect(
        stored !== undefined && 'dropped' in stored,
        `get('leads', 'a') must leave out a field put as undefined (documents are JSON), not keep it as a key — got fields ${list(Object.keys(stored ?? {}))}`,
      ).toBe(false)
    })

    it('replaces a document on put, and accepts unusual keys', async () => {
      const key = 'campaign\u001flead/with spaces & ünïcode'
      await tx(async (t) => t.put('enrolments', key, doc({ key, v: 1 })))
      await tx(async (t) => t.put('enrolments', key, doc({ key, v: 2 })))
      const stored = await tx(async (t) => t.get('enrolments', key))
      expect(
        stored,
        `put('enrolments', ${show(key)}, { v: 2 }) over { v: 1 } must replace the document, and a key may hold any characters — get() returned ${show(stored)}`,
      ).toEqual({ key, v: 2 })
    })

    it('returns getMany in the order asked and skips missing keys', async () => {
      await tx(async (t) => {
        for (const id of ['a', 'b', 'c']) await t.put('leads', id, doc({ id }))
      })
      const found = await tx<StoredDocument[]>(async (t) => t.getMany('leads', ['c', 'missing', 'a']))
      expect(
        found.map((each) => each.id),
        `getMany('leads', ['c', 'missing', 'a']) must return the documents in the order asked, skipping keys without one — got ids ${list(found.map((each) => each.id))}`,
      ).toEqual(['c', 'a'])
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
      const got = await tx(async (t) => t.get('leads', 'shared-id'), 'two')
      expect(
        got,
        `get('leads', 'shared-id') in workspace 'two' must not see the document put in workspace 'one' — got ${show(got)}`,
      ).toBeUndefined()
      const many = await tx(async (t) => t.getMany('leads', ['shared-id']), 'two')
      expect(
        many,
        `getMany('leads', ['shared-id']) in workspace 'two' must not see the document put in workspace 'one' — got ${show(many)}`,
      ).toEqual([])
      const two = await tx<StoredDocument[]>(
        async (t) => t.query('leads', { index: 'byEmail', equals: ['a@x.io'] }),
        'two',
      )
      expect(
        two.map((each) => each.owner),
        `${queryCall('leads', { index: 'byEmail', equals: ['a@x.io'] })} in workspace 'two' must return only workspace two's document, though workspace 'one' has one with the same email — got owners ${list(two.map((each) => each.owner))}`,
      ).toEqual(['two'])
      const all = await tx<StoredDocument[]>(async (t) => t.query('leads'), 'one')
      expect(
        all.map((each) => each.id),
        `query('leads') in workspace 'one' must return only workspace one's documents — got ids ${list(all.map((each) => each.id))}`,
      ).toEqual(['shared-id'])
    })

    it('rolls back every write of a transaction that throws', async () => {
      await tx(async (t) => t.put('leads', 'keep', doc({ id: 'keep', v: 1 })))
      const failing = tx(async (t) => {
        await t.put('leads', 'keep', doc({ id: 'keep', v: 2 }))
        await t.put('leads', 'new', doc({ id: 'new', emailKey: 'n@x.io' }))
        await t.delete('leads', 'keep')
        throw new Error('boom')
      })
      const expectation = 'transaction() must reject with the error its work throws'
      const error = await rejectionOf(failing, expectation)
      expect(throwing(error), `${expectation} (Error 'boom') — it rejected with ${show(error)}`).toThrow(
        'boom',
      )
      const after = "after a transaction that changed 'keep', added 'new', deleted 'keep' and then threw"
      const keep = await tx(async (t) => t.get('leads', 'keep'))
      expect(
        keep,
        `${after}, get('leads', 'keep') must return the document as it was before (every write rolled back) — got ${show(keep)}`,
      ).toEqual({ id: 'keep', v: 1 })
      const added = await tx(async (t) => t.get('leads', 'new'))
      expect(
        added,
        `${after}, get('leads', 'new') must return undefined (its put rolled back) — got ${show(added)}`,
      ).toBeUndefined()
      const indexed = await tx(async (t) => t.query('leads', { index: 'byEmail', equals: ['n@x.io'] }))
      expect(
        indexed,
        `${after}, ${queryCall('leads', { index: 'byEmail', equals: ['n@x.io'] })} must return nothing (index entries roll back too) — got ${show(indexed)}`,
      ).toEqual([])
    })

    it('runs concurrent transactions as if one after another (no lost updates)', async () => {
      await tx(async (t) => t.put('counters', 'c', doc({ key: 'c', count: 0 })))
      try {
        await Promise.all(
          Array.from({ length: 25 }, () =>
            tx(async (t) => {
              const current = (await t.get('counters', 'c')) as { count: number }
              await t.put('counters', 'c', doc({ key: 'c', count: current.count + 1 }))
            }),
          ),
        )
      } catch (error) {
        fail(
          `25 concurrent transactions that each read counter 'c' and put count + 1 must all commit (the store runs them as if one after another, waiting or retrying as it needs) — one rejected with ${show(error)}`,
          error,
        )
      }
      const counter = await tx(async (t) => t.get('counters', 'c'))
      expect(
        counter,
        `25 concurrent transactions that each read counter 'c' and put count + 1 must leave count 25: transactions run as if one after another, so no update is lost — got ${show(counter)}`,
      ).toEqual({ key: 'c', count: 25 })
    })

    it('has a clock that reads epoch milliseconds and does not go back, if it has one (optional)', async () => {
      const readings = await tx<(number | undefined)[]>(async (t) => [await t.now?.(), await t.now?.()])
      const later = await tx<number | undefined>(async (t) => t.now?.())
      if (readings[0] === undefined) {
        expect(later, 'a store without now() in one transaction has none in another').toBeUndefined()
        return
      }
      for (const reading of [...readings, later])
        expect(
          Number.isInteger(reading) && (reading as number) > Date.UTC(2000, 0, 1),
          `tx.now() must return whole epoch milliseconds (a database server's clock) — got ${show(reading)}`,
        ).toBe(true)
      expect(
        (later as number) >= (readings[0] as number) && (readings[1] as number) >= (readings[0] as number),
        `tx.now() must not go back between calls and transactions — got ${list(readings.map(String))} then ${later}`,
      ).toBe(true)
    })

    it('locks a key without waiting, if it can (optional): a second transaction is told it is taken', async () => {
      let release = () => {}
      const held = new Promise<void>((resolve) => {
        release = resolve
      })
      let first: boolean | undefined
      let signal = () => {}
      const locked = new Promise<void>((resolve) => {
        signal = resolve
      })
      const holder = tx(async (t) => {
        first = await t.tryLock?.('leases', 'identity:ana')
        signal()
        if (first !== undefined) await held
      })
      await locked
      if (first === undefined) {
        await holder
        return
      }
      expect(first, "tryLock('leases', 'identity:ana') in a transaction with no rival must return true").toBe(
        true,
      )
      const rival = await tx<boolean | undefined>(async (t) => t.tryLock?.('leases', 'identity:ana'))
      const other = await tx<boolean | undefined>(async (t) => t.tryLock?.('leases', 'identity:bob'))
      release()
      await holder
      const after = await tx<boolean | undefined>(async (t) => t.tryLock?.('leases', 'identity:ana'))
      expect(
        [rival, other, after],
        "while one transaction holds tryLock('leases', 'identity:ana'), another must get false at once for that key and true for another key; once the holder ends, true again",
      ).toEqual([false, true, true])
    })

    it('refuses writes in a read-only transaction', async () => {
      const expectation =
        "transaction('ws', work, { readOnly: true }) whose work calls put('leads', 'x', …) must reject: a read-only transaction refuses writes"
      const error = await rejectionOf(
        storage.transaction('ws', async (t) => t.put('leads', 'x', doc({ id: 'x' })), { readOnly: true }),
        expectation,
      )
      expect(throwing(error), `${expectation} — it rejected with ${show(error)}`).toThrow()
      const written = await tx(async (t) => t.get('leads', 'x'))
      expect(
        written,
        `get('leads', 'x') after a read-only transaction tried to put it must return undefined — got ${show(written)}`,
      ).toBeUndefined()
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
      const keys = (query: IndexQuery) =>
        tx<StoredDocument[]>(async (t) => t.query('enrolments', query)).then((found) =>
          found.map((each) => each.key),
        )
      /** Checks the keys a query returns: `query(…) must <promise> — got keys [e3, e2]`. */
      const expectKeys = async (query: IndexQuery, promise: string, expected: readonly string[]) => {
        const found = await keys(query)
        expect(found, `${queryCall('enrolments', query)} must ${promise} — got keys ${list(found)}`).toEqual(
          expected,
        )
      }
      const ready = 'index order (identityId, readyLane, priorityKey), then by key'
      const descending = 'descending index order (priorityKey, then key, both from the highest)'

      it('orders by the index fields, then by key, within an equality prefix', async () => {
        await expectKeys(
          { index: 'ready', equals: ['ana', 'linkedin:message'] },
          `return documents in ${ready}`,
          ['e2', 'e3', 'e7', 'e1'],
        )
      })

      it('leaves out documents whose index field is null or missing', async () => {
        await expectKeys(
          { index: 'ready', equals: ['ana'] },
          `leave out e6, whose readyLane is null, and return the rest in ${ready}`,
          ['e2', 'e3', 'e7', 'e1', 'e4'],
        )
      })

      it('bounds the next field with gt, gte, lt and lte', async () => {
        const lane = ['ana', 'linkedin:message']
        const bounded = async (range: IndexRange, expected: readonly string[]) =>
          expectKeys(
            { index: 'ready', equals: lane, range },
            `return only the documents with ${bounds('priorityKey', range)}, in ${ready}`,
            expected,
          )
        await bounded({ gt: 10 }, ['e3', 'e7', 'e1'])
        await bounded({ gte: 20, lte: 20 }, ['e3', 'e7'])
        await bounded({ lt: 20 }, ['e2'])
        await bounded({ gt: 10, lt: 30 }, ['e3', 'e7'])
        // Two bounds on one side: both apply, so the tighter one decides.
        await bounded({ lt: 30, lte: 20 }, ['e2', 'e3', 'e7'])
        await bounded({ lt: 20, lte: 30 }, ['e2'])
        await bounded({ gt: 20, gte: 10 }, ['e1'])
        await bounded({ gt: 10, gte: 20 }, ['e3', 'e7', 'e1'])
      })

      it('reads in descending order, with a limit', async () => {
        await expectKeys(
          { index: 'ready', equals: ['ana', 'linkedin:message'], order: 'desc', limit: 3 },
          `return the first 3 documents in ${descending}`,
          ['e1', 'e7', 'e3'],
        )
      })

      it('continues after a key, in both orders (paging)', async () => {
        const lane = ['ana', 'linkedin:message']
        await expectKeys(
          { index: 'ready', equals: lane, limit: 2 },
          `return the first 2 documents in ${ready}`,
          ['e2', 'e3'],
        )
        await expectKeys(
          { index: 'ready', equals: lane, limit: 2, after: 'e3' },
          `continue after document e3, in ${ready}`,
          ['e7', 'e1'],
        )
        await expectKeys(
          { index: 'ready', equals: lane, order: 'desc', after: 'e7' },
          `continue after document e7, in ${descending}`,
          ['e3', 'e2'],
        )
      })

      it('moves a document in the index when its fields change, and drops it on delete', async () => {
        await tx(async (t) => {
          await t.put('enrolments', 'e1', doc({ ...rows[0], priorityKey: 0 }))
          await t.delete('enrolments', 'e2')
          await t.put('enrolments', 'e6', doc({ ...rows[5], readyLane: 'linkedin:message', priorityKey: 15 }))
        })
        await expectKeys(
          { index: 'ready', equals: ['ana', 'linkedin:message'] },
          `follow the documents' changes (e1's priorityKey now 0, e2 deleted, e6 given a readyLane) and return them in ${ready}`,
          ['e1', 'e6', 'e3', 'e7'],
        )
      })

      it('orders by key without an index', async () => {
        await expectKeys({}, 'return every document ordered by key (no index)', [
          'e1',
          'e2',
          'e3',
          'e4',
          'e5',
          'e6',
          'e7',
        ])
        await expectKeys({ limit: 2, after: 'e5' }, 'continue after key e5, in key order', ['e6', 'e7'])
        // Any key marks a position in key order, whether or not a document has it.
        await expectKeys(
          { limit: 2, after: 'e35' },
          'continue after where key e35 sorts, in key order (without an index, `after` may be any key)',
          ['e4', 'e5'],
        )
        await expectKeys(
          { order: 'desc', after: 'e35' },
          'continue after where key e35 sorts, in descending key order (without an index, `after` may be any key)',
          ['e3', 'e2', 'e1'],
        )
      })

      it('refuses to page an index after a document that is not in it, rather than skip or restart', async () => {
        const lane = ['ana', 'linkedin:message']
        await tx(async (t) => {
          await t.delete('enrolments', 'e3')
          await t.put('enrolments', 'e7', doc({ ...rows[6], readyLane: null }))
        })
        const why: Record<string, string> = {
          e3: 'e3 was deleted',
          e7: 'e7 left the index when its readyLane became null',
          missing: 'no document has that key',
        }
        for (const after of ['e3', 'e7', 'missing']) {
          const query = { index: 'ready', equals: lane, limit: 2, after }
          const expectation = `${queryCall('enrolments', query)} must reject with code 'invalid_query' (${why[after]}, so it is not in index 'ready'), never return a short or restarted page`
          const error = await rejectionOf(keys(query), expectation)
          expect(error, `${expectation} — it rejected with ${show(error)}`).toMatchObject({
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
        expect(
          found.map((each) => each.key),
          `${queryCall('actions', { index: 'byCampaign', equals: ['c'] })} must order by the number in 'at' numerically (b -3, d 0, c 2.5, e 10, a 1e15), not as text — got keys ${list(found.map((each) => each.key))}`,
        ).toEqual(['b', 'd', 'c', 'e', 'a'])
      })

      it('orders text by its characters, with a prefix not matching longer values', async () => {
        await tx(async (t) => {
          for (const email of ['ab@x.io', 'a@x.io', 'b@x.io', 'a@x.iox'])
            await t.put('leads', email, doc({ id: email, emailKey: email }))
        })
        const exact = await tx<StoredDocument[]>(async (t) =>
          t.query('leads', { index: 'byEmail', equals: ['a@x.io'] }),
        )
        expect(
          exact.map((each) => each.id),
          `${queryCall('leads', { index: 'byEmail', equals: ['a@x.io'] })} must match the whole value, not a prefix of a longer one (a@x.iox) — got ids ${list(exact.map((each) => each.id))}`,
        ).toEqual(['a@x.io'])
        const all = await tx<StoredDocument[]>(async (t) => t.query('leads', { index: 'byEmail' }))
        expect(
          all.map((each) => each.id),
          `${queryCall('leads', { index: 'byEmail' })} must order text by its characters (a@x.io, a@x.iox, ab@x.io, b@x.io) — got ids ${list(all.map((each) => each.id))}`,
        ).toEqual(['a@x.io', 'a@x.iox', 'ab@x.io', 'b@x.io'])
      })

      it('orders text by code point (its UTF-8 bytes), not by locale or by UTF-16 unit', async () => {
        // Case, punctuation and accents order by code point; a character beyond U+FFFF after U+FF21.
        const texts = ['B', 'a', 'a-b', 'a_b', 'ab', 'z', 'é', '\uFF21', '\u{1F600}']
        await tx(async (t) => {
          for (const text of [...texts].reverse()) {
            await t.put('leads', `k${text}`, doc({ id: `k${text}`, emailKey: text }))
            await t.put('state', `k${text}`, doc({ key: `k${text}`, value: text }))
          }
        })
        const byEmail = await tx<StoredDocument[]>(async (t) => t.query('leads', { index: 'byEmail' }))
        expect(
          byEmail.map((each) => each.emailKey),
          `${queryCall('leads', { index: 'byEmail' })} must order text by code point — got ${list(byEmail.map((each) => String(each.emailKey)))}`,
        ).toEqual(texts)
        const byKey = await tx<StoredDocument[]>(async (t) => t.query('state', { after: 'k\uFF21' }))
        expect(
          byKey.map((each) => each.value),
          `${queryCall('state', { after: 'k\uFF21' })} must continue in code point order, where U+1F600 sorts after U+FF21 — got ${list(byKey.map((each) => String(each.value)))}`,
        ).toEqual(['\u{1F600}'])
      })

      it('rejects an index the collection does not declare', async () => {
        const expectation = `${queryCall('enrolments', { index: 'nope' })} must reject: 'nope' is not an index of enrolments (STORAGE_COLLECTIONS)`
        const error = await rejectionOf(
          tx(async (t) => t.query('enrolments', { index: 'nope' })),
          expectation,
        )
        expect(throwing(error), `${expectation} — it rejected with ${show(error)}`).toThrow()
      })

      it('keeps the conversation indexes: waiting conversations only, newest first; messages in order', async () => {
        const conversation = (key: string, at: number, waiting: number | null) =>
          doc({
            key,
            identityId: 'ana',
            leadId: key,
            lastActivityAt: at,
            needsAnswerAt: waiting,
            agentDueAt: null,
          })
        await tx(async (t) => {
          await t.put('conversations', 'c1', conversation('c1', 100, 100))
          await t.put('conversations', 'c2', conversation('c2', 300, null))
          await t.put('conversations', 'c3', conversation('c3', 200, 200))
          await t.put('messages', 'm2', doc({ key: 'm2', conversationId: 'c1', at: 20 }))
          await t.put('messages', 'm1', doc({ key: 'm1', conversationId: 'c1', at: 10 }))
          await t.put('messages', 'm3', doc({ key: 'm3', conversationId: 'c3', at: 5 }))
        })
        const waiting = await tx<StoredDocument[]>(async (t) =>
          t.query('conversations', { index: 'needsAnswer', order: 'desc' }),
        )
        const waitingCall = queryCall('conversations', { index: 'needsAnswer', order: 'desc' })
        expect(
          waiting.map((each) => each.key),
          `${waitingCall} must return only conversations whose needsAnswerAt is set, highest first — got keys ${list(waiting.map((each) => each.key))}`,
        ).toEqual(['c3', 'c1'])
        const recent = await tx<StoredDocument[]>(async (t) =>
          t.query('conversations', { index: 'byActivity', order: 'desc', limit: 2 }),
        )
        expect(
          recent.map((each) => each.key),
          `${queryCall('conversations', { index: 'byActivity', order: 'desc', limit: 2 })} must return the two most recent — got ${list(recent.map((each) => each.key))}`,
        ).toEqual(['c2', 'c3'])
        const messages = await tx<StoredDocument[]>(async (t) =>
          t.query('messages', { index: 'byConversation', equals: ['c1'] }),
        )
        expect(
          messages.map((each) => each.key),
          `${queryCall('messages', { index: 'byConversation', equals: ['c1'] })} must return c1's messages by time — got ${list(messages.map((each) => each.key))}`,
        ).toEqual(['m1', 'm2'])
      })

      it('keeps the withdrawal indexes: requested withdrawals by due time; log entries by identity and type', async () => {
        const relation = (key: string, identityId: string, due: number | null) =>
          doc({ key, identityId, leadId: key, pendingSince: 1, withdrawDueAt: due })
        const entry = (key: string, identityId: string, type: string, at: number) =>
          doc({ key, identityId, type, at, leadId: key })
        await tx(async (t) => {
          await t.put('relations', 'r1', relation('r1', 'ana', 300))
          await t.put('relations', 'r2', relation('r2', 'ana', null))
          await t.put('relations', 'r3', relation('r3', 'ana', 100))
          await t.put('relations', 'r4', relation('r4', 'ben', 50))
          await t.put('actions', 'a1', entry('a1', 'ana', 'invitation-withdrawn', 10))
          await t.put('actions', 'a2', entry('a2', 'ana', 'invitation-sent', 20))
          await t.put('actions', 'a3', entry('a3', 'ana', 'invitation-withdrawn', 30))
          await t.put('actions', 'a4', entry('a4', 'ben', 'invitation-withdrawn', 40))
        })
        const dueQuery = { index: 'withdrawalsDue', equals: ['ana'], range: { lte: 300 } }
        const due = await tx<StoredDocument[]>(async (t) => t.query('relations', dueQuery))
        expect(
          due.map((each) => each.key),
          `${queryCall('relations', dueQuery)} must return ana's relations whose withdrawDueAt is set, earliest first — got ${list(due.map((each) => each.key))}`,
        ).toEqual(['r3', 'r1'])
        const historyQuery = {
          index: 'byIdentityType',
          equals: ['ana', 'invitation-withdrawn'],
          order: 'desc' as const,
        }
        const history = await tx<StoredDocument[]>(async (t) => t.query('actions', historyQuery))
        expect(
          history.map((each) => each.key),
          `${queryCall('actions', historyQuery)} must return ana's entries of that type, newest first — got ${list(history.map((each) => each.key))}`,
        ).toEqual(['a3', 'a1'])
      })
    })
  })
}
