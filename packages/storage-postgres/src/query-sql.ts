import type { IndexQuery, TableLayout } from '@paceline/core/ports'
import { type Kysely, type RawBuilder, sql } from 'kysely'
import { encodeIndexValue } from './index-key'

/** The SQL of a query shape and how to bind a concrete query (and its `after` anchor) to its parameters. */
export interface QueryPlan {
  readonly sql: string
  /** Anchor: the SQL reading the index values of the `after` document, when the query pages by index. */
  readonly anchorSql: string | undefined
  readonly bind: (workspace: string, query: IndexQuery, anchor: readonly unknown[] | undefined) => unknown[]
}

/**
 * Builds the SQL of a query shape with kysely: equality on the index's first fields, a range on the next,
 * "after a key" as a row-value comparison with that key's own index values (read first, so the comparison is
 * an index condition and a deep page costs what the first one does), order by the index then the key. Every
 * index field is required to be set, which keeps documents out of indexes they are not in and matches the
 * partial index.
 */
export function planQuery(
  db: Kysely<unknown>,
  schema: string,
  layout: TableLayout,
  query: IndexQuery,
): QueryPlan {
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
  const table = sql.table(`${schema}.${layout.table}`)
  const column = (name: string) => sql.ref(name)
  const parameter = sql`${0}`
  const conditions: RawBuilder<unknown>[] = [sql`${column('workspace_id')} = ${parameter}`]
  for (const name of columns) conditions.push(sql`${column(name)} is not null`)
  for (let i = 0; i < equals; i++) conditions.push(sql`${column(columns[i] as string)} = ${parameter}`)
  const next = columns[equals]
  const operators = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    if (range[op] === undefined) continue
    if (next === undefined) throw new Error(`a range needs a field after the ${equals} equal ones`)
    conditions.push(sql`${column(next)} ${sql.raw(operators[op])} ${parameter}`)
  }
  if (query.after !== undefined) {
    // By key alone, any key marks a position; by an index, the position is the anchor's index values.
    const tuple = index === undefined ? [column('key')] : ordered.map(column)
    const values = tuple.map(() => parameter)
    conditions.push(sql`(${sql.join(tuple)}) ${sql.raw(desc ? '<' : '>')} (${sql.join(values)})`)
  }
  const order = sql.join(ordered.map((name) => sql`${column(name)} ${sql.raw(desc ? 'desc' : 'asc')}`))
  const limit = query.limit === undefined ? sql`` : sql` limit ${parameter}`
  const statement = sql`select ${column('key')}, ${column('doc')} from ${table} where ${sql.join(conditions, sql` and `)} order by ${order}${limit}`
  const present = columns.map((name) => sql` and ${column(name)} is not null`)
  const anchor =
    query.after !== undefined && index !== undefined
      ? sql`select ${sql.join(ordered.map(column))} from ${table} where ${column('workspace_id')} = ${parameter} and ${column('key')} = ${parameter}${sql.join(present, sql``)}`
      : undefined
  return {
    sql: statement.compile(db).sql,
    anchorSql: anchor?.compile(db).sql,
    bind(workspace, actual, anchorValues) {
      const values: unknown[] = [workspace, ...(actual.equals ?? []).map(encodeIndexValue)]
      const actualRange = actual.range ?? {}
      for (const op of ['gt', 'gte', 'lt', 'lte'] as const)
        if (actualRange[op] !== undefined) values.push(encodeIndexValue(actualRange[op]))
      if (actual.after !== undefined) values.push(...(anchorValues ?? [actual.after]))
      if (actual.limit !== undefined) values.push(actual.limit)
      return values
    },
  }
}
