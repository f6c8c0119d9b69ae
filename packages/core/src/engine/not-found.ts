import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'

/** The `not_found` error for a missing identity, campaign, lead, ... of the workspace. */
export function notFound(what: string, id: string): PacelineError {
  return new PacelineError(PacelineErrorCodes.notFound, `No ${what} '${id}' in this workspace.`, {
    details: { what, id },
  })
}
