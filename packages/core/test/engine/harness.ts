import type { IdentityInput } from '../../src/index'
import type { SimulationEvent } from '../../src/testing'

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * Local date, weekday and minute of day of an instant, computed with Intl directly: an independent check
 * of the engine's own calendar.
 */
export function localTime(at: string, timeZone: string): { date: string; weekday: string; minute: number } {
  let format = formatters.get(timeZone)
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]))
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday).toLowerCase().slice(0, 3),
    minute: Number(parts.hour) * 60 + Number(parts.minute) + Number(parts.second) / 60,
  }
}

/** The largest number of times inside any window of `ms` (sliding, not per clock hour). */
export function slidingMax(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= ms) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

/** The smallest gap between consecutive times. */
export function minGap(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let gap = Number.POSITIVE_INFINITY
  for (let i = 1; i < sorted.length; i++)
    gap = Math.min(gap, (sorted[i] as number) - (sorted[i - 1] as number))
  return gap
}

/** Executed actions (not inbound events) of an identity, optionally of one step kind. */
export function actionsOf(
  events: readonly SimulationEvent[],
  identityId: string,
  action?: string,
): SimulationEvent[] {
  return events.filter(
    (event) =>
      event.identityId === identityId &&
      event.action !== undefined &&
      (action === undefined || event.action === action) &&
      event.type !== 'reply-received' &&
      event.type !== 'connection-accepted',
  )
}

/** Groups events by the identity's local date. */
export function byLocalDate(
  events: readonly SimulationEvent[],
  timeZone: string,
): Map<string, SimulationEvent[]> {
  const days = new Map<string, SimulationEvent[]>()
  for (const event of events) {
    const date = localTime(event.at, timeZone).date
    const list = days.get(date) ?? []
    list.push(event)
    days.set(date, list)
  }
  return days
}

/** Local dates from `start` for `days` days that are working days of the identity. */
export function workingDates(
  start: string,
  days: number,
  timeZone: string,
  weekdays: readonly string[],
): string[] {
  const dates: string[] = []
  for (let i = 0; i < days; i++) {
    const local = localTime(
      new Date(Date.parse(start) + i * 86_400_000 + 12 * 3_600_000).toISOString(),
      timeZone,
    )
    if (weekdays.includes(local.weekday) && !dates.includes(local.date)) dates.push(local.date)
  }
  return dates
}

export function minutes(time: string): number {
  const [hours, mins] = time.split(':').map(Number)
  return (hours ?? 0) * 60 + (mins ?? 0)
}

/** Whether a local minute falls inside one of the identity's windows. */
export function insideWindows(minute: number, windows: readonly { start: string; end: string }[]): boolean {
  return windows.some((window) => minute >= minutes(window.start) && minute < minutes(window.end))
}

export const leadProfile = (id: string, extra: Record<string, unknown> = {}) => ({
  firstName: `First${id}`,
  lastName: `Last${id}`,
  company: `Company ${id}`,
  linkedinProfileId: `li-${id}`,
  professionalEmail: `${id}@corp.example`,
  ...extra,
})

export function identity(input: Partial<IdentityInput> & { id: string; timezone?: string }): IdentityInput {
  const { timezone, ...rest } = input
  return {
    name: input.id,
    workingHours: { timezone: timezone ?? 'Europe/Madrid' },
    linkedin: { accountId: `li-${input.id}` },
    email: { inboxes: [{ address: `${input.id}@acme.example` }] },
    ...rest,
  }
}
