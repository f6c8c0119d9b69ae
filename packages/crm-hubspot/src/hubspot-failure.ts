import { PacelineError, PacelineErrorCodes } from '@paceline/core'

/** HubSpot's error body (`{ status: 'error', message, correlationId, category, errors?, context? }`), leniently. */
export interface HubspotErrorBody {
  readonly message?: string
  readonly category?: string
  readonly subCategory?: string
  readonly correlationId?: string
  readonly policyName?: string
  readonly errors?: ReadonlyArray<{ readonly message?: string; readonly code?: string }>
}

/**
 * What became of one request, in the terms that decide a retry:
 * - `answered`: HubSpot answered with an error status (the body says why);
 * - `not-sent`: the request never reached HubSpot (refused connection, unknown host): safe to send again;
 * - `no-answer`: it was sent and no usable answer came (timeout, reset, an unreadable body): it may have run.
 */
export type HubspotFailure =
  | {
      readonly kind: 'answered'
      readonly status: number
      readonly body: HubspotErrorBody
      readonly headers: Readonly<Record<string, string>>
      readonly cause: unknown
    }
  | { readonly kind: 'not-sent'; readonly cause: unknown }
  | { readonly kind: 'no-answer'; readonly cause: unknown }

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/** The error a request raced against its timeout throws. */
export class HubspotTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
  }
}

/**
 * Reads what the HubSpot client threw: its `ApiException` (`code`, `body`, `headers`), node-fetch's
 * `FetchError` (`code` such as ECONNREFUSED), a timeout, or anything else (taken as "no answer").
 */
export function failureOf(error: unknown): HubspotFailure {
  if (typeof error === 'object' && error !== null) {
    const candidate = error as { code?: unknown; body?: unknown; headers?: unknown; name?: unknown }
    if (typeof candidate.code === 'number' && candidate.code >= 100 && candidate.code < 600)
      return {
        kind: 'answered',
        status: candidate.code,
        body: bodyOf(candidate.body),
        headers: headersOf(candidate.headers),
        cause: error,
      }
    const code =
      typeof candidate.code === 'string'
        ? candidate.code
        : (error as { errno?: unknown; cause?: { code?: unknown } }).cause?.code
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return { kind: 'not-sent', cause: error }
  }
  return { kind: 'no-answer', cause: error }
}

function bodyOf(body: unknown): HubspotErrorBody {
  if (typeof body === 'string') {
    try {
      return bodyOf(JSON.parse(body))
    } catch {
      return { message: body.slice(0, 500) }
    }
  }
  return typeof body === 'object' && body !== null ? (body as HubspotErrorBody) : {}
}

function headersOf(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof headers !== 'object' || headers === null) return out
  for (const [key, value] of Object.entries(headers))
    if (typeof value === 'string') out[key.toLowerCase()] = value
  return out
}

/** The message of HubSpot's answer, with the first detail of a validation error when there is one. */
export function hubspotMessageOf(body: HubspotErrorBody): string {
  const message = (body.message ?? 'no message').replace(/\.\s*$/, '')
  const detail = body.errors?.[0]?.message
  return detail === undefined || message.includes(detail) ? message : `${message} (${detail})`
}

export interface CrmFailedDetails {
  readonly status?: number
  readonly category?: string
  readonly correlationId?: string
  readonly retryAfterMs?: number
  readonly policyName?: string
  /** A create whose answer was lost: it may have been carried out. */
  readonly outcomeUnknown?: boolean
}

/** The one error this adapter throws: `crm_failed`, naming the operation and HubSpot's message and category. */
export function crmFailed(
  operation: string,
  failure: HubspotFailure,
  isRetryable: boolean,
  extra: { readonly hint?: string; readonly details?: CrmFailedDetails } = {},
): PacelineError {
  const hint = extra.hint === undefined ? '' : ` ${extra.hint}`
  if (failure.kind !== 'answered') {
    const reason = failure.cause instanceof Error ? failure.cause.message : String(failure.cause)
    const what = failure.kind === 'not-sent' ? 'could not reach HubSpot' : 'got no answer from HubSpot'
    return new PacelineError(
      PacelineErrorCodes.crmFailed,
      `HubSpot ${operation}: ${what} (${reason}).${hint}`,
      {
        cause: failure.cause,
        isRetryable,
        details: { ...extra.details },
      },
    )
  }
  const { status, body } = failure
  const category = body.category ?? (status === 429 ? 'RATE_LIMITS' : 'UNKNOWN')
  return new PacelineError(
    PacelineErrorCodes.crmFailed,
    `HubSpot ${operation} failed: ${status} ${category}: ${hubspotMessageOf(body)}.${hint}`,
    {
      cause: failure.cause,
      isRetryable,
      details: {
        status,
        category,
        ...(body.correlationId === undefined ? {} : { correlationId: body.correlationId }),
        ...extra.details,
      },
    },
  )
}

/** The HTTP status of a `crm_failed` this adapter threw, if HubSpot answered. */
export function statusOf(error: unknown): number | undefined {
  if (!PacelineError.is(error, PacelineErrorCodes.crmFailed)) return undefined
  const status = error.details.status
  return typeof status === 'number' ? status : undefined
}

/** True when the error is a create whose outcome cannot be known (its answer was lost). */
export function isOutcomeUnknown(error: unknown): boolean {
  return PacelineError.is(error, PacelineErrorCodes.crmFailed) && error.details.outcomeUnknown === true
}
