import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  type AnalyticsScope,
  allTime,
  applyChanges,
  type CounterChange,
  countsOver,
  DAY,
  dayKeyOf,
  HOUR,
  hours,
  sum,
  timedChanges,
} from '../../src/engine/analytics/analytics-counters'
import { campaignMetrics } from '../../src/engine/analytics/campaign-metrics'
import { audienceCounts } from '../../src/engine/analytics/enrolment-metrics'
import { identityDashboard } from '../../src/engine/analytics/identity-dashboard'
import { progressByAction } from '../../src/engine/analytics/progress-by-action'
import { Store } from '../../src/engine/store'
import { createEngine, type Engine, type EngineEvent, PacelineError, templates } from '../../src/index'
import {
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  type SimulationResult,
  simulate,
  VirtualClock,
} from '../../src/testing'
import { identity, leadProfile, workingDates } from './harness'
import { expectedCampaignMetrics, expectedDaily } from './metrics-oracle'

const START = '2026-03-02T06:00:00Z'
const DAYS = 24
const END = Date.parse(START) + DAYS * 86_400_000
const ZONE = 'Europe/Madrid'

/** 60 leads with every kind of outcome: accept or not, reply (positive, negative, out of office), bounce. */
function audience() {
  return Array.from({ length: 60 }, (_, n) => {
    const id = `l${String(n).padStart(2, '0')}`
    const profile = leadProfile(id, n % 3 === 0 ? { mobilePhone: '+34600000000' } : {})
    const behavior =
      n % 10 === 0
        ? { acceptsAfterHours: 5, repliesAfterStep: 'thanks', replyText: 'Interested, tell me more' }
        : n % 10 === 1
          ? { acceptsAfterHours: 30 }
          : n % 10 === 2
            ? { repliesAfterStep: 'intro_email', replyText: 'No thanks, not interested' }
            : n % 10 === 3
              ? { outOfOffice: true }
              : n % 10 === 4
                ? { bounces: true }
                : n % 10 === 5
                  ? {
                      acceptsAfterHours: 50,
                      repliesAfterStep: 'recap_email',
                      replyText: 'Sounds interesting',
                    }
                  : {}
    return { id, campaignId: 'c', profile, behavior }
  })
}

let result: SimulationResult
let engine: Engine
let clock: VirtualClock
let storage: ReturnType<typeof createMemoryStorage>
let events: EngineEvent[]

beforeAll(async () => {
  storage = createMemoryStorage()
  result = await simulate({
    start: START,
    days: DAYS,
    storage,
    identities: [identity({ id: 'ana', name: 'Ana Martín' }), identity({ id: 'bo', name: 'Bo Berg' })],
    campaigns: [{ id: 'c', identityId: 'ana', sequence: templates.linkedinEmailCall.sequence }],
    leads: audience(),
  })
  clock = new VirtualClock(END)
  engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    clock,
  })
  // What the simulator does not script: opens and clicks (some by scanners), a person's tags, a done task.
  const contacted = result.events.filter(
    (event) => event.type === 'message-sent' && event.channel === 'email',
  )
  for (const [n, sent] of contacted.slice(0, 12).entries()) {
    clock.set(Date.parse(sent.at) + 3_600_000)
    await engine.ingest({
      type: n % 3 === 0 ? 'link-clicked' : 'email-opened',
      lead: { leadId: sent.leadId ?? '' },
      campaignId: 'c',
      at: new Date(clock.now()).toISOString(),
      ...(n % 4 === 3 ? { automated: true } : {}),
    })
  }
  clock.set(END)
  const conversations = (await engine.conversations.list({ campaignId: 'c', limit: 500 })).items
  const negative = conversations.find((each) => each.category === 'negative')
  const positive = conversations.find((each) => each.category === 'positive')
  if (negative === undefined || positive === undefined)
    throw new Error('the scenario needs both kinds of reply')
  await engine.conversations.tag(negative.id, [{ name: 'Meeting booked', category: 'positive' }])
  await engine.conversations.tag(positive.id, [{ name: 'Bad timing', category: 'neutral' }])
  const task = (await engine.tasks.list('c', { order: 'oldest', limit: 500 })).items[0]
  if (task === undefined) throw new Error('the scenario needs a task')
  await engine.ingest({ type: 'task-completed', taskId: task.key })
  events = await engine.actions({ campaignId: 'c' })
}, 120_000)

describe('campaign analytics', () => {
  it('match the action log over all time, for every metric of the overview', async () => {
    const overview = await engine.analytics.campaign('c')
    const expected = expectedCampaignMetrics(events, 0, END + 1)
    expect(overview.all).toEqual({ total: 60, ...expected.all })
    expect(overview.linkedin).toEqual(expected.linkedin)
    expect(overview.email).toEqual(expected.email)
    expect(overview.outOfOffice).toBe(expected.outOfOffice)
    const tasks = (await engine.tasks.list('c', { order: 'oldest', limit: 500 })).items
    expect(overview.tasks).toEqual({
      pending: tasks.filter((task) => task.status !== 'completed').length,
      completed: expected.completedTasks,
    })
    // The scenario is rich enough for each number to mean something.
    for (const value of [...Object.values(expected.linkedin), ...Object.values(expected.email)])
      expect(value).toBeGreaterThan(0)
    expect(expected.outOfOffice).toBeGreaterThan(0)
    // Out-of-office answers are not replies.
    const answered = new Set(events.filter((e) => e.type === 'reply-received').map((e) => e.leadId))
    expect(overview.all.replied).toBeLessThan(answered.size)
  })

  it('match the action log for a calendar period in a time zone', async () => {
    const period = { since: '2026-03-09', until: '2026-03-15', timeZone: ZONE }
    const overview = await engine.analytics.campaign('c', period)
    const from = Date.parse('2026-03-09T00:00:00+01:00')
    const to = Date.parse('2026-03-16T00:00:00+01:00')
    expect(overview.period).toEqual({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      timeZone: ZONE,
    })
    const expected = expectedCampaignMetrics(events, from, to)
    expect(overview.all).toEqual({ total: 60, ...expected.all })
    expect(overview.linkedin).toEqual(expected.linkedin)
    expect(overview.email).toEqual(expected.email)
    expect(overview.linkedin.invited + overview.email.sent).toBeGreaterThan(0)
    const instants = await engine.analytics.campaign('c', {
      from: new Date(from).toISOString(),
      to: new Date(to),
    })
    expect(instants.linkedin).toEqual(overview.linkedin)
  })

  it('break tagged conversations down by tag, category and channel, as they are tagged now', async () => {
    const overview = await engine.analytics.campaign('c')
    const conversations = (await engine.conversations.list({ campaignId: 'c', limit: 500 })).items
    const expected = new Map<string, number>()
    for (const conversation of conversations)
      for (const tag of conversation.tags) {
        const key = `${tag.name.toLowerCase()}|${tag.category}|${conversation.channel}`
        expected.set(key, (expected.get(key) ?? 0) + 1)
      }
    const got = new Map(
      overview.tags.map((tag) => [`${tag.tag}|${tag.category}|${tag.channel}`, tag.conversations]),
    )
    expect(got).toEqual(expected)
    expect(got.get('meeting booked|positive|email')).toBe(1)
    expect([...got.keys()].some((key) => key.startsWith('out of office|'))).toBe(true)
  })

  it('give a daily series per local day that sums to the events of each day', async () => {
    const daily = await engine.analytics.daily('c', { timeZone: ZONE })
    const series: [keyof (typeof daily.days)[number], (event: EngineEvent) => boolean][] = [
      ['profileVisits', (e) => e.type === 'profile-visited'],
      ['invitationsSent', (e) => e.type === 'invitation-sent'],
      ['invitationsAccepted', (e) => e.type === 'connection-accepted'],
      ['linkedinMessagesSent', (e) => e.type === 'message-sent' && e.channel === 'linkedin'],
      ['emailsSent', (e) => e.type === 'message-sent' && e.channel === 'email'],
      ['replies', (e) => e.type === 'reply-received' && e.detail?.outOfOffice !== true],
      ['outOfOffice', (e) => e.type === 'reply-received' && e.detail?.outOfOffice === true],
      ['emailsBounced', (e) => e.type === 'email-bounced' && e.detail?.bounce !== 'soft'],
      ['tasksCreated', (e) => e.type === 'task-created'],
    ]
    for (const [name, matches] of series) {
      const expected = expectedDaily(events, ZONE, matches)
      const got = new Map(daily.days.filter((day) => day[name] !== 0).map((day) => [day.date, day[name]]))
      expect(got, name).toEqual(expected)
    }
    // Consecutive local days with no gaps, from the first activity to now.
    const dates = daily.days.map((day) => day.date)
    expect(new Set(dates).size).toBe(dates.length)
    expect(dates[0]).toBe('2026-03-02')
    expect(dates.at(-1)).toBe('2026-03-26')
  })

  it('count the audience as the lead views show it, a paused campaign included', async () => {
    const agree = async () => {
      const overview = await engine.analytics.campaign('c')
      const shown: Record<string, number> = {}
      const substatuses: Record<string, number> = {}
      for (const lead of (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items) {
        shown[lead.status] = (shown[lead.status] ?? 0) + 1
        if (lead.substatus !== null && lead.status !== 'in_progress')
          substatuses[lead.substatus] = (substatuses[lead.substatus] ?? 0) + 1
      }
      expect(Object.fromEntries(Object.entries(overview.audience.statuses).filter(([, n]) => n > 0))).toEqual(
        shown,
      )
      const counted = Object.entries(overview.audience.substatuses).filter(
        ([name]) =>
          ![
            'scheduled',
            'identity_limits',
            'waiting_to_connect',
            'monthly_conversation_limit',
            'connection_withdrawn',
            'outside_working_hours',
          ].includes(name),
      )
      expect(Object.fromEntries(counted)).toEqual(substatuses)
      expect(await engine.campaigns.stats('c')).toMatchObject({ statuses: overview.audience.statuses })
      return overview.audience
    }
    const running = await agree()
    expect(running.statuses.finished + running.statuses.replied).toBeGreaterThan(0)
    await engine.campaigns.pause('c')
    const paused = await agree()
    expect(paused.statuses.in_progress).toBe(0)
    await engine.campaigns.resume('c')
    expect(await agree()).toEqual(running)
  })

  it('show progress by action: where leads are now, and how many reached, passed or branched at each step', async () => {
    const overview = await engine.analytics.campaign('c')
    const leads = (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items
    const steps = Object.keys(templates.linkedinEmailCall.sequence.steps)
    expect(overview.progress.map((step) => step.stepId).sort()).toEqual([...steps].sort())
    expect(overview.progress[0]?.stepId).toBe(templates.linkedinEmailCall.sequence.start)
    for (const step of overview.progress) {
      const here = leads.filter((lead) => lead.stepId === step.stepId)
      const byStatus: Record<string, number> = {}
      for (const lead of here) byStatus[lead.status] = (byStatus[lead.status] ?? 0) + 1
      expect(
        Object.fromEntries(Object.entries(step.now.statuses).filter(([, n]) => n > 0)),
        step.stepId,
      ).toEqual(byStatus)
      const ran = new Set(
        events
          .filter(
            (e) =>
              e.stepId === step.stepId &&
              e.type !== 'condition-evaluated' &&
              e.type !== 'lead-status-changed',
          )
          .map((e) => e.leadId),
      )
      expect(step.reached, step.stepId).toBeGreaterThanOrEqual(ran.size)
      if (step.kind === 'condition') {
        const evaluated = events.filter((e) => e.type === 'condition-evaluated' && e.stepId === step.stepId)
        expect(step.branches, step.stepId).toEqual({
          yes: evaluated.filter((e) => e.detail?.result === true).length,
          no: evaluated.filter((e) => e.detail?.result === false).length,
        })
      }
    }
    const visit = overview.progress.find((step) => step.stepId === 'visit')
    expect(visit?.reached).toBe(60)
    expect(visit?.passed).toBe(60)
    expect(overview.progress.find((step) => step.stepId === 'accepted')?.branches?.yes).toBeGreaterThan(0)
  })

  it('rebuild the same counters from the history of a workspace written without them', async () => {
    const before = await engine.analytics.campaign('c')
    const beforeDaily = await engine.analytics.daily('c', { timeZone: ZONE })
    await storage.transaction('default', async (tx) => {
      for (const record of await tx.query('analytics')) await tx.delete('analytics', String(record.key))
      await tx.delete('state', 'analytics:version')
    })
    const rebuilt = await engine.analytics.campaign('c')
    expect({ ...rebuilt, progress: undefined }).toEqual({ ...before, progress: undefined })
    expect(await engine.analytics.daily('c', { timeZone: ZONE })).toEqual(beforeDaily)
    for (const [n, step] of rebuilt.progress.entries()) {
      expect(step.now).toEqual(before.progress[n]?.now)
      expect(step.branches).toEqual(before.progress[n]?.branches)
    }
  })
})

describe('the identity dashboard', () => {
  it('defaults to today in the identity time zone', async () => {
    const today = await engine.analytics.identity('ana')
    expect(today.period).toEqual({
      from: '2026-03-25T23:00:00.000Z',
      to: '2026-03-26T23:00:00.000Z',
      timeZone: ZONE,
    })
  })

  it('matches the action log: connections, messages and emails against the limits, replies, bounce rate', async () => {
    const period = { since: '2026-03-02', until: '2026-03-20', timeZone: ZONE }
    const dashboard = await engine.analytics.identity('ana', period)
    const from = Date.parse('2026-03-02T00:00:00+01:00')
    const to = Date.parse('2026-03-21T00:00:00+01:00')
    const all = (await engine.actions({ identityId: 'ana' })).filter(
      (e) => Date.parse(e.at) >= from && Date.parse(e.at) < to,
    )
    const count = (match: (e: EngineEvent) => boolean) => all.filter(match).length
    const sent = (channel: string) =>
      count(
        (e) => ['message-sent', 'reply-sent', 'auto-reply-sent'].includes(e.type) && e.channel === channel,
      )
    const days = workingDates(START, 19, ZONE, ['mon', 'tue', 'wed', 'thu', 'fri']).length
    expect(days).toBe(15)
    const invitations = count((e) => e.type === 'invitation-sent')
    const accepted = count((e) => e.type === 'connection-accepted')
    const emails = sent('email')
    const bounced = count((e) => e.type === 'email-bounced' && e.detail?.bounce !== 'soft')
    expect(dashboard).toEqual({
      identityId: 'ana',
      name: 'Ana Martín',
      period: { from: new Date(from).toISOString(), to: new Date(to).toISOString(), timeZone: ZONE },
      connections: {
        sent: invitations,
        accepted,
        acceptanceRate: accepted / invitations,
        allowed: days * 20,
      },
      linkedinMessages: { sent: sent('linkedin'), allowed: days * 100 },
      emails: { sent: emails, allowed: days * 30 },
      replied: count((e) => e.type === 'reply-received' && e.detail?.outOfOffice !== true),
      bounced,
      bounceRate: bounced / emails,
      warmup: [],
    })
    expect(invitations).toBeGreaterThan(0)
    expect(bounced).toBeGreaterThan(0)
  })

  it('lists identities by name, with search without case or accents', async () => {
    const all = await engine.analytics.identities({ since: '2026-03-02', until: '2026-03-27' })
    expect(all.map((each) => each.name)).toEqual(['Ana Martín', 'Bo Berg'])
    expect(all[1]?.connections.sent).toBe(0)
    expect(all[1]?.emails.allowed).toBeGreaterThan(0)
    const found = await engine.analytics.identities({ search: 'martin' })
    expect(found.map((each) => each.identityId)).toEqual(['ana'])
  })
})

/** Reads the workspace's documents directly, as the engine's queries do. */
const read = <T>(work: (store: Store) => Promise<T>): Promise<T> =>
  storage.transaction('default', (tx) => work(new Store(tx)), { readOnly: true })

/** What a period's counts were before day documents: the sum of its hour documents. */
const hourSums = (scope: AnalyticsScope, scopeId: string, from: number | null, to: number) =>
  read(async (store) => sum(await hours(store, scope, scopeId, from ?? 0, to)))

const SCOPES: readonly [AnalyticsScope, string][] = [
  ['campaign', 'c'],
  ['identity', 'ana'],
  ['identity', 'bo'],
]
const FIRST_DAY = Math.floor(Date.parse(START) / DAY) * DAY - 2 * DAY
const LAST_DAY = Math.floor(END / DAY) * DAY + 2 * DAY

/** Instants from `first` to `last`: any millisecond, on the hour, on the half hour, at UTC midnight. */
const instantsIn = (first: number, last: number) =>
  fc.oneof(
    fc.integer({ min: first, max: last }),
    fc.integer({ min: first / HOUR, max: last / HOUR }).map((hour) => hour * HOUR),
    fc.integer({ min: first / HOUR, max: last / HOUR }).map((hour) => hour * HOUR + HOUR / 2),
    fc.integer({ min: first / DAY, max: last / DAY }).map((day) => day * DAY),
  )
/** Periods shorter than a day, of about a day or two (zero or one whole UTC day), and of weeks. */
const length = fc.oneof(
  fc.integer({ min: 1, max: 2 * DAY }),
  fc.constantFrom(1, HOUR / 2, HOUR, DAY - 1, DAY, DAY + 1, DAY + HOUR, 2 * DAY - 1, 2 * DAY),
  fc.integer({ min: 1, max: 30 * DAY }),
)
/** Periods starting from `first` to `last`, and some without a start. */
const periodsIn = (first: number, last: number) =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .record({ from: instantsIn(first, last), length })
        .map(({ from, length }) => ({ from: from as number | null, to: from + length })),
    },
    { weight: 1, arbitrary: instantsIn(first, last).map((to) => ({ from: null, to })) },
  )
const period = periodsIn(FIRST_DAY, LAST_DAY)

describe('period counters from day documents', () => {
  it('keep each UTC day document equal to the sum of its hours', async () => {
    let days = 0
    for (const [scope, scopeId] of SCOPES)
      for (let day = FIRST_DAY; day < LAST_DAY; day += DAY) {
        const document = await read((store) => store.get('analytics', dayKeyOf(scope, scopeId, day)))
        const expected = await hourSums(scope, scopeId, day, day + DAY)
        if (Object.keys(expected).length === 0) expect(document).toBeUndefined()
        else {
          days++
          expect(document).toMatchObject({ scope, scopeId, bucket: null, day })
          expect(document?.counts).toEqual(expected)
        }
      }
    expect(days).toBeGreaterThan(DAYS)
  })

  it('sum any period exactly as its hour documents do, edges mid-hour and mid-day included', async () => {
    let nonEmpty = 0
    await fc.assert(
      fc.asyncProperty(period, fc.constantFrom(...SCOPES), async ({ from, to }, [scope, scopeId]) => {
        const got = await read((store) => countsOver(store, scope, scopeId, from, to))
        expect(got).toEqual(await hourSums(scope, scopeId, from, to))
        if (Object.keys(got).length > 0) nonEmpty++
      }),
      { numRuns: 400 },
    )
    expect(nonEmpty).toBeGreaterThan(100)
  })

  it('sum any period exactly on counters moved in every hour, at its first and last millisecond, up and down', async () => {
    const synthetic = createMemoryStorage()
    const start = Date.parse('2026-01-01T00:00:00Z')
    const span = 40 * 24
    await synthetic.transaction('w', async (tx) => {
      const store = new Store(tx)
      for (let n = 0; n < 3 * span; n++) {
        const hour = start + (n % span) * HOUR
        const at = n % 3 === 0 ? hour : n % 3 === 1 ? hour + HOUR - 1 : hour + ((n * 7_919) % HOUR)
        const counts = { [`event:${n % 5}`]: n % 4 === 3 ? -1 : 1 + (n % 3), total: 1 }
        const scopes: CounterChange[] = [{ scope: 'campaign', scopeId: 's', counts }]
        if (n % 2 === 0) scopes.push({ scope: 'campaign', scopeId: 'half', counts })
        await applyChanges(store, timedChanges(at, scopes))
      }
    })
    const inSynthetic = <T>(work: (store: Store) => Promise<T>) =>
      synthetic.transaction('w', (tx) => work(new Store(tx)), { readOnly: true })
    await fc.assert(
      fc.asyncProperty(
        periodsIn(start - 2 * DAY, start + 42 * DAY),
        fc.constantFrom('s', 'half'),
        async ({ from, to }, scopeId) => {
          const got = await inSynthetic((store) => countsOver(store, 'campaign', scopeId, from, to))
          const expected = await inSynthetic(async (store) =>
            sum(await hours(store, 'campaign', scopeId, from ?? 0, to)),
          )
          expect(got).toEqual(expected)
        },
      ),
      { numRuns: 500 },
    )
    const whole = await inSynthetic((store) => countsOver(store, 'campaign', 's', null, start + 50 * DAY))
    expect(whole).toEqual(await inSynthetic((store) => allTime(store, 'campaign', 's')))
    expect(whole.total).toBe(3 * span)
  })

  it('answer the overview and the identity dashboard for any period as the sums of hours do', async () => {
    const campaign = await read((store) => store.get('campaigns', 'c'))
    const ana = await read((store) => store.get('identities', 'ana'))
    if (campaign === undefined || ana === undefined)
      throw new Error('the scenario has a campaign and an identity')
    const zones = ['UTC', ZONE, 'Asia/Kolkata', 'Asia/Kathmandu', 'America/St_Johns']
    const instants = period.map(({ from, to }) => ({
      ...(from === null ? {} : { from: new Date(from).toISOString() }),
      to: new Date(to).toISOString(),
    }))
    const dates = fc
      .record({
        since: fc.integer({ min: FIRST_DAY / DAY, max: LAST_DAY / DAY }),
        days: fc.integer({ min: 0, max: 20 }),
        timeZone: fc.constantFrom(...zones),
      })
      .map(({ since, days, timeZone }) => ({
        since: new Date(since * DAY).toISOString().slice(0, 10),
        until: new Date((since + days) * DAY).toISOString().slice(0, 10),
        timeZone,
      }))
    await fc.assert(
      fc.asyncProperty(fc.oneof(instants, dates), async (options) => {
        const overview = await engine.analytics.campaign('c', options)
        const from = overview.period.from === null ? null : Date.parse(overview.period.from)
        const to = Date.parse(overview.period.to)
        const counts = await hourSums('campaign', 'c', from, to)
        const { campaignId, period, audience, progress, ...metrics } = overview
        const totals = await read((store) => allTime(store, 'campaign', 'c'))
        expect(metrics).toEqual(campaignMetrics(counts, totals, audience.total))
        const now = await read((store) => audienceCounts(store, 'c'))
        expect(progress).toEqual(progressByAction(campaign.campaign, counts, now))

        const dashboard = await engine.analytics.identity('ana', options)
        const start = dashboard.period.from === null ? null : Date.parse(dashboard.period.from)
        const end = Date.parse(dashboard.period.to)
        const hoursOfAna = await read((store) => hours(store, 'identity', 'ana', start ?? 0, end))
        const first = hoursOfAna[0]?.bucket ?? end - 1
        const resolved = { from: start, to: end, timeZone: dashboard.period.timeZone }
        expect(dashboard).toEqual(identityDashboard(ana.identity, sum(hoursOfAna), resolved, first))
      }),
      { numRuns: 150 },
    )
  })

  it('count a calendar range of a half-hour time zone with the hour that straddles each local midnight', async () => {
    const timeZone = 'Asia/Kolkata'
    for (const [since, until] of [
      ['2026-03-03', '2026-03-03'],
      ['2026-03-04', '2026-03-05'],
      ['2026-03-02', '2026-03-20'],
      ['2026-02-20', '2026-04-10'],
    ] as const) {
      const overview = await engine.analytics.campaign('c', { since, until, timeZone })
      const from = Date.parse(`${since}T00:00:00+05:30`)
      const to = Date.parse(`${until}T00:00:00+05:30`) + DAY
      expect(overview.period).toMatchObject({
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
      })
      // Hours run from the one the local midnight falls in (18:00 UTC) to the one the period ends in.
      const counts = await hourSums('campaign', 'c', from - HOUR / 2, to + HOUR / 2)
      const totals = await read((store) => allTime(store, 'campaign', 'c'))
      expect(overview.linkedin).toEqual(campaignMetrics(counts, totals, 60).linkedin)
      expect(overview.email).toEqual(campaignMetrics(counts, totals, 60).email)
      const dashboard = await engine.analytics.identity('ana', { since, until, timeZone })
      expect(dashboard.connections.sent).toBe(
        (await hourSums('identity', 'ana', from, to))['event:invitation-sent'] ?? 0,
      )
    }
    const month = await engine.analytics.campaign('c', { since: '2026-03-02', until: '2026-03-26', timeZone })
    expect(month.linkedin.invited).toBeGreaterThan(0)
  })

  it('rebuild a workspace counted before day documents (hours only, version 1) to the same numbers', async () => {
    const periods = [
      {},
      { from: '2026-03-04T10:30:00Z', to: '2026-03-19T07:15:00Z' },
      { since: '2026-03-05', until: '2026-03-18', timeZone: 'Asia/Kolkata' },
    ]
    const answers = () =>
      Promise.all([
        ...periods.map((options) => engine.analytics.campaign('c', options)),
        ...periods.map((options) => engine.analytics.identity('ana', options)),
        engine.analytics.daily('c', { timeZone: ZONE }),
      ])
    const before = await answers()
    const documents = async () =>
      (await storage.transaction('default', (tx) => tx.query('analytics'), { readOnly: true })).sort((a, b) =>
        String(a.key).localeCompare(String(b.key)),
      )
    const all = await documents()
    const dayDocuments = all.filter((record) => record.day !== undefined)
    expect(dayDocuments.length).toBeGreaterThan(DAYS)
    // As version 1 left it: hour and all-time documents, no days; and a stray document it never wrote.
    await storage.transaction('default', async (tx) => {
      for (const record of dayDocuments) await tx.delete('analytics', String(record.key))
      const stray = dayKeyOf('campaign', 'c', Date.parse('2026-03-10T00:00:00Z'))
      await tx.put('analytics', stray, {
        key: stray,
        scope: 'campaign',
        scopeId: 'c',
        bucket: null,
        day: Date.parse('2026-03-10T00:00:00Z'),
        counts: { 'leads:invited': 1000 },
      })
      await tx.put('state', 'analytics:version', { key: 'analytics:version', value: 1 })
    })
    expect(await answers()).toEqual(before)
    expect(await documents()).toEqual(all)
    const marker = await storage.transaction('default', (tx) => tx.get('state', 'analytics:version'))
    expect(marker?.value).toBe(2)
  })
})

describe('bad input to analytics', () => {
  const refused = async (work: Promise<unknown>, field: string) => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(PacelineError)
    expect((error as PacelineError).code).toBe('invalid_query')
    expect((error as PacelineError).issues.map((issue) => issue.field)).toContain(field)
    return error as PacelineError
  }

  it('names the field of an inverted period, an unknown zone, an unknown option or a bad date', async () => {
    await refused(
      engine.analytics.campaign('c', { from: '2026-03-10T00:00:00Z', to: '2026-03-01T00:00:00Z' }),
      'to',
    )
    await refused(engine.analytics.campaign('c', { since: '2026-03-10', until: '2026-03-01' }), 'until')
    const zone = await refused(engine.analytics.daily('c', { timeZone: 'Mars/Olympus' }), 'timeZone')
    expect(zone.message).toContain('IANA')
    const unknown = await refused(engine.analytics.campaign('c', { form: '2026-03-01' } as never), 'form')
    expect(unknown.message).toContain('from')
    await refused(engine.analytics.identity('ana', { since: '2026-02-30' }), 'since')
    await refused(
      engine.analytics.campaign('c', { from: '2026-03-01T00:00:00Z', since: '2026-03-01' }),
      'since',
    )
  })

  it('says which campaign or identity does not exist', async () => {
    await expect(engine.analytics.campaign('nope')).rejects.toMatchObject({ code: 'not_found' })
    await expect(engine.analytics.identity('nope')).rejects.toMatchObject({ code: 'not_found' })
  })
})
