import { PacelineErrorCodes } from './error-codes'
import { PacelineError } from './paceline-error'

/**
 * Whether a rejected inbound delivery can never succeed, so the adapter should move past the event (advance
 * its cursor, answer a webhook 4xx) rather than hold it and retry. Only a refused event is permanent (the
 * engine records it as a dead letter first); every other failure (storage down, a host's own subscriber
 * throwing) is treated as transient, so nothing is lost.
 */
export function isPermanentRejection(error: unknown): boolean {
  return PacelineError.is(error, PacelineErrorCodes.invalidEvent)
}
