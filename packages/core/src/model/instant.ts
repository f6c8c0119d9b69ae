/** A point in time as hosts pass it: a `Date`, an ISO 8601 string, or epoch milliseconds. */
export type InstantInput = Date | string | number

/** The ISO 8601 UTC form of an instant, or null when it is not a valid time. */
export function toIsoInstant(value: InstantInput): string | null {
  const date = value instanceof Date ? value : new Date(value)
  const time = date.getTime()
  if (Number.isNaN(time)) return null
  if (typeof value === 'string' && !/^\d{4}-\d{2}-\d{2}T/.test(value)) return null
  return date.toISOString()
}
