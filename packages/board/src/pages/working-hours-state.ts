import { type Identity, WorkingCalendar } from '@paceline/core'

export interface WorkingHoursState {
  readonly open: boolean
  /** While open: when the current window closes. While closed: when the next one opens. */
  readonly until: number
  /** Local midnight that started the identity's current day: where "today" begins for its limits. */
  readonly dayStart: number
}

/** Whether the identity is inside its working hours at `now`, when that changes, and where its day began. */
export function workingHoursState(identity: Identity, now: number): WorkingHoursState {
  const calendar = new WorkingCalendar(identity.workingHours)
  const day = calendar.dayOf(now)
  const window = day.windows.find(([start, end]) => now >= start && now < end)
  if (window !== undefined) return { open: true, until: window[1], dayStart: day.start }
  return { open: false, until: calendar.nextWorkingInstant(now), dayStart: day.start }
}
