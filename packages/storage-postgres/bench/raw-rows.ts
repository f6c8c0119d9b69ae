import type { StoredDocument } from '@paceline/core/ports'
import type pg from 'pg'
import { encodeIndexValue } from '../src/index-key'

/** One row as the store writes it: the key and the document (the workspace is the same for all). */
export interface Row {
  readonly key: string
  readonly document: StoredDocument
}

/** Rows per multi-row statement. */
export const RAW_BATCH = 1000

/**
 * The hand-written baseline: plain `pg` multi-row `insert ... values (...), (...)` statements writing exactly
 * the row the store writes (workspace, key, the JSON text, and each `f_<field>` index column holding the
 * store's order-preserving encoding of that document field). The columns are read from the migrated table.
 */
export async function rawInserter(
  client: pg.ClientBase,
  schema: string,
  table: string,
): Promise<(workspace: string, rows: readonly Row[]) => Promise<void>> {
  const fields = await indexFields(client, schema, table)
  const width = 3 + fields.length
  const head = `insert into "${schema}"."${table}" (workspace_id, key, doc${fields.map((field) => `, "f_${field}"`).join('')}) values `
  const texts = new Map<number, string>()
  const textFor = (count: number) => {
    let text = texts.get(count)
    if (text === undefined) {
      const tuples: string[] = []
      for (let row = 0; row < count; row++) {
        const base = row * width
        tuples.push(`(${Array.from({ length: width }, (_, i) => `$${base + i + 1}`).join(', ')})`)
      }
      text = head + tuples.join(', ')
      texts.set(count, text)
    }
    return text
  }
  return async (workspace, rows) => {
    for (let from = 0; from < rows.length; from += RAW_BATCH) {
      const batch = rows.slice(from, from + RAW_BATCH)
      const values: unknown[] = []
      for (const { key, document } of batch) {
        values.push(workspace, key, JSON.stringify(document))
        for (const field of fields) values.push(encodeIndexValue(document[field]))
      }
      await client.query(textFor(batch.length), values)
    }
  }
}

/** The document fields of a migrated table's `f_<field>` index columns, in column order. */
async function indexFields(client: pg.ClientBase, schema: string, table: string): Promise<string[]> {
  const { rows } = await client.query<{ column_name: string }>(
    'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
    [schema, table],
  )
  return rows
    .map((row) => row.column_name)
    .filter((column) => column.startsWith('f_'))
    .map((column) => column.slice(2))
}
