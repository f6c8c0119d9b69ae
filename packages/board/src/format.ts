/** Numbers and instants as the board prints them (English, in a given IANA time zone). */

const counts = new Intl.NumberFormat('en')

export function formatCount(value: number): string {
  return counts.format(value)
}

export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '–'
  return `${Math.round((part / whole) * 1000) / 10}%`
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone)
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, found)
  }
  return found
}

/** "4 Mar 2026, 09:30" in the zone; the ISO instant stays in the `<time>` element for machines. */
export function formatInstant(instant: string | number, timeZone: string): string {
  return formatter(timeZone).format(new Date(instant))
}

/** "in 3 h 20 min" / "5 min ago", from `now` (the engine's clock, never the wall clock of the board). */
export function formatRelative(instant: string | number, now: number): string {
  const delta = new Date(instant).getTime() - now
  const minutes = Math.round(Math.abs(delta) / 60_000)
  const text =
    minutes < 1
      ? 'less than a minute'
      : minutes < 60
        ? `${minutes} min`
        : minutes < 48 * 60
          ? `${Math.floor(minutes / 60)} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`
          : `${Math.round(minutes / 1440)} days`
  return delta >= 0 ? `in ${text}` : `${text} ago`
}
