import type { IndexQuery, IndexValue } from '../ports/storage'

/*
 * Index entries are encoded as one string whose order is the index order, so that searching is a native
 * string comparison. A value is `n` + 16 hex digits of its IEEE-754 bits arranged to sort numerically, or
 * `s` + the text with NUL escaped as NUL 0x01; values are separated by NUL NUL, which sorts before
 * anything a value can contain. Numbers sort before strings.
 *
 * Text orders by code point, as SQLite (BINARY) and PostgreSQL (collation "C", `bytea`) order UTF-8 text. A
 * native comparison goes by UTF-16 code unit instead, which puts characters beyond U+FFFF (surrogate pairs,
 * D800–DFFF) before U+E000–U+FFFF; the encoding moves those two ranges so the native comparison agrees.
 */
const SEPARATOR = '\u0000\u0000'
/** Sorts after every entry that starts with a prefix ending in SEPARATOR, and before the next prefix. */
const AFTER_VALUE = '\u0000\u0001'

const float = new Float64Array(1)
const words = new Uint32Array(float.buffer)
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
const HIGH = littleEndian ? 1 : 0
const LOW = littleEndian ? 0 : 1

const HIGH_UNIT = /[\uD800-\uFFFF]/
const HIGH_UNITS = /[\uD800-\uFFFF]/g
/** U+E000–U+FFFF move down to D800–F7FF and surrogates up to F800–FFFF; every other unit stays. */
const codePointOrdered = (unit: string) => {
  const code = unit.charCodeAt(0)
  return String.fromCharCode(code >= 0xe000 ? code - 0x800 : code + 0x2000)
}

function encodeText(value: string): string {
  const escaped = value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0001') : value
  return HIGH_UNIT.test(escaped) ? escaped.replace(HIGH_UNITS, codePointOrdered) : escaped
}

function encodeValue(value: IndexValue): string {
  if (typeof value === 'string') return `s${encodeText(value)}`
  // -0 is 0, as in JSON and in databases.
  float[0] = value === 0 ? 0 : value
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

const CHUNK = 512

interface Chunk {
  entries: string[]
  keys: string[]
}

/**
 * An ordered index kept as a list of sorted chunks: finding a position is two binary searches, and an
 * insert moves at most one chunk's entries, so large indexes (an action log of a long simulation) stay
 * cheap to change.
 */
export class SortedIndex {
  #chunks: Chunk[] = [{ entries: [], keys: [] }]
  #size = 0

  get size(): number {
    return this.#size
  }

  insert(values: readonly IndexValue[], key: string): void {
    const entry = encodePrefix(values) + encodeValue(key)
    const [chunkIndex, position] = this.#locate(entry)
    const chunk = this.#chunks[chunkIndex] as Chunk
    chunk.entries.splice(position, 0, entry)
    chunk.keys.splice(position, 0, key)
    this.#size++
    if (chunk.entries.length > 2 * CHUNK) {
      const entries = chunk.entries.splice(CHUNK)
      const keys = chunk.keys.splice(CHUNK)
      this.#chunks.splice(chunkIndex + 1, 0, { entries, keys })
    }
  }

  remove(values: readonly IndexValue[], key: string): void {
    const entry = encodePrefix(values) + encodeValue(key)
    const [chunkIndex, position] = this.#locate(entry)
    const chunk = this.#chunks[chunkIndex] as Chunk
    if (chunk.entries[position] !== entry) return
    chunk.entries.splice(position, 1)
    chunk.keys.splice(position, 1)
    this.#size--
    if (chunk.entries.length === 0 && this.#chunks.length > 1) this.#chunks.splice(chunkIndex, 1)
  }

  /** Keys matching the query, in its order. `afterValues` are the index values of the `after` document. */
  keys(query: IndexQuery, afterValues: readonly IndexValue[] | undefined): string[] {
    const prefix = encodePrefix(query.equals ?? [])
    const range = query.range ?? {}
    // Every bound given applies: with both `gt` and `gte` (or `lt` and `lte`), the tighter one decides.
    const lowers = [
      ...(range.gt === undefined ? [] : [prefix + encodeValue(range.gt) + AFTER_VALUE]),
      ...(range.gte === undefined ? [] : [prefix + encodeValue(range.gte)]),
    ]
    // Encoded bounds are strings that sort like the values: the last lower and the first upper are tightest.
    let lower = [prefix, ...lowers].sort().at(-1) as string
    const uppers = [
      ...(range.lt === undefined ? [] : [prefix + encodeValue(range.lt)]),
      ...(range.lte === undefined ? [] : [prefix + encodeValue(range.lte) + AFTER_VALUE]),
    ]
    let upper: string | undefined =
      uppers.length > 0 ? uppers.sort()[0] : prefix !== '' ? `${prefix.slice(0, -1)}\u0001` : undefined
    if (afterValues !== undefined && query.after !== undefined) {
      const cursor = encodePrefix(afterValues) + encodeValue(query.after)
      if (query.order === 'desc') upper = upper === undefined || cursor < upper ? cursor : upper
      else if (`${cursor}\u0000` > lower) lower = `${cursor}\u0000`
    }
    const limit = query.limit ?? Number.POSITIVE_INFINITY
    const keys: string[] = []
    if (limit <= 0) return keys
    if (query.order === 'desc') {
      let [chunkIndex, position] = upper === undefined ? this.#end() : this.#locate(upper)
      for (;;) {
        position--
        while (position < 0) {
          chunkIndex--
          if (chunkIndex < 0) return keys
          position = (this.#chunks[chunkIndex] as Chunk).entries.length - 1
        }
        const chunk = this.#chunks[chunkIndex] as Chunk
        if ((chunk.entries[position] as string) < lower) return keys
        keys.push(chunk.keys[position] as string)
        if (keys.length >= limit) return keys
      }
    }
    let [chunkIndex, position] = this.#locate(lower)
    for (;;) {
      let chunk = this.#chunks[chunkIndex] as Chunk
      while (position >= chunk.entries.length) {
        chunkIndex++
        if (chunkIndex >= this.#chunks.length) return keys
        chunk = this.#chunks[chunkIndex] as Chunk
        position = 0
      }
      const entry = chunk.entries[position] as string
      if (upper !== undefined && entry >= upper) return keys
      keys.push(chunk.keys[position] as string)
      if (keys.length >= limit) return keys
      position++
    }
  }

  #end(): [number, number] {
    const last = this.#chunks.length - 1
    return [last, (this.#chunks[last] as Chunk).entries.length]
  }

  /** The chunk and position of the first entry not less than `target`. */
  #locate(target: string): [number, number] {
    const chunks = this.#chunks
    // The first chunk whose last entry is not less than the target (or the last chunk).
    let low = 0
    let high = chunks.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      const entries = (chunks[middle] as Chunk).entries
      const last = entries[entries.length - 1]
      if (last !== undefined && last < target) low = middle + 1
      else high = middle
    }
    const entries = (chunks[low] as Chunk).entries
    let from = 0
    let to = entries.length
    while (from < to) {
      const middle = (from + to) >>> 1
      if ((entries[middle] as string) < target) from = middle + 1
      else to = middle
    }
    return [low, from]
  }
}
