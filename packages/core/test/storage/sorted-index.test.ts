import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { IndexQuery, IndexValue } from '../../src/ports'
import { SortedIndex } from '../../src/testing/sorted-index'

type Row = { values: IndexValue[]; key: string }

/** Text by its UTF-8 bytes (code point order), as SQLite and PostgreSQL compare it. */
const compareText = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
const compare = (a: IndexValue, b: IndexValue) =>
  typeof a === 'string' && typeof b === 'string'
    ? compareText(a, b)
    : typeof a === typeof b
      ? a < b
        ? -1
        : a > b
          ? 1
          : 0
      : typeof a === 'number'
        ? -1
        : 1
const compareRows = (a: Row, b: Row) => {
  for (let i = 0; i < a.values.length; i++) {
    const order = compare(a.values[i] as IndexValue, b.values[i] as IndexValue)
    if (order !== 0) return order
  }
  return compareText(a.key, b.key)
}

/** The obvious implementation, to check the fast one against. */
function reference(rows: Row[], query: IndexQuery): string[] {
  const equals = query.equals ?? []
  const range = query.range ?? {}
  let matched = [...rows].sort(compareRows).filter((row) => {
    if (equals.some((value, i) => compare(row.values[i] as IndexValue, value) !== 0)) return false
    const next = row.values[equals.length] as IndexValue
    if (range.gt !== undefined && !(compare(next, range.gt) > 0)) return false
    if (range.gte !== undefined && !(compare(next, range.gte) >= 0)) return false
    if (range.lt !== undefined && !(compare(next, range.lt) < 0)) return false
    if (range.lte !== undefined && !(compare(next, range.lte) <= 0)) return false
    return true
  })
  if (query.after !== undefined) {
    const cursor = rows.find((row) => row.key === query.after)
    if (cursor !== undefined) {
      matched = matched.filter((row) =>
        query.order === 'desc' ? compareRows(row, cursor) < 0 : compareRows(row, cursor) > 0,
      )
    }
  }
  if (query.order === 'desc') matched.reverse()
  return matched.slice(0, query.limit ?? matched.length).map((row) => row.key)
}

const value = fc.oneof(
  fc.integer({ min: -50, max: 50 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
  // Beyond U+FFFF (a surrogate pair) and just below it: UTF-16 units and code points order them apart.
  fc.constantFrom(
    'a',
    'ab',
    'b',
    'a\u0000b',
    'ä',
    '',
    '\u{1F600}',
    'a\u{1F600}',
    '\uFF21',
    '\uE000',
    '\uD7FF',
  ),
)

describe('SortedIndex', () => {
  it('matches a naive sorted list for thousands of random changes and queries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.tuple(value, value), fc.boolean()), { minLength: 1200, maxLength: 2500 }),
        fc.array(
          fc.record({
            equals: fc.option(fc.array(value, { maxLength: 1 }), { nil: undefined }),
            range: fc.option(fc.record({ gte: value, lt: value }, { requiredKeys: [] }), { nil: undefined }),
            order: fc.constantFrom('asc' as const, 'desc' as const),
            limit: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
            after: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: undefined }),
          }),
          { minLength: 6, maxLength: 10 },
        ),
        (changes, queries) => {
          const index = new SortedIndex()
          const rows = new Map<string, Row>()
          changes.forEach(([values, remove], n) => {
            const key = `k${n % 1200}`
            const existing = rows.get(key)
            if (existing !== undefined) {
              index.remove(existing.values, key)
              rows.delete(key)
            }
            if (!remove) {
              index.insert(values, key)
              rows.set(key, { values, key })
            }
          })
          expect(index.size).toBe(rows.size)
          for (const { equals, range, order, limit, after } of queries) {
            const query: IndexQuery = {
              ...(equals === undefined ? {} : { equals }),
              ...(range === undefined ? {} : { range }),
              order,
              ...(limit === undefined ? {} : { limit }),
              ...(after === undefined || !rows.has(`k${after}`) ? {} : { after: `k${after}` }),
            }
            const afterRow = query.after === undefined ? undefined : rows.get(query.after)
            expect(index.keys(query, afterRow?.values)).toEqual(reference([...rows.values()], query))
          }
        },
      ),
      { numRuns: 12 },
    )
  })
})
