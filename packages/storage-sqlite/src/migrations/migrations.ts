import { ReachkitError, ReachkitErrorCodes } from '@reachkit/core'
import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely'
import { initialMigration } from './001-initial'
import { secretsMigration } from './002-secrets'

/** Every schema version this package knows, in order. Released migrations never change. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': initialMigration,
  '002_secrets': secretsMigration,
}

export const MIGRATION_TABLE = 'rk_migration'
const MIGRATION_LOCK_TABLE = 'rk_migration_lock'

export interface MigrationReport {
  /** Migrations applied now, in order. */
  readonly applied: readonly string[]
  /** The schema version the database is at. */
  readonly version: string
}

export function migrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  })
}

/** Schema changes a database has that this package does not know (a newer package wrote them). */
export function unknownMigrations(database: {
  prepare(sql: string): { all(...values: unknown[]): unknown[] }
}): string[] {
  const table = database
    .prepare("select name from sqlite_master where type = 'table' and name = ?")
    .all(MIGRATION_TABLE)
  if (table.length === 0) return []
  const rows = database.prepare(`select name from "${MIGRATION_TABLE}"`).all() as { name: string }[]
  return rows.map((row) => row.name).filter((name) => !Object.hasOwn(MIGRATIONS, name))
}

export function schemaTooNew(unknown: readonly string[]): ReachkitError {
  return new ReachkitError(
    ReachkitErrorCodes.storageSchemaTooNew,
    `This database was written by a newer version of @reachkit/storage-sqlite (it has schema change ${unknown.join(', ')}, which this version does not know). Upgrade the package; the database was not changed.`,
    { details: { unknown, known: Object.keys(MIGRATIONS) } },
  )
}

/**
 * Brings a database to the newest schema this package knows. A database created by a newer package
 * (with migrations this one does not know) is refused before anything is written.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  database: { exec(sql: string): unknown; readonly inTransaction: boolean },
  target?: string,
): Promise<MigrationReport> {
  // Kysely runs SQLite migrations outside a transaction (its adapter reports no transactional DDL), but
  // SQLite has it: all pending migrations go in one write transaction, so a crash or a failure half-way
  // leaves the database as it was, and two processes opening one file migrate one after the other.
  database.exec('begin immediate')
  try {
    const report = await migrateInTransaction(db, target)
    database.exec('commit')
    return report
  } catch (error) {
    if (database.inTransaction) database.exec('rollback')
    throw error
  }
}

async function migrateInTransaction(db: Kysely<unknown>, target?: string): Promise<MigrationReport> {
  const known = Object.keys(MIGRATIONS)
  const applied = await appliedMigrations(db)
  const unknown = applied.filter((name) => !known.includes(name))
  if (unknown.length > 0) throw schemaTooNew(unknown)
  const run = migrator(db)
  const result: MigrationResultSet =
    target === undefined ? await run.migrateToLatest() : await run.migrateTo(target)
  if (result.error !== undefined) {
    throw new ReachkitError(
      ReachkitErrorCodes.storageFailed,
      `Migrating the database failed at ${result.results?.find((each) => each.status === 'Error')?.migrationName ?? 'an unknown step'}; it was rolled back.`,
      { cause: result.error },
    )
  }
  const done = (result.results ?? [])
    .filter((each) => each.status === 'Success')
    .map((each) => each.migrationName)
  const all = await appliedMigrations(db)
  return { applied: done, version: all[all.length - 1] ?? 'none' }
}

async function appliedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const exists = await sql<{
    name: string
  }>`select name from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`.execute(db)
  if (exists.rows.length === 0) return []
  const rows = await sql<{
    name: string
  }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db)
  return rows.rows.map((row) => row.name)
}
