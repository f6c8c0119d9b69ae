import type { Store } from '../store'
import { type Page, writeCursor } from './list-cursor'

/**
 * One page of `state` documents under a key prefix, in key order, keeping what `pick` returns for them. The
 * cursor holds the last key of the page: keys under a prefix sort together, so a page costs a few reads of
 * the documents it returns, never a scan of the collection.
 */
export async function pageOfState<T>(
  store: Store,
  prefix: string,
  start: string,
  limit: number,
  query: string,
  pick: (value: unknown, key: string) => T | undefined,
): Promise<Page<T>> {
  const items: T[] = []
  let cursor = start
  let last: string | undefined
  for (;;) {
    const page = await store.query('state', { after: cursor, limit: limit + 1 })
    for (const document of page) {
      if (!document.key.startsWith(prefix)) return { items }
      const item = pick(document.value, document.key)
      if (item === undefined) continue
      if (items.length === limit && last !== undefined)
        return { items, next: writeCursor(query, { v: last, k: last }) }
      items.push(item)
      last = document.key
    }
    if (page.length < limit + 1) return { items }
    cursor = (page[page.length - 1] as { key: string }).key
  }
}
