import { z } from 'zod'
import { canonicalTimeZone } from './time-zone'
import { WEEKDAYS, type Weekday, WORKWEEK } from './weekday'

const timeOfDaySchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, {
  message: 'must be a time of day as HH:MM (00:00 to 24:00)',
})

const timeWindowSchema = z
  .strictObject({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((window) => minutesOf(window.start) < minutesOf(window.end), {
    message: 'must end after it starts; split a window that crosses midnight into one per day',
    params: { rule: 'window_order' },
  })

const windowListSchema = z
  .array(timeWindowSchema)
  .min(1)
  .superRefine((windows, context) => {
    const sorted = windows
      .map((window, index) => ({ index, start: minutesOf(window.start), end: minutesOf(window.end) }))
      .sort((a, b) => a.start - b.start)
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]
      const current = sorted[i]
      if (previous !== undefined && current !== undefined && current.start < previous.end) {
        context.addIssue({
          code: 'custom',
          path: [current.index],
          message: `overlaps window ${previous.index}; windows of one day must not overlap`,
          params: { rule: 'windows_overlap' },
        })
      }
    }
  })

export const workingHoursSchema = z
  .strictObject({
    timezone: z.string().transform((name, context) => {
      const canonical = canonicalTimeZone(name)
      if (canonical === null) {
        context.addIssue({
          code: 'custom',
          message: `${JSON.stringify(name)} is not an IANA time zone; use a name such as "Europe/Madrid" or "America/New_York"`,
          params: { rule: 'unknown_time_zone' },
        })
        return z.NEVER
      }
      return canonical
    }),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1)
      .refine((days) => new Set(days).size === days.length, {
        message: 'lists a day twice',
        params: { rule: 'duplicate_day' },
      })
      .default([...WORKWEEK]),
    windows: windowListSchema.default([{ start: '09:00', end: '18:00' }]),
    /** Windows for particular days, replacing `windows` on those days (for example a shorter Friday). */
    windowsByDay: z.partialRecord(z.enum(WEEKDAYS), windowListSchema).optional(),
  })
  .superRefine((hours, context) => {
    for (const day of Object.keys(hours.windowsByDay ?? {}) as Weekday[]) {
      if (!hours.days.includes(day)) {
        context.addIssue({
          code: 'custom',
          path: ['windowsByDay', day],
          message: `sets windows for ${day}, which is not one of the working days; add it to \`days\` or remove it`,
          params: { rule: 'day_not_worked' },
        })
      }
    }
  })

export type WorkingHoursInput = z.input<typeof workingHoursSchema>
export type WorkingHours = z.output<typeof workingHoursSchema>
export type TimeWindow = z.output<typeof timeWindowSchema>

/** A window as minutes after local midnight, `end` exclusive. */
export interface MinuteWindow {
  readonly start: number
  readonly end: number
}

/** Minutes after midnight of an `HH:MM` time (`24:00` is 1440). */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':')
  return Number(hours) * 60 + Number(minutes)
}

/** The working windows on a weekday, sorted, as minutes after local midnight; empty on days off. */
export function windowsOn(hours: WorkingHours, day: Weekday): readonly MinuteWindow[] {
  if (!hours.days.includes(day)) return []
  const windows = hours.windowsByDay?.[day] ?? hours.windows
  return windows
    .map((window) => ({ start: minutesOf(window.start), end: minutesOf(window.end) }))
    .sort((a, b) => a.start - b.start)
}

/** Total working minutes on a weekday. */
export function workingMinutesOn(hours: WorkingHours, day: Weekday): number {
  return windowsOn(hours, day).reduce((total, window) => total + (window.end - window.start), 0)
}
