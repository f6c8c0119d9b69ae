import type { PacelineError } from '@paceline/core'
import { crmFailed, failureOf, type HubspotFailure, HubspotTimeout } from '../hubspot-failure'
import { nextUtcMidnight, rateLimitPolicyOf, retryAfterMsOf } from './rate-limit-answers'
import { acquireTokenLimiter } from './token-limiters'

/**
 * How a request may be repeated when HubSpot did not answer it usefully:
 * - `read`: GET, search, batch read: always safe to send again;
 * - `write`: a write that gives the same result when repeated (PATCH of the same values, PUT of an
 *   association, DELETE): safe to send again;
 * - `create`: a POST that creates an object: never sent again blindly once it may have reached HubSpot;
 *   the caller looks it up by its idempotency key instead.
 */
export type RequestKind = 'read' | 'write' | 'create'

export interface HubspotTransportOptions {
  readonly accessToken: string
  readonly requestsPerTenSeconds: number
  readonly searchRequestsPerSecond: number
  readonly maxRetries: number
  readonly timeoutMs: number
  /** When the daily limit resets (epoch ms), if HubSpot can say; asked once when a daily 429 arrives. */
  readonly dailyResetAt?: () => Promise<number | undefined>
}

export interface HubspotRequestOptions {
  /** A search request: spaced to the search limit too. */
  readonly search?: boolean
  /** Extra advice for the error message of a refused request (a missing property, a scope). */
  readonly hint?: (failure: Extract<HubspotFailure, { kind: 'answered' }>) => string | undefined
}

export interface HubspotTransport {
  /** Runs one HubSpot call under the token's limits, retrying what HubSpot did not carry out. */
  request<T>(
    operation: string,
    kind: RequestKind,
    send: () => Promise<T>,
    options?: HubspotRequestOptions,
  ): Promise<T>
  /**
   * Reads HubSpot's rate-limit headers from any answer: when `X-HubSpot-RateLimit-Remaining` is 0 (other
   * apps of the account share the budget), requests of the token wait one slot's time
   * (`Interval-Milliseconds / Max`) instead of running into a 429.
   */
  observe(headers: Readonly<Record<string, string>>): void
  close(): Promise<void>
}

const RETRYABLE_STATUSES = new Set([408, 423, 429, 500, 502, 503, 504])
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000

/** What to do about a refusal that is about the token, not the request. */
function refusalHint(status: number): string | undefined {
  if (status === 401)
    return 'Check the access token: copy it again from the private app (it starts with pat-).'
  if (status === 403)
    return "The private app lacks a scope this request needs: add the scopes listed in @paceline/crm-hubspot's README."
  return undefined
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Exponential backoff for a 5xx that named no wait: 250 ms, 500 ms, 1 s, ... up to 8 s. */
const backoffMs = (attempt: number) => Math.min(250 * 2 ** attempt, 8_000)

/** A lost connection is first retried at once (a stale keep-alive socket is the usual cause), then backs off. */
const reconnectDelayMs = (attempt: number) => (attempt === 0 ? 0 : backoffMs(attempt - 1))

/**
 * The transport of one access token: every request through the token's bottleneck limiter (evenly spaced
 * to `requestsPerTenSeconds`, search also to `searchRequestsPerSecond`), 429s waited out for every request
 * of the token (Retry-After), the daily limit reported at once as retryable until it resets, 5xx and
 * lost connections retried with backoff for reads and repeatable writes only.
 */
export function createHubspotTransport(options: HubspotTransportOptions): HubspotTransport {
  const token = acquireTokenLimiter(
    options.accessToken,
    options.requestsPerTenSeconds,
    options.searchRequestsPerSecond,
  )
  const state = token.state

  const sendOnce = async <T>(send: () => Promise<T>): Promise<T> => {
    const wait = state.pausedUntil - Date.now()
    if (wait > 0) await sleep(wait)
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        send(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new HubspotTimeout(options.timeoutMs)), options.timeoutMs)
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  const dailyLimitReached = async (
    operation: string,
    failure: Extract<HubspotFailure, { kind: 'answered' }>,
  ): Promise<PacelineError> => {
    const now = Date.now()
    let resetAt: number | undefined
    try {
      resetAt = await options.dailyResetAt?.()
    } catch {
      resetAt = undefined
    }
    if (resetAt === undefined || resetAt <= now) resetAt = nextUtcMidnight(now)
    state.dailyPausedUntil = Math.max(state.dailyPausedUntil, resetAt)
    return crmFailed(operation, failure, true, {
      hint: 'The daily request limit of the HubSpot account is used up; requests resume when it resets.',
      details: { retryAfterMs: resetAt - now, policyName: 'DAILY' },
    })
  }

  return {
    async request(operation, kind, send, requestOptions = {}) {
      const limiter = requestOptions.search === true ? state.searchLimiter : state.limiter
      for (let attempt = 0; ; attempt++) {
        const paused = state.dailyPausedUntil - Date.now()
        if (paused > 0)
          throw crmFailed(
            operation,
            {
              kind: 'answered',
              status: 429,
              body: { category: 'RATE_LIMITS', message: 'You have reached your daily limit.' },
              headers: {},
              cause: undefined,
            },
            true,
            {
              hint: 'Not sent: the daily request limit of the HubSpot account is used up until it resets.',
              details: { retryAfterMs: paused, policyName: 'DAILY' },
            },
          )
        let failure: HubspotFailure
        try {
          return await limiter.schedule(() => sendOnce(send))
        } catch (caught) {
          failure = failureOf(caught)
        }
        const canRetry = attempt < options.maxRetries
        if (failure.kind === 'answered') {
          const { status } = failure
          if (status === 429) {
            const policy = rateLimitPolicyOf(failure)
            if (policy === 'DAILY') throw await dailyLimitReached(operation, failure)
            const wait = retryAfterMsOf(failure.headers) ?? DEFAULT_RATE_LIMIT_WAIT_MS
            // The budget is the token's: every request of it waits, not only this one.
            state.pausedUntil = Math.max(state.pausedUntil, Date.now() + wait)
            if (canRetry) continue
            throw crmFailed(operation, failure, true, { details: { retryAfterMs: wait, policyName: policy } })
          }
          if (RETRYABLE_STATUSES.has(status)) {
            if (kind === 'create')
              throw crmFailed(operation, failure, true, { details: { outcomeUnknown: true } })
            if (canRetry) {
              await sleep(retryAfterMsOf(failure.headers) ?? backoffMs(attempt))
              continue
            }
            throw crmFailed(operation, failure, true)
          }
          const hint = requestOptions.hint?.(failure) ?? refusalHint(status)
          throw crmFailed(operation, failure, false, hint === undefined ? {} : { hint })
        }
        if (failure.kind === 'no-answer' && kind === 'create')
          throw crmFailed(operation, failure, true, { details: { outcomeUnknown: true } })
        if (canRetry) {
          await sleep(reconnectDelayMs(attempt))
          continue
        }
        throw crmFailed(operation, failure, true)
      }
    },
    observe(headers) {
      if (headers['x-hubspot-ratelimit-remaining'] !== '0') return
      const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds'])
      const max = Number(headers['x-hubspot-ratelimit-max'])
      if (!(interval > 0 && max > 0)) return
      state.pausedUntil = Math.max(state.pausedUntil, Date.now() + Math.ceil(interval / max))
    },
    async close() {
      token.release()
    },
  }
}
