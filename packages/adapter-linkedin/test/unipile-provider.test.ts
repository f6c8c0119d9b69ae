import { createServer } from 'node:net'
import { linkedinChannelConformance } from '@paceline/core/conformance'
import type { InboundEvent, LinkedInFailureReason } from '@paceline/core/ports'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type CreateUnipileProviderOptions,
  createLinkedInChannel,
  createUnipileProvider,
  type UnipileProvider,
} from '../src/index'
import type { ProviderCall, ProviderWebhookRequest } from '../src/provider/linkedin-provider'
import messageWebhook from './fakes/unipile-fixtures/webhook-message-received.json'
import relationWebhook from './fakes/unipile-fixtures/webhook-new-relation.json'
import { errorBody, FakeUnipile, UNIPILE_ERROR_TYPES, type UnipileMember } from './fakes/unipile-server'

const started = new Date().toISOString()
const apiKey = 'unipile-test-key'
const webhookSecret = 'a-long-shared-webhook-secret'
const HOUR = 3_600_000
const DAY = 24 * HOUR
const fake = new FakeUnipile({ apiKey, pageSize: 10 })
const providers: UnipileProvider[] = []
let provider: UnipileProvider
let member: (handle: string) => UnipileMember

/** A provider of its own (its own cache of looked-up people, its own transport). */
const fresh = (extra: Partial<CreateUnipileProviderOptions> = {}): UnipileProvider => {
  // Generous budget: the limiter is tested in provider-http.test.ts; these tests check behaviour.
  const made = createUnipileProvider({
    dsn: fake.dsn,
    apiKey,
    requestsPerMinute: 6_000,
    webhookSecret,
    ...extra,
  })
  providers.push(made)
  return made
}

const byUrl = (handle: string, key = `pl-${handle}`): ProviderCall => ({
  accountId: 'acc-ana',
  target: { profileUrl: `https://www.linkedin.com/in/${handle}` },
  idempotencyKey: key,
})
const byId = (person: UnipileMember, key = `pl-${person.publicIdentifier}`): ProviderCall => ({
  accountId: 'acc-ana',
  target: {
    profileId: person.providerId,
    profileUrl: `https://www.linkedin.com/in/${person.publicIdentifier}`,
  },
  idempotencyKey: key,
})
const webhook = (body: unknown, secret = webhookSecret): ProviderWebhookRequest => ({
  headers: { 'content-type': 'application/json', 'unipile-auth': secret },
  rawBody: typeof body === 'string' ? body : JSON.stringify(body),
})

beforeAll(async () => {
  await fake.start()
  fake.account('acc-ana', 'ana-sales')
  member = (handle) => fake.member(handle)
  for (const handle of ['eva', 'liam', 'noor', 'omar', 'pia', 'rosa', 'sam']) fake.member(handle)
  fake.connect('acc-ana', member('liam'))
  fake.connect('acc-ana', member('rosa'))
  provider = fresh()
})
afterAll(async () => {
  for (const each of providers) await each.close()
  await fake.stop()
})
afterEach(() => {
  fake.scripted.clear()
  fake.takeWebhooks()
})

describe('createUnipileProvider options', () => {
  it('names the field and the rule', () => {
    expect(() => createUnipileProvider({ dsn: 'api8.unipile.com:13851', apiKey: ' ' })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: [expect.objectContaining({ field: 'apiKey' })],
      }),
    )
    expect(() => createUnipileProvider({ dsn: 'ftp://api8.unipile.com', apiKey })).toThrow(/dsn/)
    expect(() => createUnipileProvider({ dsn: 'api8.unipile.com:13851/other', apiKey })).toThrow(/dsn/)
    expect(() =>
      createUnipileProvider({ dsn: 'api8.unipile.com:13851', apiKey, webhookSecret: 'short' }),
    ).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ field: 'webhookSecret' })] }))
    expect(() => createUnipileProvider({ dsn: 'x.unipile.com:1', apiKey, requestsPerMinute: 0 })).toThrow(
      /requestsPerMinute/,
    )
    expect(() => createUnipileProvider({ dsn: 'x.unipile.com:1', apiKey, extra: true } as never)).toThrow(
      /extra/,
    )
  })

  it.each([
    ['api8.unipile.com:13851', 'https://api8.unipile.com:13851/api/v1/users/eva'],
    ['https://api8.unipile.com:13851', 'https://api8.unipile.com:13851/api/v1/users/eva'],
    ['https://api8.unipile.com:13851/', 'https://api8.unipile.com:13851/api/v1/users/eva'],
    ['api8.unipile.com:13851/api/v1', 'https://api8.unipile.com:13851/api/v1/users/eva'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/api/v1/users/eva'],
  ])('reads the DSN %s as %s, with the API key in X-API-KEY', async (dsn, expected) => {
    const seen: Array<{ url: string; key: string | null }> = []
    const recording = createUnipileProvider({
      dsn,
      apiKey,
      requestsPerMinute: 6_000,
      fetch: async (input, init) => {
        seen.push({ url: String(input), key: new Headers(init?.headers).get('x-api-key') })
        return new Response(
          JSON.stringify({ object: 'UserProfile', provider: 'LINKEDIN', provider_id: 'ACoAA1' }),
          {
            headers: { 'content-type': 'application/json' },
          },
        )
      },
    })
    expect(await recording.visitProfile(byUrl('eva'))).toEqual({ ok: true })
    expect(seen[0]?.url.split('?')[0]).toBe(expected)
    expect(seen[0]?.key).toBe(apiKey)
    await recording.close()
  })

  it('reads webhooks only with a secret to check them by', () => {
    const withoutSecret = createUnipileProvider({ dsn: fake.dsn, apiKey })
    expect(withoutSecret.readWebhook).toBeUndefined()
    expect(provider.readWebhook).toBeTypeOf('function')
    expect(provider).toMatchObject({ name: 'unipile', specificationVersion: 'v1' })
  })
})

describe('actions, as Unipile receives them', () => {
  it('visits a profile with notify=true; lookups made for other actions stay silent', async () => {
    const own = fresh()
    expect(await own.visitProfile(byUrl('eva'))).toEqual({ ok: true })
    const [visit] = fake.requestsOf('GET /users/:identifier').slice(-1)
    expect(visit).toMatchObject({
      path: '/api/v1/users/eva',
      query: { account_id: 'acc-ana', notify: 'true' },
    })
    expect(fake.visits.at(-1)).toEqual({
      accountId: 'acc-ana',
      providerId: member('eva').providerId,
      notify: true,
    })

    expect(await own.relationStatus(byUrl('noor'))).toEqual({ ok: true, status: 'not_connected' })
    expect(fake.visits.at(-1)).toMatchObject({ providerId: member('noor').providerId, notify: false })
  })

  it('finds the provider id from a profile URL once, then invites with the note (POST /users/invite, JSON)', async () => {
    const own = fresh()
    const before = fake.requestsOf('GET /users/:identifier').length
    const outcome = await own.sendInvitation({
      ...byUrl('eva', 'pl-eva-invite'),
      note: 'Hi Eva, glad to connect.',
    })
    expect(outcome).toEqual({ ok: true, providerMessageId: expect.stringMatching(/^7\d+/) })
    const lookups = fake.requestsOf('GET /users/:identifier').slice(before)
    expect(lookups).toHaveLength(1)
    expect(lookups[0]).toMatchObject({ path: '/api/v1/users/eva', query: { account_id: 'acc-ana' } })
    expect(lookups[0]?.query.notify).toBeUndefined()
    expect(fake.requestsOf('POST /users/invite').at(-1)?.json).toEqual({
      provider_id: member('eva').providerId,
      account_id: 'acc-ana',
      message: 'Hi Eva, glad to connect.',
    })
    expect(fake.invitations.get(`acc-ana:${member('eva').providerId}`)?.note).toBe('Hi Eva, glad to connect.')
    // The id found is remembered: the relation check names the person by it, with no second lookup by URL.
    expect(await own.relationStatus(byUrl('eva'))).toEqual({ ok: true, status: 'pending' })
    expect(fake.requestsOf('GET /users/:identifier').at(-1)?.path).toBe(
      `/api/v1/users/${member('eva').providerId}`,
    )
  })

  it('refuses a note longer than LinkedIn takes (300 characters) before calling Unipile', async () => {
    const count = fake.requests.length
    expect(await provider.sendInvitation({ ...byId(member('sam')), note: 'x'.repeat(301) })).toMatchObject({
      ok: false,
      reason: 'unsupported',
      message: expect.stringMatching(/301 characters.*300/),
    })
    expect(fake.requests.length).toBe(count)
  })

  it("messages a connection through POST /chats (multipart: account, attendee, text) and returns Unipile's message id", async () => {
    const outcome = await provider.sendMessage({
      ...byId(member('liam')),
      text: 'Thanks for connecting, Liam!',
    })
    expect(outcome).toEqual({ ok: true, providerMessageId: expect.any(String) })
    const [sent] = fake.requestsOf('POST /chats').slice(-1)
    expect(sent?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(sent?.headers['x-api-key']).toBe(apiKey)
    expect(Object.keys(sent?.headers ?? {}).filter((name) => name.startsWith('x-paceline'))).toEqual([])
    expect(sent?.form).toEqual({
      account_id: ['acc-ana'],
      attendees_ids: [member('liam').providerId],
      text: ['Thanks for connecting, Liam!'],
    })
    expect(fake.sentTo('acc-ana', member('liam'))).toEqual(['Thanks for connecting, Liam!'])
    expect(outcome.ok && fake.messagesTo('acc-ana', member('liam')).at(-1)?.id).toBe(
      outcome.ok ? outcome.providerMessageId : undefined,
    )
    expect(await provider.relationStatus(byId(member('liam')))).toEqual({ ok: true, status: 'connected' })
  })

  it('sends an InMail with its subject and linkedin[inmail]; never a second unanswered one; stops when credits run out', async () => {
    const ana = fake.accounts.get('acc-ana')
    if (ana === undefined) throw new Error('fixture')
    ana.inMailCredits = 1
    expect(
      await provider.sendInMail({ ...byId(member('pia')), subject: 'Idea', body: 'Hello Pia' }),
    ).toMatchObject({
      ok: true,
    })
    expect(fake.requestsOf('POST /chats').at(-1)?.form).toMatchObject({
      text: ['Hello Pia'],
      subject: ['Idea'],
      'linkedin[inmail]': ['true'],
    })
    expect(await provider.sendInMail({ ...byId(member('pia')), subject: 'Again', body: '?' })).toMatchObject({
      ok: false,
      reason: 'not_connected',
      raw: expect.objectContaining({ type: 'errors/cannot_resend_yet' }),
    })
    expect(await provider.sendInMail({ ...byId(member('noor')), subject: 'Idea', body: 'Hi' })).toMatchObject(
      {
        ok: false,
        reason: 'inmail_credits_exhausted',
        raw: expect.objectContaining({ type: 'errors/insufficient_credits', status: 422 }),
      },
    )
    expect(fake.sentTo('acc-ana', member('pia'))).toEqual(['Hello Pia'])
  })

  it('refuses a message to someone not connected (no_connection_with_recipient), sending nothing', async () => {
    expect(await provider.sendMessage({ ...byId(member('noor')), text: 'Hello' })).toMatchObject({
      ok: false,
      reason: 'not_connected',
      message: expect.stringContaining('errors/no_connection_with_recipient'),
    })
    expect(fake.sentTo('acc-ana', member('noor'))).toEqual([])
  })

  it('downloads an attachment with the same fetch and uploads it as a file; a missing file sends nothing', async () => {
    fake.files.set('deck.pdf', { bytes: Buffer.from('%PDF-1.7 deck'), type: 'application/pdf' })
    expect(
      await provider.sendAttachment({
        ...byId(member('liam')),
        file: { url: `${fake.filesUrl}/deck.pdf` },
        caption: 'Our deck',
      }),
    ).toMatchObject({ ok: true })
    expect(fake.requestsOf('POST /chats').at(-1)?.form).toMatchObject({
      text: ['Our deck'],
      attachments: [{ name: 'deck.pdf', type: 'application/pdf', size: 13, text: '%PDF-1.7 deck' }],
    })
    const count = fake.requestsOf('POST /chats').length
    expect(
      await provider.sendAttachment({
        ...byId(member('liam')),
        file: { url: `${fake.filesUrl}/missing.pdf` },
      }),
    ).toMatchObject({
      ok: false,
      reason: 'transient',
      message: expect.stringMatching(/HTTP 404.*nothing was sent/),
    })
    fake.files.set('huge.mp4', { bytes: Buffer.alloc(20 * 1024 * 1024 + 1), type: 'video/mp4' })
    expect(
      await provider.sendAttachment({ ...byId(member('liam')), file: { url: `${fake.filesUrl}/huge.mp4` } }),
    ).toMatchObject({ ok: false, reason: 'unsupported', message: expect.stringMatching(/20 MB/) })
    fake.files.delete('huge.mp4')
    expect(fake.requestsOf('POST /chats').length, 'nothing reaches Unipile when the file is wrong').toBe(
      count,
    )
  })

  it('sends an uploaded recording (a data: URL) as voice_message under its name', async () => {
    const upload = `data:audio/mp4;base64,${Buffer.from('m4a upload').toString('base64')}`
    expect(
      await provider.sendVoice({ ...byId(member('liam')), audio: { url: upload, name: 'voice.m4a' } }),
    ).toMatchObject({ ok: true })
    expect(fake.requestsOf('POST /chats').at(-1)?.form?.voice_message).toEqual([
      { name: 'voice.m4a', type: 'audio/mp4', size: 10, text: 'm4a upload' },
    ])
  })

  it('sends a voice message as voice_message; audio LinkedIn refuses (415) is unsupported', async () => {
    fake.files.set('hello.m4a', { bytes: Buffer.from('m4a audio'), type: 'audio/mp4' })
    fake.files.set('hello.txt', { bytes: Buffer.from('not audio'), type: 'text/plain' })
    expect(
      await provider.sendVoice({ ...byId(member('liam')), audio: { url: `${fake.filesUrl}/hello.m4a` } }),
    ).toMatchObject({ ok: true, providerMessageId: expect.any(String) })
    expect(fake.requestsOf('POST /chats').at(-1)?.form).toEqual({
      account_id: ['acc-ana'],
      attendees_ids: [member('liam').providerId],
      voice_message: [{ name: 'hello.m4a', type: 'audio/mp4', size: 9, text: 'm4a audio' }],
    })
    expect(fake.messagesTo('acc-ana', member('liam')).at(-1)?.voice).toMatchObject({ name: 'hello.m4a' })
    expect(
      await provider.sendVoice({ ...byId(member('liam')), audio: { url: `${fake.filesUrl}/hello.txt` } }),
    ).toMatchObject({
      ok: false,
      reason: 'unsupported',
      raw: expect.objectContaining({ type: 'errors/unsupported_media_type' }),
    })
  })

  it("withdraws by finding the invitation in the sent list; LinkedIn's cooldown then refuses a new one", async () => {
    expect(await provider.sendInvitation(byId(member('omar')))).toMatchObject({ ok: true })
    expect(await provider.withdrawInvitation(byUrl('omar'))).toEqual({ ok: true })
    const invitation = fake.requestsOf('DELETE /users/invite/sent/:invitation_id').at(-1)
    expect(invitation).toMatchObject({ query: { account_id: 'acc-ana' } })
    expect(await provider.relationStatus(byId(member('omar')))).toEqual({ ok: true, status: 'not_connected' })
    expect(await provider.sendInvitation(byId(member('omar')))).toMatchObject({
      ok: false,
      reason: 'already_invited_recently',
      raw: expect.objectContaining({ type: 'errors/already_invited_recently' }),
    })
    expect(await provider.withdrawInvitation(byId(member('omar')))).toMatchObject({
      ok: false,
      reason: 'profile_not_found',
      message: expect.stringMatching(/no pending invitation/),
    })
  })

  it('reacts to the latest own post that is open to reactions, with the reaction asked', async () => {
    const sam = member('sam')
    const start = Date.parse('2026-03-01T00:00:00Z')
    const older = fake.publish(sam, { at: start })
    fake.publish(sam, { at: start + DAY, canReact: false })
    fake.publish(sam, { at: start + 2 * DAY, isRepost: true })
    const latest = fake.publish(sam, { at: start + DAY / 2 })
    expect(await provider.reactToLastPost({ ...byId(sam), reaction: 'insightful' })).toEqual({ ok: true })
    expect(fake.requestsOf('GET /users/:identifier/posts').at(-1)).toMatchObject({
      path: `/api/v1/users/${sam.providerId}/posts`,
      query: { account_id: 'acc-ana' },
    })
    expect(fake.requestsOf('POST /posts/reaction').at(-1)?.json).toEqual({
      account_id: 'acc-ana',
      post_id: latest.socialId,
      reaction_type: 'insightful',
    })
    expect(latest.reactions.get(fake.accounts.get('acc-ana')?.me.providerId ?? '')).toBe('INTEREST')
    expect(older.reactions.size).toBe(0)
    // Already reacted: nothing more is sent.
    const count = fake.requestsOf('POST /posts/reaction').length
    expect(await provider.reactToLastPost({ ...byId(sam), reaction: 'like' })).toEqual({ ok: true })
    expect(fake.requestsOf('POST /posts/reaction').length).toBe(count)
  })

  it('"most reacted" reads the post\'s reactions and uses the most given one', async () => {
    const rosa = member('rosa')
    const item = fake.publish(rosa, { reactions: ['LIKE', 'PRAISE', 'PRAISE', 'EMPATHY', 'PRAISE', 'LIKE'] })
    expect(await provider.reactToLastPost({ ...byId(rosa), reaction: 'most_reacted' })).toEqual({ ok: true })
    expect(fake.requestsOf('GET /posts/:post_id/reactions').at(-1)?.path).toBe(
      `/api/v1/posts/${encodeURIComponent(item.socialId)}/reactions`,
    )
    expect(fake.requestsOf('POST /posts/reaction').at(-1)?.json).toMatchObject({ reaction_type: 'celebrate' })
  })

  it("when the post listing does not say whether the account reacted, the post's reactions do (by the account's own id, GET /users/me)", async () => {
    const own = fresh()
    const omar = member('omar')
    const item = fake.publish(omar, { reactions: ['LIKE'] })
    const reactions = () => fake.requestsOf('POST /posts/reaction').length
    const before = reactions()
    const lookups = fake.requestsOf('GET /users/me').length
    expect(await own.reactToLastPost({ ...byId(omar), reaction: 'love' })).toEqual({ ok: true })
    expect(reactions() - before).toBe(1)
    expect(item.reactions.get(fake.accounts.get('acc-ana')?.me.providerId ?? '')).toBe('EMPATHY')
    // The listing carries no user_reacted (the reference's Post has none): the reactions name the account.
    expect(fake.requestsOf('GET /users/:identifier/posts').at(-1)).toBeDefined()
    expect(await own.reactToLastPost({ ...byId(omar), reaction: 'like' })).toEqual({ ok: true })
    expect(reactions() - before, 'not reacted twice').toBe(1)
    const ownLookups = fake.requestsOf('GET /users/me').slice(lookups)
    expect(ownLookups, 'the own id is looked up once').toHaveLength(1)
    expect(ownLookups[0]?.query).toEqual({ account_id: 'acc-ana' })
  })

  it('a user_reacted in the listing is taken at its word; an own id that cannot be found does not stop the reaction', async () => {
    const pia = member('pia')
    const item = fake.publish(pia)
    const listed = (userReacted?: string) => ({
      status: 200,
      body: {
        object: 'PostList',
        items: [
          {
            object: 'Post',
            provider: 'LINKEDIN',
            id: item.id,
            social_id: item.socialId,
            is_repost: false,
            permissions: { can_react: true, can_share: true, can_post_comments: true },
            ...(userReacted === undefined ? {} : { user_reacted: userReacted }),
          },
        ],
        cursor: null,
      },
    })
    const reads = fake.requestsOf('GET /posts/:post_id/reactions').length
    fake.script('GET /users/:identifier/posts', listed('PRAISE'))
    expect(await provider.reactToLastPost({ ...byId(pia), reaction: 'like' })).toEqual({ ok: true })
    expect(fake.requestsOf('GET /posts/:post_id/reactions').length, 'nothing more read').toBe(reads)
    expect(item.reactions.size).toBe(0)

    const own = fresh()
    fake.fail('GET /users/me', 'errors/service_unavailable')
    fake.script('GET /users/:identifier/posts', listed())
    expect(await own.reactToLastPost({ ...byId(pia), reaction: 'like' })).toEqual({ ok: true })
    expect(item.reactions.size).toBe(1)
  })

  it('a person without posts: nothing to react to, nothing sent', async () => {
    const count = fake.requestsOf('POST /posts/reaction').length
    expect(await provider.reactToLastPost({ ...byId(member('noor')), reaction: 'like' })).toEqual({
      ok: true,
    })
    expect(fake.requestsOf('POST /posts/reaction').length).toBe(count)
  })

  it('a profile URL LinkedIn does not know is profile_not_found; a lead with no LinkedIn identity is invalid_profile', async () => {
    expect(await provider.sendInvitation(byUrl('nobody-here'))).toMatchObject({
      ok: false,
      reason: 'profile_not_found',
      raw: expect.objectContaining({ type: 'errors/resource_not_found', detail: 'User not found' }),
    })
    expect(fake.requestsOf('POST /users/invite').at(-1)?.json?.provider_id).not.toBe(undefined)
    const count = fake.requests.length
    expect(
      await provider.sendMessage({ accountId: 'acc-ana', target: {}, idempotencyKey: 'k', text: 'Hi' }),
    ).toMatchObject({ ok: false, reason: 'invalid_profile' })
    expect(fake.requests.length).toBe(count)
  })

  it('an unknown provider id is refused by LinkedIn as an invalid recipient: invalid_profile', async () => {
    expect(
      await provider.sendInvitation({
        accountId: 'acc-ana',
        target: { profileId: 'ACoAAnobody' },
        idempotencyKey: 'k',
      }),
    ).toMatchObject({
      ok: false,
      reason: 'invalid_profile',
      raw: expect.objectContaining({ type: 'errors/invalid_recipient' }),
    })
  })
})

describe("Unipile's error types onto the port's outcomes", () => {
  const cases: Array<[type: string, reason: LinkedInFailureReason, retryAfterMs?: number]> = [
    ['errors/disconnected_account', 'disconnected'],
    ['errors/invalid_credentials', 'disconnected'],
    ['errors/expired_credentials', 'disconnected'],
    ['errors/checkpoint_error', 'disconnected'],
    ['errors/captcha_not_supported', 'disconnected'],
    ['errors/multiple_sessions', 'disconnected'],
    ['errors/session_mismatch', 'disconnected'],
    ['errors/account_restricted', 'restricted'],
    ['errors/action_required', 'restricted'],
    ['errors/unknown_authentication_context', 'restricted'],
    ['errors/feature_not_subscribed', 'unsupported'],
    ['errors/subscription_required', 'unsupported'],
    ['errors/insufficient_permissions', 'unsupported'],
    ['errors/insufficient_credits', 'inmail_credits_exhausted'],
    ['errors/invalid_recipient', 'invalid_profile'],
    ['errors/invalid_resource_identifier', 'invalid_profile'],
    ['errors/already_invited_recently', 'already_invited_recently'],
    ['errors/cannot_resend_yet', 'already_invited_recently'],
    ['errors/no_connection_with_recipient', 'not_connected'],
    ['errors/blocked_recipient', 'not_connected'],
    ['errors/user_unreachable', 'not_connected'],
    ['errors/cannot_invite_attendee', 'not_connected'],
    ['errors/limit_exceeded', 'rate_limited', DAY],
    ['errors/cannot_resend_within_24hrs', 'rate_limited', DAY],
    ['errors/too_many_characters', 'unsupported'],
    ['errors/invalid_parameters', 'unsupported'],
    ['errors/feature_not_implemented', 'unsupported'],
    ['errors/no_client_session', 'transient'],
    ['errors/network_down', 'transient'],
    ['errors/service_unavailable', 'transient'],
    ['errors/unexpected_error', 'delivery_unknown'],
    ['errors/provider_error', 'delivery_unknown'],
    ['errors/request_timeout', 'delivery_unknown'],
    ['errors/sender_rejected', 'transient'],
  ]
  it.each(cases)('%s on an invitation -> %s, keeping the raw body', async (type, reason, retryAfterMs) => {
    fake.fail('POST /users/invite', type)
    const outcome = await provider.sendInvitation(byId(member('noor')))
    expect(outcome).toMatchObject({
      ok: false,
      reason,
      raw: { type, status: UNIPILE_ERROR_TYPES[type]?.status },
    })
    if (retryAfterMs !== undefined) expect(outcome).toMatchObject({ retryAfterMs })
    expect(outcome.ok === false && outcome.message).toContain(type)
  })

  it('every documented type gets a typed outcome, never a throw, and keeps the raw answer', async () => {
    // 407 is only answered by the account-connection routes, and fetch itself refuses it (a network error).
    const types = Object.entries(UNIPILE_ERROR_TYPES).filter(([, each]) => each.status !== 407)
    expect(types.length).toBeGreaterThan(70)
    for (const [type] of types) {
      fake.fail('POST /chats', type)
      const outcome = await provider.sendMessage({ ...byId(member('liam')), text: 'x' })
      if (type === 'errors/action_already_performed' || type === 'errors/already_connected') {
        expect(outcome, type).toEqual({ ok: true })
        continue
      }
      expect(outcome, type).toMatchObject({ ok: false, raw: expect.objectContaining({ type }) })
      expect(outcome.ok === false && outcome.message, type).toContain(type)
    }
  })

  it('"already done" answers are the outcome wanted: a reaction or an invitation already there', async () => {
    fake.fail('POST /users/invite', 'errors/action_already_performed')
    expect(await provider.sendInvitation(byId(member('noor')))).toEqual({ ok: true })
  })

  it('a limit with a Retry-After waits that long; without, 24 h', async () => {
    fake.fail('POST /users/invite', 'errors/limit_exceeded', { headers: { 'retry-after': '7200' } })
    expect(await provider.sendInvitation(byId(member('noor')))).toMatchObject({
      reason: 'rate_limited',
      retryAfterMs: 2 * HOUR,
    })
  })

  it('cannot_resend_yet on a chat is the unanswered InMail, not the invitation cooldown', async () => {
    fake.fail('POST /chats', 'errors/cannot_resend_yet')
    expect(await provider.sendInMail({ ...byId(member('noor')), subject: 'S', body: 'B' })).toMatchObject({
      ok: false,
      reason: 'not_connected',
    })
  })

  it('a 404 that names the account (unknown account id) is disconnected, not a missing profile', async () => {
    expect(await provider.visitProfile({ ...byId(member('eva')), accountId: 'acc-gone' })).toMatchObject({
      ok: false,
      reason: 'disconnected',
      raw: expect.objectContaining({ detail: 'Account not found' }),
    })
    fake.accounts.set('acc-off', {
      ...fake.account('acc-off', 'off-owner'),
      failure: 'errors/disconnected_account',
    })
    expect(
      await provider.sendMessage({ ...byId(member('liam')), accountId: 'acc-off', text: 'x' }),
    ).toMatchObject({
      ok: false,
      reason: 'disconnected',
    })
  })

  it('a refused API key is disconnected, saying so', async () => {
    const wrong = fresh({ apiKey: 'wrong' })
    expect(await wrong.visitProfile(byId(member('eva')))).toMatchObject({
      ok: false,
      reason: 'disconnected',
      message: expect.stringMatching(/API key was refused/),
    })
  })

  it('a 5xx that says nothing: an action is "delivery unknown", a read is transient; 502/503 are transient', async () => {
    fake.script('POST /chats', { status: 500, body: 'Internal Server Error' })
    expect(await provider.sendMessage({ ...byId(member('liam')), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'delivery_unknown',
    })
    fake.fail('GET /users/:identifier', 'errors/unexpected_error')
    expect(await provider.relationStatus(byId(member('liam')))).toMatchObject({
      ok: false,
      reason: 'transient',
    })
    fake.script('POST /chats', { status: 502, body: 'Bad Gateway' }, { status: 503, body: '' })
    expect(await provider.sendMessage({ ...byId(member('liam')), text: 'x' })).toMatchObject({
      reason: 'transient',
    })
    expect(await provider.sendMessage({ ...byId(member('liam')), text: 'x' })).toMatchObject({
      reason: 'transient',
    })
  })
})

describe('transport', () => {
  it('an answer lost after Unipile sent the message: "delivery unknown", and the lead got it once', async () => {
    const before = fake.sentTo('acc-ana', member('liam')).length
    fake.dropAfterHandling.add('POST /chats')
    expect(await provider.sendMessage({ ...byId(member('liam')), text: 'Only once, please' })).toMatchObject({
      ok: false,
      reason: 'delivery_unknown',
    })
    expect(fake.sentTo('acc-ana', member('liam')).slice(before)).toEqual(['Only once, please'])
  })

  it('an answer lost to a read is transient', async () => {
    fake.dropAfterHandling.add('GET /users/:identifier')
    expect(await provider.relationStatus(byId(member('liam')))).toMatchObject({
      ok: false,
      reason: 'transient',
    })
  })

  it('nothing listening: transient, nothing sent', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address() as { port: number }
        server.close(() => resolve(address.port))
      })
    })
    const offline = fresh({ dsn: `http://127.0.0.1:${port}` })
    expect(await offline.sendMessage({ ...byId(member('liam')), text: 'x' })).toMatchObject({
      ok: false,
      reason: 'transient',
      message: expect.stringMatching(/not sent/),
    })
  })

  it("waits out a 429 of Unipile's own (Retry-After) and retries", async () => {
    fake.script('GET /users/:identifier', {
      status: 429,
      body: { status: 429, title: 'Too Many Requests' },
      headers: { 'retry-after': '0' },
    })
    const count = fake.requestsOf('GET /users/:identifier').length
    expect(await provider.visitProfile(byId(member('eva')))).toEqual({ ok: true })
    expect(fake.requestsOf('GET /users/:identifier').length - count).toBe(2)
  })

  it("LinkedIn's 429 (errors/too_many_requests) goes straight back, for at least 15 min, and pauses no other request", async () => {
    const { body } = errorBody('errors/too_many_requests')
    fake.script('POST /users/invite', { status: 429, body, headers: { 'retry-after': '30' } })
    const count = fake.requestsOf('POST /users/invite').length
    expect(await provider.sendInvitation(byId(member('noor')))).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      retryAfterMs: 15 * 60_000,
      raw: expect.objectContaining({ type: 'errors/too_many_requests' }),
    })
    expect(fake.requestsOf('POST /users/invite').length - count, 'not retried').toBe(1)
    // Had the key been paused, this would wait the 30 s out and the test time out.
    expect(await provider.visitProfile(byId(member('eva')))).toEqual({ ok: true })
  }, 5_000)

  it('a Retry-After beyond what the transport waits goes back to the engine as rate_limited', async () => {
    const throttled = fresh({ maxRetryAfterMs: 1_000 })
    fake.script('GET /users/:identifier', {
      status: 429,
      body: { status: 429, title: 'Too Many Requests' },
      headers: { 'retry-after': '3600' },
    })
    expect(await throttled.visitProfile(byId(member('eva')))).toMatchObject({
      ok: false,
      reason: 'rate_limited',
      retryAfterMs: HOUR,
    })
  })
})

describe('listings for polling', () => {
  it('reads every page of relations by cursor, newest first, and stops at `since`', async () => {
    const start = Date.parse('2026-01-01T00:00:00Z')
    fake.account('acc-big', 'big-account')
    for (let index = 0; index < 25; index++)
      fake.connect('acc-big', fake.member(`contact-${index}`), start + index * 60_000)
    const count = fake.requestsOf('GET /users/relations').length
    const all = await provider.listRelations({ accountId: 'acc-big' })
    expect(all).toHaveLength(25)
    expect(all[0]).toEqual({
      with: {
        profileId: fake.member('contact-24').providerId,
        profileUrl: 'https://www.linkedin.com/in/contact-24',
      },
      connectedAt: new Date(start + 24 * 60_000).toISOString(),
    })
    expect(fake.requestsOf('GET /users/relations').length - count).toBe(3)
    const recent = await provider.listRelations({
      accountId: 'acc-big',
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

  it('lists pending invitations with both ids of the person', async () => {
    await provider.sendInvitation(byId(member('eva')))
    const pending = await provider.listPendingInvitations({ accountId: 'acc-ana' })
    expect(pending).toContainEqual({
      invitationId: expect.any(String),
      to: { profileId: member('eva').providerId, profileUrl: 'https://www.linkedin.com/in/eva' },
      sentAt: expect.any(String),
    })
  })

  it('lists 1:1 chats active since `since` (after=…), with whether the latest message is theirs', async () => {
    const since = started
    fake.reply('acc-ana', member('liam'), 'Sounds good, Thursday?')
    const conversations = await provider.listConversations({ accountId: 'acc-ana', since })
    expect(fake.requestsOf('GET /chats').at(-1)?.query).toMatchObject({
      account_id: 'acc-ana',
      account_type: 'LINKEDIN',
      after: since,
    })
    expect(fake.requestsOf('GET /chats/:chat_id/messages').at(-1)?.query).toMatchObject({ limit: '1' })
    const liam = conversations.find((each) => each.with.profileId === member('liam').providerId)
    expect(liam).toMatchObject({ lastFromThem: true, lastMessageText: 'Sounds good, Thursday?' })
    const pia = conversations.find((each) => each.with.profileId === member('pia').providerId)
    expect(pia).toMatchObject({ lastFromThem: false })
    const later = await provider.listConversations({
      accountId: 'acc-ana',
      since: new Date(Date.now() + 60_000).toISOString(),
    })
    expect(later).toEqual([])
  })

  it("GET /chats takes no account_id (every account's chats then): the provider names the account it reads, and keeps to its rows", async () => {
    fake.account('acc-zed', 'zed-sales')
    const noor = member('noor')
    fake.connect('acc-zed', noor)
    fake.reply('acc-zed', noor, 'Hello Zed')
    fake.reply('acc-ana', member('liam'), 'Hello Ana')
    const everyone = await fetch(`${fake.dsn}/api/v1/chats?limit=250`, { headers: { 'X-API-KEY': apiKey } })
    expect(everyone.status).toBe(200)
    const listing = (await everyone.json()) as { items: Array<{ account_id: string }>; cursor: unknown }
    expect(new Set(listing.items.map((each) => each.account_id))).toEqual(new Set(['acc-ana', 'acc-zed']))
    // As the reference documents the filter: a comma-separated list; an `after` of another form is refused.
    const both = await fetch(`${fake.dsn}/api/v1/chats?account_id=acc-ana,acc-zed`, {
      headers: { 'X-API-KEY': apiKey },
    })
    expect(both.status).toBe(200)
    const malformed = await fetch(`${fake.dsn}/api/v1/chats?after=2026-01-01`, {
      headers: { 'X-API-KEY': apiKey },
    })
    expect(await malformed.json()).toMatchObject({ status: 400, type: 'errors/invalid_parameters' })

    // Were Unipile to answer with every account's chats, only acc-ana's are read.
    fake.script('GET /chats', {
      status: 200,
      body: { object: 'ChatList', items: listing.items, cursor: null },
    })
    const conversations = await provider.listConversations({ accountId: 'acc-ana' })
    expect(fake.requestsOf('GET /chats').at(-1)?.query).toMatchObject({ account_id: 'acc-ana' })
    expect(conversations.map((each) => each.with.profileId)).not.toContain(noor.providerId)
    expect(conversations.map((each) => each.with.profileId)).toContain(member('liam').providerId)
  })

  it('POST /chats takes one or more attendees: a group chat it starts is no lead reply, by polling or by webhook', async () => {
    const rosa = member('rosa')
    const liam = member('liam')
    const form = new FormData()
    form.append('account_id', 'acc-ana')
    form.append('attendees_ids', rosa.providerId)
    form.append('attendees_ids', liam.providerId)
    form.append('text', 'Hello both')
    const started = await fetch(`${fake.dsn}/api/v1/chats`, {
      method: 'POST',
      headers: { 'X-API-KEY': apiKey },
      body: form,
    })
    expect(started.status).toBe(201)
    const none = new FormData()
    none.append('account_id', 'acc-ana')
    none.append('text', 'Hello nobody')
    const refused = await fetch(`${fake.dsn}/api/v1/chats`, {
      method: 'POST',
      headers: { 'X-API-KEY': apiKey },
      body: none,
    })
    expect(await refused.json()).toMatchObject({ type: 'errors/invalid_parameters' })

    fake.takeWebhooks()
    fake.groupReply('acc-ana', [rosa, liam], rosa, 'In the group')
    const conversations = await provider.listConversations({
      accountId: 'acc-ana',
      since: started.headers.get('date') ?? undefined,
    })
    expect(conversations.map((each) => each.lastMessageText)).not.toContain('In the group')
    const [delivery] = fake.takeWebhooks()
    expect(delivery?.body).toMatchObject({ is_group: true })
    expect(await provider.readWebhook?.(webhook(delivery?.body))).toEqual({ ok: true, events: [] })
  })

  it('a relation or a message stamped with no possible date does not break the listing (every poll would fail on it)', async () => {
    fake.script('GET /users/relations', {
      status: 200,
      body: {
        object: 'UserRelationsList',
        items: [
          { object: 'UserRelation', member_id: 'ACoAAfar', public_identifier: 'far', created_at: 1e20 },
          {
            object: 'UserRelation',
            member_id: 'ACoAAnear',
            public_identifier: 'near',
            created_at: Date.now(),
          },
        ],
        cursor: null,
      },
    })
    const relations = await provider.listRelations({ accountId: 'acc-ana' })
    expect(relations[0]).toEqual({
      with: { profileId: 'ACoAAfar', profileUrl: 'https://www.linkedin.com/in/far' },
    })
    expect(relations[1]?.connectedAt).toEqual(expect.any(String))

    fake.reply('acc-ana', member('rosa'), 'Stamped oddly')
    fake.script('GET /chats/:chat_id/messages', {
      status: 200,
      body: {
        object: 'MessageList',
        items: [
          {
            object: 'Message',
            id: 'm-odd',
            sender_id: member('rosa').providerId,
            text: 'Stamped oddly',
            timestamp: '+275760-09-13T00:00:00.000Z',
            is_sender: 0,
          },
        ],
        cursor: null,
      },
    })
    const conversations = await provider.listConversations({ accountId: 'acc-ana' })
    expect(conversations[0]).toMatchObject({
      lastMessageId: 'm-odd',
      lastFromThem: true,
      lastMessageAt: expect.any(String),
    })
  })

  it('a failed listing throws, so the channel reports it and tries again on the next poll', async () => {
    fake.fail('GET /chats', 'errors/network_down')
    await expect(provider.listConversations({ accountId: 'acc-ana' })).rejects.toThrow(/errors\/network_down/)
  })
})

describe('webhooks', () => {
  it('refuses a delivery without the shared secret (401) and one that is not JSON (400)', async () => {
    expect(await provider.readWebhook?.(webhook(messageWebhook, 'not-the-secret'))).toMatchObject({
      ok: false,
      status: 401,
    })
    expect(
      await provider.readWebhook?.({ headers: {}, rawBody: JSON.stringify(messageWebhook) }),
    ).toMatchObject({ ok: false, status: 401 })
    expect(await provider.readWebhook?.(webhook('{not json'))).toMatchObject({ ok: false, status: 400 })
    expect(await provider.readWebhook?.(webhook('[1, 2]'))).toMatchObject({ ok: false, status: 400 })
  })

  it('checks the secret header alone, before any body is read (verifyWebhookHeaders), as the channel screens deliveries', async () => {
    expect(provider.verifyWebhookHeaders?.({ 'unipile-auth': webhookSecret })).toEqual({ ok: true })
    expect(provider.verifyWebhookHeaders?.({ 'unipile-auth': 'nope' })).toEqual({
      ok: false,
      status: 401,
      message: 'Missing or wrong Unipile-Auth header.',
    })
    expect(provider.verifyWebhookHeaders?.({})).toMatchObject({ ok: false, status: 401 })
    expect(
      fresh({ webhookSecretHeader: 'X-Hook-Secret' }).verifyWebhookHeaders?.({
        'x-hook-secret': webhookSecret,
      }),
    ).toEqual({ ok: true })
    expect(createUnipileProvider({ dsn: fake.dsn, apiKey }).verifyWebhookHeaders).toBeUndefined()
    const channel = createLinkedInChannel({
      provider,
      accounts: [{ accountId: 'acc-ana', identityId: 'ana' }],
    })
    channel.subscribe(async () => {})
    expect(channel.screenWebhook({ 'unipile-auth': 'nope' })).toMatchObject({ status: 401 })
    expect(channel.screenWebhook({ 'unipile-auth': webhookSecret })).toBeUndefined()
    await channel.close()
  })

  it('answers 400 to a message_received or new_relation it cannot read (a field missing or of the wrong type), naming the field', async () => {
    const { message_id: _, ...withoutId } = messageWebhook
    expect(await provider.readWebhook?.(webhook(withoutId))).toMatchObject({
      ok: false,
      status: 400,
      message: expect.stringMatching(/message_received.*message_id/),
    })
    expect(await provider.readWebhook?.(webhook({ ...relationWebhook, user_provider_id: 42 }))).toMatchObject(
      {
        ok: false,
        status: 400,
        message: expect.stringMatching(/new_relation.*user_provider_id/),
      },
    )
    expect(await provider.readWebhook?.(webhook({ ...messageWebhook, sender: null }))).toMatchObject({
      status: 400,
    })
  })

  it("reads the docs' message_received example as a reply with Unipile's message id", async () => {
    expect(await provider.readWebhook?.(webhook(messageWebhook))).toEqual({
      ok: true,
      events: [
        {
          type: 'message-received',
          accountId: 'dfXlh46vQYCsMbVarumWlg',
          from: { profileId: 'ACoAAAcDMMQBODyLwZrRcgYhrkCafURGqva0U4E' },
          eventId: 'ykmhfXlRW0W_cqReJYrfBw',
          text: 'Hello World !',
          at: '2023-09-24T13:49:07.965Z',
        },
      ],
    })
  })

  it("skips the account's own messages: by account_info, or by the ids it sent", async () => {
    const own = {
      ...messageWebhook,
      sender: { ...messageWebhook.sender, attendee_provider_id: messageWebhook.account_info.user_id },
    }
    expect(await provider.readWebhook?.(webhook(own))).toEqual({ ok: true, events: [] })
    const sent = await provider.sendMessage({ ...byId(member('liam')), text: 'From us' })
    const { account_info: _, ...withoutAccount } = messageWebhook
    const ours = { ...withoutAccount, message_id: sent.ok ? sent.providerMessageId : '' }
    expect(await provider.readWebhook?.(webhook(ours))).toEqual({ ok: true, events: [] })
    expect(await provider.readWebhook?.(webhook({ ...messageWebhook, is_group: true }))).toEqual({
      ok: true,
      events: [],
    })
  })

  it("reads the docs' new_relation example as an accepted invitation, id account:provider id", async () => {
    expect(await provider.readWebhook?.(webhook(relationWebhook))).toEqual({
      ok: true,
      events: [
        {
          type: 'invitation-accepted',
          accountId: 'SDF4tGaPSPSzNe1D1xsOs',
          with: {
            profileId: 'ACoAAAh_Ffqss54sqAGQOD8u7sl5of04y9_3AwyM',
            profileUrl: 'https://www.linkedin.com/in/julien-crepieux/',
          },
          eventId: 'SDF4tGaPSPSzNe1D1xsOs:ACoAAAh_Ffqss54sqAGQOD8u7sl5of04y9_3AwyM',
        },
      ],
    })
  })

  it('answers other notifications 200 with no events', async () => {
    for (const body of [
      { ...messageWebhook, event: 'message_read' },
      { AccountStatus: { account_id: 'acc-ana', account_type: 'LINKEDIN', message: 'CREDENTIALS' } },
      { event: 'mail_received', account_id: 'x' },
    ])
      expect(await provider.readWebhook?.(webhook(body))).toEqual({ ok: true, events: [] })
  })

  it('names a sender known by URL with that URL, so the lead known by URL is found', async () => {
    const own = fresh()
    await own.visitProfile(byUrl('rosa'))
    const body = {
      ...messageWebhook,
      sender: { ...messageWebhook.sender, attendee_provider_id: member('rosa').providerId },
    }
    const result = await own.readWebhook?.(webhook(body))
    expect(result?.ok && result.events[0]).toMatchObject({
      from: { profileId: member('rosa').providerId, profileUrl: 'https://www.linkedin.com/in/rosa' },
    })
  })

  it('takes the secret from the header it is told to', async () => {
    const custom = fresh({ webhookSecretHeader: 'X-Hook-Secret' })
    expect(await custom.readWebhook?.(webhook(messageWebhook))).toMatchObject({ ok: false, status: 401 })
    expect(
      await custom.readWebhook?.({
        headers: { 'x-hook-secret': webhookSecret },
        rawBody: JSON.stringify(messageWebhook),
      }),
    ).toMatchObject({ ok: true })
  })

  it("delivers the fake's webhooks through the channel: a reply and an acceptance, with stable ids when Unipile retries", async () => {
    const own = fresh()
    const channel = createLinkedInChannel({
      provider: own,
      accounts: [{ accountId: 'acc-ana', identityId: 'ana' }],
      chunkPauseMs: 0,
    })
    const delivered: InboundEvent[] = []
    const stop = channel.subscribe(async (event) => {
      delivered.push(event)
    })
    const sam = member('sam')
    const target = { leadId: 'lead-sam', profileUrl: 'https://www.linkedin.com/in/sam' }
    expect(
      await channel.sendInvitation({ accountId: 'acc-ana', target, idempotencyKey: 'k1' }),
    ).toMatchObject({ ok: true })
    fake.accept('acc-ana', sam)
    fake.reply('acc-ana', sam, 'Thanks for the invite!')
    const deliveries = fake.takeWebhooks()
    expect(deliveries.map((each) => each.source)).toEqual(['users', 'messaging'])
    for (const each of [...deliveries, ...deliveries])
      expect(await channel.handleWebhook(webhook(each.body))).toEqual({ status: 200, body: 'ok' })
    stop()
    await channel.close()
    expect(delivered.filter((each) => each.type === 'connection-accepted')).toHaveLength(2)
    expect(new Set(delivered.map((each) => each.eventId)).size).toBe(2)
    expect(delivered).toContainEqual(
      expect.objectContaining({
        type: 'reply-received',
        lead: expect.objectContaining({ leadId: 'lead-sam' }),
      }),
    )
  })
})

// The port's conformance suite: this provider, wrapped by the channel, against the fake Unipile server.
const world = new FakeUnipile({ apiKey, pageSize: 5 })
let conformanceProvider: UnipileProvider | undefined
let deliver: (() => Promise<void>) | undefined
const profile = (handle: string) => {
  const person = world.member(handle)
  return { profileId: person.providerId, profileUrl: `https://www.linkedin.com/in/${handle}` }
}
const personOf = (profileUrl?: string) => world.member(profileUrl?.split('/').pop() ?? '')
linkedinChannelConformance({
  name: 'Unipile (fake server)',
  async create() {
    await world.start()
    world.account('acc-zoe', 'zoe-sales')
    world.connect('acc-zoe', world.member('conn-1'))
    world.files.set('deck.pdf', { bytes: Buffer.from('deck'), type: 'application/pdf' })
    world.files.set('hi.m4a', { bytes: Buffer.from('audio'), type: 'audio/mp4' })
    conformanceProvider = createUnipileProvider({
      dsn: world.dsn,
      apiKey,
      requestsPerMinute: 6_000,
      webhookSecret,
      // The suite's files live at acme.io: the fake serves them instead.
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input))
        return url.host === 'acme.io' ? fetch(`${world.filesUrl}${url.pathname}`, init) : fetch(input, init)
      },
    })
    const channel = createLinkedInChannel({
      provider: conformanceProvider,
      accounts: [{ accountId: 'acc-zoe', identityId: 'zoe' }],
      chunkPauseMs: 0,
    })
    deliver = async () => {
      for (const each of world.takeWebhooks()) {
        const answer = await channel.handleWebhook(webhook(each.body))
        if (answer.status !== 200) throw new Error(`webhook answered ${answer.status}: ${answer.body}`)
      }
    }
    return channel
  },
  async destroy() {
    await conformanceProvider?.close()
    await world.stop()
  },
  accountId: 'acc-zoe',
  identityId: 'zoe',
  strangers: [profile('stranger-1'), profile('stranger-2')],
  connection: profile('conn-1'),
  missing: { profileId: 'ACoAAmissing', profileUrl: 'https://www.linkedin.com/in/nobody-here' },
  messagesTo: async (person) => world.sentTo('acc-zoe', personOf(person.profileUrl)),
  events: {
    reply: async (person, text) => {
      world.reply('acc-zoe', personOf(person.profileUrl), text)
    },
    accept: async (person) => world.accept('acc-zoe', personOf(person.profileUrl)),
    receive: async () => {
      await deliver?.()
    },
  },
})
