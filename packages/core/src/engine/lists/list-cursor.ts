import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { issue } from '../../errors/validation-issue'
import { hash32 } from '../../scheduler/seeded-random'

/** Where a page ended: the ordering value and key of its last item. */
export interface ListPosition {
  readonly v: number | string
  readonly k: string
}

/** A page of a list: pass `next` back as `after` for the following page; absent on the last page. */
export interface Page<T> {
  readonly items: readonly T[]
  readonly next?: string
}

/**
 * A cursor names the query it belongs to (a hash of the list and its filters and order), so a cursor passed
 * to another query is refused rather than silently restarting or skipping.
 */
export function queryId(list: string, filter: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(
    Object.keys(filter)
      .filter((name) => name !== 'after' && name !== 'limit' && filter[name] !== undefined)
      .sort()
      .map((name) => [name, filter[name]]),
  )
  return hash32(0, list, canonical).toString(36)
}

/** An instant as epoch ms, from an ISO 8601 string (any offset) or a Date. */
export const epochMs = (value: string | Date) =>
  typeof value === 'string' ? Date.parse(value) : value.getTime()

/** An instant filter in one spelling (UTC ISO), so equal instants give the same query and cursor. */
export const canonicalInstant = (value: string | Date | undefined) =>
  value === undefined ? undefined : new Date(epochMs(value)).toISOString()

export function writeCursor(query: string, position: ListPosition): string {
  return Buffer.from(JSON.stringify({ q: query, v: position.v, k: position.k }), 'utf8').toString('base64url')
}

/** The position a cursor holds, checked to belong to this query. */
export function readCursor(text: string, query: string, subject: string): ListPosition {
  let parsed: { q?: unknown; v?: unknown; k?: unknown } | undefined
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as typeof parsed
  } catch {
    parsed = undefined
  }
  const valid =
    parsed !== undefined &&
    parsed !== null &&
    typeof parsed.q === 'string' &&
    (typeof parsed.v === 'number' || typeof parsed.v === 'string') &&
    typeof parsed.k === 'string'
  if (!valid)
    throw refused(subject, "is not a cursor this engine gave; pass the previous page's `next` as it was")
  if (parsed?.q !== query)
    throw refused(
      subject,
      'belongs to another query (different list, filters or order); a cursor only continues the query that returned it — start again without `after` to change filters',
    )
  return { v: parsed.v as number | string, k: parsed.k as string }
}

function refused(subject: string, message: string): PacelineError {
  return PacelineError.fromIssues(PacelineErrorCodes.invalidQuery, subject, [
    issue('invalid_cursor', ['after'], message),
  ])
}

/** The pages of a list one after another, each read when the previous one has been used. */
export async function* eachPage<T>(
  read: (after: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<readonly T[]> {
  let after: string | undefined
  do {
    const page = await read(after)
    if (page.items.length > 0) yield page.items
    after = page.next
  } while (after !== undefined)
}
