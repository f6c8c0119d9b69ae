import { beforeAll, describe, expect, it } from 'vitest'
import { sequence } from '../../src/index'
import { type SimulationResult, simulate } from '../../src/testing'
import { actionsOf, byLocalDate, insideWindows, localTime, minGap, slidingMax, workingDates } from './harness'

const MINUTE = 60_000
const START = '2026-03-02T00:00:00Z'
const DAYS = 30

interface TestIdentity {
  readonly id: string
  readonly name: string
  readonly workingHours: { readonly timezone: string; readonly windows: { start: string; end: string }[] }
  readonly linkedin: {
    readonly accountId: string
    readonly premium?: boolean
    readonly limits?: { connectionsPerDay: number; messagesPerDay: number; invitationsPerWeek?: number }
  }
  readonly email: { readonly inboxes: { address: string; limits?: { perDay: number; perHour: number } }[] }
}

// Two identities, both in time zones that change to summer time during the 30 days (New York on
// March 8, Madrid on March 29), one with a split working day and Premium.
const identities: TestIdentity[] = [
  {
    id: 'ana',
    name: 'Ana',
    workingHours: { timezone: 'Europe/Madrid', windows: [{ start: '09:00', end: '18:00' }] },
    linkedin: { accountId: 'li-ana' },
    email: { inboxes: [{ address: 'ana@acme.io' }, { address: 'ana@acme.co' }] },
  },
  {
    id: 'ben',
    name: 'Ben',
    workingHours: {
      timezone: 'America/New_York',
      windows: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
    },
    // 25 a working day is 125 a week: the weekly invitation limit is raised so that every day can be full.
    linkedin: {
      accountId: 'li-ben',
      premium: true,
      limits: { connectionsPerDay: 25, messagesPerDay: 80, invitationsPerWeek: 200 },
    },
    email: { inboxes: [{ address: 'ben@acme.io', limits: { perDay: 40, perHour: 8 } }] },
  },
]

const connect = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect', note: 'Hi {{firstName}}' })
  .condition(
    { type: 'connection_accepted', withinDays: 7 },
    {
      then: (path) => path.linkedinMessage({ id: 'thanks', body: 'Thanks {{firstName}}' }),
      else: (path) => path.end(),
    },
    { id: 'accepted' },
  )
  .build()
const nurture = sequence()
  .condition(
    { type: 'is_connection' },
    {
      then: (path) =>
        path
          .linkedinMessage({ id: 'm1', body: 'Hi {{firstName}}' })
          .linkedinMessage({ id: 'm2', delay: { days: 1 }, body: 'Following up' })
          .linkedinMessage({ id: 'm3', delay: { days: 2 }, body: 'Last one' }),
      else: (path) => path.end(),
    },
    { id: 'connected' },
  )
  .build()
const mail = sequence()
  .email({ id: 'e1', subject: 'Hello {{firstName}}', body: 'Hi' })
  .email({ id: 'e2', delay: { days: 2 }, body: 'Bump' })
  .build()

let result: SimulationResult

beforeAll(async () => {
  const leads: {
    id: string
    campaignId: string
    profile: Record<string, unknown>
    behavior?: Record<string, unknown>
  }[] = []
  for (const { id } of identities) {
    for (let n = 0; n < 700; n++) {
      leads.push({
        id: `${id}-c${n}`,
        campaignId: `${id}-connect`,
        profile: { firstName: `C${n}`, linkedinProfileId: `pc-${id}-${n}` },
        ...(n % 4 === 0 ? { behavior: { acceptsAfterHours: 30 } } : {}),
      })
    }
    for (let n = 0; n < 900; n++) {
      leads.push({
        id: `${id}-n${n}`,
        campaignId: `${id}-nurture`,
        profile: { firstName: `N${n}`, linkedinProfileId: `pn-${id}-${n}` },
        behavior: { alreadyConnected: true },
      })
    }
    for (let n = 0; n < 800; n++) {
      leads.push({
        id: `${id}-e${n}`,
        campaignId: `${id}-mail`,
        profile: { firstName: `E${n}`, professionalEmail: `e${n}.${id}@corp.io` },
      })
    }
  }
  result = await simulate({
    start: START,
    days: DAYS,
    seed: 7,
    identities,
    campaigns: identities.flatMap(({ id }) => [
      { id: `${id}-connect`, identityId: id, priority: 'medium' as const, sequence: connect },
      { id: `${id}-nurture`, identityId: id, priority: 'high' as const, sequence: nurture },
      { id: `${id}-mail`, identityId: id, priority: 'low' as const, sequence: mail },
    ]),
    leads,
  })
}, 120_000)

describe.each(identities)('identity $id over 30 days with more demand than capacity', (identity) => {
  const zone = identity.workingHours.timezone
  const limits = {
    send_connection: identity.linkedin.limits?.connectionsPerDay ?? 20,
    linkedin_message: identity.linkedin.limits?.messagesPerDay ?? 100,
    visit_profile: identity.linkedin.premium ? 150 : 50,
  }

  it('never exceeds a daily limit in any local day', () => {
    for (const [action, limit] of Object.entries(limits)) {
      for (const [date, events] of byLocalDate(actionsOf(result.events, identity.id, action), zone)) {
        expect(events.length, `${action} on ${date}`).toBeLessThanOrEqual(limit)
      }
    }
  })

  it('sends at least 99% of its connection-request and message limits on every working day', () => {
    const dates = workingDates(START, DAYS, zone, ['mon', 'tue', 'wed', 'thu', 'fri'])
    expect(dates.length).toBeGreaterThanOrEqual(21)
    for (const action of ['send_connection', 'linkedin_message'] as const) {
      const perDay = byLocalDate(actionsOf(result.events, identity.id, action), zone)
      for (const date of dates) {
        expect(perDay.get(date)?.length ?? 0, `${action} on ${date}`).toBeGreaterThanOrEqual(
          Math.ceil(limits[action] * 0.99),
        )
      }
    }
  })

  it('acts only inside working hours, on working days, across the daylight-saving change', () => {
    const actions = actionsOf(result.events, identity.id)
    expect(actions.length).toBeGreaterThan(1000)
    for (const event of actions) {
      const local = localTime(event.at, zone)
      expect(['mon', 'tue', 'wed', 'thu', 'fri'], `${event.at} is a ${local.weekday}`).toContain(
        local.weekday,
      )
      expect(
        insideWindows(local.minute, identity.workingHours.windows),
        `${event.at} at ${local.minute} min`,
      ).toBe(true)
    }
  })

  it('keeps at least 4 minutes between profile visits and a minute between any two LinkedIn actions', () => {
    const linkedin = actionsOf(result.events, identity.id).filter((event) => event.channel === 'linkedin')
    expect(minGap(linkedin.map((event) => Date.parse(event.at)))).toBeGreaterThanOrEqual(MINUTE)
    const visits = actionsOf(result.events, identity.id, 'visit_profile').map((event) => Date.parse(event.at))
    expect(visits.length).toBeGreaterThan(100)
    expect(minGap(visits)).toBeGreaterThanOrEqual(4 * MINUTE)
  })

  it('spreads each day through the working window instead of bursting at its start', () => {
    const dayMinutes = identity.workingHours.windows.reduce(
      (total, window) => total + Number(window.end.slice(0, 2)) * 60 - Number(window.start.slice(0, 2)) * 60,
      0,
    )
    for (const [date, events] of byLocalDate(
      actionsOf(result.events, identity.id, 'linkedin_message'),
      zone,
    )) {
      const times = events.map((event) => localTime(event.at, zone).minute).sort((a, b) => a - b)
      const first = times[0] ?? 0
      const last = times[times.length - 1] ?? 0
      expect(last - first, `messages on ${date}`).toBeGreaterThan(dayMinutes * 0.7)
      // Never more than twice the even share in any half hour.
      const halfHours = slidingMax(
        times.map((minute) => minute * MINUTE),
        30 * MINUTE,
      )
      expect(halfHours, `busiest half hour of ${date}`).toBeLessThanOrEqual(
        Math.ceil((limits.linkedin_message / dayMinutes) * 30 * 2) + 1,
      )
    }
  })

  it('keeps every inbox within its daily limit and within its hourly limit in every sliding hour', () => {
    for (const inbox of identity.email.inboxes) {
      const perDay = inbox.limits?.perDay ?? 30
      const perHour = inbox.limits?.perHour ?? 5
      const sent = actionsOf(result.events, identity.id, 'email').filter(
        (event) => event.inbox === inbox.address,
      )
      expect(sent.length).toBeGreaterThan(200)
      for (const [date, events] of byLocalDate(sent, zone)) {
        expect(events.length, `${inbox.address} on ${date}`).toBeLessThanOrEqual(perDay)
      }
      expect(
        slidingMax(
          sent.map((event) => Date.parse(event.at)),
          60 * MINUTE,
        ),
      ).toBeLessThanOrEqual(perHour)
    }
  })

  it('sends every email of a lead from the inbox it started with', () => {
    const inboxOf = new Map<string, string>()
    for (const event of actionsOf(result.events, identity.id, 'email')) {
      const leadId = event.leadId as string
      const first = inboxOf.get(leadId)
      if (first === undefined) inboxOf.set(leadId, event.inbox as string)
      else expect(event.inbox, `lead ${leadId}`).toBe(first)
    }
  })
})

describe('the weekly invitation limit', () => {
  it('keeps connection requests within the limit in every sliding 7 days, on top of the daily one', async () => {
    const week = 7 * 24 * 60 * MINUTE
    const weekly = await simulate({
      start: START,
      days: 21,
      seed: 3,
      identities: [
        {
          id: 'sam',
          name: 'Sam',
          // Every day of the week: 30 a day would be 210 a week without the weekly limit.
          workingHours: {
            timezone: 'Europe/Madrid',
            days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
            windows: [{ start: '09:00', end: '18:00' }],
          },
          linkedin: {
            accountId: 'li-sam',
            salesNavigator: true,
            limits: { connectionsPerDay: 30, invitationsPerWeek: 100 },
          },
        },
      ],
      campaigns: [
        {
          id: 'sam-connect',
          identityId: 'sam',
          sequence: sequence().sendConnection({ id: 'connect' }).build(),
        },
      ],
      leads: Array.from({ length: 700 }, (_, n) => ({
        id: `s${n}`,
        campaignId: 'sam-connect',
        profile: { firstName: `S${n}`, linkedinProfileId: `ps-${n}` },
      })),
    })
    const sent = actionsOf(weekly.events, 'sam', 'send_connection').map((event) => Date.parse(event.at))
    expect(slidingMax(sent, week)).toBeLessThanOrEqual(100)
    for (const [date, events] of byLocalDate(
      actionsOf(weekly.events, 'sam', 'send_connection'),
      'Europe/Madrid',
    ))
      expect(events.length, date).toBeLessThanOrEqual(30)
    // The limit is used, not just respected: 3 weeks give close to 300 requests.
    expect(sent.length).toBeGreaterThanOrEqual(290)
    expect(sent.length).toBeLessThanOrEqual(300)
    expect(weekly.leads.filter((lead) => lead.status === 'in_progress')).toHaveLength(700 - sent.length)
  }, 120_000)
})

describe('the simulation', () => {
  it('spreads new leads evenly across the inboxes of a shuffle campaign', () => {
    const counts = new Map<string, number>()
    for (const lead of result.leads.filter((each) => each.campaignId === 'ana-mail')) {
      if (lead.inbox !== undefined) counts.set(lead.inbox, (counts.get(lead.inbox) ?? 0) + 1)
    }
    const [a = 0, b = 0] = [...counts.values()]
    expect(counts.size).toBe(2)
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1)
  })

  it('reports a summary per identity and local day', () => {
    const monday = result.summary.identities.find(
      (row) => row.identityId === 'ana' && row.date === '2026-03-02',
    )
    expect(monday?.counts).toMatchObject({
      send_connection: 20,
      linkedin_message: 100,
      visit_profile: 50,
      email: 60,
    })
  })
})
