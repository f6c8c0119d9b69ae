import { describe, expect, it } from 'vitest'
import { sequence } from '../../src/index'
import { simulate } from '../../src/testing'
import { actionsOf, byLocalDate, insideWindows, leadProfile, localTime, slidingMax } from './harness'

const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const
const work = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect' })
  .linkedinMessage({ id: 'note', body: 'Hi {{firstName}}' })
  .email({ id: 'mail', subject: 'Hello', body: 'Hi' })
  .build()

async function week(timezone: string, windows: { start: string; end: string }[], start: string) {
  const result = await simulate({
    start,
    days: 8,
    seed: 3,
    identities: [
      {
        id: 'ana',
        name: 'Ana',
        workingHours: { timezone, days: [...everyDay], windows },
        linkedin: { accountId: 'li', limits: { connectionsPerDay: 15, messagesPerDay: 30 } },
        email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 20, perHour: 4 } }] },
      },
    ],
    campaigns: [{ id: 'c', identityId: 'ana', sequence: work }],
    leads: Array.from({ length: 200 }, (_, n) => ({
      id: `l${n}`,
      campaignId: 'c',
      profile: leadProfile(`l${n}`),
    })),
  })
  return actionsOf(result.events, 'ana')
}

describe('working hours across daylight-saving changes', () => {
  it('Europe/Madrid, spring forward: a window around the skipped hour is honoured in local time', async () => {
    const windows = [
      { start: '01:00', end: '04:00' },
      { start: '09:00', end: '18:00' },
    ]
    const actions = await week('Europe/Madrid', windows, '2026-03-25T00:00:00Z')
    const onChangeDay = actions.filter((event) => localTime(event.at, 'Europe/Madrid').date === '2026-03-29')
    expect(onChangeDay.length).toBeGreaterThan(20)
    for (const event of actions) {
      const local = localTime(event.at, 'Europe/Madrid')
      expect(insideWindows(local.minute, windows), `${event.at} is ${local.minute} min local`).toBe(true)
      // 02:00-03:00 does not exist on March 29.
      if (local.date === '2026-03-29') expect(local.minute < 120 || local.minute >= 180).toBe(true)
    }
    for (const [date, events] of byLocalDate(actions, 'Europe/Madrid')) {
      expect(events.filter((event) => event.action === 'send_connection').length, date).toBeLessThanOrEqual(
        15,
      )
      expect(events.filter((event) => event.action === 'linkedin_message').length, date).toBeLessThanOrEqual(
        30,
      )
      expect(events.filter((event) => event.action === 'email').length, date).toBeLessThanOrEqual(20)
    }
  }, 60_000)

  it('America/New_York, fall back: the 25-hour day gets no more than one day of quota', async () => {
    const windows = [
      { start: '00:30', end: '02:30' },
      { start: '09:00', end: '17:00' },
    ]
    const actions = await week('America/New_York', windows, '2026-10-28T04:00:00Z')
    for (const event of actions) {
      const local = localTime(event.at, 'America/New_York')
      expect(insideWindows(local.minute, windows), `${event.at} is ${local.minute} min local`).toBe(true)
    }
    const changeDay = byLocalDate(actions, 'America/New_York').get('2026-11-01') ?? []
    expect(changeDay.filter((event) => event.action === 'send_connection')).toHaveLength(15)
    // Messages follow invitations in this sequence, so they are bounded by the 15 invitations too.
    expect(changeDay.filter((event) => event.action === 'linkedin_message').length).toBeLessThanOrEqual(30)
    // The repeated hour 01:00-02:00 happened twice: some actions fall into its second pass (06:00-07:00Z).
    expect(
      changeDay.some((event) => event.at >= '2026-11-01T06:00:00Z' && event.at < '2026-11-01T07:00:00Z'),
    ).toBe(true)
  }, 60_000)
})

describe('an hourly email limit that binds', () => {
  it('never sends more than the hourly limit in any sliding hour, even when the day allows more', async () => {
    const result = await simulate({
      start: '2026-03-02T06:00:00Z',
      days: 5,
      identities: [
        {
          id: 'ana',
          name: 'Ana',
          workingHours: { timezone: 'Europe/Madrid', windows: [{ start: '09:00', end: '11:30' }] },
          email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 30, perHour: 5 } }] },
        },
      ],
      campaigns: [
        { id: 'c', identityId: 'ana', sequence: sequence().email({ subject: 'Hi', body: 'Hello' }).build() },
      ],
      leads: Array.from({ length: 100 }, (_, n) => ({
        id: `l${n}`,
        campaignId: 'c',
        profile: leadProfile(`l${n}`),
      })),
    })
    const sent = actionsOf(result.events, 'ana', 'email')
    expect(
      slidingMax(
        sent.map((event) => Date.parse(event.at)),
        3_600_000,
      ),
    ).toBe(5)
    for (const [date, events] of byLocalDate(sent, 'Europe/Madrid')) {
      // 09:00-11:30 holds at most 15 emails at 5 per sliding hour (09:00, 10:00 and 11:00 onwards),
      // half the daily limit: the hourly limit, not the daily one, is what binds.
      expect(events.length, date).toBeLessThanOrEqual(15)
      expect(events.length, date).toBeGreaterThanOrEqual(10)
    }
  })
})
