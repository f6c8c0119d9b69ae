import Bottleneck from 'bottleneck'

export interface ProviderHttpOptions {
  /** e.g. `https://api.edges.run/v1` (no trailing slash needed). */
  readonly baseUrl: string
  /** Sent with every request (API key, accept). */
  readonly headers: Readonly<Record<string, string>>
  /** Default: the global fetch. Tests and proxies pass their own. */
  readonly fetch?: typeof fetch
  /** The provider's request budget for this API key: Edges' default global limit is 120 a minute. */
  readonly requestsPerMinute: number
  /** Give up on an answer after this long. Default 30,000 ms. */
  readonly timeoutMs?: number
  /** 429 answers retried here (after Retry-After) before the outcome goes back as `rate_limited`. Default 3. */
  readonly maxRateLimitRetries?: number
  /** A Retry-After longer than this is not waited out here: the engine reschedules instead. Default 60,000 ms. */
  readonly maxRetryAfterMs?: number
  /**
   * Whether a 429 is worth waiting out here, from its body. Default: every one. A provider whose 429 can
   * also mean "daily limit reached" answers false for that one, so it goes straight back to the engine.
   */
  readonly retry429?: (body: unknown) => boolean
}

export interface ProviderRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /**
   * Appended to `baseUrl`; or a whole URL on the provider's host, as pagination headers hand them out
   * (`X-Pagination-Next`). A URL on another host is refused: the API key must not leave the provider.
   */
  readonly path: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** Sent as JSON; a `FormData` is sent as multipart/form-data (fetch writes its boundary). */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * What became of a request, in the terms that matter for at-most-once sending:
 * - `response`: the provider answered (any status but a 429 it kept sending);
 * - `not-sent`: the request never reached the provider (refused connection, unknown host), safe to retry;
 * - `no-answer`: it was sent and no answer came (timeout, reset): it may have been carried out;
 * - `rate-limited`: 429 after the retries here, with how long the provider asked to wait.
 */
export type ProviderHttpResult =
  | {
      readonly kind: 'response'
      readonly status: number
      readonly headers: Headers
      /** Parsed JSON, or the text when the body is not JSON (empty string for none). */
      readonly body: unknown
    }
  | { readonly kind: 'not-sent'; readonly error: Error }
  | { readonly kind: 'no-answer'; readonly error: Error }
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number; readonly body: unknown }

export interface ProviderHttp {
  request(request: ProviderRequest): Promise<ProviderHttpResult>
  /** Requests waiting for their turn under the rate limit. */
  queued(): number
  /** Stops scheduling; queued requests are dropped with `not-sent`. */
  close(): Promise<void>
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

class RateLimited extends Error {
  constructor(
    readonly retryAfterMs: number,
    readonly body: unknown,
  ) {
    super(`rate limited, retry after ${retryAfterMs} ms`)
  }
}

/**
 * An HTTP client for one provider API key: requests spaced to stay under its per-minute budget
 * (bottleneck), 429 answers honoured (every queued request waits out Retry-After, then the request is
 * retried), timeouts, and failures told apart by whether the provider may have acted.
 */
export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const fetchImpl = options.fetch ?? globalThis.fetch
  const timeoutMs = options.timeoutMs ?? 30_000
  const maxRetries = options.maxRateLimitRetries ?? 3
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const limiter = new Bottleneck({
    // Evenly spaced rather than bursts: never more than the budget in any sliding minute.
    minTime: Math.ceil(60_000 / options.requestsPerMinute),
    maxConcurrent: 8,
  })
  let pausedUntil = 0
  let stopped = false

  limiter.on('failed', (error: unknown, job) => {
    if (!(error instanceof RateLimited)) return undefined
    if (job.retryCount >= maxRetries || error.retryAfterMs > maxRetryAfterMs) return undefined
    if (options.retry429 !== undefined && !options.retry429(error.body)) return undefined
    return error.retryAfterMs
  })

  const send = async (request: ProviderRequest): Promise<ProviderHttpResult> => {
    // A 429 to any request pauses all of them: the budget is the API key's, not the request's.
    const wait = pausedUntil - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const url = urlOf(baseUrl, request.path)
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value))
    const json = request.body !== undefined && !(request.body instanceof FormData)
    let response: Response
    try {
      response = await fetchImpl(url, {
        method: request.method,
        headers: {
          accept: 'application/json',
          ...(json ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
          ...request.headers,
        },
        ...(request.body === undefined
          ? {}
          : { body: request.body instanceof FormData ? request.body : JSON.stringify(request.body) }),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught))
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code
      return NOT_SENT_CODES.has(code ?? '') ? { kind: 'not-sent', error } : { kind: 'no-answer', error }
    }
    let body: unknown
    try {
      const text = await response.text()
      body = text === '' ? '' : parseJson(text)
    } catch (caught) {
      // The answer was cut off: the provider acted or not, we cannot tell.
      return { kind: 'no-answer', error: caught instanceof Error ? caught : new Error(String(caught)) }
    }
    if (response.status === 429) {
      const retryAfterMs = retryAfterOf(response.headers) ?? 60_000
      // Only a limit on the key pauses every request; a limit of one account goes back to the engine.
      if (options.retry429?.(body) ?? true)
        pausedUntil = Math.max(pausedUntil, Date.now() + Math.min(retryAfterMs, maxRetryAfterMs))
      throw new RateLimited(retryAfterMs, body)
    }
    return { kind: 'response', status: response.status, headers: response.headers, body }
  }

  return {
    async request(request) {
      try {
        return await limiter.schedule(() => send(request))
      } catch (caught) {
        if (caught instanceof RateLimited)
          return { kind: 'rate-limited', retryAfterMs: caught.retryAfterMs, body: caught.body }
        const error = caught instanceof Error ? caught : new Error(String(caught))
        // Dropped by close() before it was sent.
        return { kind: 'not-sent', error }
      }
    },
    // RUNNING is bottleneck's "scheduled, waiting out minTime": still waiting from the caller's view.
    queued: () => {
      const counts = limiter.counts()
      return counts.QUEUED + counts.RUNNING
    },
    async close() {
      if (stopped) return
      stopped = true
      await limiter.stop({ dropWaitingJobs: true })
    },
  }
}

function urlOf(baseUrl: string, path: string): URL {
  if (!/^https?:\/\//i.test(path)) return new URL(`${baseUrl}${path}`)
  const url = new URL(path)
  if (url.origin !== new URL(baseUrl).origin)
    throw new Error(`refused to send the API key to ${url.origin}: not the provider's host`)
  return url
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Retry-After as seconds or an HTTP date (RFC 9110), and the `x-ratelimit-reset`-style headers some APIs use. */
export function retryAfterOf(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after')
  if (value !== null) {
    const seconds = Number(value)
    if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000)
    const date = Date.parse(value)
    if (!Number.isNaN(date)) return Math.max(0, date - now)
  }
  const reset = headers.get('x-ratelimit-reset')
  if (reset !== null && Number.isFinite(Number(reset))) {
    const number = Number(reset)
    // Epoch seconds when large, seconds to wait when small.
    return number > 1_000_000_000 ? Math.max(0, number * 1000 - now) : Math.ceil(number * 1000)
  }
  return undefined
}
