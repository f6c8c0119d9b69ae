import { describe, expect, it } from 'vitest'
import { type EngineEvent, type PacelineError, sequence } from '../../src/index'
import type { CollectionName, StorageV1, StoredDocument } from '../../src/ports'
import { createDeterministicAi, createMemoryStorage } from '../../src/testing'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'
import { leadProfile } from './harness'

const hello = sequence().linkedinMessage({ id: 'hello', body: 'Hello {{firstName}}' }).build()
/** A call task, then a message a day later: leads finish once the message went out. */
const taskThenMessage = sequence()
  .task({ id: 'call', type: 'call', title: 'Call {{firstName}}' })
  .linkedinMessage({ id: 'hello', delay: { days: 1 }, body: 'Hello {{firstName}}' })
  .build()

async function documents(storage: StorageV1, collection: CollectionName): Promise<StoredDocument[]> {
  return storage.transaction('default', (tx) => tx.query(collection), { readOnly: true })
}

/** Documents of `collection` that mention campaign `c` (by field or in their key). */
async function ofCampaign(storage: StorageV1, collection: CollectionName): Promise<StoredDocument[]> {
  return (await documents(storage, collection)).filter(
    (document) =>
      document.campaignId === 'c' ||
      document.scopeId === 'c' ||
      String(document.key ?? document.id)
        .split('\u001f')
        .includes('c'),
  )
}

/** A memory store whose next transaction can be made to fail, as if the process died before it. */
function cuttableStorage() {
  const memory = createMemoryStorage()
  let cut = false
  const storage: StorageV1 = {
    specificationVersion: 'v1',
    transaction(workspaceId, work, options) {
      if (cut) {
        cut = false
        return Promise.reject(new Error('connection lost'))
      }
      return memory.transaction(workspaceId, work, options)
    },
  }
  return {
    storage,
    memory,
    cutNextTransaction: () => {
      cut = true
    },
  }
}

describe('engine.campaigns.delete', () => {
  it('deletes a draft at once, with its leads, and never lets its id be used again', async () => {
    const { engine, storage } = await fixture({ sequence: hello, leads: 3, launch: false })
    const deleted = await engine.campaigns.delete('c')
    expect(deleted).toMatchObject({ id: 'c', status: 'draft' })
    const missing = await refusal(engine.campaigns.get('c'))
    expect(missing.code).toBe('not_found')
    expect(missing.message).toContain('was deleted on 2026-03-02T08:00:00.000Z')
    expect((await engine.campaigns.list()).items).toEqual([])
    expect(await engine.leads.find('l0')).toEqual([])
    expect(await ofCampaign(storage, 'enrolments')).toEqual([])
    // The leads themselves stay: they belong to the workspace, not to the campaign.
    expect(await documents(storage, 'leads')).toHaveLength(3)
    const reused = await refusal(engine.campaigns.create({ id: 'c', identityId: 'ana', sequence: hello }))
    expect(reused.code).toBe('invalid_campaign')
    expect(reused.issues[0]).toMatchObject({ rule: 'deleted_id', field: 'id' })
    expect((await refusal(engine.campaigns.delete('c'))).code).toBe('not_found')
  })

  it('refuses a running campaign whose leads are not finished, and says how to go on', async () => {
    const { engine, linkedin, runUntil } = await fixture({ sequence: hello, leads: 2 })
    const refused = await refusal(engine.campaigns.delete('c'))
    expect(refused.code).toBe('campaign_has_active_leads')
    expect(refused.details).toMatchObject({ campaignId: 'c', status: 'running', activeLeads: 2 })
    expect(refused.message).toContain('{ force: true }')
    await engine.campaigns.pause('c')
    expect((await refusal(engine.campaigns.delete('c'))).code).toBe('campaign_has_active_leads')
    await engine.campaigns.resume('c')
    await runUntil('2026-03-02T16:00:00Z')
    expect(linkedin.calls).toHaveLength(2)
  })

  it('deletes a campaign whose leads all finished, removing its per-campaign records and keeping history', async () => {
    const { engine, storage, runUntil } = await fixture({ sequence: taskThenMessage, leads: 2 })
    await runUntil('2026-03-04T16:00:00Z')
    const leads = (await engine.leads.list('c')).items
    expect(leads.map((lead) => lead.status)).toEqual(['finished', 'finished'])
    for (const collection of ['enrolments', 'tasks', 'claims', 'analytics'] as const)
      expect(await ofCampaign(storage, collection), collection).not.toEqual([])
    const before = await engine.actions({ campaignId: 'c' })
    const conversations = (await engine.conversations.list()).items
    expect(conversations).toHaveLength(2)
    const identityToday = await engine.analytics.identity('ana')

    const heard: EngineEvent[] = []
    engine.on('campaign-deleted', (event) => heard.push(event))
    await engine.campaigns.delete('c')

    for (const collection of ['enrolments', 'tasks', 'claims', 'analytics'] as const)
      expect(await ofCampaign(storage, collection), collection).toEqual([])
    expect(
      (await documents(storage, 'state')).filter((document) =>
        String(document.key).startsWith('engagement\u001fc\u001f'),
      ),
    ).toEqual([])
    // The action log keeps the campaign's history, closed by the deletion.
    const after = await engine.actions({ campaignId: 'c' })
    expect(after.slice(0, before.length)).toEqual(before)
    expect(after.slice(before.length)).toMatchObject([
      { type: 'campaign-deleted', campaignId: 'c', detail: { force: false, unfinishedLeads: 0 } },
    ])
    expect(heard).toMatchObject([{ type: 'campaign-deleted', campaignId: 'c' }])
    expect((await engine.conversations.list()).items.map((each) => each.id)).toEqual(
      conversations.map((each) => each.id),
    )
    expect(await engine.analytics.identity('ana')).toEqual(identityToday)
  })

  it('with force, stops the leads of a running campaign: nothing of it is sent afterwards', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: sequence()
        .linkedinMessage({ id: 'one', body: 'One' })
        .linkedinMessage({ id: 'two', delay: { days: 1 }, body: 'Two' })
        .build(),
      leads: 3,
    })
    await runUntil('2026-03-02T16:00:00Z')
    expect(linkedin.calls).toHaveLength(3)
    const deleted = await engine.campaigns.delete('c', { force: true })
    expect(deleted.status).toBe('running')
    const [entry] = await engine.actions({ types: ['campaign-deleted'] })
    expect(entry?.detail).toMatchObject({ force: true, unfinishedLeads: 3, status: 'running' })
    await runUntil('2026-03-06T16:00:00Z')
    expect(linkedin.calls).toHaveLength(3)
    expect((await refusal(engine.campaigns.delete('c', { force: 'yes' } as never))).code).toBe(
      'invalid_campaign',
    )
  })

  it('no send goes out for a campaign deleted while a tick was preparing it, even before its leads are swept', async () => {
    const { storage, cutNextTransaction } = cuttableStorage()
    let deleteDuringRender: (() => Promise<unknown>) | undefined
    const base = createDeterministicAi()
    const { engine, linkedin, clock, runUntil } = await fixture({
      storage,
      sequence: sequence({ aiVariables: { opener: { prompt: 'Mention their company' } } })
        .linkedinMessage({ id: 'one', body: '{{ai.opener}}' })
        .build(),
      ai: {
        ...base,
        async fillVariables(request) {
          // The tick has read the lead as ready and is writing its message: the campaign goes now.
          const remove = deleteDuringRender
          deleteDuringRender = undefined
          await remove?.()
          return base.fillVariables(request)
        },
      },
    })
    // The deletion commits but its sweep is cut short: the lead's place is still there, ready to send.
    engine.on('campaign-deleted', cutNextTransaction)
    let failure: unknown
    deleteDuringRender = () =>
      engine.campaigns.delete('c', { force: true }).catch((error) => (failure = error))
    // Tick along the engine's wake times until the first message is being written.
    for (let ticks = 0; ticks < 20 && deleteDuringRender !== undefined; ticks++) {
      const report = await engine.tick()
      if (report.nextWakeAt !== undefined) clock.set(Date.parse(report.nextWakeAt))
    }
    expect(deleteDuringRender).toBeUndefined()
    expect((failure as PacelineError).code).toBe('storage_failed')
    expect(linkedin.calls).toHaveLength(0)
    await runUntil('2026-03-03T16:00:00Z')
    expect(linkedin.calls).toHaveLength(0)
    expect(await engine.leads.find('l0')).toEqual([])
  })

  it("does not give an identity back today's sends: a campaign that used the daily cap takes it with it", async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: hello,
      leads: 5,
      identity: { linkedin: { accountId: 'li-ana', limits: { connectionsPerDay: 20, messagesPerDay: 3 } } },
    })
    await runUntil('2026-03-02T14:30:00Z')
    expect(linkedin.calls).toHaveLength(3)
    await engine.campaigns.delete('c', { force: true })
    await engine.campaigns.create({ id: 'd', identityId: 'ana', sequence: hello })
    await engine.leads.add(
      'd',
      ['m0', 'm1', 'm2'].map((id) => ({ id, profile: leadProfile(id) })),
    )
    await engine.campaigns.launch('d')
    await runUntil('2026-03-02T16:30:00Z')
    expect(linkedin.calls).toHaveLength(3)
    expect((await engine.leads.get('d', 'm0')).status).toBe('in_progress')
    await runUntil('2026-03-03T16:30:00Z')
    expect(linkedin.calls).toHaveLength(6)
  })

  it('a deletion cut short is finished by the next tick', async () => {
    const { storage, memory, cutNextTransaction } = cuttableStorage()
    const { engine } = await fixture({ sequence: hello, leads: 4, launch: false, storage })
    // The deletion commits; the first batch of its sweep then fails, as if the process died there.
    engine.on('campaign-deleted', cutNextTransaction)
    expect((await refusal(engine.campaigns.delete('c'))).code).toBe('storage_failed')
    expect((await refusal(engine.campaigns.get('c'))).code).toBe('not_found')
    expect(await ofCampaign(memory, 'enrolments')).toHaveLength(4)
    await engine.tick()
    expect(await ofCampaign(memory, 'enrolments')).toEqual([])
    expect(
      (await documents(memory, 'state')).filter((document) => document.key === 'campaign-sweeps'),
    ).toEqual([])
  })
})
