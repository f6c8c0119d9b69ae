import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type Database from 'better-sqlite3'
import { z } from 'zod'

type SqliteDatabase = InstanceType<typeof Database>

interface CommonOptions {
  /**
   * 32 bytes (Uint8Array, 64 hex characters or base64) to encrypt secrets at rest with AES-256-GCM.
   * Without it, secrets are stored as given and the store says so once when it opens.
   */
  readonly encryptionKey?: Uint8Array | string
  /** Milliseconds a writer waits for another process's lock before failing. Default 5000. */
  readonly busyTimeoutMs?: number
  /**
   * `normal` (default) survives any process crash; `full` also survives a power cut, at the cost of an
   * fsync per commit.
   */
  readonly synchronous?: 'normal' | 'full'
  /** Run migrations on open. Default true; with false, call `migrate()` yourself. */
  readonly migrate?: boolean
  /** Where notices go (the missing-key notice). Default console.warn. */
  readonly onWarning?: (message: string) => void
}

export type CreateSqliteStorageOptions =
  | (CommonOptions & {
      /** A file path, or `:memory:` for a private in-memory database. */
      readonly filename: string
    })
  | (CommonOptions & {
      /** Your own better-sqlite3 database; `close()` leaves it open. */
      readonly database: SqliteDatabase
    })

const isFunction = (value: unknown) => typeof value === 'function'

const optionsSchema = z
  .strictObject({
    filename: z.string().min(1).optional(),
    database: z
      .custom<SqliteDatabase>(
        (value) =>
          typeof value === 'object' && value !== null && isFunction((value as SqliteDatabase).prepare),
        {
          message: 'must be a better-sqlite3 Database (new Database(path))',
          params: { rule: 'invalid_type' },
        },
      )
      .optional(),
    encryptionKey: z.union([z.instanceof(Uint8Array), z.string()]).optional(),
    busyTimeoutMs: z.number().int().min(0).max(600_000).optional(),
    synchronous: z.enum(['normal', 'full']).optional(),
    migrate: z.boolean().optional(),
    onWarning: z.custom<(message: string) => void>(isFunction, { message: 'must be a function' }).optional(),
  })
  .refine((options) => (options.filename === undefined) !== (options.database === undefined), {
    message:
      'give exactly one of `filename` (a path or ":memory:") and `database` (a better-sqlite3 Database)',
    params: { rule: 'one_of' },
  })

/** Checks the options of `createSqliteStorage`, naming each field that is wrong and why. */
export function parseStorageOptions(options: unknown): CreateSqliteStorageOptions {
  const result = optionsSchema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createSqliteStorage options',
      result.error,
    )
  return options as CreateSqliteStorageOptions
}
