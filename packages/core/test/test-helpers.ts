import { expect } from 'vitest'
import { PacelineError, type PacelineErrorCode, type Result, type ValidationIssue } from '../src/index'

/** Runs `action`, expects a PacelineError with `code`, and returns it. */
export function expectThrows(action: () => unknown, code: PacelineErrorCode): PacelineError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(PacelineError)
    expect((error as PacelineError).code).toBe(code)
    return error as PacelineError
  }
  throw new Error(`expected a PacelineError with code ${code}, but nothing was thrown`)
}

/** Awaits a call that must be refused, expects a PacelineError, and returns it (for its code and details). */
export async function refusal(call: Promise<unknown>): Promise<PacelineError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(PacelineError)
  return error as PacelineError
}

/** Expects a failed result with `code` and returns its error. */
export function expectFailure<T>(result: Result<T>, code: PacelineErrorCode): PacelineError {
  if (result.ok) throw new Error(`expected a failure with code ${code}, got success`)
  expect(result.error).toBeInstanceOf(PacelineError)
  expect(result.error.code).toBe(code)
  return result.error
}

export function expectSuccess<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`)
  return result.value
}

/** Finds the issue with `rule` on `field` (and `stepId` when given), failing with every issue listed if absent. */
export function expectIssue(
  error: PacelineError,
  expected: { rule: string; field: string; stepId?: string },
): ValidationIssue {
  const found = error.issues.find(
    (each) =>
      each.rule === expected.rule &&
      each.field === expected.field &&
      (expected.stepId === undefined || each.stepId === expected.stepId),
  )
  if (found === undefined) {
    const listed = error.issues
      .map((each) => `${each.rule} @ ${each.field} (${each.stepId ?? '-'})`)
      .join('\n  ')
    throw new Error(`expected issue ${JSON.stringify(expected)}; got:\n  ${listed}`)
  }
  expect(error.message).toContain(expected.field)
  return found
}
