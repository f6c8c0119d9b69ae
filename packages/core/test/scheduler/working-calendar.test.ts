import { describe, expect, it } from 'vitest'
import { defineIdentity, WorkingCalendar } from '../../src/index'

const HOUR = 3_600_000
const madrid = (windows?: { start: string; end: string }[], days?: string[]) =>
  new WorkingCalendar(
    defineIdentity({
      id: 'a',
      name: 'A',
      workingHours: {
        timezone: 'Europe/Madrid',
        ...(windows === undefined ? {} : { windows }),
        ...(days === undefined ? {} : { days: days as never }),
      },
    }).workingHours,
  )

describe('WorkingCalendar', () => {
  it('knows local days, their midnights and windows', () => {
    const calendar = madrid()
    const day = calendar.dayOf(Date.parse('2026-03-02T12:00:00Z'))
    expect(day.date).toBe('2026-03-02')
    expect(day.weekday).toBe('mon')
    expect(new Date(day.start).toISOString()).toBe('2026-03-01T23:00:00.000Z')
    expect(new Date(day.end).toISOString()).toBe('2026-03-02T23:00:00.000Z')
    expect(day.windows.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()])).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T17:00:00.000Z'],
    ])
    expect(day.workingMs).toBe(9 * HOUR)
  })

  it('has a 23-hour day when clocks go forward and a 25-hour day when they go back', () => {
    const calendar = madrid(undefined, ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])
    const spring = calendar.dayOf(Date.parse('2026-03-29T12:00:00Z'))
    expect(spring.end - spring.start).toBe(23 * HOUR)
    const autumn = calendar.dayOf(Date.parse('2026-10-25T12:00:00Z'))
    expect(autumn.end - autumn.start).toBe(25 * HOUR)
    // 09:00 local is 07:00Z in summer time and 08:00Z in winter time.
    expect(new Date(spring.windows[0]?.[0] ?? 0).toISOString()).toBe('2026-03-29T07:00:00.000Z')
    expect(
      new Date(calendar.dayOf(Date.parse('2026-10-26T12:00:00Z')).windows[0]?.[0] ?? 0).toISOString(),
    ).toBe('2026-10-26T08:00:00.000Z')
  })

  it('starts a window that begins in the skipped hour at the first valid time after it', () => {
    const calendar = madrid([{ start: '02:30', end: '05:00' }], ['sun'])
    const day = calendar.dayOf(Date.parse('2026-03-29T12:00:00Z'))
    // 02:30 does not exist that night; 03:30 CEST (01:30Z) is the first instant after the gap.
    expect(day.windows.map(([a, b]) => [new Date(a).toISOString(), new Date(b).toISOString()])).toEqual([
      ['2026-03-29T01:30:00.000Z', '2026-03-29T03:00:00.000Z'],
    ])
  })

  it('finds the next working instant across nights and weekends', () => {
    const calendar = madrid()
    expect(new Date(calendar.nextWorkingInstant(Date.parse('2026-03-06T18:30:00Z'))).toISOString()).toBe(
      '2026-03-09T08:00:00.000Z',
    )
    const inside = Date.parse('2026-03-04T10:15:00Z')
    expect(calendar.nextWorkingInstant(inside)).toBe(inside)
    expect(calendar.isWorking(inside)).toBe(true)
    expect(calendar.isWorking(Date.parse('2026-03-07T10:15:00Z'))).toBe(false)
  })

  it('maps working time to instants across several windows', () => {
    const calendar = madrid([
      { start: '09:00', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ])
    const day = calendar.dayOf(Date.parse('2026-03-04T10:00:00Z'))
    expect(day.workingMs).toBe(7 * HOUR)
    expect(new Date(calendar.instantAtWorkingOffset(day, 3.5 * HOUR)).toISOString()).toBe(
      '2026-03-04T13:30:00.000Z',
    )
    expect(calendar.workingElapsed(day, Date.parse('2026-03-04T14:00:00Z'))).toBe(4 * HOUR)
  })

  it('knows local months', () => {
    const calendar = madrid()
    expect(calendar.monthOf(Date.parse('2026-03-31T22:30:00Z'))).toBe('2026-04')
    expect(new Date(calendar.nextMonthStart(Date.parse('2026-03-15T00:00:00Z'))).toISOString()).toBe(
      '2026-03-31T22:00:00.000Z',
    )
  })
})
