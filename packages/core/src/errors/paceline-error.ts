import type { z } from 'zod'
import type { PacelineErrorCode } from './error-codes'
import type { ValidationIssue } from './validation-issue'
import { issuesFromZod } from './zod-issues'

export interface PacelineErrorOptions {
  readonly cause?: unknown
  readonly issues?: readonly ValidationIssue[]
  readonly isRetryable?: boolean
  readonly details?: Readonly<Record<string, unknown>>
}

/**
 * The one error family of paceline. Switch on `code` (stable, see `PacelineErrorCodes`); read `issues`
 * for validation failures (each names the field or step and the rule), `details` for the facts of the
 * failure (for example `from` and `to` of an illegal transition) and `isRetryable` to know whether trying
 * again later can succeed.
 */
export class PacelineError extends Error {
  override readonly name = 'PacelineError'
  readonly code: PacelineErrorCode
  readonly issues: readonly ValidationIssue[]
  readonly isRetryable: boolean
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: PacelineErrorCode, message: string, options: PacelineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.issues = options.issues ?? []
    this.isRetryable = options.isRetryable ?? false
    this.details = options.details ?? {}
  }

  /** True when `error` is a PacelineError, and has `code` when one is given. */
  static is(error: unknown, code?: PacelineErrorCode): error is PacelineError {
    return error instanceof PacelineError && (code === undefined || error.code === code)
  }

  /** Builds a validation error whose message lists every issue, one per line. */
  static fromIssues(
    code: PacelineErrorCode,
    subject: string,
    issues: readonly ValidationIssue[],
  ): PacelineError {
    const lines = issues.map((each) => `  - ${each.field === '' ? '(root)' : each.field}: ${each.message}`)
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
    return new PacelineError(code, `${subject} has ${count}:\n${lines.join('\n')}`, { issues })
  }

  /**
   * Builds a validation error from a zod error, with paceline's issue rules and messages: for adapters that
   * validate their own options with zod (parse with `reportInput: true` so messages can quote the input).
   */
  static fromZod(code: PacelineErrorCode, subject: string, error: z.ZodError): PacelineError {
    return PacelineError.fromIssues(code, subject, issuesFromZod(error))
  }
}
