import { type CollectionSpec, layoutOf } from '@paceline/core/ports'
import { type Kysely, type SqlBool, sql } from 'kysely'

/**
 * Creates one table per collection: the workspace, the key, the JSON document and a column per index field
 * (declared BLOB, so SQLite stores numbers and text as given and orders numbers first, like the port).
 * Every index leads with the workspace and is partial: a document is in it only when all its fields are set.
 *
 * Released migrations call this: what it creates must never change. A new layout needs a new function.
 */
export async function createCollectionTables(
  db: Kysely<unknown>,
  collections: Readonly<Record<string, CollectionSpec>>,
): Promise<void> {
  for (const [collection, spec] of Object.entries(collections)) {
    const layout = layoutOf(collection, spec)
    let table = db.schema
      .createTable(layout.table)
      .addColumn('workspace_id', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('doc', 'text', (column) => column.notNull())
    for (const { column } of layout.fields) table = table.addColumn(column, 'blob')
    await table.addPrimaryKeyConstraint(`${layout.table}_pk`, ['workspace_id', 'key']).execute()
    for (const index of layout.indexes) {
      const present = index.columns.map((column) => `"${column}" is not null`).join(' and ')
      await db.schema
        .createIndex(index.sqlName)
        .on(layout.table)
        .columns(['workspace_id', ...index.columns, 'key'])
        .where(sql.raw<SqlBool>(present))
        .execute()
    }
  }
}
