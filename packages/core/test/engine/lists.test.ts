import { beforeAll, describe, expect, it } from 'vitest'
import {
  type Campaign,
  createEngine,
  type Engine,
  type EngineEvent,
  type IdentityInput,
  LEAD_ENGAGEMENTS,
  LEAD_STATUSES,
  type LeadEngagement,
  type LeadView,
  type Page,
  type SequenceInput,
  templates,
} from '../../src/index'
import {
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  type SimulationResult,
  simulate,
  VirtualClock,
} from '../../src/testing'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'
import { identity, leadProfile } from './harness'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/**
 * Reads a list page by page with `limit`, checking the paging contract on the way: a page with `next` is
 * full, the last page has no `next`, and no page after the first is empty.
 */
async function everyPage<T>(
  read: (options: { after?: string; limit: number }) => Promise<Page<T>>,
  limit: number,
): Promise<T[]> {
  const items: T[] = []
  let after: string | undefined
  for (let pages = 0; ; pages++) {
    expect(pages, 'more pages than items').toBeLessThanOrEqual(1000)
    const page = await read(after === undefined ? { limit } : { after, limit })
    expect(page.items.length).toBeLessThanOrEqual(limit)
    if (pages > 0) expect(page.items.length, 'an empty page after a `next`').toBeGreaterThan(0)
    items.push(...page.items)
    if (page.next === undefined) return items
    expect(page.items).toHaveLength(limit)
    after = page.next
  }
}

/** The PacelineError a call fails with. */
/** An identity with an email inbox and no LinkedIn account. */
function emailOnly(id: string, limits?: { perDay: number; perHour: number }): IdentityInput {
  const { linkedin: _linkedin, ...rest } = identity({ id })
  return { ...rest, email: { inboxes: [{ address: `${id}@acme.example`, ...(limits ? { limits } : {}) }] } }
}

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
const ids = (views: readonly LeadView[]) => views.map((view) => view.leadId)

describe("a campaign's leads by time added", () => {
  /** Batches of leads added to a draft campaign, each at its own time; ids do not follow the order added. */
  const BATCHES = [
    { at: '2026-03-02T08:00:00Z', ids: ['m1', 'a1', 'z1'] },
    { at: '2026-03-02T08:01:00Z', ids: ['b2', 'y2', 'c2', 'x2', 'd2'] },
    { at: '2026-03-02T08:02:00Z', ids: ['q3'] },
    { at: '2026-03-02T09:02:00Z', ids: ['e4', 'w4', 'f4', 'v4'] },
  ]
  /** Newest batch first; leads of one batch (added at the same instant) by id, the key of their enrolment. */
  const NEWEST = BATCHES.toReversed().flatMap((batch) => batch.ids.toSorted().toReversed())

  async function workspace() {
    const clock = new VirtualClock(BATCHES[0]?.at ?? '')
    const engine = createEngine({
      storage: createMemoryStorage(),
      linkedin: createMemoryLinkedInChannel(),
      email: createMemoryEmailChannel(),
      clock,
    })
    await engine.identities.put(identity({ id: 'ana' }))
    await engine.campaigns.create({ id: 'd', identityId: 'ana', sequence: templates.linkedinEmail.sequence })
    await engine.campaigns.create({ id: 'e', identityId: 'ana', sequence: templates.emailOnly.sequence })
    for (const batch of BATCHES) {
      clock.set(batch.at)
      await engine.leads.add(
        'd',
        batch.ids.map((id) => ({ id, profile: leadProfile(id) })),
      )
    }
    clock.advance(HOUR)
    await engine.leads.add('e', [
      { id: 'a1', profile: leadProfile('a1') },
      { id: 'solo', profile: leadProfile('solo') },
    ])
    return { engine, clock }
  }

  it('lists newest first by default and oldest first on request, every lead once on any page size', async () => {
    const { engine } = await workspace()
    const all = await engine.leads.list('d')
    expect(ids(all.items)).toEqual(NEWEST)
    expect(all.next).toBeUndefined()
    expect(ids((await engine.leads.list('d', { order: 'oldest' })).items)).toEqual(NEWEST.toReversed())
    for (let limit = 1; limit <= NEWEST.length + 1; limit++) {
      const newest = await everyPage((page) => engine.leads.list('d', page), limit)
      expect(ids(newest), `limit ${limit}`).toEqual(NEWEST)
      const oldest = await everyPage((page) => engine.leads.list('d', { ...page, order: 'oldest' }), limit)
      expect(ids(oldest), `limit ${limit}, oldest`).toEqual(NEWEST.toReversed())
    }
    // A page size that divides the list leaves no empty page at the end.
    const first = await engine.leads.list('d', { limit: 13 })
    expect(first.items).toHaveLength(13)
    expect(first.next).toBeUndefined()
  })

  it('lets the page size change from one page to the next', async () => {
    const { engine } = await workspace()
    const first = await engine.leads.list('d', { limit: 2 })
    const second = await engine.leads.list('d', { limit: 6, after: first.next as string })
    const rest = await engine.leads.list('d', { limit: 500, after: second.next as string })
    expect([...ids(first.items), ...ids(second.items), ...ids(rest.items)]).toEqual(NEWEST)
    expect(rest.next).toBeUndefined()
  })

  it('keeps going after the last lead of a page changed status, without repeating or skipping leads', async () => {
    const { engine } = await workspace()
    const first = await engine.leads.list('d', { status: 'not_started', limit: 4 })
    expect(ids(first.items)).toEqual(NEWEST.slice(0, 4))
    // The cursor's own lead (and one not yet listed) leave the list before the next page is read.
    await engine.leads.remove('d', NEWEST[3] as string)
    await engine.leads.remove('d', NEWEST[6] as string)
    const rest = await everyPage(
      (page) =>
        page.after === undefined
          ? engine.leads.list('d', { status: 'not_started', limit: 4, after: first.next as string })
          : engine.leads.list('d', { status: 'not_started', ...page }),
      4,
    )
    expect(ids(rest)).toEqual(NEWEST.slice(4).filter((id) => id !== NEWEST[6]))
  })

  it("finds a lead's place in every campaign it was added to", async () => {
    const { engine } = await workspace()
    const found = await engine.leads.find('a1')
    expect(found.map((view) => view.campaignId).toSorted()).toEqual(['d', 'e'])
    for (const view of found) expect(view).toEqual(await engine.leads.get(view.campaignId, 'a1'))
    expect((await engine.leads.find('solo')).map((view) => view.campaignId)).toEqual(['e'])
    const missing = await refusal(engine.leads.find('nobody'))
    expect(missing.code).toBe('not_found')
    expect(missing.details).toMatchObject({ what: 'lead', id: 'nobody' })
    expect((await refusal(engine.leads.find(''))).code).toBe('invalid_query')
  })

  it('refuses an unknown campaign', async () => {
    const { engine } = await workspace()
    expect((await refusal(engine.leads.list('nope'))).code).toBe('not_found')
    expect((await refusal(engine.tasks.list('nope'))).code).toBe('not_found')
  })
})

describe('lists of a simulated workspace', () => {
  const START = '2026-03-02T06:00:00Z'
  const DAYS = 16
  const END = Date.parse(START) + DAYS * DAY
  const C_LEADS = Array.from({ length: 40 }, (_, n) => `l${String(n).padStart(2, '0')}`)
  /** Profiles with accents and capitals, for the text search. */
  const SPECIAL: Record<string, Record<string, unknown>> = {
    l03: { firstName: 'José', lastName: 'Muñoz', company: 'Café Société' },
    l07: { firstName: 'JOSEFINA', lastName: 'Ruiz' },
    l12: { professionalEmail: 'jose.garcia@northwind.example' },
    l25: { lastName: 'Ibáñez', company: { name: 'Ünited Ströme', domain: 'united.example' } },
  }
  const profileOf = (id: string, n: number) =>
    leadProfile(id, { ...(n % 3 === 0 ? { mobilePhone: '+34600000000' } : {}), ...SPECIAL[id] })
  const behavior = (n: number) =>
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
              : {}
  const T_LEADS = Array.from({ length: 8 }, (_, n) => `t${n}`)

  let result: SimulationResult
  let engine: Engine
  let clock: VirtualClock
  /** Every lead of each campaign as `leads.get` shows it (not through the lists). */
  const truth = new Map<string, LeadView[]>()
  let log: EngineEvent[]
  let pausedLead: string
  let completedTasks: string[]

  beforeAll(async () => {
    const storage = createMemoryStorage()
    result = await simulate({
      start: START,
      days: DAYS,
      storage,
      identities: [
        identity({ id: 'ana', name: 'Ana Martín' }),
        emailOnly('bo', { perDay: 4, perHour: 2 }),
        emailOnly('cy', { perDay: 3, perHour: 2 }),
      ],
      campaigns: [
        { id: 'c', identityId: 'ana', sequence: templates.linkedinEmailCall.sequence },
        { id: 'm', identityId: 'bo', sequence: templates.emailOnly.sequence },
        { id: 'p', identityId: 'cy', sequence: templates.emailOnly.sequence },
        { id: 't', identityId: 'ana', sequence: templates.emailCall.sequence },
      ],
      leads: [
        ...C_LEADS.map((id, n) => ({
          id,
          campaignId: 'c',
          profile: profileOf(id, n),
          behavior: behavior(n),
        })),
        // Ten of them also in `m`, and the first 25 in `p` (a lead behaves the same in every campaign).
        ...C_LEADS.slice(30).map((id, n) => ({
          id,
          campaignId: 'm',
          profile: profileOf(id, n + 30),
          behavior: behavior(n + 30),
        })),
        ...C_LEADS.slice(0, 25).map((id, n) => ({
          id,
          campaignId: 'p',
          profile: profileOf(id, n),
          behavior: behavior(n),
        })),
        ...T_LEADS.map((id, n) => ({
          id,
          campaignId: 't',
          profile: leadProfile(id, {
            mobilePhone: '+34600000001',
            ...(n === 7 ? { professionalEmail: undefined } : {}),
          }),
        })),
      ],
    })
    clock = new VirtualClock(END)
    engine = createEngine({
      storage,
      linkedin: createMemoryLinkedInChannel(),
      email: createMemoryEmailChannel(),
      clock,
    })
    // Opens and clicks (some by scanners, which do not count as engagement), for the engagement filter.
    const emails = result.events.filter(
      (event) => event.type === 'message-sent' && event.channel === 'email' && event.campaignId === 'c',
    )
    for (const [n, sent] of emails.slice(0, 14).entries()) {
      clock.set(Date.parse(sent.at) + HOUR)
      await engine.ingest({
        type: n % 3 === 0 ? 'link-clicked' : 'email-opened',
        lead: { leadId: sent.leadId ?? '' },
        campaignId: 'c',
        at: new Date(clock.now()).toISOString(),
        ...(n % 4 === 3 ? { automated: true } : {}),
      })
    }
    clock.set(END - HOUR)
    // Tags by hand: both conversations of one lead (LinkedIn and email), and one of another lead.
    const conversations = (await engine.conversations.list({ campaignId: 'c', limit: 500 })).items
    const byLead = new Map<string, typeof conversations>()
    for (const conversation of conversations)
      byLead.set(conversation.leadId, [...(byLead.get(conversation.leadId) ?? []), conversation])
    const twice = [...byLead.values()].find((each) => each.length >= 2) ?? []
    const once = [...byLead.values()].find((each) => each.length === 1) ?? []
    if (twice.length < 2 || once.length !== 1) throw new Error('the scenario needs both kinds of lead')
    for (const conversation of twice)
      await engine.conversations.tag(conversation.id, [{ name: 'Meeting booked', category: 'positive' }])
    await engine.conversations.tag(once[0]?.id ?? '', [{ name: 'MEETING BOOKED', category: 'positive' }])
    // Two of the seven tasks done (and a third at the end).
    const tasks = (await engine.tasks.list('t', { order: 'oldest', limit: 500 })).items
    completedTasks = [tasks[1]?.taskId ?? '', tasks[4]?.taskId ?? '']
    for (const taskId of completedTasks) await engine.ingest({ type: 'task-completed', taskId })
    // One lead of `c` paused by hand; campaign `p` paused as a whole.
    const inProgress = []
    for (const id of C_LEADS) {
      const view = await engine.leads.get('c', id)
      if (view.status === 'in_progress') inProgress.push(id)
    }
    pausedLead = inProgress[5] ?? ''
    await engine.leads.pause('c', pausedLead)
    await engine.campaigns.pause('p')
    // Something logged at this very instant: a task done now.
    clock.set(END)
    const open = (await engine.tasks.list('t', { status: 'pending', order: 'oldest', limit: 500 })).items
    completedTasks.push(open[0]?.taskId ?? '')
    await engine.ingest({ type: 'task-completed', taskId: open[0]?.taskId ?? '' })

    const members: Record<string, readonly string[]> = {
      c: C_LEADS,
      m: C_LEADS.slice(30),
      p: C_LEADS.slice(0, 25),
      t: T_LEADS,
    }
    for (const [campaignId, leads] of Object.entries(members))
      truth.set(campaignId, await Promise.all(leads.map((id) => engine.leads.get(campaignId, id))))
    log = await engine.actions()
  }, 120_000)

  /** The leads of a campaign that pass `keep`, as `leads.get` shows them, in list order (newest first). */
  function expected(campaignId: string, keep: (view: LeadView) => boolean = () => true): LeadView[] {
    // Every lead of a campaign was added at once: equal times, so the order is by id.
    return (truth.get(campaignId) ?? []).filter(keep).toSorted((a, b) => (a.leadId < b.leadId ? 1 : -1))
  }

  it('the scenario has every kind of lead the filters need', () => {
    const statuses = (campaignId: string) => new Set(truth.get(campaignId)?.map((view) => view.status))
    expect(statuses('c')).toEqual(new Set(['in_progress', 'paused', 'replied', 'finished']))
    expect(statuses('p')).toEqual(new Set(['paused', 'finished']))
    expect(statuses('t')).toEqual(new Set(['error', 'finished']))
    expect(truth.get('c')?.find((view) => view.leadId === pausedLead)?.status).toBe('paused')
  })

  it('the action log holds exactly what the simulation saw happen', () => {
    const key = (event: {
      at: string
      type: string
      leadId?: string
      campaignId?: string
      stepId?: string
    }) => [event.at, event.type, event.leadId, event.campaignId, event.stepId].join('|')
    // The simulation reports actions and inbound events; what the host did afterwards is of other types.
    const seen = new Set(result.events.map((event) => event.type))
    expect(seen.has('email-opened') || seen.has('task-completed')).toBe(false)
    expect(
      log
        .filter((event) => seen.has(event.type))
        .map(key)
        .toSorted(),
    ).toEqual(result.events.map(key).toSorted())
  })

  describe('leads', () => {
    it('pages through every lead once, newest or oldest first', async () => {
      for (const campaignId of ['c', 'm', 'p', 't']) {
        const newest = expected(campaignId)
        for (const limit of [1, 3, 7, newest.length, 500]) {
          expect(
            await everyPage((page) => engine.leads.list(campaignId, page), limit),
            `${campaignId}, limit ${limit}`,
          ).toEqual(newest)
          expect(
            await everyPage((page) => engine.leads.list(campaignId, { ...page, order: 'oldest' }), limit),
          ).toEqual(newest.toReversed())
        }
      }
      // The default page has 50.
      expect((await engine.leads.list('c')).items).toHaveLength(40)
    })

    it('filters by status, as the lead views show it', async () => {
      for (const campaignId of ['c', 'p', 't'])
        for (const status of LEAD_STATUSES) {
          const want = expected(campaignId, (view) => view.status === status)
          expect(
            await everyPage((page) => engine.leads.list(campaignId, { ...page, status }), 3),
            `${campaignId} ${status}`,
          ).toEqual(want)
        }
      expect(ids((await engine.leads.list('c', { status: 'paused' })).items)).toEqual([pausedLead])
      expect((await engine.leads.list('t', { status: 'error' })).items.map((view) => view.substatus)).toEqual(
        ['missing_contact_email'],
      )
    })

    it("shows a paused campaign's active leads as paused, never as in progress", async () => {
      const before = result.leads.filter((lead) => lead.campaignId === 'p')
      const active = before.filter((lead) => lead.status === 'in_progress' || lead.status === 'not_started')
      expect(active.length).toBeGreaterThan(3)
      const paused = await everyPage((page) => engine.leads.list('p', { ...page, status: 'paused' }), 2)
      expect(ids(paused).toSorted()).toEqual(active.map((lead) => lead.leadId).toSorted())
      expect(paused.every((view) => view.status === 'paused')).toBe(true)
      for (const status of ['in_progress', 'not_started', 'error'] as const)
        expect((await engine.leads.list('p', { status })).items).toEqual([])
      // Leads that had finished stay finished.
      const finished = before.filter((lead) => lead.status === 'finished').map((lead) => lead.leadId)
      expect(
        ids((await engine.leads.list('p', { status: 'finished', limit: 500 })).items).toSorted(),
      ).toEqual(finished.toSorted())
      // With the step too, the paused leads of that step.
      const atIntro = active.filter((lead) => lead.stepId === 'intro').map((lead) => lead.leadId)
      expect(atIntro.length).toBeGreaterThan(0)
      expect(
        ids(
          await everyPage(
            (page) => engine.leads.list('p', { ...page, status: 'paused', stepId: 'intro' }),
            1,
          ),
        ),
      ).toEqual(atIntro.toSorted().toReversed())
    })

    it('filters by substatus and by step', async () => {
      for (const campaignId of ['c', 'm', 'p', 't']) {
        const views = truth.get(campaignId) ?? []
        const substatuses = new Set(views.map((view) => view.substatus).filter((each) => each !== null))
        expect(substatuses.size).toBeGreaterThan(0)
        for (const substatus of substatuses)
          expect(
            await everyPage((page) => engine.leads.list(campaignId, { ...page, substatus }), 2),
            `${campaignId} ${substatus}`,
          ).toEqual(expected(campaignId, (view) => view.substatus === substatus))
        const steps = new Set(views.map((view) => view.stepId).filter((each) => each !== null))
        for (const stepId of [...steps, 'no_such_step'])
          expect(
            await everyPage((page) => engine.leads.list(campaignId, { ...page, stepId }), 2),
            `${campaignId} ${stepId}`,
          ).toEqual(expected(campaignId, (view) => view.stepId === stepId))
      }
      // Status and step together.
      const step = truth.get('c')?.find((view) => view.status === 'in_progress')?.stepId ?? ''
      expect(
        await everyPage(
          (page) => engine.leads.list('c', { ...page, status: 'in_progress', stepId: step }),
          4,
        ),
      ).toEqual(expected('c', (view) => view.status === 'in_progress' && view.stepId === step))
      expect((await engine.leads.list('c', { status: 'replied', stepId: step })).items).toEqual([])
    })

    it('searches names, companies and emails without case or accents', async () => {
      const search = async (text: string, campaignId = 'c') =>
        ids(await everyPage((page) => engine.leads.list(campaignId, { ...page, search: text }), 2))
      expect(await search('jose')).toEqual(['l12', 'l07', 'l03'])
      expect(await search('JOSÉ')).toEqual(['l12', 'l07', 'l03'])
      expect(await search('munoz')).toEqual(['l03'])
      expect(await search('Café soc')).toEqual(['l03'])
      expect(await search('IBANEZ')).toEqual(['l25'])
      expect(await search('united strome')).toEqual(['l25'])
      expect(await search('l31@corp')).toEqual(['l31'])
      expect(await search('  ruiz ')).toEqual(['l07'])
      expect(await search('nobody at all')).toEqual([])
      // Only the name, company and email: not the LinkedIn profile id.
      expect(await search('li-l0')).toEqual([])
      // Derived from the profiles as they were added.
      const matching = (text: string) =>
        C_LEADS.filter((id, n) => {
          const profile = profileOf(id, n) as Record<string, unknown>
          const company = profile.company as string | { name: string }
          return fold(
            [
              profile.firstName,
              profile.lastName,
              typeof company === 'string' ? company : company.name,
              profile.professionalEmail,
            ].join(' '),
          ).includes(fold(text))
        })
      for (const text of ['first', 'lastl1', 'company l2', 'corp.example', 'firstl3'])
        expect(await search(text), text).toEqual(matching(text).toReversed())
      // With a status.
      const replied = new Set(expected('c', (view) => view.status === 'replied').map((view) => view.leadId))
      expect(replied.size).toBeGreaterThan(1)
      expect(
        ids(
          await everyPage(
            (page) => engine.leads.list('c', { ...page, search: 'firstl', status: 'replied' }),
            1,
          ),
        ),
      ).toEqual(
        matching('firstl')
          .filter((id) => replied.has(id))
          .toReversed(),
      )
    })

    it('filters by what leads did, any of several', async () => {
      const inCampaign = log.filter((event) => event.campaignId === 'c')
      const did: Record<LeadEngagement, (event: EngineEvent) => boolean> = {
        connection_sent: (event) => event.type === 'invitation-sent',
        connection_accepted: (event) => event.type === 'connection-accepted',
        sent_message: (event) => event.type === 'message-sent',
        replied: (event) => event.type === 'reply-received' && event.detail?.outOfOffice !== true,
        bounced: (event) => event.type === 'email-bounced' && event.detail?.bounce === 'hard',
        opened: (event) => event.type === 'email-opened' && event.detail?.automated !== true,
        clicked: (event) => event.type === 'link-clicked' && event.detail?.automated !== true,
      }
      expect(Object.keys(did).toSorted()).toEqual(Object.keys(LEAD_ENGAGEMENTS).toSorted())
      const leadsWho = (names: readonly LeadEngagement[]) =>
        new Set(
          inCampaign
            .filter((event) => names.some((name) => did[name](event)))
            .map((event) => event.leadId ?? ''),
        )
      for (const name of Object.keys(did) as LeadEngagement[]) {
        const who = leadsWho([name])
        expect(
          ids(await everyPage((page) => engine.leads.list('c', { ...page, engagement: name }), 3)),
          name,
        ).toEqual(expected('c', (view) => who.has(view.leadId)).map((view) => view.leadId))
      }
      for (const names of [
        ['opened', 'clicked'],
        ['replied', 'connection_accepted'],
      ] as const) {
        const who = leadsWho(names)
        expect(who.size).toBeGreaterThan(leadsWho([names[0]]).size)
        expect(
          ids(await everyPage((page) => engine.leads.list('c', { ...page, engagement: names }), 2)),
        ).toEqual(expected('c', (view) => who.has(view.leadId)).map((view) => view.leadId))
      }
      // The scenario is rich enough for each filter to mean something.
      for (const name of ['connection_accepted', 'replied', 'opened', 'clicked'] as const) {
        expect(leadsWho([name]).size, name).toBeGreaterThan(0)
        expect(leadsWho([name]).size, name).toBeLessThan(40)
      }
      // A scanner's open is not an open.
      const scanned = inCampaign.filter((event) => event.type === 'email-opened' && event.detail?.automated)
      expect(scanned.length).toBeGreaterThan(0)
    })

    it("filters by a tag of the lead's conversation, without case, each lead once", async () => {
      const conversations = (await engine.conversations.list({ campaignId: 'c', limit: 500 })).items
      for (const tag of ['meeting booked', 'Interested']) {
        const tagged = conversations.filter((conversation) =>
          conversation.tags.some((each) => each.name.toLowerCase() === tag.toLowerCase()),
        )
        const latest = new Map<string, string>()
        for (const conversation of tagged)
          if ((latest.get(conversation.leadId) ?? '') < conversation.lastActivityAt)
            latest.set(conversation.leadId, conversation.lastActivityAt)
        const want = [...latest].toSorted((a, b) => (a[1] < b[1] ? 1 : -1)).map(([leadId]) => leadId)
        expect(want.length, tag).toBeGreaterThan(1)
        const listed = await everyPage((page) => engine.leads.list('c', { ...page, tag }), 1)
        expect(ids(listed), tag).toEqual(want)
        expect(listed).toEqual(
          listed.map((view) => expected('c').find((each) => each.leadId === view.leadId)),
        )
        const oldest = await everyPage((page) => engine.leads.list('c', { ...page, tag, order: 'oldest' }), 1)
        expect(ids(oldest)).toEqual(want.toReversed())
      }
      expect(ids((await engine.leads.list('c', { tag: 'MEETING BOOKED' })).items)).toHaveLength(2)
      expect((await engine.leads.list('m', { tag: 'meeting booked' })).items).toEqual([])
      expect((await engine.leads.list('c', { tag: 'no such tag' })).items).toEqual([])
    })

    it("finds a lead's place in each of its campaigns", async () => {
      for (const [leadId, campaigns] of [
        ['l03', ['c', 'p']],
        ['l31', ['c', 'm']],
        ['l29', ['c']],
        ['t2', ['t']],
      ] as const) {
        const found = await engine.leads.find(leadId)
        expect(found.map((view) => view.campaignId).toSorted()).toEqual(campaigns)
        for (const view of found)
          expect(view).toEqual(truth.get(view.campaignId)?.find((each) => each.leadId === leadId))
      }
      expect((await refusal(engine.leads.find('l99'))).code).toBe('not_found')
    })
  })

  describe('activity', () => {
    const list = (filter: Parameters<Engine['activity']['list']>[0], limit = 17) =>
      everyPage((page) => engine.activity.list({ ...filter, ...page }), limit)
    /** The log newest first (ties by key, so exactly the reverse of `engine.actions`). */
    const newest = (keep: (event: EngineEvent) => boolean = () => true) => log.filter(keep).toReversed()

    it('pages through the whole log, newest or oldest first', async () => {
      expect(log.length).toBeGreaterThan(400)
      expect(await list({}, 50)).toEqual(newest())
      expect(await list({ order: 'oldest' }, 61)).toEqual(log)
      const first = await engine.activity.list()
      expect(first.items).toEqual(newest().slice(0, 50))
      expect(first.next).toBeDefined()
    })

    it('filters by campaign, lead, identity, type and step', async () => {
      expect(await list({ campaignId: 'm' })).toEqual(newest((event) => event.campaignId === 'm'))
      expect(await list({ leadId: 'l31' }, 4)).toEqual(newest((event) => event.leadId === 'l31'))
      expect(await list({ leadId: 'l31', campaignId: 'm' }, 2)).toEqual(
        newest((event) => event.leadId === 'l31' && event.campaignId === 'm'),
      )
      expect(await list({ identityId: 'bo' })).toEqual(newest((event) => event.identityId === 'bo'))
      const types = ['message-sent', 'reply-received'] as const
      expect(await list({ campaignId: 'c', types: [...types] }, 9)).toEqual(
        newest((event) => event.campaignId === 'c' && (types as readonly string[]).includes(event.type)),
      )
      expect(await list({ stepId: 'intro', order: 'oldest' }, 5)).toEqual(
        log.filter((event) => event.stepId === 'intro'),
      )
      expect(new Set(log.filter((e) => e.stepId === 'intro').map((e) => e.campaignId))).toEqual(
        new Set(['m', 'p', 't']),
      )
      expect(await list({ types: ['task-completed'] }, 1)).toHaveLength(3)
      expect(await list({ leadId: 'nobody' })).toEqual([])
    })

    it('filters by a period of instants or of days in a time zone', async () => {
      const from = Date.parse(START) + 3 * DAY + 5 * HOUR
      const to = Date.parse(START) + 6 * DAY
      const between = (start: number, end: number) => (event: EngineEvent) =>
        Date.parse(event.at) >= start && Date.parse(event.at) < end
      const instants = await list({ from: new Date(from).toISOString(), to: new Date(to) })
      expect(instants).toEqual(newest(between(from, to)))
      expect(instants.length).toBeGreaterThan(20)
      // Madrid is UTC+1 in early March: 4 and 5 March there are 3 March 23:00 to 5 March 23:00 UTC.
      const madrid = await list({ since: '2026-03-04', until: '2026-03-05', timeZone: 'Europe/Madrid' })
      expect(madrid).toEqual(
        newest(between(Date.parse('2026-03-03T23:00:00Z'), Date.parse('2026-03-05T23:00:00Z'))),
      )
      // Tokyo is UTC+9: the same days are other instants.
      const tokyo = await list({ since: '2026-03-04', until: '2026-03-05', timeZone: 'Asia/Tokyo' })
      expect(tokyo).toEqual(
        newest(between(Date.parse('2026-03-03T15:00:00Z'), Date.parse('2026-03-05T15:00:00Z'))),
      )
      expect(tokyo).not.toEqual(madrid)
      // Days without a zone are UTC days.
      expect(await list({ since: '2026-03-04', until: '2026-03-04', campaignId: 'c' })).toEqual(
        newest(
          (event) =>
            event.campaignId === 'c' &&
            between(Date.parse('2026-03-04T00:00:00Z'), Date.parse('2026-03-05T00:00:00Z'))(event),
        ),
      )
    })

    it('includes what happened at this very instant when the period has no end', async () => {
      const now = new Date(END).toISOString()
      const last = log.at(-1)
      expect(last).toMatchObject({ at: now, type: 'task-completed' })
      const since = new Date(END - DAY).toISOString()
      expect((await engine.activity.list({ from: since, limit: 1 })).items[0]).toEqual(last)
      expect((await engine.activity.list({ since: '2026-03-17', limit: 1 })).items[0]).toEqual(last)
      expect((await engine.activity.list({ limit: 1 })).items[0]).toEqual(last)
      expect(await engine.actions({ from: since, types: ['task-completed'] })).toContainEqual(last)
      // `to` is exclusive.
      const before = await list({ from: since, to: now })
      expect(before).not.toContainEqual(last)
      expect(before).toEqual(newest((event) => event.at >= since && event.at < now))
    })

    it('engine.actions takes the same filters, oldest first', async () => {
      expect(await engine.actions({ campaignId: 't', stepId: 'call' })).toEqual(
        log.filter((event) => event.campaignId === 't' && event.stepId === 'call'),
      )
      expect(await engine.actions({ stepId: 'intro', limit: 3 })).toEqual(
        log.filter((event) => event.stepId === 'intro').slice(0, 3),
      )
      const refused = await refusal(engine.actions({ campaign: 'c' } as never))
      expect(refused.code).toBe('invalid_query')
      expect(refused.issues[0]).toMatchObject({ rule: 'unknown_field', field: 'campaign' })
      expect(refused.issues[0]?.message).toContain('did you mean `campaignId`')
      expect((await refusal(engine.actions({ period: 'today' } as never))).issues[0]?.field).toBe('period')
    })
  })

  describe('tasks', () => {
    it('pages through tasks newest or oldest first, by status and lead', async () => {
      const created = log.filter((event) => event.type === 'task-created' && event.campaignId === 't')
      expect(created).toHaveLength(7)
      const all = await everyPage((page) => engine.tasks.list('t', page), 2)
      expect(all.map((task) => [task.leadId, new Date(task.createdAt).toISOString()])).toEqual(
        created.map((event) => [event.leadId, event.at]).toReversed(),
      )
      expect(await everyPage((page) => engine.tasks.list('t', { ...page, order: 'oldest' }), 3)).toEqual(
        all.toReversed(),
      )
      const done = await everyPage((page) => engine.tasks.list('t', { ...page, status: 'completed' }), 1)
      expect(done.map((task) => task.taskId).toSorted()).toEqual(completedTasks.toSorted())
      expect(done).toEqual(all.filter((task) => completedTasks.includes(task.taskId)))
      expect(done.every((task) => task.status === 'completed' && task.completedAt !== null)).toBe(true)
      const pending = await everyPage((page) => engine.tasks.list('t', { ...page, status: 'pending' }), 2)
      expect(pending).toEqual(all.filter((task) => !completedTasks.includes(task.taskId)))
      const lead = created[2]?.leadId ?? ''
      expect(await everyPage((page) => engine.tasks.list('t', { ...page, leadId: lead }), 1)).toEqual(
        all.filter((task) => task.leadId === lead),
      )
      expect((await engine.tasks.list('m')).items).toEqual([])
    })
  })

  describe('cursors and filters that are refused', () => {
    async function expectCursorRefused(call: Promise<unknown>) {
      const error = await refusal(call)
      expect(error.code).toBe('invalid_query')
      expect(error.issues).toHaveLength(1)
      expect(error.issues[0]).toMatchObject({ rule: 'invalid_cursor', field: 'after' })
      return error
    }

    it('refuses a cursor from another query: other filters, order, campaign or list', async () => {
      const replied = await engine.leads.list('c', { status: 'replied', limit: 1 })
      const after = replied.next as string
      expect(after).toBeDefined()
      // It still continues its own query.
      expect((await engine.leads.list('c', { status: 'replied', limit: 1, after })).items).toHaveLength(1)
      const error = await expectCursorRefused(engine.leads.list('c', { status: 'finished', after }))
      expect(error.message).toContain('another query')
      await expectCursorRefused(engine.leads.list('c', { status: 'replied', order: 'oldest', after }))
      await expectCursorRefused(engine.leads.list('c', { after }))
      await expectCursorRefused(engine.leads.list('m', { status: 'replied', after }))
      await expectCursorRefused(engine.tasks.list('c', { after }))
      await expectCursorRefused(engine.activity.list({ after }))
      await expectCursorRefused(engine.campaigns.list({ after }))
      const activity = (await engine.activity.list({ campaignId: 'c', limit: 5 })).next as string
      await expectCursorRefused(engine.activity.list({ campaignId: 'm', after: activity }))
      await expectCursorRefused(
        engine.activity.list({ campaignId: 'c', types: ['message-sent'], after: activity }),
      )
      const tasks = (await engine.tasks.list('t', { limit: 2 })).next as string
      await expectCursorRefused(engine.tasks.list('t', { status: 'pending', after: tasks }))
    })

    it('refuses a cursor it did not give', async () => {
      const garbage = await expectCursorRefused(engine.leads.list('c', { after: 'not-a-cursor' }))
      expect(garbage.message).toContain('is not a cursor')
      const forged = Buffer.from(JSON.stringify({ q: 1, v: {}, k: 2 })).toString('base64url')
      await expectCursorRefused(engine.activity.list({ after: forged }))
      await expectCursorRefused(engine.tasks.list('t', { after: Buffer.from('null').toString('base64url') }))
      expect((await refusal(engine.leads.list('c', { after: '' }))).issues[0]?.field).toBe('after')
    })

    it('refuses unknown filters with a did-you-mean, and bad values naming the field', async () => {
      const unknown = await refusal(engine.leads.list('c', { stauts: 'replied' } as never))
      expect(unknown.code).toBe('invalid_query')
      expect(unknown.issues[0]).toMatchObject({ rule: 'unknown_field', field: 'stauts' })
      expect(unknown.message).toContain('did you mean `status`')
      const activity = await refusal(engine.activity.list({ timezone: 'UTC' } as never))
      expect(activity.issues[0]?.message).toContain('did you mean `timeZone`')
      const tasks = await refusal(engine.tasks.list('t', { lead: 't1' } as never))
      expect(tasks.issues[0]?.message).toContain('did you mean `leadId`')
      const bad = async (call: Promise<unknown>) => (await refusal(call)).issues.map((each) => each.field)
      expect(await bad(engine.leads.list('c', { status: 'done' as never }))).toEqual(['status'])
      expect(await bad(engine.leads.list('c', { engagement: ['opened', 'liked' as never] }))).toEqual([
        'engagement',
      ])
      expect(await bad(engine.leads.list('c', { substatus: 'sleeping' as never }))).toEqual(['substatus'])
      expect(await bad(engine.leads.list('c', { limit: 0 }))).toEqual(['limit'])
      expect(await bad(engine.leads.list('c', { limit: 501 }))).toEqual(['limit'])
      expect(await bad(engine.leads.list('c', { search: '   ' }))).toEqual(['search'])
      expect(await bad(engine.activity.list({ types: ['message-snt' as never] }))).toEqual(['types[0]'])
      expect(await bad(engine.tasks.list('t', { status: 'open' as never }))).toEqual(['status'])
    })

    it('refuses an unknown time zone and a period that ends before it starts', async () => {
      const zone = await refusal(engine.activity.list({ since: '2026-03-04', timeZone: 'Mars/Olympus' }))
      expect(zone.code).toBe('invalid_query')
      expect(zone.issues[0]).toMatchObject({ rule: 'unknown_time_zone', field: 'timeZone' })
      const instants = await refusal(
        engine.activity.list({ from: '2026-03-10T00:00:00Z', to: '2026-03-09T00:00:00Z' }),
      )
      expect(instants.code).toBe('invalid_query')
      expect(instants.issues[0]).toMatchObject({ rule: 'invalid_period', field: 'to' })
      const empty = await refusal(
        engine.activity.list({ from: '2026-03-10T00:00:00Z', to: '2026-03-10T00:00:00Z' }),
      )
      expect(empty.issues[0]?.field).toBe('to')
      const days = await refusal(engine.activity.list({ since: '2026-03-10', until: '2026-03-09' }))
      expect(days.issues[0]).toMatchObject({ rule: 'invalid_period', field: 'until' })
      const both = await refusal(engine.activity.list({ since: '2026-03-10', from: '2026-03-09T00:00:00Z' }))
      expect(both.issues[0]?.field).toBe('since')
      expect((await refusal(engine.activity.list({ from: 'yesterday' }))).issues[0]?.field).toBe('from')
      expect(
        (await refusal(engine.actions({ since: '2026-03-10', until: '2026-03-09' }))).issues[0]?.field,
      ).toBe('until')
    })
  })
})

describe('the activity log when entries go', () => {
  it('continues a period newest first after the entry its cursor names was deleted', async () => {
    const { engine, storage, runUntil } = await fixture({ sequence: templates.emailOnly.sequence, leads: 12 })
    await runUntil('2026-03-02T17:00:00Z')
    const period = { from: '2026-03-02T08:00:00Z', to: '2026-03-02T16:00:00Z' }
    const all = await engine.actions(period)
    expect(all.length).toBeGreaterThan(20)
    const first = await engine.activity.list({ ...period, limit: 5 })
    expect(first.items).toEqual(all.toReversed().slice(0, 5))
    // A host prunes the entry the cursor ends on (a retention job, an erasure request) before the next page.
    const gone = first.items[4] as EngineEvent
    await storage.transaction('default', async (tx) => {
      const entries = await tx.query('actions', {
        index: 'byTime',
        equals: [],
        range: { gte: Date.parse(gone.at) },
      })
      const entry = entries.find(
        (each) =>
          each.type === gone.type && each.leadId === gone.leadId && each.stepId === (gone.stepId ?? null),
      )
      await tx.delete('actions', entry?.key as string)
    })
    const rest = await everyPage(
      (page) => engine.activity.list({ ...period, limit: 5, after: page.after ?? (first.next as string) }),
      5,
    )
    expect(rest).toEqual(all.toReversed().slice(5))
  })
})

describe('campaign lists', () => {
  const START = Date.parse('2026-03-02T08:00:00Z')
  interface Made {
    readonly id: string
    readonly name: string
    readonly identityId: 'ana' | 'bo'
    readonly priority: Campaign['priority']
    readonly sequence: SequenceInput
    readonly channels: readonly string[]
    readonly folder?: string
    readonly tags: readonly string[]
    /** Hours after START it is created. */
    readonly hour: number
    readonly status: Campaign['status']
  }
  const MADE: readonly Made[] = [
    {
      id: 'spain',
      name: 'Álava & Navarra',
      identityId: 'ana',
      priority: 'high',
      sequence: templates.linkedinEmail.sequence,
      channels: ['linkedin', 'email'],
      folder: 'Spain',
      tags: ['Q2', 'Enterprise'],
      hour: 0,
      status: 'running',
    },
    {
      id: 'nordics',
      name: 'Nordics retail',
      identityId: 'bo',
      priority: 'low',
      sequence: templates.emailOnly.sequence,
      channels: ['email'],
      folder: 'Nordics',
      tags: ['q2'],
      hour: 1,
      status: 'running',
    },
    {
      id: 'calls',
      name: 'Calls for Zürich',
      identityId: 'ana',
      priority: 'medium',
      sequence: templates.linkedinEmailCall.sequence,
      channels: ['linkedin', 'email', 'tasks'],
      tags: ['calls'],
      hour: 2,
      status: 'paused',
    },
    {
      id: 'draft-a',
      name: 'Draft A',
      identityId: 'bo',
      priority: 'high',
      sequence: templates.emailCall.sequence,
      channels: ['email', 'tasks'],
      folder: 'Spain',
      tags: [],
      hour: 3,
      status: 'draft',
    },
    {
      // Created at the same instant as draft-a.
      id: 'draft-b',
      name: 'draft b',
      identityId: 'ana',
      priority: 'medium',
      sequence: templates.linkedinOnly.sequence,
      channels: ['linkedin'],
      tags: [],
      hour: 3,
      status: 'draft',
    },
    {
      id: 'old',
      name: 'Old outreach',
      identityId: 'ana',
      priority: 'high',
      sequence: templates.emailOnly.sequence,
      channels: ['email'],
      folder: 'Archive',
      tags: ['2025'],
      hour: 4,
      status: 'archived',
    },
    {
      id: 'elan',
      name: 'Élan',
      identityId: 'bo',
      priority: 'medium',
      sequence: templates.emailOnly.sequence,
      channels: ['email'],
      tags: ['Q3'],
      hour: 5,
      status: 'running',
    },
  ]
  const createdAt = (made: Made) => new Date(START + made.hour * HOUR).toISOString()
  const RANK = { high: 0, medium: 1, low: 2 }
  /** Newest first; campaigns created at the same instant by id. */
  const newestFirst = (a: Made, b: Made) => b.hour - a.hour || (a.id < b.id ? 1 : -1)

  async function workspace() {
    const clock = new VirtualClock(START)
    const engine = createEngine({
      storage: createMemoryStorage(),
      linkedin: createMemoryLinkedInChannel(),
      email: createMemoryEmailChannel(),
      clock,
    })
    await engine.identities.put(identity({ id: 'ana' }))
    await engine.identities.put(emailOnly('bo'))
    for (const made of MADE) {
      clock.set(START + made.hour * HOUR)
      await engine.campaigns.create({
        id: made.id,
        name: made.name,
        identityId: made.identityId,
        priority: made.priority,
        sequence: made.sequence,
        tags: made.tags,
        ...(made.folder === undefined ? {} : { folder: made.folder }),
      })
    }
    clock.set(START + 6 * HOUR)
    for (const made of MADE) {
      if (made.status === 'draft') continue
      await engine.campaigns.launch(made.id)
      if (made.status === 'paused') await engine.campaigns.pause(made.id)
      if (made.status === 'archived') await engine.campaigns.archive(made.id)
    }
    clock.set(START + 7 * HOUR)
    return { engine, clock }
  }

  let engine: Engine
  beforeAll(async () => {
    engine = (await workspace()).engine
  })

  const listed = async (options: Parameters<Engine['campaigns']['list']>[0] = {}, limit = 2) =>
    (await everyPage((page) => engine.campaigns.list({ ...options, ...page }), limit)).map((each) => each.id)
  const made = (keep: (made: Made) => boolean) =>
    MADE.filter(keep)
      .toSorted(newestFirst)
      .map((each) => each.id)

  it('lists every campaign newest first on any page size, with what it was created with', async () => {
    const all = (await engine.campaigns.list()).items
    expect(all.map((campaign) => campaign.id)).toEqual(made(() => true))
    for (const campaign of all) {
      const source = MADE.find((each) => each.id === campaign.id) as Made
      expect(campaign).toMatchObject({
        name: source.name,
        status: source.status,
        tags: source.tags,
        createdAt: createdAt(source),
      })
      expect(campaign.folder).toBe(source.folder)
    }
    for (let limit = 1; limit <= MADE.length + 1; limit++) {
      expect(await listed({}, limit), `limit ${limit}`).toEqual(made(() => true))
      expect(await listed({ order: 'oldest' }, limit)).toEqual(made(() => true).toReversed())
    }
    const exact = await engine.campaigns.list({ limit: MADE.length })
    expect(exact.items).toHaveLength(MADE.length)
    expect(exact.next).toBeUndefined()
  })

  it('orders by name without case or accents, and by the order campaigns get capacity', async () => {
    expect(await listed({ order: 'name' })).toEqual([
      'spain', // Álava
      'calls',
      'draft-a',
      'draft-b',
      'elan', // Élan
      'nordics',
      'old',
    ])
    // Running first (high, medium, low), then the rest by priority; the oldest first within a priority.
    expect(await listed({ order: 'priority' }, 3)).toEqual([
      'spain',
      'elan',
      'nordics',
      'draft-a',
      'old',
      'calls',
      'draft-b',
    ])
    const byRule = MADE.toSorted(
      (a, b) =>
        Number(a.status !== 'running') - Number(b.status !== 'running') ||
        RANK[a.priority] - RANK[b.priority] ||
        a.hour - b.hour ||
        (a.id < b.id ? -1 : 1),
    ).map((each) => each.id)
    expect(await listed({ order: 'priority' }, 1)).toEqual(byRule)
  })

  it('filters by status, identity, priority, folder, tag, channel and name', async () => {
    expect(await listed({ status: 'running' })).toEqual(made((each) => each.status === 'running'))
    expect(await listed({ status: ['paused', 'archived'] }, 1)).toEqual(['old', 'calls'])
    expect(await listed({ identityId: 'bo' })).toEqual(made((each) => each.identityId === 'bo'))
    expect(await listed({ priority: 'high' })).toEqual(['old', 'draft-a', 'spain'])
    expect(await listed({ folder: 'Spain' })).toEqual(['draft-a', 'spain'])
    expect(await listed({ folder: null }, 1)).toEqual(['elan', 'draft-b', 'calls'])
    expect(await listed({ folder: 'Nowhere' })).toEqual([])
    expect(await listed({ tag: 'q2' })).toEqual(['nordics', 'spain'])
    expect(await listed({ tag: 'ENTERPRISE' })).toEqual(['spain'])
    for (const channel of ['linkedin', 'email', 'tasks'] as const)
      expect(await listed({ channel }), channel).toEqual(made((each) => each.channels.includes(channel)))
    expect(await listed({ channel: 'tasks' })).toEqual(['draft-a', 'calls'])
    expect(await listed({ search: 'zurich' })).toEqual(['calls'])
    expect(await listed({ search: 'ÁLAVA' })).toEqual(['spain'])
    expect(await listed({ search: 'elan' })).toEqual(['elan'])
    expect(await listed({ search: 'draft' })).toEqual(['draft-b', 'draft-a'])
    expect(await listed({ status: 'running', identityId: 'ana', tag: 'Q2' })).toEqual(['spain'])
    expect(await listed({ status: 'draft', folder: null, order: 'name' })).toEqual(['draft-b'])
  })

  it('filters by creation time: from inclusive, to exclusive, as instants or dates', async () => {
    const at = (hour: number) => new Date(START + hour * HOUR)
    expect(await listed({ createdFrom: at(2).toISOString(), createdTo: at(4).toISOString() })).toEqual([
      'draft-b',
      'draft-a',
      'calls',
    ])
    expect(await listed({ createdFrom: at(4) })).toEqual(['elan', 'old'])
    expect(await listed({ createdTo: at(1) })).toEqual(['spain'])
    // The same instant with an offset.
    expect(await listed({ createdFrom: '2026-03-02T17:00:00+05:00', createdTo: at(5) })).toEqual(['old'])
    const inverted = await refusal(engine.campaigns.list({ createdFrom: at(4), createdTo: at(2) }))
    expect(inverted.code).toBe('invalid_query')
    expect(inverted.issues[0]).toMatchObject({ rule: 'invalid_period', field: 'createdTo' })
    const empty = await refusal(engine.campaigns.list({ createdFrom: at(2), createdTo: at(2) }))
    expect(empty.issues[0]?.field).toBe('createdTo')
    expect((await refusal(engine.campaigns.list({ createdFrom: 'last week' }))).issues[0]?.field).toBe(
      'createdFrom',
    )
  })

  it('refuses cursors of other queries and unknown filters', async () => {
    const running = await engine.campaigns.list({ status: 'running', limit: 1 })
    const after = running.next as string
    expect(
      (await engine.campaigns.list({ status: 'running', limit: 5, after })).items.map((c) => c.id),
    ).toEqual(made((each) => each.status === 'running').slice(1))
    for (const other of [
      { status: 'draft' as const },
      { status: 'running' as const, order: 'name' as const },
      {},
    ]) {
      const error = await refusal(engine.campaigns.list({ ...other, after }))
      expect(error.code).toBe('invalid_query')
      expect(error.issues[0]).toMatchObject({ rule: 'invalid_cursor', field: 'after' })
    }
    const unknown = await refusal(engine.campaigns.list({ foldr: 'Spain' } as never))
    expect(unknown.issues[0]).toMatchObject({ rule: 'unknown_field', field: 'foldr' })
    expect(unknown.message).toContain('did you mean `folder`')
    expect((await refusal(engine.campaigns.list({ channel: 'fax' as never }))).issues[0]?.field).toBe(
      'channel',
    )
  })

  it('moves a campaign between folders and retags it, keeping when it was created', async () => {
    const { engine } = await workspace()
    const moved = await engine.campaigns.update('spain', { folder: null, tags: ['EMEA', 'q4'] })
    expect(moved.folder).toBeUndefined()
    expect(moved.tags).toEqual(['EMEA', 'q4'])
    expect(moved.createdAt).toBe(createdAt(MADE[0] as Made))
    const ids = async (options: Parameters<Engine['campaigns']['list']>[0]) =>
      (await engine.campaigns.list(options)).items.map((each) => each.id)
    expect(await ids({ folder: 'Spain' })).toEqual(['draft-a'])
    expect(await ids({ folder: null })).toContain('spain')
    expect(await ids({ tag: 'q2' })).toEqual(['nordics'])
    expect(await ids({ tag: 'emea' })).toEqual(['spain'])
    await engine.campaigns.update('draft-b', { folder: 'Spain' })
    expect(await ids({ folder: 'Spain' })).toEqual(['draft-b', 'draft-a'])
    // Changing something else leaves the folder and tags alone.
    expect(await engine.campaigns.update('draft-b', { name: 'Draft B' })).toMatchObject({
      folder: 'Spain',
      tags: [],
    })
    const repeated = await refusal(engine.campaigns.update('draft-b', { tags: ['Hot', 'hot'] }))
    expect(repeated.code).toBe('invalid_campaign')
    expect(repeated.issues[0]).toMatchObject({ rule: 'duplicate_tag', field: 'tags[1]' })
    const many = await refusal(
      engine.campaigns.update('draft-b', { tags: Array.from({ length: 21 }, (_, n) => `t${n}`) }),
    )
    expect(many.issues[0]?.field).toBe('tags')
    expect((await engine.campaigns.get('draft-b')).tags).toEqual([])
  })

  it('duplicates a campaign as a draft with its folder and tags, created now', async () => {
    const { engine, clock } = await workspace()
    clock.set(START + 30 * HOUR)
    const copy = await engine.campaigns.duplicate('spain', { id: 'spain-q3', name: 'Spain Q3' })
    expect(copy).toMatchObject({
      id: 'spain-q3',
      name: 'Spain Q3',
      status: 'draft',
      identityId: 'ana',
      priority: 'high',
      folder: 'Spain',
      tags: ['Q2', 'Enterprise'],
      duplicatedFrom: 'spain',
      createdAt: new Date(START + 30 * HOUR).toISOString(),
    })
    expect(copy.launchedAt).toBeUndefined()
    expect(await engine.campaigns.get('spain-q3')).toEqual(copy)
    expect((await engine.campaigns.get('spain')).createdAt).toBe(createdAt(MADE[0] as Made))
    // Newest first, and found by the folder and tags it copied.
    const ids = async (options: Parameters<Engine['campaigns']['list']>[0]) =>
      (await engine.campaigns.list(options)).items.map((each) => each.id)
    expect((await ids({}))[0]).toBe('spain-q3')
    expect(await ids({ folder: 'Spain' })).toEqual(['spain-q3', 'draft-a', 'spain'])
    expect(await ids({ tag: 'q2', status: 'draft' })).toEqual(['spain-q3'])
    expect(await ids({ createdFrom: new Date(START + 30 * HOUR) })).toEqual(['spain-q3'])
    // The copy is its own campaign: changing it leaves the source as it was.
    await engine.campaigns.update('spain-q3', { tags: ['Q3'], folder: null })
    expect(await engine.campaigns.get('spain')).toMatchObject({ folder: 'Spain', tags: ['Q2', 'Enterprise'] })
    // An archived campaign (without a folder name given) is copied as "<name> (copy)".
    clock.advance(HOUR)
    const again = await engine.campaigns.duplicate('old', { id: 'old-again' })
    expect(again).toMatchObject({
      name: 'Old outreach (copy)',
      status: 'draft',
      folder: 'Archive',
      tags: ['2025'],
      createdAt: new Date(START + 31 * HOUR).toISOString(),
    })
    await engine.campaigns.launch('old-again')
    expect(await ids({ status: 'running', folder: 'Archive' })).toEqual(['old-again'])
    const taken = await refusal(engine.campaigns.duplicate('old', { id: 'spain' }))
    expect(taken.code).toBe('invalid_campaign')
    expect((await refusal(engine.campaigns.duplicate('nope', { id: 'x' }))).code).toBe('not_found')
  })
})
