import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'
import { createMemoryStorage } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { createLinkedInChannel, fetchWebhookHandler, nodeWebhookHandler } from '../src/index'
import { scriptedProvider } from './support/scripted-provider'

const request = (leadId = 'eva') => ({
  accountId: 'acc-ana',
  target: { leadId, profileId: `ACoAA-${leadId}`, profileUrl: `https://www.linkedin.com/in/${leadId}` },
  idempotencyKey: `pl-${leadId}-step`,
})
const accounts = [{ accountId: 'acc-ana', identityId: 'ana' }]

describe('actions through a provider', () => {
  it('refuses options it cannot use, naming the field', () => {
    expect(() => createLinkedInChannel({ provider: {} as never })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: [expect.objectContaining({ field: 'provider' })],
      }),
    )
    // An identity id longer than the engine takes would make every event of the account a dead letter.
    expect(() =>
      createLinkedInChannel({
        provider: scriptedProvider().provider,
        accounts: [{ accountId: 'acc', identityId: 'x'.repeat(201) }],
      }),
    ).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'accounts[0].identityId' })] }),
    )
  })

  it('sends message chunks one by one, each with its own idempotency key', async () => {
    const { provider, calls } = scriptedProvider()
    const channel = createLinkedInChannel({ provider, chunkPauseMs: 0 })
    expect(
      await channel.sendMessage({ ...request(), chunks: ['Hi Eva!', 'Quick question:', 'a call?'] }),
    ).toEqual({
      ok: true,
    })
    expect(calls.map(({ call }) => [call.text, call.idempotencyKey])).toEqual([
      ['Hi Eva!', 'pl-eva-step:0'],
      ['Quick question:', 'pl-eva-step:1'],
      ['a call?', 'pl-eva-step:2'],
    ])
    expect(calls[0]?.call.target).toEqual({
      profileId: 'ACoAA-eva',
      profileUrl: 'https://www.linkedin.com/in/eva',
    })
  })

  it('never resends a message whose first chunks went out: the rest fails as "delivery unknown"', async () => {
    const { provider, calls } = scriptedProvider({
      answer: (method, call) =>
        method === 'sendMessage' && call.text === 'second'
          ? { ok: false, reason: 'transient', message: '503 from the provider' }
          : undefined,
    })
    const channel = createLinkedInChannel({ provider, chunkPauseMs: 0 })
    const outcome = await channel.sendMessage({ ...request(), chunks: ['first', 'second', 'third'] })
    expect(outcome).toMatchObject({ ok: false, reason: 'delivery_unknown' })
    expect(outcome.ok === false && outcome.message).toMatch(/1 of 3 message chunks were sent/)
    expect(calls).toHaveLength(2)
  })

  it('passes a first-chunk refusal on as it is (nothing was sent)', async () => {
    const { provider } = scriptedProvider({
      answer: () => ({ ok: false, reason: 'not_connected', message: 'not a connection' }),
    })
    const channel = createLinkedInChannel({ provider, chunkPauseMs: 0 })
    expect(await channel.sendMessage({ ...request(), chunks: ['a', 'b'] })).toMatchObject({
      reason: 'not_connected',
    })
  })

  it('answers "unsupported" for what the provider cannot do, without calling it', async () => {
    const { provider, calls } = scriptedProvider({
      supports: {
        voice: false,
        invitationNote: false,
        inMail: false,
        attachments: false,
        reactToLastPost: false,
      },
    })
    const channel = createLinkedInChannel({ provider })
    const outcomes = [
      await channel.sendVoice({ ...request(), audio: { url: 'https://acme.io/hi.m4a' } }),
      await channel.sendInvitation({ ...request(), note: 'Hi!' }),
      await channel.sendInMail({ ...request(), subject: 'Hi', body: 'Hello' }),
      await channel.sendAttachment({ ...request(), file: { url: 'https://acme.io/deck.pdf' } }),
      await channel.reactToLastPost({ ...request(), reaction: 'like' }),
    ]
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: false, reason: 'unsupported' })
    expect(outcomes[0]?.ok === false && outcomes[0].message).toMatch(/^scripted cannot send voice messages/)
    expect(calls).toHaveLength(0)
    expect(channel.capabilities).toMatchObject({ supportsVoice: false, supportsInMail: false })
    // An invitation without a note is fine.
    expect(await channel.sendInvitation(request())).toEqual({ ok: true })
  })

  it('treats a provider that throws as "delivery unknown" for actions and "transient" for reads', async () => {
    const { provider } = scriptedProvider({
      answer: () => {
        throw new Error('socket hang up')
      },
    })
    const channel = createLinkedInChannel({ provider })
    expect(await channel.sendInvitation(request())).toMatchObject({ reason: 'delivery_unknown' })
    expect(await channel.sendVoice({ ...request(), audio: { url: 'https://acme.io/a.m4a' } })).toMatchObject({
      reason: 'delivery_unknown',
    })
    expect(await channel.visitProfile(request())).toMatchObject({ reason: 'transient' })
    expect(await channel.checkConnection(request())).toMatchObject({ reason: 'transient' })
  })
})

describe('webhooks', () => {
  const authentic = (body: string) =>
    body === 'bad-json'
      ? ({ ok: false, status: 400, message: 'not JSON' } as const)
      : ({
          ok: true,
          events: [
            {
              type: 'message-received',
              accountId: 'acc-ana',
              from: { profileId: 'ACoAA-eva' },
              eventId: 'msg-1',
              text: 'Sounds good',
              at: '2026-11-20T10:00:00.000Z',
            },
            {
              type: 'invitation-accepted',
              accountId: 'acc-ana',
              with: { profileId: 'ACoAA-liam' },
              eventId: 'inv-7',
            },
            // An account the channel does not know: ignored.
            {
              type: 'invitation-accepted',
              accountId: 'acc-other',
              with: { profileId: 'x' },
              eventId: 'inv-8',
            },
          ],
        } as const)
  const webhook = (headers: Record<string, string | undefined>, body: string) =>
    headers['x-secret'] === 's3cret'
      ? authentic(body)
      : ({ ok: false, status: 401, message: 'bad secret' } as const)

  it('delivers authentic deliveries as engine events, and answers what the provider should do', async () => {
    const { provider } = scriptedProvider({ webhook })
    const errors: PacelineError[] = []
    const channel = createLinkedInChannel({ provider, accounts, onError: (error) => errors.push(error) })
    const delivery = { headers: { 'x-secret': 's3cret' }, rawBody: '{}' }
    expect(await channel.handleWebhook(delivery)).toMatchObject({ status: 503 })

    const events: InboundEvent[] = []
    const stop = channel.subscribe(async (event) => {
      events.push(event)
    })
    expect(await channel.handleWebhook({ headers: { 'x-secret': 'nope' }, rawBody: '{}' })).toMatchObject({
      status: 401,
    })
    expect(
      await channel.handleWebhook({ headers: { 'x-secret': 's3cret' }, rawBody: 'bad-json' }),
    ).toMatchObject({
      status: 400,
    })
    expect(events).toEqual([])
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 200, body: 'ok' })
    expect(events).toEqual([
      {
        type: 'reply-received',
        channel: 'linkedin',
        identityId: 'ana',
        lead: { linkedinProfileId: 'ACoAA-eva' },
        text: 'Sounds good',
        eventId: 'linkedin:scripted:message:msg-1',
        at: '2026-11-20T10:00:00.000Z',
      },
      {
        type: 'connection-accepted',
        identityId: 'ana',
        lead: { linkedinProfileId: 'ACoAA-liam' },
        eventId: 'linkedin:scripted:accepted:inv-7',
      },
    ])
    stop()

    // The engine failing to take an event for now: 503, so the provider retries; reported to onError.
    channel.subscribe(async () => {
      throw new Error('database is locked')
    })
    expect(await channel.handleWebhook(delivery)).toMatchObject({ status: 503 })
    expect(errors.at(-1)).toMatchObject({ code: 'channel_failed', message: expect.stringMatching(/retries/) })
  })

  it('answers 422 to an event the engine refused for good (a dead letter: the provider must stop), 503 to one it could not take for now', async () => {
    const { provider } = scriptedProvider({ webhook })
    const errors: PacelineError[] = []
    const channel = createLinkedInChannel({ provider, accounts, onError: (error) => errors.push(error) })
    const delivery = { headers: { 'x-secret': 's3cret' }, rawBody: '{}' }
    const taken: InboundEvent[] = []
    let failure: Error | undefined = new PacelineError(PacelineErrorCodes.invalidEvent, 'msg')
    channel.subscribe(async (event) => {
      if (failure !== undefined && event.type === 'reply-received') throw failure
      taken.push(event)
    })
    const refused = await channel.handleWebhook(delivery)
    expect(refused.status).toBe(422)
    expect(refused.body).toMatch(/dead letter/)
    // The other event of the delivery was applied all the same.
    expect(taken).toEqual([expect.objectContaining({ type: 'connection-accepted' })])
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'invalid_event',
        message: expect.stringMatching(/refused a scripted reply-received event from a webhook for good/),
        details: expect.objectContaining({ eventId: 'linkedin:scripted:message:msg-1' }),
      }),
    ])

    // The engine's own refusal names its dead letter.
    failure = new PacelineError(PacelineErrorCodes.invalidEvent, 'Inbound event has 1 problem', {
      details: { deadLetterId: 'dead-letter:0000000001.00c0ffee' },
    })
    expect((await channel.handleWebhook(delivery)).status).toBe(422)
    expect(errors.at(-1)).toMatchObject({
      message: expect.stringMatching(/kept as dead letter dead-letter:0000000001\.00c0ffee/),
      details: { deadLetterId: 'dead-letter:0000000001.00c0ffee' },
    })

    // A host's subscriber throwing a plain Error is not a refusal: the provider must deliver it again.
    failure = new Error('subscriber crashed')
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 503, body: 'Not applied; retry later.' })
    expect(errors.at(-1)).toMatchObject({ code: 'channel_failed', isRetryable: true })
    failure = undefined
    expect(await channel.handleWebhook(delivery)).toEqual({ status: 200, body: 'ok' })
  })

  it('reports a delivery with the right secret it cannot read (400), and a provider that throws reading one (503)', async () => {
    const errors: PacelineError[] = []
    const { provider } = scriptedProvider({ webhook })
    const channel = createLinkedInChannel({ provider, accounts, onError: (error) => errors.push(error) })
    channel.subscribe(async () => {})
    expect(
      await channel.handleWebhook({ headers: { 'x-secret': 's3cret' }, rawBody: 'bad-json' }),
    ).toMatchObject({ status: 400 })
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'channel_failed',
        isRetryable: false,
        message: expect.stringMatching(/could not be read \(not JSON\); answered 400/),
      }),
    ])
    // A forged one is answered 401 and not reported: anybody can send those.
    expect(await channel.handleWebhook({ headers: {}, rawBody: '{}' })).toMatchObject({ status: 401 })
    expect(errors).toHaveLength(1)

    const throwing = scriptedProvider({
      webhook: () => {
        throw new Error('signing key service down')
      },
    })
    const other = createLinkedInChannel({
      provider: throwing.provider,
      accounts,
      onError: (e) => errors.push(e),
    })
    other.subscribe(async () => {})
    expect(await other.handleWebhook({ headers: {}, rawBody: '{}' })).toMatchObject({ status: 503 })
    expect(errors.at(-1)).toMatchObject({ message: expect.stringMatching(/signing key service down/) })
  })

  it('answers from the headers alone before the body is read: 404 without webhooks, 401 for a wrong secret, 503 before the engine runs', async () => {
    const withoutWebhooks = createLinkedInChannel({ provider: scriptedProvider().provider, accounts })
    expect(withoutWebhooks.screenWebhook({})).toMatchObject({ status: 404 })
    const { provider, webhookBodies } = scriptedProvider({
      webhook,
      webhookHeaders: (headers) =>
        headers['x-secret'] === 's3cret' ? { ok: true } : { ok: false, status: 401, message: 'bad secret' },
    })
    const channel = createLinkedInChannel({ provider, accounts })
    expect(channel.screenWebhook({ 'x-secret': 's3cret' })).toMatchObject({ status: 503 })
    channel.subscribe(async () => {})
    expect(channel.screenWebhook({ 'x-secret': 'nope' })).toEqual({ status: 401, body: 'bad secret' })
    expect(channel.screenWebhook({ 'x-secret': 's3cret' })).toBeUndefined()
    // handleWebhook checks the headers first too: a forged delivery never reaches readWebhook.
    expect(await channel.handleWebhook({ headers: {}, rawBody: '{"big":"body"}' })).toMatchObject({
      status: 401,
    })
    expect(webhookBodies).toEqual([])
  })

  it('mounts on node:http (Express, Fastify) and fetch-style frameworks (Hono)', async () => {
    const { provider } = scriptedProvider({ webhook })
    const channel = createLinkedInChannel({ provider, accounts })
    const events: InboundEvent[] = []
    channel.subscribe(async (event) => {
      events.push(event)
    })
    const node = nodeWebhookHandler(channel)
    const server = createServer((req, res) => void node(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/linkedin`
      const answer = await fetch(url, { method: 'POST', headers: { 'X-Secret': 's3cret' }, body: '{}' })
      expect(answer.status).toBe(200)
      expect((await fetch(url, { method: 'POST', body: '{}' })).status).toBe(401)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    const hono = fetchWebhookHandler(channel)
    const response = await hono(
      new Request('https://app.example/webhooks/linkedin', {
        method: 'POST',
        headers: { 'x-secret': 's3cret' },
        body: '{}',
      }),
    )
    expect(response.status).toBe(200)
    expect(events).toHaveLength(4)
  })
})

describe('polling', () => {
  it('finds replies and new connections, and keeps its place in storage', async () => {
    const { provider, conversations, relations, since } = scriptedProvider()
    const storage = createMemoryStorage()
    const events: InboundEvent[] = []
    const channel = createLinkedInChannel({ provider, accounts, storage, polling: { enabled: false } })
    channel.subscribe(async (event) => {
      events.push(event)
    })
    const recent = new Date(Date.now() - 60_000).toISOString()
    conversations.push(
      {
        conversationId: 'c1',
        with: { profileId: 'ACoAA-eva' },
        lastMessageId: 'm-eva-2',
        lastMessageAt: recent,
        lastFromThem: true,
        lastMessageText: 'Yes!',
      },
      // The account wrote last: not a reply.
      {
        conversationId: 'c2',
        with: { profileId: 'ACoAA-tom' },
        lastMessageId: 'm-tom',
        lastMessageAt: recent,
        lastFromThem: false,
      },
      // Older than the look-back window.
      {
        conversationId: 'c3',
        with: { profileId: 'ACoAA-old' },
        lastMessageId: 'm-old',
        lastMessageAt: '2020-01-01T00:00:00.000Z',
        lastFromThem: true,
      },
    )
    relations.push({ with: { profileId: 'ACoAA-liam' }, connectedAt: recent })
    expect(await channel.pollNow()).toEqual({ events: 2 })
    expect(events).toEqual([
      expect.objectContaining({
        type: 'reply-received',
        eventId: 'linkedin:scripted:message:m-eva-2',
        text: 'Yes!',
      }),
      expect.objectContaining({
        type: 'connection-accepted',
        eventId: 'linkedin:scripted:accepted:acc-ana:ACoAA-liam',
      }),
    ])

    // A new channel on the same storage starts where the last poll ended (minus a small overlap).
    const again = createLinkedInChannel({ provider, accounts, storage, polling: { enabled: false } })
    await again.pollNow()
    const [first, second] = since.map((value) => Date.parse(value))
    expect(second).toBeGreaterThan(first ?? 0)
    expect(Date.now() - (second ?? 0)).toBeLessThan(10 * 60_000)
  })

  it('names the lead of a reply by any identifier it acted with, across restarts (providers name people differently)', async () => {
    const { provider, conversations } = scriptedProvider()
    const storage = createMemoryStorage()
    const acting = createLinkedInChannel({
      provider,
      accounts,
      storage,
      polling: { enabled: false },
      chunkPauseMs: 0,
    })
    await acting.sendMessage({
      accountId: 'acc-ana',
      target: { leadId: 'eva', profileId: 'ACoAA-eva', profileUrl: 'https://www.linkedin.com/in/Eva-Lind/' },
      idempotencyKey: 'k',
      chunks: ['Hi'],
    })
    // The provider reports Eva by its own numeric id and the vanity URL in another form.
    const recent = new Date(Date.now() - 60_000).toISOString()
    conversations.push(
      {
        conversationId: 'c1',
        with: { profileId: '48213', profileUrl: 'http://linkedin.com/in/eva-lind?trk=x' },
        lastMessageId: 'm1',
        lastMessageAt: recent,
        lastFromThem: true,
      },
      // Someone the channel never acted on: only LinkedIn's id to go by.
      {
        conversationId: 'c2',
        with: { profileId: 'ACoAA-tom' },
        lastMessageId: 'm2',
        lastMessageAt: recent,
        lastFromThem: true,
      },
    )
    const events: InboundEvent[] = []
    const restarted = createLinkedInChannel({ provider, accounts, storage, polling: { enabled: false } })
    restarted.subscribe(async (event) => {
      events.push(event)
    })
    await restarted.pollNow()
    expect(events.map((event) => ('lead' in event ? event.lead : undefined))).toEqual([
      { leadId: 'eva', linkedinProfileId: 'ACoAA-eva' },
      { linkedinProfileId: 'ACoAA-tom' },
    ])
  })

  it('moves past an event the engine refuses for good: later events arrive and the cursor advances', async () => {
    const { provider, conversations, since } = scriptedProvider()
    const errors: PacelineError[] = []
    const channel = createLinkedInChannel({
      provider,
      accounts,
      polling: { enabled: false },
      onError: (error) => errors.push(error),
    })
    const taken: string[] = []
    channel.subscribe(async (event) => {
      if (event.eventId === 'linkedin:scripted:message:m-bad')
        throw new PacelineError(PacelineErrorCodes.invalidEvent, 'msg', { details: { deadLetterId: 'dl-1' } })
      taken.push(event.eventId ?? '')
    })
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
    conversations.push(
      {
        conversationId: 'c-bad',
        with: { profileId: 'ACoAA-eva' },
        lastMessageId: 'm-bad',
        lastMessageAt: minutesAgo(20),
        lastFromThem: true,
      },
      {
        conversationId: 'c-good',
        with: { profileId: 'ACoAA-tom' },
        lastMessageId: 'm-good',
        lastMessageAt: minutesAgo(10),
        lastFromThem: true,
      },
    )
    expect(await channel.pollNow()).toEqual({ events: 2 })
    expect(taken).toEqual(['linkedin:scripted:message:m-good'])
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'invalid_event',
        details: expect.objectContaining({ deadLetterId: 'dl-1' }),
      }),
    ])
    await channel.pollNow()
    const [first, second] = since.map((value) => Date.parse(value))
    expect(second, 'the cursor moved past the refused event').toBeGreaterThan(first ?? 0)
  })

  it('holds its place when the engine cannot take an event for now, delivers it at the next poll, and polls the other accounts meanwhile', async () => {
    const { provider, conversations, since } = scriptedProvider()
    const now = Date.now()
    const channel = createLinkedInChannel({
      provider,
      accounts: [...accounts, { accountId: 'acc-ben', identityId: 'ben' }],
      polling: { enabled: false },
      now: () => now,
    })
    let down = true
    const taken: string[] = []
    channel.subscribe(async (event) => {
      if (down && event.type === 'reply-received' && event.identityId === 'ana')
        throw new Error('database is locked')
      taken.push(`${event.type === 'reply-received' ? event.identityId : ''}:${event.eventId}`)
    })
    conversations.push({
      conversationId: 'c1',
      with: { profileId: 'ACoAA-eva' },
      lastMessageId: 'm-1',
      lastMessageAt: new Date(now - 60_000).toISOString(),
      lastFromThem: true,
    })
    await expect(channel.pollNow()).rejects.toThrow(/account acc-ana: database is locked/)
    expect(taken, "the other account's poll went on").toEqual(['ben:linkedin:scripted:message:m-1'])
    down = false
    await channel.pollNow()
    expect(taken).toContain('ana:linkedin:scripted:message:m-1')
    // acc-ana's cursor did not move on the failed poll: both of its polls read from the look-back start.
    const anaSince = since.filter((_, index) => index % 2 === 0).map((value) => Date.parse(value))
    expect(anaSince[1]).toBe(anaSince[0])
  })

  it('measures its look-back window on the clock it is given (the engine clock in simulations)', async () => {
    const { provider, since } = scriptedProvider()
    const now = Date.parse('2026-03-02T08:00:00Z')
    const channel = createLinkedInChannel({ provider, accounts, now: () => now, polling: { enabled: false } })
    await channel.pollNow()
    expect(since).toEqual(['2026-02-28T08:00:00.000Z'])
  })

  it('polls on its own while the engine is subscribed, when the provider has no webhooks', async () => {
    const { provider, conversations } = scriptedProvider()
    conversations.push({
      conversationId: 'c1',
      with: { profileId: 'ACoAA-eva' },
      lastMessageId: 'm-1',
      lastMessageAt: new Date().toISOString(),
      lastFromThem: true,
    })
    const channel = createLinkedInChannel({ provider, accounts })
    expect(channel.capabilities?.pushesEvents).toBe(true)
    const delivered = new Promise<InboundEvent>((resolve) => {
      channel.subscribe(async (event) => resolve(event))
    })
    expect(await delivered).toMatchObject({ type: 'reply-received', identityId: 'ana' })
    await channel.close()
  })
})
