/** Days of the week as they appear in working-hours settings, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

export type Weekday = (typeof WEEKDAYS)[number]

export const WORKWEEK: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri']

/** ISO weekday number (Monday = 1 ... Sunday = 7) to its name. */
export function weekdayFromIsoNumber(isoDay: number): Weekday {
  const day = WEEKDAYS[isoDay - 1]
  if (day === undefined) throw new RangeError(`ISO weekday must be 1..7, got ${isoDay}`)
  return day
}
