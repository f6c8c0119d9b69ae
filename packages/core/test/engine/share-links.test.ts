import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createEngine, identitySecretName } from '../../src/index'
import type { StorageV1 } from '../../src/ports'
import { createMemoryStorage, VirtualClock } from '../../src/testing'
import { identity } from './harness'

const HOUR = 3_600_000

function world(storage: StorageV1 = createMemoryStorage()) {
  const clock = new VirtualClock('2026-03-02T08:00:00Z')
  const engine = createEngine({ storage, clock })
  return { engine, clock, storage }
}

const outsider = { identity: identity({ id: 'eva' }), secrets: { 'smtp:eva@acme.example': 'app-password' } }

/** Every document of the workspace's `state` collection, as JSON. */
async function stateJson(storage: StorageV1): Promise<string> {
  return JSON.stringify(await storage.transaction('default', (tx) => tx.query('state')))
}

describe('share links', () => {
  it('issues a 32-byte random token, keeping only its SHA-256 hash, valid for 24 hours', async () => {
    const { engine, storage } = world()
    const link = await engine.identities.createShareLink({ purpose: 'create' })
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(link.token, 'base64url')).toHaveLength(32)
    expect(link).toMatchObject({
      purpose: 'create',
      createdAt: '2026-03-02T08:00:00.000Z',
      expiresAt: '2026-03-03T08:00:00.000Z',
    })
    const other = await engine.identities.createShareLink({ purpose: 'create' })
    expect(other.token).not.toBe(link.token)
    const stored = await stateJson(storage)
    expect(stored).not.toContain(link.token)
    expect(stored).toContain(createHash('sha256').update(link.token).digest('hex'))
    await engine.close()
  })

  it('creates an identity with its credentials, once', async () => {
    const { engine } = world()
    const link = await engine.identities.createShareLink({ purpose: 'create' })
    const redeemed = await engine.identities.redeemShareLink(link.token, outsider)
    expect(redeemed).toMatchObject({ purpose: 'create', identity: { id: 'eva', name: 'eva' } })
    expect(redeemed.secrets).toEqual([identitySecretName('eva', 'smtp:eva@acme.example')])
    expect((await engine.identities.get('eva')).email.inboxes[0]?.limits).toEqual({ perDay: 30, perHour: 5 })
    expect(await engine.secrets.get(identitySecretName('eva', 'smtp:eva@acme.example'))).toBe('app-password')
    const [logged] = (await engine.activity.list({ types: ['share-link-redeemed'] })).items
    expect(logged).toMatchObject({ identityId: 'eva', detail: { purpose: 'create' } })

    const again = engine.identities.redeemShareLink(link.token, {
      ...outsider,
      identity: identity({ id: 'mallory' }),
    })
    await expect(again).rejects.toMatchObject({
      code: 'share_link_used',
      details: { usedAt: '2026-03-02T08:00:00.000Z' },
    })
    await expect(engine.identities.get('mallory')).rejects.toMatchObject({ code: 'not_found' })
    await engine.close()
  })

  it('refuses a link once its time is up, with its own code', async () => {
    const { engine, clock } = world()
    const day = await engine.identities.createShareLink({ purpose: 'create' })
    const hour = await engine.identities.createShareLink({ purpose: 'create', validForHours: 1 })
    expect(hour.expiresAt).toBe('2026-03-02T09:00:00.000Z')
    clock.set(Date.parse('2026-03-02T09:00:00Z'))
    await expect(engine.identities.redeemShareLink(hour.token, outsider)).rejects.toMatchObject({
      code: 'share_link_expired',
      details: { expiredAt: '2026-03-02T09:00:00.000Z' },
    })
    clock.set(Date.parse('2026-03-03T08:00:00Z') - 1)
    await expect(engine.identities.redeemShareLink(day.token, outsider)).resolves.toMatchObject({
      identity: { id: 'eva' },
    })
    const late = await engine.identities.createShareLink({ purpose: 'create' })
    clock.set(clock.now() + 24 * HOUR)
    await expect(
      engine.identities.redeemShareLink(late.token, { identity: identity({ id: 'zoe' }) }),
    ).rejects.toMatchObject({ code: 'share_link_expired' })
    await engine.close()
  })

  it('refuses a token it never issued, without telling how close it was', async () => {
    const { engine, storage } = world()
    const link = await engine.identities.createShareLink({ purpose: 'create' })
    const last = link.token.at(-1) === 'A' ? 'B' : 'A'
    for (const token of [`${link.token.slice(0, -1)}${last}`, 'abc', '', link.token.toLowerCase()]) {
      await expect(engine.identities.redeemShareLink(token, outsider)).rejects.toMatchObject({
        code: 'share_link_unknown',
        message: 'This share link is not valid here: check that it was copied whole, or ask for a new one.',
      })
    }
    // Another workspace on the same store does not know it either.
    const elsewhere = createEngine({ storage, workspaceId: 'other' })
    await expect(elsewhere.identities.redeemShareLink(link.token, outsider)).rejects.toMatchObject({
      code: 'share_link_unknown',
    })
    await elsewhere.close()
    await engine.close()
  })

  it('checks the purpose rules when the link is made', async () => {
    const { engine } = world()
    await engine.identities.put(identity({ id: 'ana' }))
    await expect(engine.identities.createShareLink({ purpose: 'reconnect' })).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'identityId', rule: 'required' })],
    })
    await expect(
      engine.identities.createShareLink({ purpose: 'reconnect', identityId: 'nobody' }),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(
      engine.identities.createShareLink({ purpose: 'create', identityId: 'ana' }),
    ).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'identityId', rule: 'already_exists' })],
    })
    await expect(
      engine.identities.createShareLink({ purpose: 'create', validForHours: 25 }),
    ).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'validForHours', rule: 'too_large' })],
    })
    await expect(engine.identities.createShareLink({ purpose: 'invite' as 'create' })).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'purpose' })],
    })
    await engine.close()
  })

  it('leaves the link usable when what is brought is refused', async () => {
    const { engine } = world()
    await engine.identities.put(identity({ id: 'ana' }))
    const named = await engine.identities.createShareLink({ purpose: 'create', identityId: 'eva' })
    await expect(
      engine.identities.redeemShareLink(named.token, { identity: identity({ id: 'zoe' }) }),
    ).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'identity.id', rule: 'mismatch' })],
    })
    await expect(
      engine.identities.redeemShareLink(named.token, {
        identity: {
          ...identity({ id: 'eva' }),
          email: { inboxes: [{ address: 'eva@acme.example', limits: { perDay: 81 } }] },
        },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'identity.email.inboxes[0].limits.perDay' })],
    })
    const open = await engine.identities.createShareLink({ purpose: 'create' })
    await expect(
      engine.identities.redeemShareLink(open.token, { identity: identity({ id: 'ana' }) }),
    ).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'identity.id', rule: 'already_exists' })],
    })
    await expect(engine.identities.redeemShareLink(named.token, outsider)).resolves.toMatchObject({
      identity: { id: 'eva' },
    })
    await engine.close()
  })

  it('reconnects an identity: LinkedIn and inboxes connected again, new credentials stored', async () => {
    const { engine, storage } = world()
    await engine.identities.put(identity({ id: 'ana' }))
    await engine.ingest({ type: 'channel-disconnected', identityId: 'ana', channel: 'linkedin' })
    await engine.ingest({
      type: 'channel-disconnected',
      identityId: 'ana',
      channel: 'email',
      inbox: 'ana@acme.example',
    })
    const link = await engine.identities.createShareLink({ purpose: 'reconnect', identityId: 'ana' })
    expect(link.identityId).toBe('ana')
    const redeemed = await engine.identities.redeemShareLink(link.token, {
      linkedin: { accountId: 'li-ana-new' },
      inboxes: ['ANA@acme.example', 'ana.sales@acme.example'],
      secrets: { 'smtp:ana.sales@acme.example': 'app-password-2' },
    })
    expect(redeemed.purpose).toBe('reconnect')
    expect(redeemed.identity.linkedin?.accountId).toBe('li-ana-new')
    expect(redeemed.identity.linkedin?.limits.connectionsPerDay).toBe(20)
    expect(redeemed.identity.email.inboxes.map((inbox) => inbox.address)).toEqual([
      'ana@acme.example',
      'ana.sales@acme.example',
    ])
    const record = await storage.transaction('default', (tx) => tx.get('identities', 'ana'))
    expect(record).toMatchObject({ linkedinConnected: true, disconnectedInboxes: [] })
    expect(await engine.secrets.get(identitySecretName('ana', 'smtp:ana.sales@acme.example'))).toBe(
      'app-password-2',
    )
    const reconnected = await engine.activity.list({ types: ['channel-reconnected'], order: 'oldest' })
    expect(reconnected.items.map((event) => [event.channel, event.inbox])).toEqual([
      ['linkedin', undefined],
      ['email', 'ana@acme.example'],
      ['email', 'ana.sales@acme.example'],
    ])
    await expect(engine.identities.redeemShareLink(link.token, { linkedin: {} })).rejects.toMatchObject({
      code: 'share_link_used',
    })
    await engine.close()
  })

  it('refuses a reconnection that brings nothing, or LinkedIn without an account id for an identity that has none', async () => {
    const { engine } = world()
    await engine.identities.put({ ...identity({ id: 'mia' }), linkedin: undefined })
    const link = await engine.identities.createShareLink({ purpose: 'reconnect', identityId: 'mia' })
    await expect(engine.identities.redeemShareLink(link.token, {})).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ rule: 'required' })],
    })
    await expect(engine.identities.redeemShareLink(link.token, { linkedin: {} })).rejects.toMatchObject({
      code: 'invalid_share_link',
      issues: [expect.objectContaining({ field: 'linkedin.accountId', rule: 'required' })],
    })
    await expect(
      engine.identities.redeemShareLink(link.token, { linkedin: { accountId: 'li-mia' } }),
    ).resolves.toMatchObject({ identity: { linkedin: { accountId: 'li-mia', premium: false } } })
    await engine.close()
  })

  it('refuses a reconnection once the identity was deleted', async () => {
    const { engine } = world()
    await engine.identities.put(identity({ id: 'ana' }))
    const link = await engine.identities.createShareLink({ purpose: 'reconnect', identityId: 'ana' })
    await engine.identities.delete('ana')
    await expect(engine.identities.redeemShareLink(link.token, { linkedin: {} })).rejects.toMatchObject({
      code: 'not_found',
    })
    await engine.close()
  })
})
