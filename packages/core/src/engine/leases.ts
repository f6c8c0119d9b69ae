import type { EngineContext } from './engine-context'
import type { Store } from './store'

export const identityLeaseKey = (identityId: string) => `identity:${identityId}`

export interface AcquiredLease {
  /** The fencing token: claims made under the lease carry it. */
  readonly token: number
  /** When the lease runs out, on the clock it was judged by. */
  readonly expiresAt: number
  /** True when the store's clock (a database server's) judged it, not the engine's. */
  readonly storeClock: boolean
}

/**
 * Takes (or renews) the lease on a key for this worker. Returns the fencing token, or undefined while
 * another worker holds an unexpired lease or is taking it right now (a store that can lock without waiting
 * lets this worker move on instead of queueing). A new owner always gets a higher token than the last one.
 * Expiry is judged by the store's clock when it has one, so workers on several machines agree on it.
 */
export async function acquireLease(
  context: EngineContext,
  store: Store,
  key: string,
  engineNow: number,
): Promise<AcquiredLease | undefined> {
  if (!(await store.tryLock('leases', key))) return undefined
  const clock = await store.storeClock()
  const now = clock ?? engineNow
  const owner = context.settings.workerId
  const current = await store.get('leases', key)
  if (current !== undefined && current.owner !== owner && current.expiresAt > now) return undefined
  const token =
    current === undefined
      ? 1
      : current.owner === owner && current.expiresAt > now
        ? current.token
        : current.token + 1
  const expiresAt = now + context.settings.identityLeaseMs
  await store.put('leases', key, { key, owner, token, expiresAt })
  return { token, expiresAt, storeClock: clock !== undefined }
}

/** Fencing: true only if this worker still holds the lease with this token. */
export async function holdsLease(
  context: EngineContext,
  store: Store,
  key: string,
  token: number,
  engineNow: number,
): Promise<boolean> {
  const now = (await store.storeClock()) ?? engineNow
  const current = await store.get('leases', key)
  return (
    current !== undefined &&
    current.owner === context.settings.workerId &&
    current.token === token &&
    current.expiresAt > now
  )
}

/**
 * Gives a lease up before it runs out, so another worker can take the key at once (with a higher token):
 * only if this worker still holds it with this token.
 */
export async function releaseLease(
  context: EngineContext,
  store: Store,
  key: string,
  token: number,
): Promise<void> {
  const current = await store.get('leases', key)
  if (current === undefined || current.owner !== context.settings.workerId || current.token !== token) return
  await store.put('leases', key, { ...current, expiresAt: 0 })
}

/**
 * Renews in one go the leases this worker holds on idle keys (nothing due, so nothing renews them on the
 * way), so they never lapse while the worker lives. Returns the leases it holds now; a key another worker
 * took meanwhile is missing from the result.
 */
export async function renewLeases(
  context: EngineContext,
  store: Store,
  keys: readonly string[],
  engineNow: number,
): Promise<Map<string, AcquiredLease>> {
  const clock = await store.storeClock()
  const now = clock ?? engineNow
  const owner = context.settings.workerId
  const current = new Map((await store.getMany('leases', keys)).map((lease) => [lease.key, lease]))
  const renewed = new Map<string, AcquiredLease>()
  for (const key of keys) {
    const lease = current.get(key)
    if (lease !== undefined && lease.owner !== owner && lease.expiresAt > now) continue
    const token =
      lease === undefined ? 1 : lease.owner === owner && lease.expiresAt > now ? lease.token : lease.token + 1
    const expiresAt = now + context.settings.identityLeaseMs
    await store.put('leases', key, { key, owner, token, expiresAt })
    renewed.set(key, { token, expiresAt, storeClock: clock !== undefined })
  }
  return renewed
}

/** Gives up several leases at once (see `releaseLease`). */
export async function releaseLeases(
  context: EngineContext,
  store: Store,
  held: ReadonlyMap<string, number>,
): Promise<void> {
  for (const lease of await store.getMany('leases', [...held.keys()]))
    if (lease.owner === context.settings.workerId && lease.token === held.get(lease.key))
      await store.put('leases', lease.key, { ...lease, expiresAt: 0 })
}
