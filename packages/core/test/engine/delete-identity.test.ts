import { describe, expect, it } from 'vitest'
import { conversationId, defineIdentity, identitySecretName, sequence } from '../../src/index'
import { createDeterministicAi, createMemoryStorage } from '../../src/testing'
import { retryingStorage } from '../storage/retrying-storage'
import { fixture } from './engine-fixture'
import { identity } from './harness'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const outreach = sequence()
  .visitProfile({ id: 'visit' })
  .linkedinMessage({ id: 'hello', delay: { days: 1 }, body: 'Hello {{firstName}}' })
  .email({ id: 'mail', delay: { days: 1 }, subject: 'Hi', body: 'Hello again' })
  .build()

describe('deleting an identity', () => {
  it('stops and detaches its campaigns, deletes its secrets, and never sends from it again', async () => {
    const { engine, clock, linkedin, email, runUntil } = await fixture({ sequence: outreach, leads: 3 })
    await engine.campaigns.create({ id: 'later', identityId: 'ana', sequence: outreach })
    await engine.campaigns.schedule('later', new Date(clock.now() + 7 * DAY))
    await engine.campaigns.create({ id: 'draft', identityId: 'ana', sequence: outreach })
    await engine.identities.put(identity({ id: 'bob' }))
    await engine.campaigns.create({ id: 'bobs', identityId: 'bob', sequence: outreach })
    await engine.secrets.put(identitySecretName('ana', 'smtp:ana@acme.example'), 'app-password')
    await engine.secrets.put(identitySecretName('ana', 'linkedin'), 'session-cookie')
    // An identity whose id starts like ana's keeps its secrets; so do secrets named otherwise.
    await engine.secrets.put(identitySecretName('ana:b', 'smtp'), 'other-password')
    await engine.secrets.put('smtp:ana@acme.example', 'host-managed')

    // l0, l1 and l2 are visited this morning (paced minutes apart); their messages are due tomorrow.
    await runUntil(clock.now() + HOUR)
    expect(linkedin.calls.map((call) => call.method)).toEqual([
      'visitProfile',
      'visitProfile',
      'visitProfile',
    ])

    const deleted = await engine.identities.delete('ana')
    expect(deleted).toEqual({
      identityId: 'ana',
      campaigns: expect.arrayContaining([
        { campaignId: 'c', from: 'running', to: 'paused' },
        { campaignId: 'later', from: 'scheduled', to: 'draft' },
        { campaignId: 'draft', from: 'draft', to: 'draft' },
      ]),
      secretsDeleted: 2,
    })
    expect(deleted.campaigns).toHaveLength(3)
    await expect(engine.identities.get('ana')).rejects.toMatchObject({ code: 'not_found' })
    expect(await engine.secrets.get(identitySecretName('ana', 'smtp:ana@acme.example'))).toBeUndefined()
    expect(await engine.secrets.get(identitySecretName('ana', 'linkedin'))).toBeUndefined()
    expect(await engine.secrets.get(identitySecretName('ana:b', 'smtp'))).toBe('other-password')
    expect(await engine.secrets.get('smtp:ana@acme.example')).toBe('host-managed')

    const campaign = await engine.campaigns.get('c')
    expect(campaign).toMatchObject({
      status: 'paused',
      identityId: 'ana',
      identityDeletedAt: new Date(clock.now()).toISOString(),
    })
    expect((await engine.campaigns.get('later')).status).toBe('draft')
    expect((await engine.campaigns.get('later')).startAt).toBeUndefined()
    expect((await engine.campaigns.get('bobs')).identityDeletedAt).toBeUndefined()
    for (const leadId of ['l0', 'l1', 'l2']) {
      expect((await engine.leads.get('c', leadId)).state).toEqual({
        status: 'error',
        substatus: 'identity_deleted',
      })
    }
    const [logged] = (await engine.activity.list({ types: ['identity-deleted'] })).items
    expect(logged).toMatchObject({
      identityId: 'ana',
      detail: { campaigns: expect.arrayContaining(['c', 'later', 'draft']), secrets: 2 },
    })

    // The messages were due tomorrow: nothing goes out, on any later tick.
    await runUntil(clock.now() + 3 * DAY)
    // Putting an identity with the same id again does not reattach anything.
    await engine.identities.put(identity({ id: 'ana' }))
    await runUntil(clock.now() + 10 * DAY)
    expect(linkedin.calls).toHaveLength(3)
    expect(email.sent).toHaveLength(0)
    await expect(engine.campaigns.resume('c')).rejects.toMatchObject({ code: 'identity_deleted' })
    await expect(engine.campaigns.launch('later')).rejects.toMatchObject({ code: 'identity_deleted' })
    await expect(engine.campaigns.schedule('draft', new Date(clock.now() + DAY))).rejects.toMatchObject({
      code: 'identity_deleted',
    })
    await expect(engine.campaigns.update('draft', { identityId: 'bob' })).rejects.toMatchObject({
      code: 'identity_deleted',
    })
    // Retrying the leads' errors does not bring them back either.
    expect(await engine.leads.retryErrors(['l0', 'l1'], 'c')).toEqual({
      retried: [
        { campaignId: 'c', leadId: 'l0' },
        { campaignId: 'c', leadId: 'l1' },
      ],
    })
    await runUntil(clock.now() + 3 * DAY)
    expect(linkedin.calls).toHaveLength(3)
    expect((await engine.leads.get('c', 'l0')).state).toMatchObject({ substatus: 'identity_deleted' })
    // The campaigns no longer list under the id; a copy can run on an identity that exists.
    expect((await engine.campaigns.list({ identityId: 'ana' })).items).toEqual([])
    expect((await engine.campaigns.list({ identityId: 'bob' })).items.map((each) => each.id)).toEqual([
      'bobs',
    ])
    const copy = await engine.campaigns.duplicate('c', { id: 'c2', identityId: 'bob' })
    expect(copy).toMatchObject({ identityId: 'bob', status: 'draft', duplicatedFrom: 'c' })
    expect(copy.identityDeletedAt).toBeUndefined()
    await engine.close()
  })

  it('leaves finished and replied leads as they are', async () => {
    const { engine, linkedin, clock, runUntil } = await fixture({ sequence: outreach, leads: 2 })
    await runUntil(clock.now() + HOUR)
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      identityId: 'ana',
      lead: { leadId: 'l1' },
      text: 'Tell me more',
    })
    expect((await engine.leads.get('c', 'l1')).state.status).toBe('replied')
    await engine.identities.delete('ana')
    expect((await engine.leads.get('c', 'l1')).state.status).toBe('replied')
    expect((await engine.leads.get('c', 'l0')).state).toMatchObject({ substatus: 'identity_deleted' })
    expect(linkedin.calls.every((call) => call.method === 'visitProfile')).toBe(true)
    await engine.close()
  })

  it('stops the AI agent answering from it, even once the id is used again', async () => {
    const mail = sequence().email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' }).build()
    const world = await fixture({
      sequence: mail,
      campaign: { settings: { replies: { mode: 'automatic', prompt: 'Offer a call' } } },
      ai: createDeterministicAi(),
    })
    await world.runUntil('2026-03-02T10:00:00Z')
    const first = world.email.sent.find((message) => message.to.address === 'l0@corp.example')
    expect(first).toBeDefined()
    world.clock.set(Date.parse('2026-03-02T10:05:00Z'))
    await world.engine.ingest({
      type: 'reply-received',
      channel: 'email',
      lead: { messageId: first?.messageId },
      text: 'Sounds interesting, tell me more',
    })
    const id = conversationId('ana', 'l0', 'email')
    expect((await world.engine.conversations.get(id)).agent.pending).not.toBeNull()
    await world.engine.identities.delete('ana')
    await world.engine.identities.put(identity({ id: 'ana' }))
    await world.runUntil('2026-03-03T12:00:00Z')
    expect(world.email.sent).toHaveLength(1)
    expect((await world.engine.conversations.get(id)).agent.pending).toBeNull()
    await world.engine.close()
  })

  it('does it all in one transaction, which a store may run again', async () => {
    const storage = retryingStorage(createMemoryStorage())
    const { engine } = await fixture({ sequence: outreach, leads: 2, storage })
    await engine.secrets.put(identitySecretName('ana', 'linkedin'), 'session-cookie')
    const seen: string[] = []
    engine.on('identity-deleted', (event) => seen.push(event.type))
    const retriesBefore = storage.retries
    const deleted = await engine.identities.delete('ana')
    expect(storage.retries).toBeGreaterThan(retriesBefore)
    expect(deleted.secretsDeleted).toBe(1)
    expect(deleted.campaigns).toEqual([{ campaignId: 'c', from: 'running', to: 'paused' }])
    expect(seen).toEqual(['identity-deleted'])
    expect((await engine.activity.list({ types: ['identity-deleted'] })).items).toHaveLength(1)
    await engine.close()
  })

  it('refuses an identity that does not exist', async () => {
    const { engine } = await fixture({ sequence: outreach })
    await expect(engine.identities.delete('nobody')).rejects.toMatchObject({
      code: 'not_found',
      message: "No identity 'nobody' in this workspace.",
    })
    await engine.close()
  })
})

describe('identity contact details', () => {
  it('keeps a profile picture URL, and refuses one that is not an http(s) URL', () => {
    const ana = defineIdentity({
      ...identity({ id: 'ana' }),
      contact: { firstName: 'Ana', pictureUrl: 'https://cdn.acme.example/ana.png' },
    })
    expect(ana.contact?.pictureUrl).toBe('https://cdn.acme.example/ana.png')
    for (const pictureUrl of ['not a url', 'javascript:alert(1)']) {
      expect(() => defineIdentity({ ...identity({ id: 'ana' }), contact: { pictureUrl } })).toThrowError(
        expect.objectContaining({
          code: 'invalid_identity',
          issues: [expect.objectContaining({ field: 'contact.pictureUrl' })],
        }),
      )
    }
  })
})
