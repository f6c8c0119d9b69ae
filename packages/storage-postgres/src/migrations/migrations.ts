import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely'
import type pg from 'pg'
import { initialMigration } from './001-initial'
import { withdrawalsMigration } from './002-withdrawals'

/** Every schema version this package knows, in order. Released migrations never change. */
export function migrationsFor(schema: string): Readonly<Record<string, Migration>> {
  return {
    '001_initial': initialMigration(schema),
    '002_withdrawals': withdrawalsMigration(schema),
  }
}

export const MIGRATION_TABLE = 'paceline_migration'
const MIGRATION_LOCK_TABLE = 'paceline_migration_lock'

export interface MigrationReport {
  /** Migrations applied now, in order. */
  readonly applied: readonly string[]
  /** The schema version the database is at. */
  readonly version: string
}

/**
 * Brings the schema to the newest version this package knows. Processes that start at once take turns on
 * a session advisory lock of the schema, so each migration is applied once; kysely runs the pending ones
 * in one transaction (PostgreSQL has transactional DDL), so a failure half-way leaves the schema as it was.
 * A schema migrated by a newer package (with migrations this one does not know) is refused untouched.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  pool: pg.Pool,
  schema: string,
): Promise<MigrationReport> {
  const lock = await pool.connect()
  let broken: unknown
  try {
    await lock.query('select pg_advisory_lock(hashtextextended($1, 0))', [`paceline:migrate:${schema}`])
    try {
      await refuseNewer(db, schema)
      const result: MigrationResultSet = await migrator(db, schema).migrateToLatest()
      if (result.error !== undefined) {
        throw new PacelineError(
          PacelineErrorCodes.storageFailed,
          `Migrating the PostgreSQL schema '${schema}' failed at ${result.results?.find((each) => each.status === 'Error')?.migrationName ?? 'an unknown step'}; it was rolled back.`,
          { cause: result.error },
        )
      }
      const applied = (result.results ?? [])
        .filter((each) => each.status === 'Success')
        .map((each) => each.migrationName)
      const all = await appliedMigrations(db, schema)
      return { applied, version: all[all.length - 1] ?? 'none' }
    } finally {
      await lock
        .query('select pg_advisory_unlock(hashtextextended($1, 0))', [`paceline:migrate:${schema}`])
        .catch((error: unknown) => {
          broken = error
        })
    }
  } finally {
    // A connection whose unlock failed is closed, which releases the lock with it.
    lock.release(broken instanceof Error ? broken : undefined)
  }
}

/** Refuses a schema that has migrations this package does not know, before anything is written to it. */
export async function refuseNewer(db: Kysely<unknown>, schema: string): Promise<void> {
  const known = migrationsFor(schema)
  const unknown = (await appliedMigrations(db, schema)).filter((name) => !Object.hasOwn(known, name))
  if (unknown.length > 0) {
    throw new PacelineError(
      PacelineErrorCodes.storageSchemaTooNew,
      `The PostgreSQL schema '${schema}' was migrated by a newer version of @paceline/storage-postgres (it has schema change ${unknown.join(', ')}, which this version does not know). Upgrade the package on every worker; the database was not changed.`,
      { details: { schema, unknown, known: Object.keys(known) } },
    )
  }
}

function migrator(db: Kysely<unknown>, schema: string): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrationsFor(schema) }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    migrationTableSchema: schema,
  })
}

/** The migrations applied to the schema, oldest first (none for a new schema). */
export async function appliedMigrations(db: Kysely<unknown>, schema: string): Promise<string[]> {
  const exists = await sql<{
    found: string | null
  }>`select to_regclass(${`${quoteIdent(schema)}.${MIGRATION_TABLE}`}) as found`.execute(db)
  if (exists.rows[0]?.found == null) return []
  const rows = await sql<{
    name: string
  }>`select name from ${sql.table(`${schema}.${MIGRATION_TABLE}`)} order by name`.execute(db)
  return rows.rows.map((row) => row.name)
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`
