import { describe, expect, it } from 'vitest'
import {
  type CrmConfigInput,
  conversationId,
  createEngine,
  type Engine,
  type EngineEvent,
  sequence,
  templates,
} from '../../src/index'
import type { StorageV1 } from '../../src/ports'
import {
  createDeterministicAi,
  createMemoryCrm,
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  type MemoryCrm,
  type MemoryEmailChannel,
  type MemoryLinkedInChannel,
  VirtualClock,
} from '../../src/testing'
import { retryingStorage } from '../storage/retrying-storage'
import { identity, leadProfile } from './harness'

/**
 * A PostgreSQL store runs transactions at SERIALIZABLE and, on a conflict, rolls back and runs the same
 * callback again. Every scenario here runs twice, once on the memory store and once on the same store
 * wrapped so that every write transaction is rolled back and run again: anything a callback does outside
 * its transaction (events pushed to an outer list, results collected outside) would show twice.
 */

const DAY = 86_400_000
const HOUR = 3_600_000

interface World {
  readonly engine: Engine
  readonly clock: VirtualClock
  readonly linkedin: MemoryLinkedInChannel
  readonly email: MemoryEmailChannel
  /** Every event the engine emitted, in order. */
  readonly emitted: EngineEvent[]
  /** Ticks until `at`, following the engine's wake times. */
  runUntil(at: number): Promise<void>
}

async function world(
  storage: StorageV1,
  options: {
    readonly start: string
    readonly linkedin?: Parameters<typeof createMemoryLinkedInChannel>[0]
    readonly email?: Parameters<typeof createMemoryEmailChannel>[0]
    readonly crm?: MemoryCrm
  },
): Promise<World> {
  const clock = new VirtualClock(options.start)
  const linkedin = createMemoryLinkedInChannel(options.linkedin)
  const email = createMemoryEmailChannel(options.email)
  const engine = createEngine({
    storage,
    linkedin,
    email,
    ai: createDeterministicAi(),
    ...(options.crm === undefined ? {} : { crm: options.crm }),
    clock,
    random: 1,
  })
  const emitted: EngineEvent[] = []
  engine.on('*', (event) => emitted.push(event))
  return {
    engine,
    clock,
    linkedin,
    email,
    emitted,
    async runUntil(at) {
      while (clock.now() < at) {
        const report = await engine.tick()
        const next = report.nextWakeAt === undefined ? at : Date.parse(report.nextWakeAt)
        clock.set(Math.min(Math.max(next, clock.now() + 1000), at))
      }
      await engine.tick()
    },
  }
}

/**
 * Values made from the engine's sequence numbers: a conversation message's key, and what is derived from
 * it (an agent answer's idempotency key and Message-ID). They need only be unique, and a transaction run
 * again takes new numbers, so they are compared by where they first appear, not by value.
 */
const SEQUENCE_FIELDS = new Set(['key', 'messageKey', 'forMessage', 'messageId'])

function canonical<T>(outcome: T): T {
  const seen = new Map<unknown, string>()
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk)
    if (value === null || typeof value !== 'object') return value
    return Object.fromEntries(
      Object.entries(value).map(([name, field]) => {
        if (!SEQUENCE_FIELDS.has(name) || typeof field !== 'string') return [name, walk(field)]
        if (!seen.has(field)) seen.set(field, `#${seen.size}`)
        return [name, seen.get(field)]
      }),
    )
  }
  return walk(outcome) as T
}

function countByType(events: readonly EngineEvent[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const event of events) counts[event.type] = (counts[event.type] ?? 0) + 1
  return counts
}

/** Everything a host can see of a run: what was emitted and logged, each lead's place, the figures. */
async function observe(w: World, campaignIds: readonly string[], extra: Record<string, unknown>) {
  const campaigns: Record<string, unknown> = {}
  for (const id of campaignIds) {
    campaigns[id] = {
      leads: (await w.engine.leads.list(id, { order: 'oldest', limit: 500 })).items,
      stats: await w.engine.campaigns.stats(id),
      analytics: await w.engine.analytics.campaign(id),
      tasks: (await w.engine.tasks.list(id, { limit: 500 })).items,
    }
  }
  const conversations = []
  for (const each of (await w.engine.conversations.list({ limit: 500 })).items)
    conversations.push(await w.engine.conversations.get(each.id))
  const outcome = canonical({
    emitted: w.emitted,
    emittedByType: countByType(w.emitted),
    actions: await w.engine.actions(),
    campaigns,
    conversations,
    linkedinCalls: w.linkedin.calls.map((call) => [call.method, call.target.leadId]),
    emailsSent: w.email.sent.map((message) => [message.to.address, message.subject, message.text]),
    aiUsage: await w.engine.aiUsage(),
    extra,
  })
  await w.engine.close()
  return outcome
}

type Outcome = Awaited<ReturnType<typeof observe>>

/**
 * LinkedIn then email (the "LinkedIn + Email + Call" template): a visit, an invitation, the acceptance
 * condition, messages, emails, a call task. Leads accept, reply on both channels, bounce (at send and by
 * event), fail for now and are retried, fail for good and are retried by hand; the campaign is paused and
 * resumed, a second campaign starts on schedule, leads are added twice.
 */
async function multichannel(storage: StorageV1): Promise<Outcome> {
  let flakyTries = 0
  let brokenFixed = false
  const w = await world(storage, {
    start: '2026-03-02T07:00:00Z',
    email: {
      respond: (message) => {
        const to = message.to.address
        if (to === 'bounce@corp.example')
          return { ok: false, reason: 'invalid_recipient', message: '550 5.1.1 no such user' }
        if (to === 'flaky@corp.example' && flakyTries++ === 0)
          return { ok: false, reason: 'retryable', message: '451 try again later' }
        if (to === 'broken@corp.example' && !brokenFixed)
          return { ok: false, reason: 'rejected', message: '554 refused' }
        return undefined
      },
    },
    linkedin: {
      respond: (call) =>
        call.method === 'visitProfile' && call.target.leadId === 'busy' && w.linkedin.calls.length < 3
          ? { ok: false, reason: 'rate_limited', message: 'slow down', retryAfterMs: HOUR }
          : undefined,
    },
  })
  const { engine, clock } = w
  const start = clock.now()
  await engine.identities.put(identity({ id: 'ana' }))
  await engine.campaigns.create({
    id: 'c',
    identityId: 'ana',
    sequence: templates.linkedinEmailCall.sequence,
  })
  await engine.campaigns.create({ id: 'later', identityId: 'ana', sequence: templates.emailOnly.sequence })
  const names = ['acc', 'busy', 'noacc', 'bounce', 'hardb', 'flaky', 'broken', 'replier']
  const added = await engine.leads.add(
    'c',
    names.map((id) => ({
      id,
      profile: leadProfile(id, id === 'noacc' || id === 'acc' ? { mobilePhone: '+34600000000' } : {}),
    })),
  )
  await engine.leads.add('later', [{ id: 'sch', profile: leadProfile('sch') }])
  await engine.campaigns.launch('c')
  await engine.campaigns.schedule('later', new Date(start + DAY + 2 * HOUR).toISOString())
  const again = await engine.leads.add('c', [
    { id: 'acc', profile: leadProfile('acc') },
    { id: 'late', profile: leadProfile('late') },
  ])

  await w.runUntil(start + 6 * HOUR)
  clock.set(start + 8 * HOUR)
  await engine.ingest({ type: 'connection-accepted', identityId: 'ana', lead: { leadId: 'acc' } })
  await w.runUntil(start + DAY)
  await engine.campaigns.pause('c')
  clock.set(start + DAY + HOUR)
  await engine.campaigns.resume('c')
  await engine.leads.pause('c', 'busy')
  await w.runUntil(start + 3 * DAY)
  await engine.leads.resume('c', 'busy')
  await engine.ingest({
    type: 'reply-received',
    channel: 'linkedin',
    identityId: 'ana',
    lead: { leadId: 'acc' },
    text: 'Interested, tell me more',
  })
  await w.runUntil(start + 16 * DAY)
  const first = (who: string) => w.email.sent.find((message) => message.to.address === `${who}@corp.example`)
  await engine.ingest({
    type: 'email-bounced',
    bounce: 'hard',
    lead: { messageId: first('hardb')?.messageId },
  })
  await engine.ingest({
    type: 'reply-received',
    channel: 'email',
    lead: { messageId: first('replier')?.messageId },
    text: 'Not interested, thanks',
  })
  await engine.ingest({ type: 'email-opened', lead: { messageId: first('flaky')?.messageId } })
  brokenFixed = true
  const retried = await engine.leads.retryErrors(['broken', 'acc'])
  await w.runUntil(start + 22 * DAY)
  const tasks = (await engine.tasks.list('c', { limit: 500 })).items
  for (const task of tasks)
    await engine.ingest({ type: 'task-completed', taskId: task.taskId, eventId: `done-${task.taskId}` })
  // The same event again is a duplicate, whatever the store did with the first.
  const duplicate = await engine.ingest({
    type: 'task-completed',
    taskId: tasks[0]?.taskId ?? '',
    eventId: `done-${tasks[0]?.taskId}`,
  })
  const tagged = await engine.conversations.tag(conversationId('ana', 'replier', 'email'), [
    { name: 'Not now', category: 'negative' },
  ])
  await w.runUntil(start + 30 * DAY)
  return observe(w, ['c', 'later'], { added, again, retried, duplicate, tagged })
}

/** An email campaign whose AI agent answers by itself, and one where it drafts for a person. */
async function agent(storage: StorageV1): Promise<Outcome> {
  const w = await world(storage, { start: '2026-03-02T07:00:00Z' })
  const { engine, clock } = w
  const start = clock.now()
  const mail = sequence({ aiVariables: { opener: { prompt: 'One line about their company' } } })
    .email({ id: 'intro', subject: 'Hi {{firstName}}', body: '{{ai.opener}} Hello {{firstName}}' })
    .email({ id: 'follow', delay: { days: 3 }, body: 'Bump' })
    .build()
  await engine.identities.put(identity({ id: 'ana' }))
  // A fixed answer delay: its jitter is seeded by the reply's message key, a sequence number.
  for (const [id, mode] of [
    ['auto', 'automatic'],
    ['copilot', 'copilot'],
  ] as const) {
    await engine.campaigns.create({
      id,
      identityId: 'ana',
      sequence: mail,
      settings: { replies: { mode, prompt: 'Offer a call next week', delayMinutes: { min: 10, max: 10 } } },
    })
    await engine.leads.add(id, [
      { id: `${id}-1`, profile: leadProfile(`${id}-1`) },
      { id: `${id}-2`, profile: leadProfile(`${id}-2`) },
    ])
    await engine.campaigns.launch(id)
  }
  await w.runUntil(start + 4 * HOUR)
  const says = async (leadId: string, text: string) => {
    const first = w.email.sent.find((message) => message.to.address === `${leadId}@corp.example`)
    await engine.ingest({
      type: 'reply-received',
      channel: 'email',
      lead: { messageId: first?.messageId },
      text,
    })
  }
  await says('auto-1', 'Sounds interesting, can you tell me more?')
  await says('auto-2', 'Please unsubscribe me')
  await says('copilot-1', 'Interested, tell me more')
  await w.runUntil(start + 6 * HOUR)
  await says('auto-1', 'Yes, Tuesday works')
  const id = conversationId('ana', 'copilot-1', 'email')
  const suggestion = await engine.conversations.suggestion(id)
  const answer = await engine.conversations.reply(id, { text: `${suggestion?.text ?? ''} (edited)` })
  await w.runUntil(start + 5 * DAY)
  const preview = await engine.preview('auto', {
    lead: { id: 'p', profile: leadProfile('p') },
    replies: ['Yes'],
  })
  return observe(w, ['auto', 'copilot'], { suggestion, answer, preview })
}

/** Acceptances found by checking the connection (a provider that pushes no events), then withdrawals. */
async function checkedConnections(storage: StorageV1): Promise<Outcome> {
  const w = await world(storage, { start: '2026-03-02T07:00:00Z', linkedin: { pushesEvents: false } })
  const { engine, clock } = w
  const start = clock.now()
  await engine.identities.put(
    identity({ id: 'ana', linkedin: { accountId: 'li-ana', autoWithdrawAfterDays: 5 } }),
  )
  await engine.campaigns.create({ id: 'c', identityId: 'ana', sequence: templates.linkedinEmail.sequence })
  await engine.leads.add(
    'c',
    ['yes', 'no', 'later'].map((id) => ({ id, profile: leadProfile(id) })),
  )
  await engine.campaigns.launch('c')
  await w.runUntil(start + DAY)
  w.linkedin.connections.set('yes', 'connected')
  await w.runUntil(start + 3 * DAY)
  w.linkedin.connections.set('later', 'connected')
  await w.runUntil(start + 20 * DAY)
  return observe(w, ['c'], {})
}

const users = [{ id: 'u-1', email: 'integration@example.com', name: 'Integration', active: true }]

const crmConfig: CrmConfigInput = {
  contacts: {
    fields: [
      { paceline: 'firstName', crm: 'firstname' },
      { paceline: 'lastName', crm: 'lastname' },
      { paceline: 'company.name', crm: 'company' },
      { paceline: 'linkedinUrl', crm: 'linkedin_url' },
      { paceline: 'professionalEmail', crm: 'email' },
      { paceline: 'jobTitle', crm: 'jobtitle', direction: 'bidirectional' },
    ],
  },
  companies: {
    fields: [
      { paceline: 'name', crm: 'name' },
      { paceline: 'domain', crm: 'domain' },
    ],
  },
  users: { identities: { ana: 'u-1' }, users: {}, defaultOwner: 'u-1' },
}

/** The CRM sync: contacts, conversation activity, tasks both ways, a value pulled back from the CRM. */
async function crmSync(storage: StorageV1): Promise<Outcome> {
  let clock: VirtualClock | undefined
  const crm = createMemoryCrm({ users, now: () => clock?.now() ?? 0 })
  const w = await world(storage, { start: '2026-11-23T08:00:00Z', crm })
  clock = w.clock
  const { engine } = w
  const start = w.clock.now()
  await engine.identities.put(identity({ id: 'ana' }))
  await engine.campaigns.create({
    id: 'q4',
    identityId: 'ana',
    sequence: {
      version: 1,
      start: 'e1',
      steps: {
        e1: { kind: 'email', subject: 'Quick question', body: 'Hi {{firstName}}', next: 'e2' },
        e2: { kind: 'email', body: 'Any thoughts?', delay: { days: 2 }, next: 'call' },
        call: { kind: 'task', title: 'Call {{firstName}}', type: 'call', delay: { days: 1 }, next: null },
      },
    },
    settings: { crmSync: { contacts: 'yes', conversations: 'yes' } },
  })
  await engine.leads.add('q4', [
    {
      id: 'ada',
      profile: leadProfile('ada', {
        jobTitle: 'Countess',
        company: { name: 'Analytical', domain: 'an.com' },
      }),
    },
    {
      id: 'bob',
      profile: leadProfile('bob', { jobTitle: 'Engineer', company: { name: 'Internet', domain: 'in.io' } }),
    },
  ])
  await engine.campaigns.launch('q4')
  await engine.crm.configure(crmConfig)
  await w.runUntil(start + DAY)
  await engine.ingest({
    type: 'reply-received',
    channel: 'email',
    lead: { email: 'bob@corp.example' },
    text: 'Interested',
  })
  const first = await engine.crm.sync()
  const ada = crm.records('contact').find((each) => each.fields.email === 'ada@corp.example')
  if (ada !== undefined) crm.edit('contact', ada.id, { jobtitle: 'Mathematician' })
  await w.runUntil(start + 5 * DAY)
  const second = await engine.crm.sync()
  const task = crm.tasks()[0]
  if (task !== undefined) crm.completeTaskByUser(task.id)
  const third = await engine.crm.sync()
  return observe(w, ['q4'], {
    reports: [first, second, third],
    contacts: crm.records('contact').map((each) => each.fields),
    activities: crm.activities().map((each) => [each.kind, each.at]),
    tasks: crm.tasks().map((each) => [each.title, each.completed]),
  })
}

const scenarios: [string, (storage: StorageV1) => Promise<Outcome>][] = [
  ['a LinkedIn + email sequence with acceptances, replies, bounces, errors and tasks', multichannel],
  ['the AI agent answering and drafting in conversations', agent],
  ['acceptances found by checking, and stale invitations withdrawn', checkedConnections],
  ['the CRM sync', crmSync],
]

describe('transactions run again after a conflict', () => {
  it('the retrying store runs each write twice and keeps only the second run', async () => {
    const inner = createMemoryStorage()
    const storage = retryingStorage(inner)
    const runs: number[] = []
    const result = await storage.transaction('ws', async (tx) => {
      const current = ((await tx.get('state', 'n'))?.value as number | undefined) ?? 0
      await tx.put('state', 'n', { key: 'n', value: current + 1 })
      runs.push(current)
      return current + 1
    })
    // Both runs saw 0: the first one's write was rolled back.
    expect(runs).toEqual([0, 0])
    expect(result).toBe(1)
    expect(storage.retries).toBe(1)
    expect(await inner.transaction('ws', async (tx) => (await tx.get('state', 'n'))?.value)).toBe(1)
    // A real failure is not retried, and read-only transactions run once.
    await expect(
      storage.transaction('ws', async () => {
        throw new RangeError('no')
      }),
    ).rejects.toThrow(RangeError)
    await storage.transaction('ws', async () => runs.push(-1), { readOnly: true })
    expect(runs).toEqual([0, 0, -1])
  })

  it.each(scenarios)('%s: the same outcome when every write transaction runs twice', async (_, scenario) => {
    const plain = await scenario(createMemoryStorage())
    const storage = retryingStorage(createMemoryStorage())
    const retried = await scenario(storage)
    expect(storage.retries).toBeGreaterThan(10)
    expect(retried).toEqual(plain)
  })

  it('the scenarios reach the paths they are meant to cover', async () => {
    const types = (outcome: Outcome) => Object.keys(outcome.emittedByType)
    const multi = await multichannel(createMemoryStorage())
    expect(multi.extra.again).toMatchObject({ added: ['late'], skipped: [{ leadId: 'acc' }] })
    expect(multi.extra.retried).toEqual({ retried: [{ campaignId: 'c', leadId: 'broken' }] })
    expect(types(multi)).toEqual(
      expect.arrayContaining([
        'profile-visited',
        'invitation-sent',
        'connection-accepted',
        'condition-evaluated',
        'message-sent',
        'reply-received',
        'email-bounced',
        'email-opened',
        'task-created',
        'task-completed',
        'lead-status-changed',
        'conversation-tagged',
      ]),
    )
    expect(types(await agent(createMemoryStorage()))).toEqual(
      expect.arrayContaining(['auto-reply-sent', 'suggestion-ready', 'reply-sent', 'handed-off']),
    )
    expect(types(await checkedConnections(createMemoryStorage()))).toEqual(
      expect.arrayContaining(['connection-checked', 'connection-accepted', 'invitation-withdrawn']),
    )
    const crm = await crmSync(createMemoryStorage())
    expect(crm.extra.reports).toMatchObject([
      { records: [{ outcome: 'created' }, { outcome: 'created' }] },
      { records: [{ leadId: 'ada', pulled: ['jobTitle'] }, {}] },
      { tasksCompleted: { fromCrm: 1 } },
    ])
  })
})
