import { type EngineContext, inTransaction } from './engine-context'
import { releaseLeases } from './leases'

const PREFIX = 'worker:'
const PAGE = 200

/** Workers whose heartbeat is older than this many leases are forgotten. */
const FORGET_AFTER_LEASES = 20

/** When this worker last counted the workers alive, and how many it found (itself included). */
export interface FairShareState {
  checkedAt: number | undefined
  live: number
  /** The share the last count gave. */
  share?: number
}

/**
 * How many identities this worker should serve: an equal share of `identities` among the workers seen
 * alive (a heartbeat in the `state` collection within one identity lease, on the store's clock when it has
 * one). A worker that holds more lets the rest go, and one that holds its share takes no more, so a worker
 * that starts later (a new deploy, a replacement) gets work without waiting for anyone's lease to run out,
 * and a dead worker's share is taken over once its heartbeat is stale. Counted at most three times a lease.
 */
export async function fairShare(
  context: EngineContext,
  state: FairShareState,
  identities: number,
  now: number,
): Promise<number> {
  const leaseMs = context.settings.identityLeaseMs
  const fresh = state.checkedAt !== undefined && now >= state.checkedAt && now - state.checkedAt < leaseMs / 3
  if (!fresh) await countWorkers(context, state, now)
  state.share = Math.ceil(identities / Math.max(1, state.live))
  return state.share
}

async function countWorkers(context: EngineContext, state: FairShareState, now: number): Promise<void> {
  const leaseMs = context.settings.identityLeaseMs
  const live = await inTransaction(context, async (store) => {
    const at = (await store.storeClock()) ?? now
    const self = `${PREFIX}${context.settings.workerId}`
    await store.put('state', self, { key: self, value: { seenAt: at } })
    let count = 0
    let after = PREFIX
    for (;;) {
      const page = await store.query('state', { after, limit: PAGE })
      for (const document of page) {
        if (!document.key.startsWith(PREFIX)) return count
        const seenAt = (document.value as { seenAt?: unknown } | undefined)?.seenAt
        if (typeof seenAt !== 'number' || seenAt < at - FORGET_AFTER_LEASES * leaseMs)
          await store.delete('state', document.key)
        else if (seenAt > at - leaseMs) count++
      }
      if (page.length < PAGE) return count
      after = (page[page.length - 1] as { key: string }).key
    }
  })
  state.checkedAt = now
  state.live = live
}

/** A worker leaving: its leases are given up and its heartbeat removed, so the others share its identities now. */
export async function retireWorker(context: EngineContext, held: ReadonlyMap<string, number>): Promise<void> {
  await inTransaction(context, async (store) => {
    if (held.size > 0) await releaseLeases(context, store, held)
    await store.delete('state', `${PREFIX}${context.settings.workerId}`)
  })
}
