/** The instants an ISO 8601 string with four year digits can name: what the engine's `at` accepts. */
const EARLIEST_MS = Date.parse('0000-01-01T00:00:00.000Z')
const LATEST_MS = Date.parse('9999-12-31T23:59:59.999Z')

/** Dates written the ISO 8601 way (`2026-11-20`, `2026-11-20T10:00:00+02:00`), not whatever Date.parse guesses at. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)/

/** Date.parse rolls `2026-02-30` over to March 2: a day the month does not have is no date, not a guess. */
function isCalendarDate(value: string): boolean {
  const [, year, month, day] = (ISO_DATE.exec(value) ?? []).map(Number)
  if (year === undefined || month === undefined || day === undefined) return false
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0)
  return month >= 1 && month <= 12 && day >= 1 && day <= days
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/**
 * A provider's timestamp (an ISO 8601 string, or epoch milliseconds) as the UTC ISO string the engine takes,
 * or undefined when it names no instant the engine can hold: unreadable, a day the month does not have,
 * before year 0000 or after 9999
 * (`new Date(1e20).toISOString()` throws, and `+275760-09-13T…` is refused by the engine for good).
 */
export function isoInstantOf(value: string | number | null | undefined): string | undefined {
  if (value == null) return undefined
  const ms = typeof value === 'number' ? value : isCalendarDate(value) ? Date.parse(value) : Number.NaN
  if (!Number.isFinite(ms) || ms < EARLIEST_MS || ms > LATEST_MS) return undefined
  return new Date(ms).toISOString()
}
