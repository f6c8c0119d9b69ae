import { type Kysely, type Migration, sql } from 'kysely'

/**
 * Before its first release this project was called reachkit, and the files it wrote carry that name: tables
 * and indexes `rk_*`, idempotency keys `rk-…`, CRM field mappings `{ reachkit: … }` with the sync option
 * `reachkit_overwrites`, and secrets sealed with `reachkit:v1:…` as their additional data. This module is
 * the one place that still knows those names, so a file written then opens now with everything readable.
 */

const LEGACY_TABLE_PREFIX = 'rk_'
const TABLE_PREFIX = 'paceline_'
export const LEGACY_MIGRATION_TABLE = `${LEGACY_TABLE_PREFIX}migration`

/** What the renaming needs of a better-sqlite3 database. */
interface SqliteSchema {
  prepare(sql: string): { all(...values: unknown[]): unknown[] }
  exec(sql: string): unknown
}

/**
 * Renames the legacy tables and indexes to their paceline names. Runs inside the migration transaction,
 * before the migrator reads its own table (which is one of them). Returns whether there was anything to do.
 */
export function renameLegacyTables(database: SqliteSchema): boolean {
  const legacy = (type: 'table' | 'index') =>
    database
      .prepare(
        `select name, sql from sqlite_master where type = ? and name like '${LEGACY_TABLE_PREFIX.replace('_', '\\_')}%' escape '\\' order by name`,
      )
      .all(type) as { name: string; sql: string | null }[]
  const tables = legacy('table')
  if (!tables.some((table) => table.name === LEGACY_MIGRATION_TABLE)) return false
  for (const { name } of tables) database.exec(`alter table "${name}" rename to "${renamed(name)}"`)
  // SQLite renames no index with its table; indexes are rebuilt under the new name (autoindexes have no SQL).
  for (const index of legacy('index')) {
    if (index.sql === null) continue
    database.exec(`drop index "${index.name}"`)
    database.exec(index.sql.replace(`"${index.name}"`, `"${renamed(index.name)}"`))
  }
  return true
}

const renamed = (name: string) => `${TABLE_PREFIX}${name.slice(LEGACY_TABLE_PREFIX.length)}`

/** The additional data legacy secrets were sealed with; the store opens them with it and reseals on write. */
export const legacySecretRow = (workspace: string, key: string) => `reachkit:v1:${workspace}:secrets:${key}`

const LEGACY_KEY = /^rk-(?=[0-9a-f]{16}$)/

/**
 * Rewrites the stored values that carried the old name: claim keys (`rk-…` → `pl-…`, so the key the engine
 * computes for a (lead, step) finds the claim made before, and at-most-once holds across the rename), the
 * enrolments that point at them, and CRM configurations. Message-IDs already sent stay as they were sent.
 */
export const pacelineNamesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const claims = await sql<{
      workspace_id: string
      key: string
      doc: string
    }>`select workspace_id, key, doc from paceline_claims where key like 'rk-%'`.execute(db)
    for (const claim of claims.rows) {
      if (!LEGACY_KEY.test(claim.key)) continue
      const key = claim.key.replace(LEGACY_KEY, 'pl-')
      const doc = JSON.stringify({ ...JSON.parse(claim.doc), key })
      await sql`update paceline_claims set key = ${key}, doc = ${doc} where workspace_id = ${claim.workspace_id} and key = ${claim.key}`.execute(
        db,
      )
    }
    const enrolments = await sql<{
      workspace_id: string
      key: string
      doc: string
    }>`select workspace_id, key, doc from paceline_enrolments where json_extract(doc, '$.claimKey') like 'rk-%'`.execute(
      db,
    )
    for (const enrolment of enrolments.rows) {
      const document = JSON.parse(enrolment.doc) as { claimKey: string }
      if (!LEGACY_KEY.test(document.claimKey)) continue
      const doc = JSON.stringify({ ...document, claimKey: document.claimKey.replace(LEGACY_KEY, 'pl-') })
      await sql`update paceline_enrolments set doc = ${doc} where workspace_id = ${enrolment.workspace_id} and key = ${enrolment.key}`.execute(
        db,
      )
    }
    const configs = await sql<{
      workspace_id: string
      doc: string
    }>`select workspace_id, doc from paceline_state where key = 'crm-config'`.execute(db)
    for (const config of configs.rows) {
      const doc = JSON.stringify(renameCrmConfig(JSON.parse(config.doc)))
      await sql`update paceline_state set doc = ${doc} where workspace_id = ${config.workspace_id} and key = 'crm-config'`.execute(
        db,
      )
    }
  },
}

/**
 * A stored CRM configuration with the old names: every `{ reachkit: path }` (field mappings and custom
 * identifier conditions) becomes `{ paceline: path }`, and the sync option `reachkit_overwrites` becomes
 * `paceline_overwrites`. CRM field names and values are the customer's own and are left alone.
 */
function renameCrmConfig(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameCrmConfig)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, each] of Object.entries(value)) {
    if (key === 'reachkit' && typeof each === 'string') out.paceline = each
    else if (key === 'direction' && each === 'reachkit_overwrites') out.direction = 'paceline_overwrites'
    else out[key] = renameCrmConfig(each)
  }
  return out
}
