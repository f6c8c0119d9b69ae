/**
 * Helpers the conformance suites use to say, when a check fails, what the adapter did and what the port
 * expects of it. Messages read `<call> must <what the port promises> — got <what the adapter returned>`;
 * vitest prints them before its own diff.
 */

const MAX_TEXT = 80
const MAX_ITEMS = 12
const MAX_DEPTH = 3
const MAX_LENGTH = 400

/** A value as a failure message quotes it: one short line, JSON-like, with control characters escaped. */
export function show(value: unknown): string {
  const shown = render(value, 0, new Set())
  return shown.length > MAX_LENGTH ? `${shown.slice(0, MAX_LENGTH - 1)}…` : shown
}

/** A list of keys or ids as a message quotes it: `[e3, e2]` (text unquoted, anything else as `show`). */
export function list(values: readonly unknown[]): string {
  return `[${values.map((each) => (typeof each === 'string' ? escapeText(each) : show(each))).join(', ')}]`
}

/** Fails the test with `message` (for checks that are more than one matcher); `cause` is what went wrong. */
export function fail(message: string, cause?: unknown): never {
  throw new Error(message, cause === undefined ? undefined : { cause })
}

/**
 * What `promise` rejected with. When it resolves instead, the test fails with `expectation` and the value
 * it resolved with (vitest's own `rejects` drops a custom message in that case).
 */
export async function rejectionOf(promise: Promise<unknown>, expectation: string): Promise<unknown> {
  let value: unknown
  try {
    value = await promise
  } catch (error) {
    return error
  }
  return fail(`${expectation} — it resolved with ${show(value)}`)
}

/** A function that throws `error`: `expect(throwing(error), message).toThrow(...)` checks a rejection. */
export function throwing(error: unknown): () => never {
  return () => {
    throw error
  }
}

function render(value: unknown, depth: number, seen: Set<object>): string {
  if (typeof value === 'string') return `'${escapeText(value)}'`
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`
  if (typeof value === 'symbol') return value.toString()
  if (value === null || typeof value !== 'object') return String(value)
  if (seen.has(value)) return '[circular]'
  if (value instanceof Error) return renderError(value)
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`
  if (value instanceof Map) return `Map(${value.size})`
  if (value instanceof Set) return `Set(${value.size})`
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[…]' : '{…}'
  seen.add(value)
  try {
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((each) => render(each, depth + 1, seen))
      if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`)
      return `[${items.join(', ')}]`
    }
    const entries = Object.entries(value)
    if (entries.length === 0) return '{}'
    const fields = entries
      .slice(0, MAX_ITEMS)
      .map(
        ([key, each]) =>
          `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : `'${escapeText(key)}'`}: ${render(each, depth + 1, seen)}`,
      )
    if (entries.length > MAX_ITEMS) fields.push(`… ${entries.length - MAX_ITEMS} more`)
    return `{ ${fields.join(', ')} }`
  } finally {
    seen.delete(value)
  }
}

function renderError(error: Error): string {
  const { code, isRetryable } = error as { code?: unknown; isRetryable?: unknown }
  const traits = [
    ...(code === undefined ? [] : [`code ${show(code)}`]),
    ...(typeof isRetryable === 'boolean' ? [isRetryable ? 'retryable' : 'not retryable'] : []),
  ]
  return `${error.name}${traits.length === 0 ? '' : ` (${traits.join(', ')})`}: ${show(error.message)}`
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  "'": "\\'",
  '\\': '\\\\',
}

/** The text with quotes, backslashes and control characters escaped, shortened when long. */
function escapeText(text: string): string {
  let escaped = ''
  for (const character of text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 20) : text) {
    const code = character.charCodeAt(0)
    escaped +=
      ESCAPES[character] ??
      (code <= 0x1f || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : character)
  }
  return text.length > MAX_TEXT ? `${escaped}…(${text.length} characters)` : escaped
}
