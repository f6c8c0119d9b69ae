import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { SalesforceApiUsage } from './api-usage'

/** When the adapter tries a failed request again itself. */
export type RetryInProcess = 'always' | 'reads' | 'never'

/** What a failed request tells: Salesforce's own error, and what trying again can do. */
export interface SalesforceFailure {
  /** Salesforce's `errorCode` (`REQUIRED_FIELD_MISSING`, …), or the network error's code. */
  readonly errorCode: string | undefined
  readonly message: string
  readonly fields: readonly string[]
  /** The HTTP status of the answer, when there was one. */
  readonly status: number | undefined
  /** Trying the same request later can succeed. */
  readonly retryable: boolean
  /** Whether the adapter retries it before giving up (reads may be repeated; writes only when not done). */
  readonly retryInProcess: RetryInProcess
}

/**
 * Error codes that say the request was refused for what it asked (a value, a field, a permission, the
 * query): the same request fails again, so they are not retryable.
 */
const REFUSED = new Set([
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
  'INVALID_TYPE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'INVALID_CROSS_REFERENCE_KEY',
  'INVALID_ID_FIELD',
  'MALFORMED_ID',
  'MALFORMED_QUERY',
  'REQUIRED_FIELD_MISSING',
  'DUPLICATES_DETECTED',
  'DUPLICATE_VALUE',
  'STRING_TOO_LONG',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'JSON_PARSER_ERROR',
  'NOT_FOUND',
  'ENTITY_IS_DELETED',
  'INSUFFICIENT_ACCESS',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'API_DISABLED_FOR_ORG',
  'API_CURRENTLY_DISABLED',
  'INVALID_SESSION_ID',
  'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
  'CANNOT_UPDATE_CONVERTED_LEAD',
  'INACTIVE_OWNER_OR_USER',
  'INVALID_EMAIL_ADDRESS',
  'INVALID_QUERY_FILTER_OPERATOR',
  'DELETE_FAILED',
])

/** Salesforce did not carry the request out and says so: safe to send again, writes included. */
const NOT_CARRIED_OUT = new Set(['UNABLE_TO_LOCK_ROW', 'SERVER_UNAVAILABLE', 'ERROR_HTTP_503'])

/** Connection errors before anything was sent: safe to send again, writes included. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'])

/** Connection errors after the request may have been sent: only reads are sent again. */
const LOST = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET', 'ESOCKETTIMEDOUT', 'ENETDOWN'])

interface SalesforceErrorBody {
  readonly errorCode?: unknown
  readonly message?: unknown
  readonly fields?: unknown
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null

const text = (value: unknown) => (typeof value === 'string' ? value : undefined)

const fieldsOf = (body: SalesforceErrorBody | undefined): string[] =>
  Array.isArray(body?.fields) ? body.fields.filter((each): each is string => typeof each === 'string') : []

/** Reads jsforce's error (`HttpApiError`: `errorCode`, `message`, `data` = Salesforce's error body). */
export function describeFailure(error: unknown, status: number | undefined): SalesforceFailure {
  if (!(error instanceof Error))
    return {
      errorCode: undefined,
      message: String(error),
      fields: [],
      status,
      ...classify(undefined, status),
    }
  const record = error as Error & { errorCode?: unknown; data?: unknown; code?: unknown; type?: unknown }
  // Several errors in one answer (jsforce: MULTIPLE_API_ERRORS, `data` the array): the first names the case.
  const bodies: SalesforceErrorBody[] = Array.isArray(record.data)
    ? record.data.filter(isRecord)
    : isRecord(record.data)
      ? [record.data]
      : []
  const first = bodies[0]
  let errorCode = text(first?.errorCode) ?? text(record.errorCode)
  let message = bodies.length > 0 ? bodies.map((body) => text(body.message) ?? '').join('; ') : error.message
  const fields = [...new Set(bodies.flatMap(fieldsOf))]

  if (error.name === 'AbortError' || error.message === 'Request Timeout') {
    errorCode = 'TIMEOUT'
    message = 'no answer in time'
  } else if (typeof record.code === 'string' && (NOT_SENT.has(record.code) || LOST.has(record.code))) {
    errorCode = record.code
  } else if (error.message.startsWith('Unable to refresh session due to:')) {
    // jsforce's session refresh failed (the refresh token was revoked, the connected app changed…).
    errorCode = 'INVALID_SESSION_ID'
    message = `the session is invalid and refreshing it failed (${error.message.slice(33).trim()})`
  }
  return { errorCode, message, fields, status, ...classify(errorCode, status) }
}

function classify(
  errorCode: string | undefined,
  status: number | undefined,
): Pick<SalesforceFailure, 'retryable' | 'retryInProcess'> {
  // The org's rolling 24-hour API request limit: only time helps, far longer than a retry waits.
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') return { retryable: true, retryInProcess: 'never' }
  if (errorCode !== undefined && NOT_CARRIED_OUT.has(errorCode))
    return { retryable: true, retryInProcess: 'always' }
  if (errorCode !== undefined && NOT_SENT.has(errorCode)) return { retryable: true, retryInProcess: 'always' }
  if (errorCode === 'TIMEOUT' || (errorCode !== undefined && LOST.has(errorCode)))
    return { retryable: true, retryInProcess: 'reads' }
  if (errorCode !== undefined && REFUSED.has(errorCode)) return { retryable: false, retryInProcess: 'never' }
  if (status === 503) return { retryable: true, retryInProcess: 'always' }
  if (status !== undefined && status >= 500) return { retryable: true, retryInProcess: 'reads' }
  return { retryable: false, retryInProcess: 'never' }
}

const HINTS: Readonly<Record<string, string>> = {
  REQUEST_LIMIT_EXCEEDED:
    "the org's 24-hour API request limit is used up; try again later, or ask Salesforce for a higher limit",
  INVALID_SESSION_ID:
    'the access token is invalid or expired; give createSalesforceCrm an oauth connected app and refresh token to have it refreshed',
  UNABLE_TO_LOCK_ROW: 'another process held the record; try again later',
  INVALID_FIELD:
    'check the field API names of the mapping (and that the integration user can see them: field-level security)',
  INVALID_FIELD_FOR_INSERT_UPDATE:
    'the field is read-only for the integration user (field-level security, or a formula field)',
  DUPLICATES_DETECTED: "a duplicate rule of the org blocked the record; change the rule's action or the data",
  TIMEOUT: 'Salesforce did not answer in time',
}

/** The one error paceline raises for a failed Salesforce operation. */
export function salesforceError(
  operation: string,
  failure: SalesforceFailure,
  cause: unknown,
  usage?: SalesforceApiUsage,
): PacelineError {
  const code = failure.errorCode === undefined ? '' : `${failure.errorCode}: `
  const fields = failure.fields.length === 0 ? '' : ` (fields: ${failure.fields.join(', ')})`
  const hint = failure.errorCode === undefined ? undefined : HINTS[failure.errorCode]
  return new PacelineError(
    PacelineErrorCodes.crmFailed,
    `Salesforce ${operation} failed: ${code}${failure.message}${fields}${hint === undefined ? '' : ` — ${hint}`}`,
    {
      cause,
      isRetryable: failure.retryable,
      details: {
        errorCode: failure.errorCode,
        fields: failure.fields,
        status: failure.status,
        ...(usage === undefined ? {} : { apiUsage: usage }),
      },
    },
  )
}

/** A refusal decided here, before any request (an id of the wrong object, a feature the org lacks). */
export function refusal(
  operation: string,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
): PacelineError {
  return new PacelineError(PacelineErrorCodes.crmFailed, `Salesforce ${operation} refused: ${message}`, {
    isRetryable: false,
    details: { errorCode: undefined, fields: [], status: undefined, ...details },
  })
}
