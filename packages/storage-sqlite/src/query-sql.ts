import type { IndexQuery, TableLayout } from '@paceline/core/ports'
import { type Kysely, sql } from 'kysely'

/** The SQL of a query shape and how to bind a concrete query to its parameters. */
export interface QueryPlan {
  readonly sql: string
  readonly bind: (workspace: string, query: IndexQuery) => unknown[]
}

/**
 * Builds the SQL of a query shape with kysely: equality on the index's first fields, a range on the next,
 * "after a key" as a row-value comparison with that key's own index values, order by the index then the
 * key. Every index field is required to be set, which both keeps documents out of indexes they are not
 * in and lets SQLite use the partial index.
 */
export function planQuery(db: Kysely<unknown>, layout: TableLayout, query: IndexQuery): QueryPlan {
  const index =
    query.index === undefined ? undefined : layout.indexes.find((each) => each.name === query.index)
  if (query.index !== undefined && index === undefined) {
    throw new Error(`collection ${layout.collection} has no index ${query.index}`)
  }
  const columns = index?.columns ?? []
  const equals = query.equals?.length ?? 0
  if (equals > columns.length)
    throw new Error(`index ${query.index} has ${columns.length} fields, got ${equals} values`)
  const range = query.range ?? {}
  const desc = query.order === 'desc'
  const ordered = [...columns, 'key']
  const table = sql.table(layout.table)
  const column = (name: string) => sql.ref(name)
  const conditions = [sql`${column('workspace_id')} = ${sql.raw('?')}`]
  for (const name of columns) conditions.push(sql`${column(name)} is not null`)
  for (let i = 0; i < equals; i++) conditions.push(sql`${column(columns[i] as string)} = ${sql.raw('?')}`)
  const next = columns[equals]
  const operators = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (range[op] === undefined) continue
    if (next === undefined) throw new Error(`a range needs a field after the ${equals} equal ones`)
    conditions.push(sql`${column(next)} ${sql.raw(operators[op])} ${sql.raw('?')}`)
  }
  if (query.after !== undefined && index === undefined) {
    // By key alone, any key marks a position, whether or not a document has it.
    conditions.push(sql`${column('key')} ${sql.raw(desc ? '<' : '>')} ${sql.raw('?')}`)
  } else if (query.after !== undefined) {
    // The key's own index values; none (so no rows) when it is not in the index, which the store reports.
    const tuple = sql.join(ordered.map(column))
    conditions.push(
      sql`(${tuple}) ${sql.raw(desc ? '<' : '>')} (select ${tuple} from ${table} where ${column('workspace_id')} = ${sql.raw('?')} and ${column('key')} = ${sql.raw('?')})`,
    )
  }
  const order = sql.join(ordered.map((name) => sql`${column(name)} ${sql.raw(desc ? 'desc' : 'asc')}`))
  const limit = query.limit === undefined ? sql`` : sql` limit ${sql.raw('?')}`
  const statement = sql`select ${column('key')}, ${column('doc')} from ${table} where ${sql.join(conditions, sql` and `)} order by ${order}${limit}`
  return {
    sql: statement.compile(db).sql,
    bind(workspace, actual) {
      const values: unknown[] = [workspace, ...(actual.equals ?? [])]
      const actualRange = actual.range ?? {}
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const)
        if (actualRange[op] !== undefined) values.push(actualRange[op])
      if (actual.after !== undefined)
        values.push(...(index === undefined ? [actual.after] : [workspace, actual.after]))
      if (actual.limit !== undefined) values.push(actual.limit)
      return values
    },
  }
}

/** SQL that finds whether a key's document is in an index (all its fields set). */
export function inIndexSql(layout: TableLayout, indexName: string): string {
  const index = layout.indexes.find((each) => each.name === indexName)
  const present = (index?.columns ?? []).map((name) => ` and "${name}" is not null`).join('')
  return `select 1 from "${layout.table}" where workspace_id = ? and key = ?${present}`
}
