import type { IndexQuery, IndexValue } from '../ports/storage'

/*
 * Index entries are encoded as one string whose order is the index order, so that searching is a native
 * string comparison. A value is `n` + 16 hex digits of its IEEE-754 bits arranged to sort numerically, or
 * `s` + the text with NUL escaped as NUL 0x01; values are separated by NUL NUL, which sorts before
 * anything a value can contain. Numbers sort before strings.
 */
const SEPARATOR = '\u0000\u0000'
/** Sorts after every entry that starts with a prefix ending in SEPARATOR, and before the next prefix. */
const AFTER_VALUE = '\u0000\u0001'

const float = new Float64Array(1)
const words = new Uint32Array(float.buffer)
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const HIGH = littleEndian ? 1 : 0
const LOW = littleEndian ? 0 : 1

function encodeValue(value: IndexValue): string {
  if (typeof value === 'string')
    return `s${value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0001') : value}`
  float[0] = value
  let high = words[HIGH] as number
  let low = words[LOW] as number
  if (high & 0x8000_0000) {
    high = ~high >>> 0
    low = ~low >>> 0
  } else high = (high | 0x8000_0000) >>> 0
  return `n${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`
}

function encodePrefix(values: readonly IndexValue[]): string {
  let out = ''
  for (const value of values) out += encodeValue(value) + SEPARATOR
  return out
}

/** Index values of a document for these fields, or undefined when one of them is not a string or finite number. */
export function indexValues(
  document: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): IndexValue[] | undefined {
  const values: IndexValue[] = []
  for (const field of fields) {
    const value = document[field]
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) values.push(value)
    else return undefined
  }
  return values
}

/** An ordered index kept as a sorted array of encoded entries. */
export class SortedIndex {
  readonly #entries: string[] = []
  readonly #keys: string[] = []

  get size(): number {
    return this.#entries.length
  }

  insert(values: readonly IndexValue[], key: string): void {
    const entry = encodePrefix(values) + encodeValue(key)
    const position = this.#lowerBound(entry)
    this.#entries.splice(position, 0, entry)
    this.#keys.splice(position, 0, key)
  }

  remove(values: readonly IndexValue[], key: string): void {
    const entry = encodePrefix(values) + encodeValue(key)
    const position = this.#lowerBound(entry)
    if (this.#entries[position] === entry) {
      this.#entries.splice(position, 1)
      this.#keys.splice(position, 1)
    }
  }

  /** Keys matching the query, in its order. `afterValues` are the index values of the `after` document. */
  keys(query: IndexQuery, afterValues: readonly IndexValue[] | undefined): string[] {
    const prefix = encodePrefix(query.equals ?? [])
    const range = query.range ?? {}
    let lower = prefix
    if (range.gt !== undefined) lower = prefix + encodeValue(range.gt) + AFTER_VALUE
    else if (range.gte !== undefined) lower = prefix + encodeValue(range.gte)
    let upper: string | undefined
    if (range.lt !== undefined) upper = prefix + encodeValue(range.lt)
    else if (range.lte !== undefined) upper = prefix + encodeValue(range.lte) + AFTER_VALUE
    else if (prefix !== '') upper = `${prefix.slice(0, -1)}\u0001`
    let start = this.#lowerBound(lower)
    let end = upper === undefined ? this.#entries.length : this.#lowerBound(upper)
    if (afterValues !== undefined && query.after !== undefined) {
      const cursor = encodePrefix(afterValues) + encodeValue(query.after)
      if (query.order === 'desc') end = Math.min(end, this.#lowerBound(cursor))
      else start = Math.max(start, this.#lowerBound(`${cursor}\u0000`))
    }
    const limit = Math.min(query.limit ?? Number.POSITIVE_INFINITY, Math.max(0, end - start))
    if (query.order === 'desc') {
      const keys: string[] = []
      for (let i = end - 1; keys.length < limit; i--) keys.push(this.#keys[i] as string)
      return keys
    }
    return this.#keys.slice(start, start + limit)
  }

  /** Position of the first entry not less than `target`. */
  #lowerBound(target: string): number {
    const entries = this.#entries
    let low = 0
    let high = entries.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((entries[middle] as string) < target) low = middle + 1
      else high = middle
    }
    return low
  }
}
