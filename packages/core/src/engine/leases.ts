import type { EngineContext } from './engine-context'
import type { Store } from './store'

export const identityLeaseKey = (identityId: string) => `identity:${identityId}`

/**
 * Takes (or renews) the lease on a key for this worker. Returns the fencing token, or undefined while
 * another worker holds an unexpired lease. A new owner always gets a higher token than the last one.
 */
export async function acquireLease(
  context: EngineContext,
  store: Store,
  key: string,
  now: number,
): Promise<number | undefined> {
  const owner = context.settings.workerId
  const current = await store.get('leases', key)
  if (current !== undefined && current.owner !== owner && current.expiresAt > now) return undefined
  const token =
    current === undefined
      ? 1
      : current.owner === owner && current.expiresAt > now
        ? current.token
        : current.token + 1
  await store.put('leases', key, { key, owner, token, expiresAt: now + context.settings.identityLeaseMs })
  return token
}

/** Fencing: true only if this worker still holds the lease with this token. */
export async function holdsLease(
  context: EngineContext,
  store: Store,
  key: string,
  token: number,
  now: number,
): Promise<boolean> {
  const current = await store.get('leases', key)
  return (
    current !== undefined &&
    current.owner === context.settings.workerId &&
    current.token === token &&
    current.expiresAt > now
  )
}
