import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'

/** The error a store raises for a page `after` a document that is not in the queried index. */
export function afterNotInIndex(collection: string, index: string, key: string): PacelineError {
  return new PacelineError(
    PacelineErrorCodes.invalidQuery,
    `Cannot page ${collection} by index '${index}' after '${key}': that document is not in the index (deleted, or its indexed fields changed). Page after the last document of the previous page in the same transaction, or use a range on the index's fields.`,
    { details: { collection, index, key } },
  )
}
