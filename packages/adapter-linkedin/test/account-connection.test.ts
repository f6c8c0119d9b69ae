import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEngine, PacelineError } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'
import { createMemoryStorage } from '@paceline/core/testing'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createEdgesProvider,
  createLinkedInChannel,
  createUnipileProvider,
  type EdgesProvider,
  UNIPILE_NOTIFY_TOKEN_PARAMETER,
  type UnipileProvider,
} from '../src/index'
import { FakeEdges } from './fakes/edges-server'
import { errorBody, FakeUnipile } from './fakes/unipile-server'

const HOUR = 3_600_000
const connectSecret = 'a-long-random-secret-for-notify-urls'

async function refusal(work: Promise<unknown>): Promise<PacelineError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(PacelineError)
  return error as PacelineError
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('Unipile: connecting accounts with a hosted auth link', () => {
  const apiKey = 'unipile-connect-key'
  const fake = new FakeUnipile({ apiKey })
  const storage = createMemoryStorage()
  const engine = createEngine({ storage })
  let unipile: UnipileProvider
  let host: Server
  let notifyUrl: string
  /** What the host's notify route answered, in order. */
  const answered: number[] = []

  beforeAll(async () => {
    await fake.start()
    unipile = createUnipileProvider({ dsn: fake.dsn, apiKey, connectSecret, requestsPerMinute: 6_000 })
    // The host's route: verify the notification, then store the account id on the identity it names.
    host = createServer(async (request, response) => {
      const chunks: Buffer[] = []
      for await (const chunk of request) chunks.push(chunk as Buffer)
      const read = await unipile.connect.readNotification({
        url: request.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      })
      if (!read.ok) {
        answered.push(read.status)
        response.writeHead(read.status).end(read.message)
        return
      }
      const identity = await engine.identities.get(read.name)
      await engine.identities.put({
        ...identity,
        linkedin: { ...identity.linkedin, accountId: read.accountId },
      })
      answered.push(200)
      response.writeHead(200).end()
    })
    notifyUrl = `${await listen(host)}/unipile/notify`
    await engine.identities.put({
      id: 'ana',
      name: 'Ana Ruiz',
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: 'ana@acme.example' }] },
    })
  })
  afterAll(async () => {
    await engine.close()
    await unipile.close()
    await new Promise((resolve) => host.close(resolve))
    await fake.stop()
  })
  afterEach(() => {
    fake.scripted.clear()
  })

  it('makes the link, and the notification puts the new account on the identity', async () => {
    const expiresAt = new Date(Date.now() + HOUR)
    const link = await unipile.connect.createHostedLink({
      type: 'create',
      name: 'ana',
      notifyUrl,
      expiresAt,
      successRedirectUrl: 'https://app.example.com/settings/linkedin?connected=1',
      failureRedirectUrl: 'https://app.example.com/settings/linkedin?failed=1',
    })
    expect(link.url).toMatch(/^https:\/\/account\.unipile\.com\//)
    const [request] = fake.requestsOf('POST /hosted/accounts/link')
    expect(request?.headers['x-api-key']).toBe(apiKey)
    expect(request?.json).toEqual({
      type: 'create',
      providers: ['LINKEDIN'],
      api_url: fake.dsn,
      expiresOn: expiresAt.toISOString(),
      name: 'ana',
      notify_url: link.notifyUrl,
      success_redirect_url: 'https://app.example.com/settings/linkedin?connected=1',
      failure_redirect_url: 'https://app.example.com/settings/linkedin?failed=1',
    })
    expect(new URL(link.notifyUrl).searchParams.get(UNIPILE_NOTIFY_TOKEN_PARAMETER)).toMatch(/^[\w-]{43}$/)

    const done = await fake.completeHostedAuth(link.url, 'ana-ruiz')
    expect(done.status).toBe(200)
    expect((await engine.identities.get('ana')).linkedin?.accountId).toBe(done.accountId)
    // The host's route asked Unipile about the account before storing it.
    expect(fake.requestsOf('GET /accounts/:account_id').map((each) => each.path)).toEqual([
      `/api/v1/accounts/${done.accountId}`,
    ])
  })

  it('reconnects a disconnected account through the same route', async () => {
    const account = fake.account('acc-ben', 'ben-ortiz')
    account.failure = 'errors/disconnected_account'
    await engine.identities.put({
      id: 'ben',
      name: 'Ben Ortiz',
      workingHours: { timezone: 'Europe/Madrid' },
      linkedin: { accountId: 'acc-ben' },
    })
    const link = await unipile.connect.createHostedLink({
      type: 'reconnect',
      reconnectAccountId: 'acc-ben',
      name: 'ben',
      notifyUrl,
      expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
    })
    const request = fake.requestsOf('POST /hosted/accounts/link').at(-1)
    expect(request?.json).toMatchObject({ type: 'reconnect', reconnect_account: 'acc-ben', name: 'ben' })
    const done = await fake.completeHostedAuth(link.url, 'ben-ortiz')
    expect(done).toEqual({ accountId: 'acc-ben', status: 200 })
    expect(account.failure).toBeUndefined()
    expect((await engine.identities.get('ben')).linkedin?.accountId).toBe('acc-ben')
  })

  it("reports a newly connected account's events as the identity's once added to the channel", async () => {
    const channel = createLinkedInChannel({ provider: unipile, polling: { enabled: false } })
    const events: InboundEvent[] = []
    channel.subscribe(async (event) => {
      events.push(event)
    })
    const link = await unipile.connect.createHostedLink({
      type: 'create',
      name: 'ana',
      notifyUrl,
      expiresAt: new Date(Date.now() + HOUR),
    })
    const { accountId } = await fake.completeHostedAuth(link.url, 'ana-second')
    const eva = fake.member('eva-lind', 'Eva', 'Lind')
    const target = { leadId: 'eva', profileUrl: 'https://www.linkedin.com/in/eva-lind' }
    expect(await channel.sendInvitation({ accountId, target, idempotencyKey: 'invite-eva' })).toMatchObject({
      ok: true,
    })
    fake.accept(accountId, eva)
    await channel.pollNow()
    expect(events).toEqual([])
    channel.addAccount({ accountId, identityId: 'ana' })
    await channel.pollNow()
    expect(events).toMatchObject([
      { type: 'connection-accepted', identityId: 'ana', lead: { leadId: 'eva' } },
    ])
    channel.removeAccount(accountId)
    expect(() => channel.addAccount({ accountId: '', identityId: 'ana' })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: [expect.objectContaining({ field: 'accountId' })],
      }),
    )
    await channel.close()
  })

  it('refuses notifications that are not from a link it made, or name an account Unipile does not have', async () => {
    const link = await unipile.connect.createHostedLink({
      type: 'create',
      name: 'ana',
      notifyUrl,
      expiresAt: new Date(Date.now() + HOUR),
    })
    const lookups = fake.requestsOf('GET /accounts/:account_id').length
    const post = (url: string, body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const forged = JSON.stringify({ status: 'CREATION_SUCCESS', account_id: 'attacker-account', name: 'ana' })
    // No token, or the token of another name.
    expect((await post(notifyUrl, forged)).status).toBe(401)
    const other = new URL(link.notifyUrl)
    expect(
      (
        await post(
          other.toString(),
          JSON.stringify({ status: 'CREATION_SUCCESS', account_id: 'x', name: 'ben' }),
        )
      ).status,
    ).toBe(401)
    expect(fake.requestsOf('GET /accounts/:account_id')).toHaveLength(lookups)
    // The right token, but an account id Unipile does not know.
    expect((await post(link.notifyUrl, forged)).status).toBe(404)
    expect((await post(link.notifyUrl, '{not json')).status).toBe(400)
    expect((await post(link.notifyUrl, JSON.stringify({ status: 'CREATION_SUCCESS' }))).status).toBe(400)
    expect((await engine.identities.get('ana')).linkedin?.accountId).not.toBe('attacker-account')
  })

  it('checks its input before asking Unipile, naming the field', async () => {
    const before = fake.requestsOf('POST /hosted/accounts/link').length
    const base = { type: 'create' as const, name: 'ana', notifyUrl, expiresAt: new Date(Date.now() + HOUR) }
    const fields = async (input: unknown) =>
      (
        await refusal(
          unipile.connect.createHostedLink(
            input as Parameters<UnipileProvider['connect']['createHostedLink']>[0],
          ),
        )
      ).issues.map((each) => each.field)
    expect(await fields({ ...base, type: 'reconnect' })).toEqual(['reconnectAccountId'])
    expect(await fields({ ...base, reconnectAccountId: 'acc-1' })).toEqual(['reconnectAccountId'])
    expect(await fields({ ...base, notifyUrl: 'http://app.example.com/notify' })).toEqual(['notifyUrl'])
    expect(await fields({ ...base, name: ' ' })).toEqual(['name'])
    expect(await fields({ ...base, expiresAt: new Date(Date.now() + 25 * HOUR) })).toEqual(['expiresAt'])
    expect(await fields({ ...base, expiresAt: new Date(Date.now() - 1000) })).toEqual(['expiresAt'])
    expect(await fields({ ...base, providers: '*' })).toEqual(['providers'])
    const unsigned = createUnipileProvider({ dsn: fake.dsn, apiKey })
    const noSecret = await refusal(unsigned.connect.createHostedLink(base))
    expect(noSecret.code).toBe('invalid_options')
    expect(noSecret.message).toMatch(/connectSecret/)
    await unsigned.close()
    expect(fake.requestsOf('POST /hosted/accounts/link')).toHaveLength(before)
  })

  it("maps Unipile's refusals: a wrong key, refused parameters, an unknown account, a rate limit", async () => {
    const base = { type: 'create' as const, name: 'ana', notifyUrl, expiresAt: new Date(Date.now() + HOUR) }
    const wrongKey = createUnipileProvider({ dsn: fake.dsn, apiKey: 'not-the-key', connectSecret })
    const key = await refusal(wrongKey.connect.createHostedLink(base))
    expect(key).toMatchObject({ code: 'channel_failed', isRetryable: false })
    expect(key.message).toMatch(/refused the API key/)
    await wrongKey.close()

    // Unipile's clock is ahead: for it the link has already expired (its own validation, a 400).
    const ahead = new FakeUnipile({ apiKey, now: () => Date.now() + 2 * HOUR })
    await ahead.start()
    const early = createUnipileProvider({ dsn: ahead.dsn, apiKey, connectSecret })
    const refused = await refusal(early.connect.createHostedLink(base))
    expect(refused.code).toBe('invalid_options')
    expect(refused.message).toMatch(/errors\/invalid_parameters: expiresOn must be in the future/)
    await early.close()
    await ahead.stop()

    const unknown = await refusal(
      unipile.connect.createHostedLink({ ...base, type: 'reconnect', reconnectAccountId: 'no-such-account' }),
    )
    expect(unknown).toMatchObject({ code: 'channel_failed', isRetryable: false })
    expect(unknown.message).toMatch(/no such resource/)

    fake.script('POST /hosted/accounts/link', {
      status: 429,
      headers: { 'retry-after': '600' },
      body: errorBody('errors/too_many_requests').body,
    })
    const limited = await refusal(unipile.connect.createHostedLink(base))
    expect(limited).toMatchObject({
      code: 'channel_failed',
      isRetryable: true,
      details: { retryAfterMs: 600_000 },
    })
  })
})

describe('Edges: creating identities and connecting LinkedIn to them', () => {
  const apiKey = 'edges-connect-key'
  const fake = new FakeEdges({ apiKey })
  let edges: EdgesProvider

  beforeAll(async () => {
    await fake.start()
    edges = createEdgesProvider({ apiKey, baseUrl: fake.url, requestsPerMinute: 6_000 })
  })
  afterAll(async () => {
    await edges.close()
    await fake.stop()
  })
  afterEach(() => {
    fake.scripted.clear()
  })

  it('creates an engagement identity, connects a LinkedIn session to it, and acts with it', async () => {
    const identity = await edges.connect.createIdentity({
      name: 'ana (paceline identity ana)',
      timezone: 'Europe/Madrid',
      type: 'engagement',
    })
    expect(identity).toEqual({
      identityUid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'ana (paceline identity ana)',
      timezone: 'Europe/Madrid',
      type: 'engagement',
    })
    fake.sessions.set('AQEDAR-ana-session', 'ana-ruiz')
    const integration = await edges.connect.connectIntegration({
      identityUid: identity.identityUid,
      cookies: { liAt: 'AQEDAR-ana-session', liA: 'AQJ-sales-nav' },
      accountName: 'Ana Ruiz',
    })
    expect(integration).toEqual({
      integrationUid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      identityUid: identity.identityUid,
      status: 'VALID',
      name: 'Ana Ruiz',
      level: 'Sales Navigator',
    })
    expect(fake.setupRequests).toEqual([
      {
        method: 'POST',
        path: '/v1/identities',
        body: { name: 'ana (paceline identity ana)', timezone: 'Europe/Madrid', type: 'engagement' },
      },
      {
        method: 'POST',
        path: `/v1/identities/${identity.identityUid}/integrations/linkedin`,
        body: {
          auth_data: { cookies: { li_at: 'AQEDAR-ana-session', li_a: 'AQJ-sales-nav' } },
          account_name: 'Ana Ruiz',
        },
      },
    ])
    // The identity uid is the account id paceline acts with.
    fake.member('eva')
    expect(
      await edges.visitProfile({
        accountId: identity.identityUid,
        target: { profileUrl: 'https://www.linkedin.com/in/eva' },
        idempotencyKey: 'visit-eva',
      }),
    ).toEqual({ ok: true })
    // Connecting again with fresh cookies updates the same integration.
    fake.sessions.set('AQEDAR-ana-fresh', 'ana-ruiz')
    const again = await edges.connect.connectIntegration({
      identityUid: identity.identityUid,
      cookies: { liAt: 'AQEDAR-ana-fresh' },
    })
    expect(again.integrationUid).toBe(integration.integrationUid)
    expect(again.level).toBe('Classic')
  })

  it('reports a session LinkedIn does not accept as INVALID, without throwing', async () => {
    const identity = await edges.connect.createIdentity({ name: 'ben', timezone: 'America/New_York' })
    expect(identity.type).toBe('standard')
    const integration = await edges.connect.connectIntegration({
      identityUid: identity.identityUid,
      cookies: { liAt: 'expired-cookie' },
    })
    expect(integration.status).toBe('INVALID')
    const refused = await edges.visitProfile({
      accountId: identity.identityUid,
      target: { profileUrl: 'https://www.linkedin.com/in/eva' },
      idempotencyKey: 'visit-eva-2',
    })
    expect(refused).toMatchObject({ ok: false, reason: 'disconnected' })
  })

  it('checks its input before asking Edges, naming the field', async () => {
    const before = fake.setupRequests.length
    const fieldsOf = async (work: Promise<unknown>) => (await refusal(work)).issues.map((each) => each.field)
    expect(await fieldsOf(edges.connect.createIdentity({ name: 'x', timezone: 'Mars/Olympus' }))).toEqual([
      'timezone',
    ])
    expect(
      await fieldsOf(
        edges.connect.createIdentity({ name: 'x', timezone: 'UTC', type: 'premium' as 'standard' }),
      ),
    ).toEqual(['type'])
    expect(
      await fieldsOf(edges.connect.connectIntegration({ identityUid: 'ana', cookies: { liAt: 'abc' } })),
    ).toEqual(['identityUid'])
    expect(
      await fieldsOf(
        edges.connect.connectIntegration({
          identityUid: '5678e456-e89b-12d3-a456-426614174001',
          cookies: { liAt: 'has space' },
        }),
      ),
    ).toEqual(['cookies.liAt'])
    expect(fake.setupRequests).toHaveLength(before)
  })

  it("maps Edges' refusals: a wrong key, refused input, an unknown identity, a lost answer", async () => {
    const wrongKey = createEdgesProvider({ apiKey: 'nope', baseUrl: fake.url })
    const key = await refusal(wrongKey.connect.createIdentity({ name: 'x', timezone: 'Europe/Paris' }))
    expect(key).toMatchObject({ code: 'channel_failed', isRetryable: false })
    expect(key.message).toMatch(/refused the API key/)
    await wrongKey.close()

    // An alias time zone: valid for Intl, refused by Edges (canonical names only).
    const alias = await refusal(edges.connect.createIdentity({ name: 'x', timezone: 'US/Eastern' }))
    expect(alias.code).toBe('invalid_options')
    expect(alias.message).toMatch(/BAD_INPUT: timezone 'US\/Eastern' is not a canonical IANA time zone/)

    const unknown = await refusal(
      edges.connect.connectIntegration({
        identityUid: '5678e456-e89b-12d3-a456-426614174001',
        cookies: { liAt: 'AQEDAR-ana-session' },
      }),
    )
    expect(unknown).toMatchObject({ code: 'channel_failed', isRetryable: false })

    // The identity is created but the answer is lost: never retried on its own (a second identity is a
    // second license), while a lost answer to connecting is safe to repeat.
    const losing = createEdgesProvider({
      apiKey,
      baseUrl: fake.url,
      fetch: async (url, init) => {
        await (await fetch(url, init)).arrayBuffer()
        throw new Error('socket hang up')
      },
    })
    const created = fake.identities.size
    const lost = await refusal(losing.connect.createIdentity({ name: 'lost', timezone: 'Europe/Paris' }))
    expect(lost).toMatchObject({ code: 'channel_failed', isRetryable: false })
    expect(lost.message).toMatch(/may have been done/)
    expect(fake.identities.size).toBe(created + 1)
    const identityUid = [...fake.identities.keys()].at(-1) as string
    const lostConnect = await refusal(
      losing.connect.connectIntegration({ identityUid, cookies: { liAt: 'AQEDAR-ana-session' } }),
    )
    expect(lostConnect).toMatchObject({ code: 'channel_failed', isRetryable: true })
    await losing.close()

    fake.script('identities', { status: 503, body: { message: 'Service Unavailable', status_code: 503 } })
    const down = await refusal(
      edges.connect.connectIntegration({ identityUid, cookies: { liAt: 'AQEDAR-ana-session' } }),
    )
    expect(down).toMatchObject({ code: 'channel_failed', isRetryable: true })
  })
})
