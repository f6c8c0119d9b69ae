import { describe, expect, it } from 'vitest'
import { createEngine, type Engine, sequence } from '../../src/index'
import type { StorageV1 } from '../../src/ports'
import {
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  type MemoryLinkedInChannel,
  VirtualClock,
} from '../../src/testing'
import { identity } from './harness'

const IDENTITIES = 12
const LEASE = 60_000
const messages = sequence()
  .linkedinMessage({ id: 'hello', body: 'Hi {{firstName}}' })
  .linkedinMessage({ id: 'again', delay: { hours: 1 }, body: 'Again' })
  .build()

async function seed(storage: StorageV1, clock: VirtualClock): Promise<void> {
  const engine = createEngine({ storage, clock, workerId: 'seed' })
  for (let n = 0; n < IDENTITIES; n++) {
    await engine.identities.put(
      identity({ id: `id${n}`, linkedin: { accountId: `li-${n}`, limits: { messagesPerDay: 50 } } }),
    )
    await engine.campaigns.create({ id: `c${n}`, identityId: `id${n}`, sequence: messages })
    await engine.leads.add(
      `c${n}`,
      Array.from({ length: 40 }, (_, k) => ({
        id: `l${n}-${k}`,
        profile: { firstName: 'Lee', linkedinProfileId: `p${n}-${k}` },
      })),
    )
    await engine.campaigns.launch(`c${n}`)
  }
  await engine.close()
}

interface Worker {
  readonly id: string
  readonly engine: Engine
  readonly linkedin: MemoryLinkedInChannel
}

const worker = (storage: StorageV1, clock: VirtualClock, id: string): Worker => {
  const linkedin = createMemoryLinkedInChannel()
  const engine = createEngine({
    storage,
    clock,
    workerId: id,
    linkedin,
    email: createMemoryEmailChannel(),
    settings: { identityLeaseMs: LEASE },
  })
  return { id, engine, linkedin }
}

/** How many identities each worker holds a live lease on now (idle identities' leases are kept renewed). */
async function holders(storage: StorageV1, now: number): Promise<Map<string, number>> {
  const leases = await storage.transaction('default', (tx) => tx.query('leases'), { readOnly: true })
  const count = new Map<string, number>()
  for (const lease of leases)
    if (Number(lease.expiresAt) > now)
      count.set(String(lease.owner), (count.get(String(lease.owner)) ?? 0) + 1)
  return new Map([...count].sort())
}

/** Every identity served, each worker its equal share. */
function expectEvenSplit(counts: Map<string, number>, workers: readonly string[]): void {
  expect(counts).toEqual(new Map(workers.map((worker) => [worker, IDENTITIES / workers.length])))
}

describe('several workers on one store', () => {
  it('divide the identities evenly, make room for a worker that joins, and take over from one that left', async () => {
    const storage = createMemoryStorage()
    const clock = new VirtualClock('2026-03-02T08:00:00Z')
    await seed(storage, clock)
    const a = worker(storage, clock, 'a')
    const b = worker(storage, clock, 'b')
    const c = worker(storage, clock, 'c')
    /** Runs `rounds` rounds of the workers; returns who holds how many identities then. */
    const run = async (workers: readonly Worker[], rounds: number) => {
      for (let n = 0; n < rounds; n++) {
        for (const each of workers) await each.engine.tick()
        clock.advance(20_000)
      }
      return holders(storage, clock.now())
    }
    // Alone, `a` serves everything.
    expect(await run([a], 3)).toEqual(new Map([['a', IDENTITIES]]))
    // `b` joins: each serves about half, without anyone's lease having to run out first.
    expectEvenSplit(await run([a, b], 30), ['a', 'b'])
    // `c` joins: about a third each.
    expectEvenSplit(await run([a, b, c], 30), ['a', 'b', 'c'])
    // `c` stops (a crash: nothing said): once its heartbeat and leases are stale, `a` and `b` split its identities.
    expectEvenSplit(await run([a, b], 30), ['a', 'b'])
    // `b` closes (a deploy): it gives its identities up, and `a` serves them all before `b`'s leases would
    // have run out.
    await b.engine.close()
    expect(await run([a], 2)).toEqual(new Map([['a', IDENTITIES]]))
    for (const each of [a, c]) await each.engine.close()
  })
})
