/**
 * Numbers and dates as the report prints them: one fixed locale and explicit time zones, so the same input
 * always gives the same file.
 */
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

export function formatCount(value: number): string {
  return integer.format(value)
}

/** `part` of `whole` as a percentage ("12%", "0.5%"), or an en dash when `whole` is 0. */
export function formatShare(part: number, whole: number): string {
  if (whole <= 0) return '–'
  return formatRate(part / whole)
}

/** A 0-to-1 rate as a percentage, with one decimal below 10% ("4.2%", "37%"); an en dash for null. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '–'
  const percent = rate * 100
  if (percent === 0) return '0%'
  if (percent < 10) return `${Math.round(percent * 10) / 10}%`
  return `${Math.round(percent)}%`
}

const dayLabels = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`
  let format = dayLabels.get(key)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    })
    dayLabels.set(key, format)
  }
  return format
}

/** An instant in a time zone: "Mon, 2 Mar 2026, 09:00". */
export function formatInstant(iso: string, timeZone: string): string {
  return formatterFor(timeZone, true).format(new Date(iso))
}

/** A local date `YYYY-MM-DD` as "Mon, 2 Mar 2026". */
export function formatDate(date: string): string {
  return formatterFor('UTC', false).format(new Date(`${date}T12:00:00Z`))
}

const shortDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short' })
const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short' })

/** A local date `YYYY-MM-DD` as "2 Mar", for chart axes. */
export function formatAxisDate(date: string): string {
  return shortDay.format(new Date(`${date}T12:00:00Z`))
}

/** True for Saturdays and Sundays of a local date `YYYY-MM-DD`. */
export function isWeekend(date: string): boolean {
  const day = weekday.format(new Date(`${date}T12:00:00Z`))
  return day === 'Sat' || day === 'Sun'
}

/** Chart coordinates with at most two decimals, so the markup stays small and stable. */
export function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100)
}

/** A round axis maximum and a whole step for counts up to `max`: 0, 5, 10, 15 ... or 0, 20, 40 ... */
export function niceScale(max: number, ticks = 4): { readonly max: number; readonly step: number } {
  if (max <= 0) return { max: ticks, step: 1 }
  const rough = max / ticks
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = Math.max(1, ([1, 2, 5, 10].find((each) => each * magnitude >= rough) ?? 10) * magnitude)
  return { max: Math.ceil(max / step) * step, step }
}
