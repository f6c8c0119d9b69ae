import type { z } from 'zod'
import type { ReachkitErrorCode } from './error-codes'
import type { ValidationIssue } from './validation-issue'
import { issuesFromZod } from './zod-issues'

export interface ReachkitErrorOptions {
  readonly cause?: unknown
  readonly issues?: readonly ValidationIssue[]
  readonly isRetryable?: boolean
  readonly details?: Readonly<Record<string, unknown>>
}

/**
 * The one error family of reachkit. Switch on `code` (stable, see `ReachkitErrorCodes`); read `issues`
 * for validation failures (each names the field or step and the rule), `details` for the facts of the
 * failure (for example `from` and `to` of an illegal transition) and `isRetryable` to know whether trying
 * again later can succeed.
 */
export class ReachkitError extends Error {
  override readonly name = 'ReachkitError'
  readonly code: ReachkitErrorCode
  readonly issues: readonly ValidationIssue[]
  readonly isRetryable: boolean
  readonly details: Readonly<Record<string, unknown>>

  constructor(code: ReachkitErrorCode, message: string, options: ReachkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.issues = options.issues ?? []
    this.isRetryable = options.isRetryable ?? false
    this.details = options.details ?? {}
  }

  /** True when `error` is a ReachkitError, and has `code` when one is given. */
  static is(error: unknown, code?: ReachkitErrorCode): error is ReachkitError {
    return error instanceof ReachkitError && (code === undefined || error.code === code)
  }

  /** Builds a validation error whose message lists every issue, one per line. */
  static fromIssues(
    code: ReachkitErrorCode,
    subject: string,
    issues: readonly ValidationIssue[],
  ): ReachkitError {
    const lines = issues.map((each) => `  - ${each.field === '' ? '(root)' : each.field}: ${each.message}`)
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`
    return new ReachkitError(code, `${subject} has ${count}:\n${lines.join('\n')}`, { issues })
  }

  /**
   * Builds a validation error from a zod error, with reachkit's issue rules and messages: for adapters that
   * validate their own options with zod (parse with `reportInput: true` so messages can quote the input).
   */
  static fromZod(code: ReachkitErrorCode, subject: string, error: z.ZodError): ReachkitError {
    return ReachkitError.fromIssues(code, subject, issuesFromZod(error))
  }
}
