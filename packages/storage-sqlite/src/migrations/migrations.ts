import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely'
import { initialMigration } from './001-initial'
import { secretsMigration } from './002-secrets'
import { LEGACY_MIGRATION_TABLE, pacelineNamesMigration, renameLegacyTables } from './003-paceline-names'
import { conversationsMigration } from './004-conversations'
import { analyticsMigration } from './005-analytics'
import { listsMigration } from './006-lists'
import { withdrawalsMigration } from './007-withdrawals'

/** Every schema version this package knows, in order. Released migrations never change. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001_initial': initialMigration,
  '002_secrets': secretsMigration,
  '003_paceline_names': pacelineNamesMigration,
  '004_conversations': conversationsMigration,
  '005_analytics': analyticsMigration,
  '006_lists': listsMigration,
  '007_withdrawals': withdrawalsMigration,
}

export const MIGRATION_TABLE = 'paceline_migration'
const MIGRATION_LOCK_TABLE = 'paceline_migration_lock'

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
  const table = migrationTableOf(database)
  if (table === undefined) return []
  const rows = database.prepare(`select name from "${table}"`).all() as { name: string }[]
  return rows.map((row) => row.name).filter((name) => !Object.hasOwn(MIGRATIONS, name))
}

/** The table that lists a database's migrations: ours, the one written under the project's former name, or none. */
function migrationTableOf(database: {
  prepare(sql: string): { all(...values: unknown[]): unknown[] }
}): string | undefined {
  const found = database
    .prepare("select name from sqlite_master where type = 'table' and name in (?, ?)")
    .all(MIGRATION_TABLE, LEGACY_MIGRATION_TABLE) as { name: string }[]
  const names = found.map((row) => row.name)
  return names.includes(MIGRATION_TABLE) ? MIGRATION_TABLE : names[0]
}

export function schemaTooNew(unknown: readonly string[]): PacelineError {
  return new PacelineError(
    PacelineErrorCodes.storageSchemaTooNew,
    `This database was written by a newer version of @paceline/storage-sqlite (it has schema change ${unknown.join(', ')}, which this version does not know). Upgrade the package; the database was not changed.`,
    { details: { unknown, known: Object.keys(MIGRATIONS) } },
  )
}

/**
 * Brings a database to the newest schema this package knows. A database created by a newer package
 * (with migrations this one does not know) is refused before anything is written.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  database: {
    exec(sql: string): unknown
    prepare(sql: string): { all(...values: unknown[]): unknown[] }
    readonly inTransaction: boolean
  },
  target?: string,
): Promise<MigrationReport> {
  // Kysely runs SQLite migrations outside a transaction (its adapter reports no transactional DDL), but
  // SQLite has it: all pending migrations go in one write transaction, so a crash or a failure half-way
  // leaves the database as it was, and two processes opening one file migrate one after the other.
  database.exec('begin immediate')
  try {
    const unknown = unknownMigrations(database)
    if (unknown.length > 0) throw schemaTooNew(unknown)
    renameLegacyTables(database)
    const report = await migrateInTransaction(db, target)
    database.exec('commit')
    return report
  } catch (error) {
    if (database.inTransaction) database.exec('rollback')
    throw error
  }
}

async function migrateInTransaction(db: Kysely<unknown>, target?: string): Promise<MigrationReport> {
  const run = migrator(db)
  const result: MigrationResultSet =
    target === undefined ? await run.migrateToLatest() : await run.migrateTo(target)
  if (result.error !== undefined) {
    throw new PacelineError(
      PacelineErrorCodes.storageFailed,
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
