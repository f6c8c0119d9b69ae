import { createHash } from 'node:crypto'
import Bottleneck from 'bottleneck'

/** The transport state of one access token: what every CRM using it shares. */
export interface TokenLimiter {
  /** Every request: evenly spaced so that no rolling 10 s holds more than the budget. */
  readonly limiter: Bottleneck
  /** Search requests: spaced to the search limit, then through `limiter` as well. */
  readonly searchLimiter: Bottleneck
  /** A 429 to any request holds every request of the token until then (epoch ms). */
  pausedUntil: number
  /** The daily limit was reached: requests fail at once until then (epoch ms). */
  dailyPausedUntil: number
}

interface Entry {
  readonly state: TokenLimiter
  users: number
}

const registry = new Map<string, Entry>()

/**
 * The limiter of an access token, shared by every CRM created with the same token and the same rates:
 * HubSpot counts requests per account and app, not per client object. Tokens are keyed by their SHA-256,
 * so the registry holds no secret.
 */
export function acquireTokenLimiter(
  accessToken: string,
  requestsPerTenSeconds: number,
  searchRequestsPerSecond: number,
): { readonly state: TokenLimiter; release(): void } {
  const digest = createHash('sha256').update(accessToken).digest('hex')
  const key = `${digest}:${requestsPerTenSeconds}:${searchRequestsPerSecond}`
  let entry = registry.get(key)
  if (entry === undefined) {
    const limiter = new Bottleneck({ minTime: Math.ceil(10_000 / requestsPerTenSeconds), maxConcurrent: 10 })
    const searchLimiter = new Bottleneck({
      minTime: Math.ceil(1_000 / searchRequestsPerSecond),
      maxConcurrent: 3,
    })
    searchLimiter.chain(limiter)
    entry = { state: { limiter, searchLimiter, pausedUntil: 0, dailyPausedUntil: 0 }, users: 0 }
    registry.set(key, entry)
  }
  const acquired = entry
  acquired.users++
  let released = false
  return {
    state: acquired.state,
    release() {
      if (released) return
      released = true
      acquired.users--
      if (acquired.users === 0 && registry.get(key) === acquired) registry.delete(key)
    },
  }
}
