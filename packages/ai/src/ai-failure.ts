import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import {
  APICallError,
  JSONParseError,
  NoContentGeneratedError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  RetryError,
  TypeValidationError,
} from 'ai'

/** The provider's four calls, as errors name them. */
export type AiOperation = 'generateMessage' | 'fillVariables' | 'classifyReply' | 'suggestReply'

/** Why an AI call failed, in `PacelineError.details.reason`. */
export type AiFailureReason =
  /** The model's API refused the request (`status` says how), or could not be reached (no `status`). */
  | 'api_error'
  /** No answer within `timeoutMs`, retries included. */
  | 'timeout'
  /** The answer was not the JSON the call asked for (a missing field, a value outside its options). */
  | 'invalid_output'
  /** The model wrote an empty text. */
  | 'empty_text'
  /** The model wrote more characters than the request allows. */
  | 'too_long'
  /** Anything else the AI SDK threw (an unsupported setting, a malformed model). */
  | 'failed'

/** `details` of the `channel_failed` errors this package throws. */
export interface AiFailedDetails {
  readonly operation: AiOperation
  /** `provider/modelId`, as the AI SDK model names itself (`openai.responses/gpt-4o-mini`). */
  readonly model: string
  readonly reason: AiFailureReason
  /** The HTTP status of the last refused request, when the API answered. */
  readonly status?: number
  /** Requests sent, when the AI SDK retried. */
  readonly attempts?: number
  /** The AI SDK error's name (`AI_APICallError`, `AI_NoObjectGeneratedError`, ...). */
  readonly errorName?: string
  readonly timeoutMs?: number
  readonly length?: number
  readonly maxLength?: number
}

/** The name of a model in messages: `provider/modelId`. */
export function modelNameOf(model: { readonly provider?: unknown; readonly modelId?: unknown }): string {
  const provider = typeof model.provider === 'string' ? model.provider : 'unknown'
  const modelId = typeof model.modelId === 'string' ? model.modelId : 'unknown'
  return `${provider}/${modelId}`
}

/**
 * The one error this package throws when a call fails: `channel_failed`, naming the call and the model.
 * Its message and details never carry the prompt, the lead's data or an API key; the AI SDK's error is not
 * attached as `cause`, since it holds the whole request body.
 */
export function aiFailed(
  operation: AiOperation,
  model: string,
  what: string,
  isRetryable: boolean,
  details: Omit<AiFailedDetails, 'operation' | 'model'>,
): PacelineError {
  return new PacelineError(PacelineErrorCodes.channelFailed, `AI ${operation} with ${model} ${what}`, {
    isRetryable,
    details: { operation, model, ...details },
  })
}

/** Translates what the AI SDK threw into `channel_failed`, taking `isRetryable` from the AI SDK's error. */
export function aiFailureOf(
  operation: AiOperation,
  model: string,
  error: unknown,
  timedOut: { readonly timeoutMs: number } | undefined,
): PacelineError {
  if (PacelineError.is(error)) return error
  if (timedOut !== undefined) {
    return aiFailed(operation, model, `got no answer within ${timedOut.timeoutMs} ms`, true, {
      reason: 'timeout',
      timeoutMs: timedOut.timeoutMs,
      ...nameOf(error),
    })
  }
  if (RetryError.isInstance(error)) {
    const last = error.lastError
    const attempts = error.errors.length
    // maxRetriesExceeded: every attempt failed for a passing reason; errorNotRetryable: the last one did not.
    const isRetryable = error.reason === 'maxRetriesExceeded' ? true : retryableOf(last)
    return aiFailed(operation, model, `failed after ${attempts} attempts: ${describe(last)}`, isRetryable, {
      ...detailsOf(last),
      attempts,
    })
  }
  return aiFailed(operation, model, `failed: ${describe(error)}`, retryableOf(error), detailsOf(error))
}

function retryableOf(error: unknown): boolean {
  return APICallError.isInstance(error) ? error.isRetryable : false
}

function isInvalidOutput(error: unknown): boolean {
  return (
    NoObjectGeneratedError.isInstance(error) ||
    NoOutputGeneratedError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    JSONParseError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error)
  )
}

function detailsOf(error: unknown): Omit<AiFailedDetails, 'operation' | 'model'> {
  if (APICallError.isInstance(error))
    return {
      reason: 'api_error',
      ...(error.statusCode === undefined ? {} : { status: error.statusCode }),
      ...nameOf(error),
    }
  return { reason: isInvalidOutput(error) ? 'invalid_output' : 'failed', ...nameOf(error) }
}

/** What went wrong, in words that quote neither the request nor the vendor's message (it may echo a key). */
function describe(error: unknown): string {
  if (APICallError.isInstance(error)) {
    const retry = error.isRetryable ? 'retryable' : 'not retryable'
    if (error.statusCode !== undefined) return `the API answered HTTP ${error.statusCode} (${retry})`
    const code = networkCodeOf(error.cause)
    return `could not reach the API${code === undefined ? '' : ` (${code})`} (${retry})`
  }
  if (isInvalidOutput(error)) return 'the answer did not match the expected JSON'
  const name = error instanceof Error ? error.name : typeof error
  return `an error ${name} was thrown`
}

function networkCodeOf(cause: unknown): string | undefined {
  for (
    let current = cause, depth = 0;
    depth < 3 && typeof current === 'object' && current !== null;
    depth++
  ) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function nameOf(error: unknown): { errorName?: string } {
  return error instanceof Error ? { errorName: error.name } : {}
}
