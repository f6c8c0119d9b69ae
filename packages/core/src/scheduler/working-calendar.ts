import { DateTime } from 'effect'
import { WEEKDAYS, type Weekday } from '../model/identity/weekday'
import { type WorkingHours, windowsOn } from '../model/identity/working-hours'

const DAY_MS = 86_400_000

/** One local calendar day of an identity: its midnights and working windows as absolute instants (ms). */
export interface LocalDay {
  /** The local date, `YYYY-MM-DD`: the key daily counters reset on. */
  readonly date: string
  readonly weekday: Weekday
  /** Local midnight at the start of the day. */
  readonly start: number
  /** Local midnight at the end of the day (the next day's start). */
  readonly end: number
  /** Working windows, sorted, `[start, end)` in epoch milliseconds. */
  readonly windows: readonly (readonly [number, number])[]
  /** Total working milliseconds in the day. */
  readonly workingMs: number
}

/**
 * An identity's working time in its own time zone. Days are computed with Effect's zoned DateTime, so
 * daylight-saving changes are handled: a day can be 23 or 25 hours long, and a window starting inside a
 * skipped hour starts at the first valid time after it. Days are cached: the cost is one time-zone
 * conversion per local day, not per question.
 */
export class WorkingCalendar {
  readonly #hours: WorkingHours
  readonly #zone: DateTime.TimeZone
  readonly #byDate = new Map<string, LocalDay>()
  /** Cached days sorted by start, for lookups by instant. */
  readonly #sorted: LocalDay[] = []

  constructor(hours: WorkingHours) {
    this.#hours = hours
    this.#zone = DateTime.zoneMakeNamedUnsafe(hours.timezone)
  }

  get timezone(): string {
    return this.#hours.timezone
  }

  /** The local day containing `ms`. */
  dayOf(ms: number): LocalDay {
    const sorted = this.#sorted
    let low = 0
    let high = sorted.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const day = sorted[middle] as LocalDay
      if (ms < day.start) high = middle - 1
      else if (ms >= day.end) low = middle + 1
      else return day
    }
    const parts = DateTime.toParts(DateTime.makeZonedUnsafe(ms, { timeZone: this.#zone }))
    return this.#day(parts.year, parts.month, parts.day)
  }

  /** The local day after `day`. */
  next(day: LocalDay): LocalDay {
    return this.dayOf(day.end)
  }

  isWorking(ms: number): boolean {
    return this.dayOf(ms).windows.some(([start, end]) => ms >= start && ms < end)
  }

  /** `ms` itself when it is working time, otherwise the start of the next working window. */
  nextWorkingInstant(ms: number): number {
    let day = this.dayOf(ms)
    // Working hours have at least one day a week, so two weeks always find a window.
    for (let i = 0; i < 15; i++) {
      for (const [start, end] of day.windows) {
        if (ms < end) return Math.max(ms, start)
      }
      day = this.next(day)
    }
    throw new RangeError(`no working time within two weeks of ${new Date(ms).toISOString()}`)
  }

  /** Working milliseconds of `day` before `ms`. */
  workingElapsed(day: LocalDay, ms: number): number {
    let elapsed = 0
    for (const [start, end] of day.windows) {
      if (ms <= start) break
      elapsed += Math.min(ms, end) - start
    }
    return elapsed
  }

  /** The instant at which `offset` working milliseconds of `day` have passed (its end, past the total). */
  instantAtWorkingOffset(day: LocalDay, offset: number): number {
    let left = Math.max(0, offset)
    for (const [start, end] of day.windows) {
      if (left < end - start) return start + left
      left -= end - start
    }
    const last = day.windows.at(-1)
    return last === undefined ? day.start : last[1]
  }

  /** The local month of `ms`, `YYYY-MM`: the key monthly counters reset on. */
  monthOf(ms: number): string {
    return this.dayOf(ms).date.slice(0, 7)
  }

  /** Local midnight at the start of the month after the one containing `ms`. */
  nextMonthStart(ms: number): number {
    const [year, month] = this.dayOf(ms).date.split('-').map(Number) as [number, number]
    const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 }
    return this.#day(next.year, next.month, 1).start
  }

  #day(year: number, month: number, dayOfMonth: number): LocalDay {
    const date = `${year}-${pad(month)}-${pad(dayOfMonth)}`
    const cached = this.#byDate.get(date)
    if (cached !== undefined) return cached
    const start = this.#localInstant(year, month, dayOfMonth, 0)
    const following = new Date(Date.UTC(year, month - 1, dayOfMonth + 1))
    const end = this.#localInstant(
      following.getUTCFullYear(),
      following.getUTCMonth() + 1,
      following.getUTCDate(),
      0,
    )
    const weekday = WEEKDAYS[(new Date(Date.UTC(year, month - 1, dayOfMonth)).getUTCDay() + 6) % 7] as Weekday
    const windows: (readonly [number, number])[] = []
    for (const window of windowsOn(this.#hours, weekday)) {
      const from = window.start >= 1440 ? end : this.#localInstant(year, month, dayOfMonth, window.start)
      const to = window.end >= 1440 ? end : this.#localInstant(year, month, dayOfMonth, window.end)
      if (to > from) windows.push([from, to])
    }
    const day: LocalDay = {
      date,
      weekday,
      start,
      end,
      windows,
      workingMs: windows.reduce((total, [from, to]) => total + (to - from), 0),
    }
    this.#byDate.set(date, day)
    const index = this.#sorted.findIndex((other) => other.start > start)
    if (index === -1) this.#sorted.push(day)
    else this.#sorted.splice(index, 0, day)
    return day
  }

  /** The instant of a local wall-clock time; times skipped by a DST change resolve to the time after. */
  #localInstant(year: number, month: number, day: number, minuteOfDay: number): number {
    const zoned = DateTime.makeZonedUnsafe(
      { year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
      { timeZone: this.#zone, adjustForTimeZone: true, disambiguation: 'compatible' },
    )
    return DateTime.toEpochMillis(zoned)
  }
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value)
}

export { DAY_MS }
