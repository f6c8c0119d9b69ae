import { conversationId, createEngine, type Engine, templates } from '@paceline/core'
import { createMemoryStorage, VirtualClock } from '@paceline/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createEdgesProvider,
  createLinkedInChannel,
  type EdgesProvider,
  type LinkedInChannel,
} from '../src/index'
import { type EdgesRun, FakeEdges } from './fakes/edges-server'

const HOUR = 3_600_000
const apiKey = 'edges-e2e-key'
// Monday 23 November 2026, 08:00 in Madrid: the first actions wait for 09:00.
const clock = new VirtualClock('2026-11-23T07:00:00Z')
const edges = new FakeEdges({ apiKey, now: () => clock.now(), pageSize: 25 })

// Leads as a user imports them: LinkedIn's own profile ids and the URLs, which Edges acts on.
const people = [
  { id: 'eva', firstName: 'Eva', company: 'Northwind' },
  { id: 'liam', firstName: 'Liam', company: 'Globex' },
  { id: 'noor', firstName: 'Noor', company: 'Initech' },
  { id: 'omar', firstName: 'Omar', company: 'Umbrella' },
] as const
const leads = people.map((person) => ({
  id: person.id,
  profile: {
    firstName: person.firstName,
    company: person.company,
    linkedinProfileId: `ACoAA${person.id.toUpperCase()}0001`,
    linkedinUrl: `https://www.linkedin.com/in/${person.id}-${person.company.toLowerCase()}/`,
  },
}))
const handleOf = (leadId: string) =>
  `${leadId}-${people.find((each) => each.id === leadId)?.company.toLowerCase()}`

describe('a LinkedIn-only campaign through the engine and Edges, 14 simulated days', () => {
  let provider: EdgesProvider
  let channel: LinkedInChannel
  let engine: Engine
  let unsubscribe: () => void
  let lastPoll = Number.NEGATIVE_INFINITY

  /** Ticks the engine at its wake times (at least hourly) and polls Edges every hour, like a host would. */
  const runUntil = async (until: string) => {
    const end = Date.parse(until)
    while (clock.now() < end) {
      if (clock.now() - lastPoll >= HOUR) {
        await channel.pollNow()
        lastPoll = clock.now()
      }
      const report = await engine.tick()
      const next = report.nextWakeAt === undefined ? end : Date.parse(report.nextWakeAt)
      clock.set(Math.min(Math.max(next, clock.now() + 1_000), clock.now() + HOUR, end))
    }
    await channel.pollNow()
    await engine.tick()
  }
  const writes = () => edges.runs.filter((run) => !run.action.startsWith('linkedin-extract-'))
  const to = (run: EdgesRun) =>
    String(run.input?.linkedin_profile_url ?? '')
      .split('/in/')[1]
      ?.replace(/\/$/, '')

  beforeAll(async () => {
    await edges.start()
    edges.identity('identity-ana', 'ana-ruiz')
    for (const person of people.filter((each) => each.id !== 'omar'))
      edges.member(handleOf(person.id), person.firstName, 'Example')
    const storage = createMemoryStorage()
    provider = createEdgesProvider({ apiKey, baseUrl: edges.url, requestsPerMinute: 6_000 })
    channel = createLinkedInChannel({
      provider,
      accounts: [{ accountId: 'identity-ana', identityId: 'ana' }],
      storage,
      chunkPauseMs: 0,
      polling: { enabled: false, lookbackDays: 1 },
      now: () => clock.now(),
    })
    engine = createEngine({ storage, linkedin: channel, clock, random: 1 })
    unsubscribe = channel.subscribe(async (event) => {
      await engine.ingest(event)
    })
    await engine.identities.put({
      id: 'ana',
      name: 'Ana Ruiz',
      type: 'engagement',
      workingHours: { timezone: 'Europe/Madrid', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      linkedin: { accountId: 'identity-ana' },
    })
    await engine.campaigns.create({ id: 'li', identityId: 'ana', sequence: templates.linkedinOnly.sequence })
    await engine.leads.add('li', leads)
    await engine.campaigns.launch('li')
  })
  afterAll(async () => {
    unsubscribe()
    await engine.close()
    await channel.close()
    await provider.close()
    await edges.stop()
  })

  it('visits, invites with the note, follows up the accepted, stops on a reply, and waits for the rest', async () => {
    // Day 2 (Tuesday): the invitations go out. Liam accepts at lunch, Eva on Wednesday.
    await runUntil('2026-11-24T12:00:00Z')
    edges.accept('identity-ana', handleOf('liam'))
    await runUntil('2026-11-25T10:00:00Z')
    edges.accept('identity-ana', handleOf('eva'))
    // Eva answers the opener on Friday.
    await runUntil('2026-11-27T10:00:00Z')
    edges.reply('identity-ana', handleOf('eva'), 'Hi Ana, happy to talk next week.')
    await runUntil('2026-12-07T12:00:00Z')

    // What Edges received, in order, for each person.
    const byPerson = (handle: string) =>
      writes()
        .filter((run) => to(run) === handle)
        .map((run) => [run.action, run.input?.message ?? null])
    expect(byPerson(handleOf('eva'))).toEqual([
      ['linkedin-visit-profile', null],
      ['linkedin-connect-profile', 'Hi Eva, I work with teams like Northwind and would love to connect.'],
      ['linkedin-message-profile', 'hi Eva'],
      [
        'linkedin-message-profile',
        'thanks for connecting! quick question: how is Northwind handling this today?',
      ],
    ])
    expect(byPerson(handleOf('liam'))).toEqual([
      ['linkedin-visit-profile', null],
      ['linkedin-connect-profile', 'Hi Liam, I work with teams like Globex and would love to connect.'],
      ['linkedin-message-profile', 'hi Liam'],
      [
        'linkedin-message-profile',
        'thanks for connecting! quick question: how is Globex handling this today?',
      ],
      [
        'linkedin-message-profile',
        'Happy to share a short example of what has worked for teams like yours, Liam. Interested?',
      ],
      [
        'linkedin-message-profile',
        'I will leave it here, Liam. If it ever becomes a priority, my inbox is open.',
      ],
    ])
    expect(byPerson(handleOf('noor'))).toEqual([
      ['linkedin-visit-profile', null],
      ['linkedin-connect-profile', 'Hi Noor, I work with teams like Initech and would love to connect.'],
    ])
    // Omar's URL leads nowhere: one visit, refused, and nothing more.
    expect(byPerson(handleOf('omar'))).toEqual([['linkedin-visit-profile', null]])

    // LinkedIn itself holds exactly those messages: nothing twice, nothing to Noor.
    expect(edges.sentTo('identity-ana', handleOf('liam'))).toHaveLength(4)
    expect(edges.sentTo('identity-ana', handleOf('eva'))).toHaveLength(2)
    expect(edges.sentTo('identity-ana', handleOf('noor'))).toEqual([])

    expect(await engine.leads.get('li', 'eva')).toMatchObject({ status: 'replied' })
    expect(await engine.leads.get('li', 'omar')).toMatchObject({
      status: 'error',
      substatus: 'linkedin_url_not_found',
    })
    expect((await engine.leads.get('li', 'noor')).status).not.toBe('error')
  }, 120_000)

  it('acted only on the identity, with distinct idempotency keys, inside working hours on weekdays', () => {
    const actions = writes()
    expect(actions.length).toBeGreaterThan(10)
    expect(new Set(actions.flatMap((run) => run.identityIds))).toEqual(new Set(['identity-ana']))
    const keys = actions.map(
      (run) => (run.input?.custom_data as { paceline_idempotency_key?: string })?.paceline_idempotency_key,
    )
    expect(new Set(keys).size).toBe(keys.length)
    const madrid = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Madrid',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    for (const run of actions) {
      const parts = Object.fromEntries(madrid.formatToParts(run.at).map((part) => [part.type, part.value]))
      const minutes = Number(parts.hour) * 60 + Number(parts.minute)
      expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], new Date(run.at).toISOString()).toContain(parts.weekday)
      expect(minutes, new Date(run.at).toISOString()).toBeGreaterThanOrEqual(9 * 60)
      expect(minutes, new Date(run.at).toISOString()).toBeLessThan(18 * 60)
    }
  })

  it("keeps Eva's reply in her conversation, and a person's answer goes to her through Edges", async () => {
    const id = conversationId('ana', 'eva', 'linkedin')
    const conversation = await engine.conversations.get(id)
    expect(conversation.messages.map((message) => [message.author, message.text])).toEqual([
      ['sequence', 'Hi Eva, I work with teams like Northwind and would love to connect.'],
      // A message sent in chunks, like a chat, is one message of the conversation.
      ['sequence', 'hi Eva\n\nthanks for connecting! quick question: how is Northwind handling this today?'],
      ['lead', 'Hi Ana, happy to talk next week.'],
    ])
    await engine.conversations.reply(id, { text: 'Great, does Tuesday at 10 work?' })
    const last = writes().at(-1)
    expect(last?.action).toBe('linkedin-message-profile')
    expect(last?.input?.message).toBe('Great, does Tuesday at 10 work?')
    expect(to(last as EdgesRun)).toBe(handleOf('eva'))
    expect(edges.sentTo('identity-ana', handleOf('eva'))).toHaveLength(3)
  })

  it('found the replies and acceptances by polling, each applied once', async () => {
    const log = await engine.actions({ types: ['connection-accepted', 'reply-received'] })
    const applied = log.map((action) => `${action.type}:${action.leadId}`)
    expect(applied.sort()).toEqual([
      'connection-accepted:eva',
      'connection-accepted:liam',
      'reply-received:eva',
    ])
  })
})
