import type { IndexQuery } from './storage'

/**
 * A query's shape: everything that changes a SQL store's statement for it (values only change parameters).
 * SQL stores cache one planned statement per shape.
 */
export function queryShape(collection: string, query: IndexQuery): string {
  const range = query.range ?? {}
  const ops = ['gt', 'gte', 'lt', 'lte']
    .filter((op) => range[op as keyof typeof range] !== undefined)
    .join(',')
  return `${collection}|${query.index ?? ''}|${query.equals?.length ?? 0}|${ops}|${query.after === undefined ? '' : 'after'}|${query.order ?? 'asc'}|${query.limit === undefined ? '' : 'limit'}`
}
