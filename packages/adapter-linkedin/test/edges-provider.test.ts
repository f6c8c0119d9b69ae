import { createServer } from 'node:net'
import { linkedinChannelConformance } from '@paceline/core/conformance'
import type { LinkedInFailureReason } from '@paceline/core/ports'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createEdgesProvider, createLinkedInChannel, type EdgesProvider } from '../src/index'
import { errorBody, FakeEdges } from './fakes/edges-server'

const apiKey = 'edges-test-key'
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Edges' own 429 on the API key (docs.edges.run/v1/runs/rate-limits): no LinkedIn label. */
const PLAN_LIMIT = { message: 'Too many requests', status_code: 429 }
const edges = new FakeEdges({ apiKey, pageSize: 10 })
let provider: EdgesProvider

const call = (handle: string, key = `pl-${handle}`) => ({
  accountId: 'identity-ana',
  target: { profileUrl: `https://www.linkedin.com/in/${handle}` },
  idempotencyKey: key,
})

beforeAll(async () => {
  await edges.start()
  edges.identity('identity-ana', 'ana-sales')
  edges.identity('identity-empty', 'nobody').linkedin = undefined
  for (const handle of ['eva', 'liam', 'noor', 'omar', 'pia']) edges.member(handle)
  edges.connect('identity-ana', 'liam')
  // Generous budget: the limiter is tested in provider-http.test.ts; these tests check behaviour.
  provider = createEdgesProvider({ apiKey, baseUrl: edges.url, requestsPerMinute: 6_000 })
})
afterAll(async () => {
  await provider.close()
  await edges.stop()
})
afterEach(() => {
  edges.scripted.clear()
})

describe('createEdgesProvider options', () => {
  it('names the field and the rule', () => {
    expect(() => createEdgesProvider({ apiKey: ' ' })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: [expect.objectContaining({ field: 'apiKey' })],
      }),
    )
    expect(() => createEdgesProvider({ apiKey, requestsPerMinute: 0 })).toThrow(/requestsPerMinute/)
  })
})

describe('actions, as Edges receives them', () => {
  it('runs linkedin-connect-profile live on the identity, with the profile URL, the note and the idempotency key', async () => {
    expect(
      await provider.sendInvitation({ ...call('eva', 'pl-eva-invite'), note: 'Hi Eva, glad to connect.' }),
    ).toEqual({
      ok: true,
    })
    const [run] = edges.runsOf('linkedin-connect-profile')
    expect(run).toMatchObject({
      identityIds: ['identity-ana'],
      identityMode: 'direct',
      input: {
        linkedin_profile_url: 'https://www.linkedin.com/in/eva',
        message: 'Hi Eva, glad to connect.',
        custom_data: { paceline_idempotency_key: 'pl-eva-invite' },
      },
    })
    expect(edges.invitations.get('identity-ana:eva')?.note).toBe('Hi Eva, glad to connect.')
    expect(await provider.relationStatus(call('eva'))).toEqual({ ok: true, status: 'pending' })
  })

  it("messages a connection and returns LinkedIn's message id", async () => {
    const outcome = await provider.sendMessage({ ...call('liam'), text: 'Thanks for connecting, Liam!' })
    expect(outcome).toMatchObject({ ok: true, providerMessageId: expect.stringMatching(/^msg-/) })
    expect(edges.sentTo('identity-ana', 'liam')).toEqual(['Thanks for connecting, Liam!'])
    expect(await provider.relationStatus(call('liam'))).toEqual({ ok: true, status: 'connected' })
  })

  it('builds the profile URL from the profile id when the lead has no URL', async () => {
    edges.member('acoaa-noor-id')
    await provider.visitProfile({
      accountId: 'identity-ana',
      target: { profileId: 'ACoAA-noor-id' },
      idempotencyKey: 'k',
    })
    expect(edges.runsOf('linkedin-visit-profile').at(-1)?.input?.linkedin_profile_url).toBe(
      'https://www.linkedin.com/in/ACoAA-noor-id',
    )
    expect(edges.visits.at(-1)).toEqual({ identityId: 'identity-ana', handle: 'acoaa-noor-id' })
  })

  it('refuses a message to someone not connected (NOT_CONNECTED), and a profile LinkedIn does not have (STATUS_404)', async () => {
    expect(await provider.sendMessage({ ...call('noor'), text: 'Hello' })).toMatchObject({
      ok: false,
      reason: 'not_connected',
      raw: expect.objectContaining({ error_label: 'NOT_CONNECTED' }),
    })
    expect(await provider.sendInvitation(call('ghost'))).toMatchObject({
      ok: false,
      reason: 'profile_not_found',
    })
    expect(edges.sentTo('identity-ana', 'noor')).toEqual([])
  })

  it("withdraws, and LinkedIn's refusal to invite again soon becomes the withdrawal cooldown", async () => {
    await provider.sendInvitation(call('omar'))
    expect(await provider.withdrawInvitation(call('omar'))).toEqual({ ok: true })
    expect(await provider.relationStatus(call('omar'))).toEqual({ ok: true, status: 'not_connected' })
    expect(await provider.sendInvitation(call('omar'))).toMatchObject({
      ok: false,
      reason: 'already_invited_recently',
    })
  })

  it('sends InMails until the credits run out, and never a second unanswered InMail', async () => {
    const ana = edges.identities.get('identity-ana')
    if (ana === undefined) throw new Error('fixture')
    ana.inMailCredits = 1
    expect(await provider.sendInMail({ ...call('pia'), subject: 'Idea', body: 'Hello Pia' })).toMatchObject({
      ok: true,
    })
    expect(await provider.sendInMail({ ...call('pia'), subject: 'Again', body: 'Hello?' })).toMatchObject({
      ok: false,
      reason: 'not_connected',
      raw: expect.objectContaining({ error_label: 'LK_INMAIL_CANNOT_RESEND' }),
    })
    expect(await provider.sendInMail({ ...call('noor'), subject: 'Idea', body: 'Hello Noor' })).toMatchObject(
      {
        ok: false,
        reason: 'inmail_credits_exhausted',
      },
    )
  })

  it('downloads an attachment and sends it as Base64; voice only from the audio formats Edges turns into voice messages', async () => {
    edges.files.set('deck.pdf', Buffer.from('%PDF-1.7 deck'))
    edges.files.set('hello.m4a', Buffer.from('m4a audio'))
    expect(
      await provider.sendAttachment({
        ...call('liam'),
        file: { url: `${edges.filesUrl}/deck.pdf` },
        caption: 'Our deck',
      }),
    ).toMatchObject({ ok: true })
    expect(edges.runsOf('linkedin-message-profile').at(-1)?.input).toMatchObject({
      message: 'Our deck',
      attachments: [{ name: 'deck.pdf', content: Buffer.from('%PDF-1.7 deck').toString('base64') }],
    })
    expect(
      await provider.sendVoice({ ...call('liam'), audio: { url: `${edges.filesUrl}/hello.m4a` } }),
    ).toMatchObject({
      ok: true,
    })
    // An uploaded recording has no path: its name says the format.
    const upload = `data:audio/mpeg;base64,${Buffer.from('mp3 upload').toString('base64')}`
    expect(
      await provider.sendVoice({ ...call('liam'), audio: { url: upload, name: 'voice.mp3' } }),
    ).toMatchObject({
      ok: true,
    })
    expect(edges.runsOf('linkedin-message-profile').at(-1)?.input).toMatchObject({
      attachments: [{ name: 'voice.mp3', content: Buffer.from('mp3 upload').toString('base64') }],
    })
    const runs = edges.runs.length
    expect(
      await provider.sendVoice({ ...call('liam'), audio: { url: `${edges.filesUrl}/hello.ogg` } }),
    ).toMatchObject({
      ok: false,
      reason: 'unsupported',
    })
    expect(
      await provider.sendAttachment({ ...call('liam'), file: { url: `${edges.filesUrl}/missing.pdf` } }),
    ).toMatchObject({
      ok: false,
      reason: 'transient',
    })
    expect(edges.runs.length, 'nothing reaches Edges when the file is wrong').toBe(runs)
  })

  it('answers "unsupported" for reacting to a latest post, without calling Edges', async () => {
    const runs = edges.runs.length
    const channel = createLinkedInChannel({ provider })
    expect(
      await channel.reactToLastPost({
        accountId: 'identity-ana',
        target: { leadId: 'eva', profileUrl: 'https://www.linkedin.com/in/eva' },
        idempotencyKey: 'k',
        reaction: 'like',
      }),
    ).toMatchObject({ ok: false, reason: 'unsupported' })
    expect(edges.runs.length).toBe(runs)
  })
})

describe("Edges errors onto the port's outcomes", () => {
  const cases: Array<[string, number, LinkedInFailureReason, number?]> = [
    ['NO_VALID_ACCOUNT_CONFIGURED', 424, 'disconnected'],
    ['INTEGRATION_ERROR', 424, 'disconnected'],
    ['PROXY_ERROR', 424, 'rate_limited', 60_000],
    ['NO_ACCESS', 402, 'disconnected'],
    ['STATUS_403', 424, 'restricted'],
    ['LK_INMAIL_NOT_ENOUGH_CREDIT', 424, 'inmail_credits_exhausted'],
    ['BAD_INPUT', 400, 'invalid_profile'],
    ['LK_MISSING_DATA', 424, 'invalid_profile'],
    ['STATUS_404', 424, 'profile_not_found'],
    ['NO_RESULT', 424, 'profile_not_found'],
    ['NOT_CONNECTED', 424, 'not_connected'],
    ['LIMIT_REACHED', 424, 'rate_limited', 86_400_000],
    ['STATUS_429', 424, 'rate_limited', 900_000],
    ['LK_ERROR', 424, 'transient'],
    ['LK_524', 424, 'transient'],
    ['GENERIC_ERROR', 424, 'transient'],
    ['SOMETHING_NEW', 424, 'transient'],
  ]
  it.each(cases)('%s (%i) -> %s, keeping the raw payload', async (label, status, reason, retryAfterMs) => {
    edges.script('linkedin-connect-profile', {
      status,
      body: errorBody(label, 'integration', `${label} happened`, status),
    })
    const outcome = await provider.sendInvitation(call('noor'))
    expect(outcome).toMatchObject({ ok: false, reason, raw: { error_label: label } })
    if (retryAfterMs !== undefined) expect(outcome).toMatchObject({ retryAfterMs })
    expect(outcome.ok === false && outcome.message).toContain(label)
  })

  it('a refused API key -> disconnected, saying so', async () => {
    const wrong = createEdgesProvider({ apiKey: 'wrong', baseUrl: edges.url, requestsPerMinute: 6_000 })
    expect(await wrong.visitProfile(call('eva'))).toMatchObject({
      ok: false,
      reason: 'disconnected',
      message: expect.stringMatching(/API key was refused/),
    })
    await wrong.close()
  })

  it('an identity without a LinkedIn account -> disconnected', async () => {
    expect(await provider.visitProfile({ ...call('eva'), accountId: 'identity-empty' })).toMatchObject({
      ok: false,
      reason: 'disconnected',
    })
  })

  it('a bare 500 to an action is "delivery unknown" (LinkedIn may have acted); to a read it is transient', async () => {
    edges.script('linkedin-message-profile', { status: 500, body: 'Internal Server Error' })
    expect(await provider.sendMessage({ ...call('liam'), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'delivery_unknown',
    })
    edges.script('linkedin-extract-sent-invitations', { status: 500, body: 'Internal Server Error' })
    expect(await provider.relationStatus(call('liam'))).toMatchObject({ ok: false, reason: 'transient' })
    edges.script('linkedin-message-profile', { status: 503, body: 'Service Unavailable' })
    expect(await provider.sendMessage({ ...call('liam'), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'transient',
    })
  })

  it('is_sent: false is a message that did not go out', async () => {
    edges.script('linkedin-message-profile', { status: 200, body: { is_sent: false } })
    expect(await provider.sendMessage({ ...call('liam'), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'transient',
    })
  })
})

describe('transport', () => {
  it('an answer lost after Edges ran the message: "delivery unknown", and the lead got it once', async () => {
    const before = edges.sentTo('identity-ana', 'liam').length
    edges.dropAfterRunning.add('linkedin-message-profile')
    expect(await provider.sendMessage({ ...call('liam'), text: 'Only once, please' })).toMatchObject({
      ok: false,
      reason: 'delivery_unknown',
    })
    expect(edges.sentTo('identity-ana', 'liam').slice(before)).toEqual(['Only once, please'])
  })

  it('nothing listening: transient, nothing sent', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number }
        server.close(() => resolve(address.port))
      })
    })
    const offline = createEdgesProvider({
      apiKey,
      baseUrl: `http://127.0.0.1:${port}/v1`,
      requestsPerMinute: 6_000,
    })
    expect(await offline.sendMessage({ ...call('liam'), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'transient',
    })
    await offline.close()
  })

  it("waits out Edges' own 429 (the plan's limit on the API key) with Retry-After, and retries", async () => {
    edges.script('linkedin-visit-profile', {
      status: 429,
      body: PLAN_LIMIT,
      headers: { 'retry-after': '0', 'x-ratelimit-type': '/v1/actions/run/live' },
    })
    const runs = edges.runsOf('linkedin-visit-profile').length
    expect(await provider.visitProfile(call('eva'))).toEqual({ ok: true })
    expect(edges.runsOf('linkedin-visit-profile').length - runs).toBe(2)
  })

  it("LIMIT_REACHED and STATUS_429, as a 429 or a 409, go straight back to the engine to retry at Edges' postponed_until", async () => {
    const cases: Array<[label: string, status: number, inMs: number]> = [
      ['LIMIT_REACHED', 429, 2 * HOUR],
      ['LIMIT_REACHED', 409, 30 * MINUTE],
      ['STATUS_429', 429, 5 * MINUTE],
      ['STATUS_429', 409, 3 * HOUR],
    ]
    for (const [label, status, inMs] of cases) {
      edges.script('linkedin-connect-profile', {
        status,
        body: errorBody(label, 'rate_limit', `${label} for this identity`, status, {
          postponed_until: new Date(Date.now() + inMs).toISOString(),
        }),
        headers: { 'retry-after': '0' },
      })
      const runs = edges.runsOf('linkedin-connect-profile').length
      const outcome = await provider.sendInvitation(call('noor'))
      expect(outcome, `${label} ${status}`).toMatchObject({
        ok: false,
        reason: 'rate_limited',
        raw: { error_label: label },
      })
      const wait = outcome.ok ? 0 : (outcome.retryAfterMs ?? 0)
      expect(wait, `${label} ${status}`).toBeGreaterThan(inMs - 10_000)
      expect(wait, `${label} ${status}`).toBeLessThanOrEqual(inMs)
      expect(edges.runsOf('linkedin-connect-profile').length - runs, 'not retried here').toBe(1)
    }
    // Without a date: a day for the limit, 15 min for LinkedIn's throttling (or the Retry-After, when longer).
    edges.script('linkedin-connect-profile', {
      status: 429,
      body: errorBody('LIMIT_REACHED', 'rate_limit', 'Daily limit reached for this identity', 429),
      headers: { 'retry-after': '0' },
    })
    expect(await provider.sendInvitation(call('noor'))).toMatchObject({ retryAfterMs: DAY })
    edges.script('linkedin-connect-profile', {
      status: 429,
      body: errorBody('STATUS_429', 'rate_limit', 'Too many requests', 429),
      headers: { 'retry-after': '3600' },
    })
    expect(await provider.sendInvitation(call('noor'))).toMatchObject({ retryAfterMs: HOUR })
  })

  it("one identity's LinkedIn throttling (STATUS_429) pauses no other request on the key", async () => {
    edges.script('linkedin-connect-profile', {
      status: 429,
      body: errorBody('STATUS_429', 'rate_limit', 'Too many requests', 429, {
        postponed_until: new Date(Date.now() + 10 * MINUTE).toISOString(),
      }),
      headers: { 'retry-after': '30' },
    })
    expect(await provider.sendInvitation(call('noor'))).toMatchObject({ reason: 'rate_limited' })
    // Had the key been paused, this would wait the 30 s out and the test time out.
    expect(await provider.visitProfile(call('eva'))).toEqual({ ok: true })
  }, 5_000)

  it('PROXY_ERROR is retried after postponed_until, or a minute without one: the identity is not disconnected', async () => {
    edges.script(
      'linkedin-message-profile',
      {
        status: 424,
        body: errorBody('PROXY_ERROR', 'integration', 'Proxy error', 424, {
          postponed_until: new Date(Date.now() + 4 * MINUTE).toISOString(),
        }),
      },
      { status: 424, body: errorBody('PROXY_ERROR', 'integration', 'Proxy error', 424) },
    )
    const postponed = await provider.sendMessage({ ...call('liam'), text: 'x' })
    expect(postponed).toMatchObject({ ok: false, reason: 'rate_limited' })
    expect(postponed.ok ? 0 : postponed.retryAfterMs).toBeGreaterThan(4 * MINUTE - 10_000)
    expect(await provider.sendMessage({ ...call('liam'), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      retryAfterMs: MINUTE,
      message: expect.stringMatching(/PROXY_ERROR.*proxy/),
    })
  })

  it("an identity over its Smart Limit gets LIMIT_REACHED until the fake's window frees, and the engine is told when", async () => {
    const limited = edges.identity('identity-limited', 'limited-sales')
    limited.limits = { 'linkedin-visit-profile': 1 }
    const first = Date.now()
    const visit = () => provider.visitProfile({ ...call('eva'), accountId: 'identity-limited' })
    expect(await visit()).toEqual({ ok: true })
    const outcome = await visit()
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      raw: { error_label: 'LIMIT_REACHED' },
    })
    const wait = outcome.ok ? 0 : (outcome.retryAfterMs ?? 0)
    expect(first + wait).toBeGreaterThan(first + DAY - 10_000)
    expect(first + wait).toBeLessThanOrEqual(Date.now() + DAY)
  })

  it('a Retry-After beyond what the transport waits goes back to the engine as rate_limited', async () => {
    // Its own key: the 429 pauses every later request on the key for up to maxRetryAfterMs.
    const throttled = createEdgesProvider({ apiKey, baseUrl: edges.url, requestsPerMinute: 6_000 })
    edges.script('linkedin-visit-profile', {
      status: 429,
      body: PLAN_LIMIT,
      headers: { 'retry-after': '3600' },
    })
    expect(await throttled.visitProfile(call('eva'))).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      retryAfterMs: 3_600_000,
    })
    await throttled.close()
  })
})

describe('listings for polling', () => {
  it('reads every page of connections via X-Pagination-Next, newest first, and stops at `since`', async () => {
    const start = Date.parse('2026-01-01T00:00:00Z')
    edges.identity('identity-big', 'big-account')
    for (let index = 0; index < 25; index++)
      edges.connect('identity-big', `contact-${index}`, start + index * 60_000)
    const all = await provider.listRelations({ accountId: 'identity-big' })
    expect(all).toHaveLength(25)
    expect(all[0]?.with.profileUrl).toBe('https://www.linkedin.com/in/contact-24')
    const pages = edges
      .runsOf('linkedin-extract-connections')
      .filter((run) => run.identityIds[0] === 'identity-big')
    expect(pages).toHaveLength(3)
    const recent = await provider.listRelations({
      accountId: 'identity-big',
      since: new Date(start + 20 * 60_000).toISOString(),
    })
    expect(recent.map((relation) => relation.with.profileUrl?.split('/').pop())).toEqual([
      'contact-24',
      'contact-23',
      'contact-22',
      'contact-21',
      'contact-20',
    ])
  })

  it('lists 1:1 conversations and whether the last message is theirs', async () => {
    edges.reply('identity-ana', 'liam', 'Sounds good, Thursday?')
    const conversations = await provider.listConversations({ accountId: 'identity-ana' })
    const liam = conversations.find((each) => each.with.profileUrl?.endsWith('/liam'))
    expect(liam).toMatchObject({ lastFromThem: true, lastMessageText: 'Sounds good, Thursday?' })
    const pia = conversations.find((each) => each.with.profileUrl?.endsWith('/pia'))
    expect(pia).toMatchObject({ lastFromThem: false })
  })

  it('a failed listing throws, so the channel reports it and tries again on the next poll', async () => {
    edges.script('linkedin-extract-conversations', {
      status: 424,
      body: errorBody('LK_ERROR', 'integration', 'boom', 424),
    })
    await expect(provider.listConversations({ accountId: 'identity-ana' })).rejects.toThrow(/LK_ERROR/)
  })
})

// The port's conformance suite against this provider and the fake Edges server.
const world = new FakeEdges({ apiKey, pageSize: 5 })
const profile = (handle: string) => {
  const member = world.member(handle)
  return { profileId: String(member.numericId), profileUrl: `https://www.linkedin.com/in/${handle}` }
}
let conformanceProvider: EdgesProvider | undefined
let poll: (() => Promise<unknown>) | undefined
linkedinChannelConformance({
  name: 'Edges (fake server)',
  async create() {
    await world.start()
    world.identity('identity-zoe', 'zoe-sales')
    world.connect('identity-zoe', 'conn-1')
    conformanceProvider = createEdgesProvider({ apiKey, baseUrl: world.url, requestsPerMinute: 6_000 })
    world.files.set('deck.pdf', Buffer.from('deck'))
    world.files.set('hi.m4a', Buffer.from('audio'))
    const channel = createLinkedInChannel({
      provider: conformanceProvider,
      accounts: [{ accountId: 'identity-zoe', identityId: 'zoe' }],
      chunkPauseMs: 0,
      // The suite's own files live at acme.io: served by the fake instead.
      polling: { enabled: false },
    })
    poll = () => channel.pollNow()
    return channel
  },
  async destroy() {
    await conformanceProvider?.close()
    await world.stop()
  },
  accountId: 'identity-zoe',
  identityId: 'zoe',
  strangers: [profile('stranger-1'), profile('stranger-2')],
  connection: profile('conn-1'),
  missing: { profileId: '999999', profileUrl: 'https://www.linkedin.com/in/nobody-here' },
  messagesTo: async (person) =>
    world.sentTo('identity-zoe', person.profileUrl?.split('/').pop() ?? '').map((text) => text),
  events: {
    reply: async (person, text) =>
      world.reply('identity-zoe', person.profileUrl?.split('/').pop() ?? '', text),
    accept: async (person) => world.accept('identity-zoe', person.profileUrl?.split('/').pop() ?? ''),
    receive: async () => {
      await poll?.()
    },
  },
})
