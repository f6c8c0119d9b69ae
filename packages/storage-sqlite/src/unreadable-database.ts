import { PacelineError, PacelineErrorCodes } from '@paceline/core'

/** SQLite's answers for a file that is not a database, or one whose pages are damaged. */
const UNREADABLE = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB'])

/**
 * The error a host can act on for a file SQLite cannot read, or undefined for any other failure. Raw
 * `SqliteError`s say "file is not a database" without saying which file or what to do.
 */
export function unreadableDatabase(error: unknown, file: string | undefined): PacelineError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code
  if (typeof code !== 'string' || !UNREADABLE.has(code)) return undefined
  const which = file === undefined ? 'The SQLite database' : `'${file}'`
  const advice =
    code === 'SQLITE_NOTADB'
      ? 'it is not a SQLite database (or it is encrypted by another tool). Check the filename; to start a new store, give a file that does not exist yet'
      : 'it is corrupt. Restore it from a backup (or run `sqlite3 FILE ".recover"` on a copy); nothing more was written to it'
  return new PacelineError(
    PacelineErrorCodes.storageUnreadable,
    `${which} cannot be opened as a paceline store: ${advice}.`,
    {
      cause: error,
      details: { ...(file === undefined ? {} : { file }), sqliteCode: code },
    },
  )
}
