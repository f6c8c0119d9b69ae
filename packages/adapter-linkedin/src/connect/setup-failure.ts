import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { ProviderHttpResult } from '../transport/provider-http'

/** What a call that sets an account up (not a LinkedIn action) is, for the error it raises. */
export interface SetupCall {
  /** `Unipile`, `Edges`. */
  readonly vendor: string
  /** What was asked, in words: `create a hosted auth link`. */
  readonly what: string
  /**
   * Whether the same request may be sent again after it went out and no answer came: true when doing it
   * twice is harmless (a second link), false when it may create something twice (an identity).
   */
  readonly repeatable: boolean
  /** The vendor's own words from an error body. */
  readonly detailOf: (body: unknown) => string | undefined
}

/**
 * The answer to an account-setup call, or the `PacelineError` it is: a refused key (`channel_failed`, not
 * retryable: fix the key), refused input (`invalid_options`, the vendor's words in the message), a missing
 * resource (`channel_failed`, not retryable), and the failures that may pass (`channel_failed`, retryable:
 * rate limits, 5xx, a request that never went out). The vendor's answer is kept on `cause`.
 */
export function setupAnswer(call: SetupCall, result: ProviderHttpResult): unknown {
  const where = `${call.vendor} ${call.what}`
  switch (result.kind) {
    case 'not-sent':
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `${where}: the request did not reach ${call.vendor} (${result.error.message}); nothing was done, try again.`,
        { cause: result.error, isRetryable: true },
      )
    case 'no-answer':
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        call.repeatable
          ? `${where}: no answer came (${result.error.message}); try again.`
          : `${where}: the request was sent but no answer came (${result.error.message}); it may have been done — check in ${call.vendor} before trying again.`,
        { cause: result.error, isRetryable: call.repeatable },
      )
    case 'rate-limited':
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `${where}: ${call.vendor} asked to slow down; try again in ${Math.ceil(result.retryAfterMs / 1000)} s.`,
        { cause: result.body, isRetryable: true, details: { retryAfterMs: result.retryAfterMs } },
      )
    case 'response': {
      if (result.status >= 200 && result.status < 300) return result.body
      const detail = call.detailOf(result.body) ?? `HTTP ${result.status}`
      const details = { status: result.status, body: result.body }
      if (result.status === 401 || result.status === 403)
        throw new PacelineError(
          PacelineErrorCodes.channelFailed,
          `${where}: ${call.vendor} refused the API key (${detail}); check the key the provider was created with.`,
          { cause: result.body, isRetryable: false, details },
        )
      if (result.status === 400 || result.status === 422)
        throw new PacelineError(
          PacelineErrorCodes.invalidOptions,
          `${where}: ${call.vendor} refused the request: ${detail}.`,
          { cause: result.body, details },
        )
      if (result.status === 404)
        throw new PacelineError(
          PacelineErrorCodes.channelFailed,
          `${where}: ${call.vendor} has no such resource (${detail}); check the id.`,
          { cause: result.body, isRetryable: false, details },
        )
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `${where}: ${call.vendor} failed (${detail}).`,
        { cause: result.body, isRetryable: result.status >= 500 && call.repeatable, details },
      )
    }
  }
}
