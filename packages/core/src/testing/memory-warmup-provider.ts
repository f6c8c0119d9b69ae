import type { WarmupInbox, WarmupProviderV1, WarmupStatus } from '../ports/warmup-provider'

export interface MemoryWarmupOptions {
  /** The provider's clock (the same as the engine's in a simulation). Default: the system clock. */
  readonly clock?: { now(): Date | number }
  /**
   * Campaign emails allowed on each full day of warm-up (day 0 is the day it started); after the last
   * entry the warm-up is `ready`. Default: none in the first week, then 5, 10, 15, 20, 25, 30, 30 (14 days).
   */
  readonly campaignEmailsByDay?: readonly number[]
  /** Answers `status` with this failure instead (to test that the engine keeps the last known allowance). */
  readonly failStatus?: () => boolean
}

const DAY = 86_400_000
const DEFAULT_RAMP = [0, 0, 0, 0, 0, 0, 0, 5, 10, 15, 20, 25, 30, 30]

/** An in-memory warm-up provider: deterministic, ramping the campaign volume it allows day by day. */
export interface MemoryWarmupProvider extends WarmupProviderV1 {
  /** Every call, in order. */
  readonly calls: { readonly method: 'start' | 'stop' | 'status'; readonly address: string }[]
}

export function createMemoryWarmupProvider(options: MemoryWarmupOptions = {}): MemoryWarmupProvider {
  const started = new Map<string, number>()
  const calls: { method: 'start' | 'stop' | 'status'; address: string }[] = []
  const ramp = options.campaignEmailsByDay ?? DEFAULT_RAMP
  const now = () => {
    const value = options.clock?.now() ?? Date.now()
    return typeof value === 'number' ? value : value.getTime()
  }
  const statusOf = (address: string): WarmupStatus => {
    const since = started.get(address)
    if (since === undefined) return { address, state: 'off' }
    const day = Math.floor((now() - since) / DAY)
    const startedAt = new Date(since).toISOString()
    if (day >= ramp.length) return { address, state: 'ready', startedAt, warmupEmailsPerDay: 40 }
    return {
      address,
      state: 'warming',
      startedAt,
      campaignEmailsPerDay: ramp[Math.max(0, day)] ?? 0,
      warmupEmailsPerDay: Math.min(40, 5 + 3 * Math.max(0, day)),
    }
  }
  const key = (inbox: WarmupInbox) => inbox.address.toLowerCase()
  return {
    specificationVersion: 'v1',
    provider: 'memory',
    calls,
    async start(inbox) {
      calls.push({ method: 'start', address: key(inbox) })
      if (!started.has(key(inbox))) started.set(key(inbox), now())
      return statusOf(key(inbox))
    },
    async stop(inbox) {
      calls.push({ method: 'stop', address: key(inbox) })
      started.delete(key(inbox))
      return statusOf(key(inbox))
    },
    async status(inbox) {
      calls.push({ method: 'status', address: key(inbox) })
      if (options.failStatus?.() === true) throw new Error('the warm-up provider is unavailable')
      return statusOf(key(inbox))
    },
  }
}
