import type { StoredDocument } from '@paceline/core/ports'
import type Database from 'better-sqlite3'

type SqliteDatabase = InstanceType<typeof Database>

/**
 * The hand-written baseline: one prepared INSERT for a table, writing exactly the row the store writes
 * (workspace, key, the JSON document, and each `f_<field>` index column taken from the document).
 */
export function rawInserter(
  database: SqliteDatabase,
  table: string,
): (workspace: string, key: string, document: StoredDocument) => void {
  const columns = (database.pragma(`table_info(${table})`) as { name: string }[]).map((column) => column.name)
  const fields = columns.filter((column) => column.startsWith('f_')).map((column) => column.slice(2))
  const statement = database.prepare(
    `insert into "${table}" (workspace_id, key, doc${fields.map((field) => `, "f_${field}"`).join('')}) values (?, ?, ?${', ?'.repeat(fields.length)})`,
  )
  return (workspace, key, document) => {
    const values: unknown[] = [workspace, key, JSON.stringify(document)]
    for (const field of fields) {
      const value = document[field]
      values.push(
        typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null,
      )
    }
    statement.run(values)
  }
}
