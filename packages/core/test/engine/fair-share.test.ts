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

/** Which identities each worker sent for from its `from`-th channel call on (by the LinkedIn account). */
function served(workers: readonly Worker[], from: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>()
  for (const each of workers) {
    const accounts = new Set(each.linkedin.calls.slice(from.get(each.id) ?? 0).map((call) => call.accountId))
    result.set(each.id, accounts.size)
  }
  return result
}

/**
 * Each worker serves its share, give or take one: an idle identity's lease lapses between its actions and
 * goes to whichever worker with room reaches it first.
 */
function expectEvenSplit(counts: Map<string, number>, workers: readonly string[]): void {
  expect([...counts.keys()]).toEqual(workers)
  expect([...counts.values()].reduce((sum, each) => sum + each, 0)).toBeGreaterThanOrEqual(IDENTITIES)
  const share = IDENTITIES / workers.length
  for (const [worker, count] of counts) {
    expect(count, worker).toBeGreaterThanOrEqual(Math.floor(share) - 1)
    expect(count, worker).toBeLessThanOrEqual(Math.ceil(share) + 1)
  }
}

describe('several workers on one store', () => {
  it('divide the identities evenly, make room for a worker that joins, and take over from one that left', async () => {
    const storage = createMemoryStorage()
    const clock = new VirtualClock('2026-03-02T08:00:00Z')
    await seed(storage, clock)
    const a = worker(storage, clock, 'a')
    const b = worker(storage, clock, 'b')
    const c = worker(storage, clock, 'c')
    /** Runs `rounds` rounds of the workers; returns who served how many identities in the last hour. */
    const run = async (workers: readonly Worker[], rounds: number) => {
      let marks = new Map<string, number>()
      for (let n = 0; n < rounds; n++) {
        if (n === rounds - 180) marks = new Map(workers.map((each) => [each.id, each.linkedin.calls.length]))
        for (const each of workers) await each.engine.tick()
        clock.advance(20_000)
      }
      return served(workers, marks)
    }
    // Alone, `a` serves everything.
    expect(await run([a], 200)).toEqual(new Map([['a', IDENTITIES]]))
    // `b` joins: each serves about half, without anyone's lease having to run out first.
    expectEvenSplit(await run([a, b], 300), ['a', 'b'])
    // `c` joins: about a third each.
    expectEvenSplit(await run([a, b, c], 300), ['a', 'b', 'c'])
    // `c` stops: once its heartbeat and leases are stale, `a` and `b` split its identities.
    expectEvenSplit(await run([a, b], 300), ['a', 'b'])
    for (const each of [a, b, c]) await each.engine.close()
  })
})
