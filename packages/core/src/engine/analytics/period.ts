import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { issue } from '../../errors/validation-issue'
import { canonicalTimeZone } from '../../model/identity/time-zone'
import { workingHoursSchema } from '../../model/identity/working-hours'
import { type LocalDay, WorkingCalendar } from '../../scheduler/working-calendar'

/**
 * The period a dashboard covers: instants (`from` inclusive, `to` exclusive), or calendar days in a time
 * zone (`since` and `until` inclusive, `YYYY-MM-DD`). Without either, all time. `timeZone` also says which
 * days the daily series has.
 */
export interface PeriodOptions {
  readonly from?: string | Date
  readonly to?: string | Date
  readonly since?: string
  readonly until?: string
  /** An IANA name such as `Europe/Madrid`. */
  readonly timeZone?: string
}

/** A period as the queries use it. */
export interface ResolvedPeriod {
  /** Epoch ms, inclusive; null for "since the beginning". */
  readonly from: number | null
  /** Epoch ms, exclusive. */
  readonly to: number
  readonly timeZone: string
}

/** The period as a result reports it. */
export interface PeriodView {
  readonly from: string | null
  readonly to: string
  readonly timeZone: string
}

const instant = z.union([z.iso.datetime({ offset: true }), z.date()])
const localDate = z.iso.date()
const timeZone = z.string().transform((name, context) => {
  const canonical = canonicalTimeZone(name)
  if (canonical === null) {
    context.addIssue({
      code: 'custom',
      message: `${JSON.stringify(name)} is not an IANA time zone; use a name such as "Europe/Madrid" or "UTC"`,
      params: { rule: 'unknown_time_zone' },
    })
    return z.NEVER
  }
  return canonical
})

export const periodFields = {
  from: instant.optional(),
  to: instant.optional(),
  since: localDate.optional(),
  until: localDate.optional(),
  timeZone: timeZone.optional(),
}

type PeriodFields = {
  from?: string | Date | undefined
  to?: string | Date | undefined
  since?: string | undefined
  until?: string | undefined
  timeZone?: string | undefined
}

/**
 * Turns validated period fields into instants. `defaultZone` is the zone of the days when none is given;
 * `defaultToday` makes an empty period mean "today in that zone" (the identity dashboard) rather than all
 * time.
 */
export function resolvePeriod(
  fields: PeriodFields,
  subject: string,
  now: number,
  defaults: { readonly timeZone: string; readonly today?: boolean },
): ResolvedPeriod {
  const zone = fields.timeZone ?? defaults.timeZone
  const ms = (value: string | Date) => (typeof value === 'string' ? Date.parse(value) : value.getTime())
  const usesInstants = fields.from !== undefined || fields.to !== undefined
  const usesDays = fields.since !== undefined || fields.until !== undefined
  if (usesInstants && usesDays)
    throw invalid(subject, 'since', 'give either `from`/`to` (instants) or `since`/`until` (days), not both')
  let from: number | null
  let to: number
  if (usesDays) {
    const days = calendarOf(zone)
    from = fields.since === undefined ? null : days.dayOf(localNoon(fields.since, zone)).start
    to = fields.until === undefined ? now : days.dayOf(localNoon(fields.until, zone)).end
  } else if (usesInstants) {
    from = fields.from === undefined ? null : ms(fields.from)
    to = fields.to === undefined ? now : ms(fields.to)
  } else if (defaults.today === true) {
    const today = calendarOf(zone).dayOf(now)
    from = today.start
    to = today.end
  } else {
    from = null
    to = now
  }
  if (from !== null && from >= to) {
    const field = usesDays ? 'until' : 'to'
    throw invalid(subject, field, `must be after the start of the period; the period is inverted or empty`)
  }
  return { from, to, timeZone: zone }
}

export function periodView(period: ResolvedPeriod): PeriodView {
  return {
    from: period.from === null ? null : new Date(period.from).toISOString(),
    to: new Date(period.to).toISOString(),
    timeZone: period.timeZone,
  }
}

/** The local days a period covers, in its time zone, from `first` (the period's start or the first activity). */
export function localDays(period: ResolvedPeriod, first: number): LocalDay[] {
  const calendar = calendarOf(period.timeZone)
  const days: LocalDay[] = []
  let day = calendar.dayOf(period.from ?? first)
  while (day.start < period.to) {
    days.push(day)
    day = calendar.next(day)
  }
  return days
}

const calendars = new Map<string, WorkingCalendar>()

/** Days of a time zone (working hours do not matter here: every day counts). */
export function calendarOf(zone: string): WorkingCalendar {
  let calendar = calendars.get(zone)
  if (calendar === undefined) {
    calendar = new WorkingCalendar(workingHoursSchema.parse({ timezone: zone }))
    calendars.set(zone, calendar)
  }
  return calendar
}

/** An instant inside a local date: noon UTC of that date is within it in every zone from -12 to +12. */
function localNoon(date: string, zone: string): number {
  const noon = Date.parse(`${date}T12:00:00Z`)
  const day = calendarOf(zone).dayOf(noon)
  if (day.date === date) return noon
  return day.date < date ? day.end + 1 : day.start - 1
}

function invalid(subject: string, field: string, message: string): PacelineError {
  return PacelineError.fromIssues(PacelineErrorCodes.invalidQuery, subject, [
    issue('invalid_period', [field], message),
  ])
}

/**
 * The counter documents of a period, summed per local day of its time zone (from `first` when the period
 * has no start). Hours are whole UTC hours: in a time zone with a half-hour offset, the hour a local
 * midnight falls in counts in the day it starts in.
 */
export function countsByLocalDay(
  read: readonly { readonly bucket: number | null; readonly counts: Readonly<Record<string, number>> }[],
  period: ResolvedPeriod,
  first: number,
): { readonly day: LocalDay; readonly counts: Record<string, number> }[] {
  const days = localDays(period, first).map((day) => ({ day, counts: {} as Record<string, number> }))
  let index = 0
  for (const record of read) {
    if (record.bucket === null) continue
    while (index < days.length - 1 && record.bucket >= (days[index] as { day: LocalDay }).day.end) index++
    const counts = days[index]?.counts
    if (counts === undefined) continue
    for (const [name, value] of Object.entries(record.counts)) counts[name] = (counts[name] ?? 0) + value
  }
  return days
}
