import { type CollectionSpec, layoutOf } from '@paceline/core/ports'
import { type Kysely, type SqlBool, sql } from 'kysely'

/**
 * Creates one table per collection in `schema`: the workspace, the key (both compared bytewise, collation
 * "C", whatever the database's default), the JSON document as text (kept exactly as written; `jsonb` would
 * refuse a `\u0000` in a lead's name) and a `bytea` column per index field holding the order-preserving
 * encoding of `index-key.ts`. Every index leads with the workspace, ends with the key and is partial: a
 * document is in it only when all its fields are set.
 *
 * Released migrations call this: what it creates must never change. A new layout needs a new function.
 */
export async function createCollectionTables(
  db: Kysely<unknown>,
  schema: string,
  collections: Readonly<Record<string, CollectionSpec>>,
): Promise<void> {
  for (const [collection, spec] of Object.entries(collections)) {
    const layout = layoutOf(collection, spec)
    const scoped = db.schema.withSchema(schema)
    let table = scoped
      .createTable(layout.table)
      .addColumn('workspace_id', sql`text collate "C"`, (column) => column.notNull())
      .addColumn('key', sql`text collate "C"`, (column) => column.notNull())
    table =
      collection === 'secrets'
        ? // Secrets: the document in plain text without an encryption key, sealed (AES-256-GCM) with one.
          table.addColumn('doc', 'text').addColumn('sealed', 'bytea')
        : table.addColumn('doc', 'text', (column) => column.notNull())
    for (const { column } of layout.fields) table = table.addColumn(column, 'bytea')
    await table.addPrimaryKeyConstraint(`${layout.table}_pk`, ['workspace_id', 'key']).execute()
    for (const index of layout.indexes) {
      const present = index.columns.map((column) => `"${column}" is not null`).join(' and ')
      await scoped
        .createIndex(index.sqlName)
        .on(layout.table)
        .columns(['workspace_id', ...index.columns, 'key'])
        .where(sql.raw<SqlBool>(present))
        .execute()
    }
  }
}
