import type { PacelineError } from './paceline-error'

/**
 * What pure transitions return instead of throwing: hosts branch on `ok` and read a typed `error`.
 * Use `unwrap` where an exception is the better fit.
 */
export type Result<T, E = PacelineError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E }

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value }
}

export function err<E>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error }
}

/** Returns the value of a successful result, or throws its error. */
export function unwrap<T, E>(result: Result<T, E>): T {
  if (result.ok) return result.value
  throw result.error
}
