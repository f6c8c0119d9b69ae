import { createHash } from 'node:crypto'
import Bottleneck from 'bottleneck'

interface Entry {
  readonly limiter: Bottleneck
  users: number
}

const registry = new Map<string, Entry>()

/**
 * The limiter of one org user, shared by every CRM created in this process for the same instance URL,
 * credential and rate. Credentials are keyed by their SHA-256, so the registry holds no secret.
 */
export function acquireRequestLimiter(
  instanceUrl: string,
  credential: string,
  requestsPerSecond: number,
): { readonly limiter: Bottleneck; release(): void } {
  const digest = createHash('sha256').update(`${instanceUrl}\n${credential}`).digest('hex')
  const key = `${digest}:${requestsPerSecond}`
  let entry = registry.get(key)
  if (entry === undefined) {
    entry = {
      limiter: new Bottleneck({ minTime: Math.ceil(1_000 / requestsPerSecond), maxConcurrent: 10 }),
      users: 0,
    }
    registry.set(key, entry)
  }
  const acquired = entry
  acquired.users++
  let released = false
  return {
    limiter: acquired.limiter,
    release() {
      if (released) return
      released = true
      acquired.users--
      if (acquired.users === 0 && registry.get(key) === acquired) registry.delete(key)
    },
  }
}
