import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type pg from 'pg'
import { z } from 'zod'

interface CommonOptions {
  /**
   * The PostgreSQL schema the tables live in. Default `public`. Several stores (or test runs) can share one
   * database in different schemas; it is created when missing.
   */
  readonly schema?: string
  /**
   * 32 bytes (Uint8Array, 64 hex characters or base64) to encrypt secrets at rest with AES-256-GCM, the
   * scheme `@paceline/storage-sqlite` uses. Without it, secrets are stored as given and the store says so once.
   */
  readonly encryptionKey?: Uint8Array | string
  /** Run migrations on open. Default true; with false, call `migrate()` yourself. */
  readonly migrate?: boolean
  /**
   * How long a transaction keeps being retried while PostgreSQL cannot be reached (a restart, a failover)
   * or concurrent transactions conflict with it, before it fails. Default 30000.
   */
  readonly retryForMs?: number
  /** Retries of a transaction that conflicts with concurrent ones (serialization failure, deadlock). Default 12. */
  readonly maxConflictRetries?: number
  /** Where notices go (the missing-key notice, connections lost and retried). Default console.warn. */
  readonly onWarning?: (message: string) => void
}

export type CreatePostgresStorageOptions =
  | (CommonOptions & {
      /** `postgres://user:password@host:5432/database`; the store creates and ends its own pool. */
      readonly connectionString: string
      /** Connections in the store's own pool. Default 10. */
      readonly poolSize?: number
    })
  | (CommonOptions & {
      /** Your own `pg.Pool`; `close()` leaves it open. */
      readonly pool: pg.Pool
    })

const isFunction = (value: unknown) => typeof value === 'function'

const optionsSchema = z
  .strictObject({
    connectionString: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    poolSize: z.number().int().min(1).max(1000).optional(),
    pool: z
      .custom<pg.Pool>(
        (value) =>
          typeof value === 'object' &&
          value !== null &&
          isFunction((value as pg.Pool).connect) &&
          isFunction((value as pg.Pool).query),
        { message: 'must be a pg Pool (new pg.Pool(...))', params: { rule: 'invalid_type' } },
      )
      .optional(),
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, {
        message: 'must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63)',
      })
      .optional(),
    encryptionKey: z.union([z.instanceof(Uint8Array), z.string()]).optional(),
    migrate: z.boolean().optional(),
    retryForMs: z.number().int().min(0).max(3_600_000).optional(),
    maxConflictRetries: z.number().int().min(0).max(1000).optional(),
    onWarning: z.custom<(message: string) => void>(isFunction, { message: 'must be a function' }).optional(),
  })
  .refine((options) => (options.connectionString === undefined) !== (options.pool === undefined), {
    message: 'give exactly one of `connectionString` (a postgres:// URL) and `pool` (a pg.Pool)',
    params: { rule: 'one_of' },
  })
  .refine((options) => options.pool === undefined || options.poolSize === undefined, {
    message: '`poolSize` sizes the store’s own pool; with your `pool`, size it there (`max`)',
    path: ['poolSize'],
    params: { rule: 'not_with_pool' },
  })

/** Checks the options of `createPostgresStorage`, naming each field that is wrong and why. */
export function parseStorageOptions(options: unknown): CreatePostgresStorageOptions {
  const result = optionsSchema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createPostgresStorage options',
      result.error,
    )
  return options as CreatePostgresStorageOptions
}
