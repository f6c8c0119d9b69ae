import { createEngine, type PacelineError, parseInboundEvent } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'
import { createMemoryStorage } from '@paceline/core/testing'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import {
  createLinkedInChannel,
  createUnipileProvider,
  type ProviderConversation,
  type ProviderEvent,
  type ProviderRelation,
} from '../src/index'
import messageWebhook from './fakes/unipile-fixtures/webhook-message-received.json'
import relationWebhook from './fakes/unipile-fixtures/webhook-new-relation.json'
import { scriptedProvider } from './support/scripted-provider'

const accounts = [{ accountId: 'acc-ana', identityId: 'ana' }]
const NOW = Date.parse('2026-11-20T12:00:00.000Z')
const secret = 'a-long-shared-webhook-secret'
const unipile = createUnipileProvider({ dsn: '127.0.0.1:9', apiKey: 'unused', webhookSecret: secret })
afterAll(() => unipile.close())

/** A subscriber that refuses, as the engine does, every event `parseInboundEvent` refuses. */
function engineLike() {
  const taken: InboundEvent[] = []
  return {
    taken,
    subscriber: async (event: InboundEvent) => {
      taken.push(parseInboundEvent(event))
    },
  }
}

/** A channel over a provider whose webhook carries `events`, with a subscriber that checks like the engine. */
function scriptedChannel() {
  let events: readonly ProviderEvent[] = []
  const scripted = scriptedProvider({ webhook: () => ({ ok: true, events }) })
  const errors: PacelineError[] = []
  const channel = createLinkedInChannel({
    provider: scripted.provider,
    accounts,
    storage: createMemoryStorage(),
    polling: { enabled: false },
    now: () => NOW,
    onError: (error) => errors.push(error),
  })
  const engine = engineLike()
  channel.subscribe(engine.subscriber)
  return {
    ...scripted,
    channel,
    errors,
    taken: engine.taken,
    deliver: (next: readonly ProviderEvent[]) => {
      events = next
      return channel.handleWebhook({ headers: {}, rawBody: '{}' })
    },
  }
}

const reply = (extra: Partial<Extract<ProviderEvent, { type: 'message-received' }>>): ProviderEvent => ({
  type: 'message-received',
  accountId: 'acc-ana',
  from: { profileId: 'ACoAA-eva' },
  eventId: 'm-1',
  ...extra,
})

describe('events the engine accepts, whatever the provider sent', () => {
  it('the hostile values below are ones the engine refuses for good, as they are', () => {
    for (const at of ['+275760-09-13T00:00:00.000Z', '-000001-01-01T00:00:00.000Z'])
      expect(() => parseInboundEvent({ type: 'reply-received', channel: 'linkedin', at })).toThrow(
        expect.objectContaining({ code: 'invalid_event' }),
      )
    expect(() =>
      parseInboundEvent({ type: 'reply-received', channel: 'linkedin', eventId: 'x'.repeat(501) }),
    ).toThrow(expect.objectContaining({ code: 'invalid_event' }))
  })

  it('leaves out impossible times (the engine uses its clock), keeps possible ones in UTC', async () => {
    const { deliver, taken } = scriptedChannel()
    const answer = await deliver([
      reply({ eventId: 'year-275760', at: '+275760-09-13T00:00:00.000Z' }),
      reply({ eventId: 'year-minus-1', at: '-000001-01-01T00:00:00.000Z' }),
      reply({ eventId: 'not-a-date', at: 'yesterday' }),
      reply({ eventId: 'february-30', at: '2026-02-30T10:00:00Z' }),
      reply({ eventId: 'a-year-ahead', at: '2027-11-20T12:00:00.000Z' }),
      reply({ eventId: 'with-offset', at: '2026-11-20T10:00:00+02:00' }),
    ])
    expect(answer).toEqual({ status: 200, body: 'ok' })
    expect(taken.map((event) => [event.eventId?.split(':').pop(), event.at])).toEqual([
      ['year-275760', undefined],
      ['year-minus-1', undefined],
      ['not-a-date', undefined],
      ['february-30', undefined],
      ['a-year-ahead', undefined],
      ['with-offset', '2026-11-20T08:00:00.000Z'],
    ])
  })

  it('digests an over-long event id to a stable short one, so retries and polls still count once', async () => {
    const { deliver, taken } = scriptedChannel()
    const long = 'x'.repeat(5_000)
    expect(
      (await deliver([reply({ eventId: long }), reply({ eventId: long }), reply({ eventId: `${long}y` })]))
        .status,
    ).toBe(200)
    const [first, second, third] = taken.map((event) => event.eventId ?? '')
    expect(first).toMatch(/^linkedin:scripted:message:sha256:[0-9a-f]{64}$/)
    expect(second).toBe(first)
    expect(third).not.toBe(first)
  })

  it('drops identifiers that cannot name a lead; an event left naming nobody is not delivered', async () => {
    const { deliver, taken, channel } = scriptedChannel()
    await channel.sendInvitation({
      accountId: 'acc-ana',
      target: { leadId: 'eva', profileId: 'ACoAA-eva', profileUrl: 'https://www.linkedin.com/in/eva' },
      idempotencyKey: 'k',
    })
    const answer = await deliver([
      // Known by the URL the channel acted with: the lead's id is enough, the long profile id goes.
      reply({
        eventId: 'by-url',
        from: { profileId: 'p'.repeat(300), profileUrl: 'https://www.linkedin.com/in/eva' },
      }),
      // Nothing a lead could have.
      reply({ eventId: 'long-id', from: { profileId: 'p'.repeat(300) } }),
      reply({ eventId: 'empty-id', from: { profileId: '' } }),
      {
        type: 'invitation-accepted',
        accountId: 'acc-ana',
        with: { profileId: 'q'.repeat(10_000) },
        eventId: 'i',
      },
    ])
    expect(answer.status).toBe(200)
    expect(taken).toEqual([
      expect.objectContaining({ lead: { leadId: 'eva', linkedinProfileId: 'ACoAA-eva' } }),
    ])
  })

  it('does the same on the polling path: the poll completes and moves on', async () => {
    const { channel, conversations, relations, taken, errors } = scriptedChannel()
    conversations.push(
      {
        conversationId: 'c1',
        with: { profileId: 'ACoAA-eva' },
        lastMessageId: 'm'.repeat(2_000),
        lastMessageAt: '+275760-09-13T00:00:00.000Z',
        lastFromThem: true,
      },
      {
        conversationId: 'c2',
        with: { profileId: 'ACoAA-tom' },
        lastMessageId: 'm-2',
        lastMessageAt: 'not a date',
        lastFromThem: true,
      },
    )
    relations.push({ with: { profileId: 'ACoAA-liam' }, connectedAt: '-000001-01-01T00:00:00.000Z' })
    expect(await channel.pollNow()).toEqual({ events: 3 })
    expect(taken).toHaveLength(3)
    expect(errors).toEqual([])
  })
})

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 190, maxLength: 1_200 }),
  fc.constantFrom('', ' ', '\u0000', '__proto__', 'constructor'),
)
const hostileTime = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc
    .date({ noInvalidDate: false })
    .map((date) => (Number.isNaN(date.getTime()) ? 'Invalid Date' : date.toISOString())),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map(String),
  fc.constantFrom(
    '+275760-09-13T00:00:00.000Z',
    '-000001-01-01T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '2026-02-30T10:00:00Z',
    '0000-01-01T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '2026-11-20T10:00:00+14:00',
  ),
)
const person = fc.record(
  {
    profileId: hostileText,
    profileUrl: fc.oneof(
      hostileText,
      hostileText.map((handle) => `https://www.linkedin.com/in/${handle}`),
    ),
  },
  { requiredKeys: [] },
)
const account = fc.constantFrom('acc-ana', 'acc-other')
const providerEvent: fc.Arbitrary<ProviderEvent> = fc.oneof(
  fc
    .record(
      {
        type: fc.constant('message-received' as const),
        accountId: account,
        from: person,
        eventId: hostileText,
        text: fc.string({ maxLength: 200 }),
        at: hostileTime,
      },
      { requiredKeys: ['type', 'accountId', 'from', 'eventId'] },
    )
    .map((event) => event as ProviderEvent),
  fc
    .record(
      {
        type: fc.constant('invitation-accepted' as const),
        accountId: account,
        with: person,
        eventId: hostileText,
        at: hostileTime,
      },
      { requiredKeys: ['type', 'accountId', 'with', 'eventId'] },
    )
    .map((event) => event as ProviderEvent),
)

describe('fuzzed and hostile payloads', () => {
  it('webhook events: every one delivered passes parseInboundEvent, and every delivery is answered 200', async () => {
    const { deliver, errors } = scriptedChannel()
    await fc.assert(
      fc.asyncProperty(fc.array(providerEvent, { maxLength: 6 }), async (events) => {
        const answer = await deliver(events)
        expect(answer).toEqual({ status: 200, body: 'ok' })
      }),
      { numRuns: 300 },
    )
    expect(errors).toEqual([])
  })

  it('polled conversations and relations: every event delivered passes parseInboundEvent, and the poll completes', async () => {
    const conversation: fc.Arbitrary<ProviderConversation> = fc.record({
      conversationId: hostileText,
      with: person,
      lastMessageId: hostileText,
      lastMessageAt: hostileTime,
      lastFromThem: fc.constant(true),
    })
    const relation = fc
      .record({ with: person, connectedAt: hostileTime }, { requiredKeys: ['with'] })
      .map((each) => each as ProviderRelation)
    await fc.assert(
      fc.asyncProperty(
        fc.array(conversation, { maxLength: 5 }),
        fc.array(relation, { maxLength: 5 }),
        async (listedConversations, listedRelations) => {
          const { channel, conversations, relations, errors } = scriptedChannel()
          conversations.push(...listedConversations)
          relations.push(...listedRelations)
          await channel.pollNow()
          expect(errors).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
  })

  it('raw Unipile deliveries with the right secret: 200 or 400 (unreadable, reported), never 5xx; every event delivered passes parseInboundEvent', async () => {
    const errors: PacelineError[] = []
    const channel = createLinkedInChannel({
      provider: unipile,
      accounts: [
        { accountId: messageWebhook.account_id, identityId: 'ana' },
        { accountId: relationWebhook.account_id, identityId: 'ana' },
      ],
      now: () => NOW,
      onError: (error) => errors.push(error),
    })
    const engine = engineLike()
    channel.subscribe(engine.subscriber)
    const field = fc.oneof(hostileText, fc.integer(), fc.constant(null), fc.boolean())
    const payload = fc.oneof(
      // The documented notifications, every field hostile.
      fc.record(
        {
          event: fc.constantFrom('message_received', 'new_relation', 'message_read', 'account_status'),
          account_id: fc.oneof(fc.constantFrom(messageWebhook.account_id, relationWebhook.account_id), field),
          message_id: field,
          message: field,
          timestamp: fc.oneof(hostileTime, field),
          is_group: field,
          is_event: field,
          account_info: fc.oneof(fc.record({ user_id: field }), field),
          sender: fc.oneof(fc.record({ attendee_provider_id: field, attendee_profile_url: field }), field),
          user_provider_id: field,
          user_public_identifier: field,
          user_profile_url: field,
        },
        { requiredKeys: ['event'] },
      ),
      // The docs' examples with one value made hostile.
      fc
        .tuple(
          fc.constantFrom(messageWebhook, relationWebhook),
          fc.constantFrom('message_id', 'timestamp', 'account_id', 'user_provider_id'),
          hostileTime,
        )
        .map(([example, key, value]) => ({ ...example, [key]: value })),
    )
    const rawBody = fc.oneof(
      payload.map((each) => JSON.stringify(each)),
      fc.string({ maxLength: 60 }),
      fc.jsonValue().map((each) => JSON.stringify(each)),
    )
    await fc.assert(
      fc.asyncProperty(rawBody, async (body) => {
        const answer = await channel.handleWebhook({ headers: { 'unipile-auth': secret }, rawBody: body })
        expect([200, 400]).toContain(answer.status)
      }),
      { numRuns: 400 },
    )
    expect(errors.every((error) => error.code === 'channel_failed' && error.isRetryable === false)).toBe(true)
    expect(engine.taken.length).toBeGreaterThan(0)
  })
})

describe('with the engine', () => {
  it("a hostile but authentic Unipile delivery is applied (200), and nothing ends up in the engine's dead letters", async () => {
    const storage = createMemoryStorage()
    const channel = createLinkedInChannel({
      provider: unipile,
      accounts: [{ accountId: messageWebhook.account_id, identityId: 'ana' }],
    })
    const engine = createEngine({ storage, linkedin: channel })
    engine.start()
    try {
      const hostile = {
        ...messageWebhook,
        message_id: 'm'.repeat(700),
        timestamp: '+275760-09-13T00:00:00.000Z',
      }
      const answer = await channel.handleWebhook({
        headers: { 'unipile-auth': secret },
        rawBody: JSON.stringify(hostile),
      })
      expect(answer).toEqual({ status: 200, body: 'ok' })
      expect((await engine.deadLetters.list()).items).toEqual([])
    } finally {
      await engine.close()
      await channel.close()
    }
  })
})
