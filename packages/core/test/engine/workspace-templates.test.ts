import { describe, expect, it } from 'vitest'
import { createEngine, sequence, templates } from '../../src/index'
import { createMemoryLinkedInChannel } from '../../src/testing'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'
import { identity, leadProfile } from './harness'

const twoMessages = sequence()
  .linkedinMessage({ id: 'one', body: 'Hello {{firstName}}' })
  .linkedinMessage({ id: 'two', delay: { days: 2 }, body: 'Any thoughts, {{firstName}}?' })
  .build()

describe('engine.templates', () => {
  it('saves a campaign as a template of the workspace: its sequence and settings, never its leads', async () => {
    const { engine, clock } = await fixture({
      sequence: twoMessages,
      leads: 2,
      campaign: {
        name: 'Q2 founders',
        priority: 'high',
        tags: ['founders'],
        folder: 'Spain',
        settings: { skipPriorConversations: true, crmSync: { contacts: 'on_reply' } },
      },
    })
    clock.set('2026-03-05T10:00:00Z')
    const saved = await engine.templates.save({
      fromCampaign: 'c',
      id: 'founders',
      name: 'Founders follow-up',
      description: 'Two touches on LinkedIn',
    })
    const campaign = await engine.campaigns.get('c')
    expect(saved).toEqual({
      source: 'workspace',
      id: 'founders',
      name: 'Founders follow-up',
      description: 'Two touches on LinkedIn',
      sequence: campaign.sequence,
      campaign: {
        sequence: campaign.sequence,
        priority: 'high',
        settings: campaign.settings,
        tags: ['founders'],
        folder: 'Spain',
      },
      savedFrom: 'c',
      savedAt: '2026-03-05T10:00:00.000Z',
    })
    expect(JSON.stringify(saved)).not.toContain('l0')
    expect(await engine.templates.get('founders')).toEqual(saved)

    const listed = await engine.templates.list()
    expect(listed.map((each) => [each.source, each.id])).toEqual([
      ...Object.keys(templates).map((id) => ['built-in', id]),
      ['workspace', 'founders'],
    ])
    expect(await engine.templates.get('emailOnly')).toMatchObject({
      source: 'built-in',
      name: 'Email Only',
      campaign: { sequence: templates.emailOnly.sequence },
    })
  })

  it('creates campaigns from a saved template as from a built-in one, and they run', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: twoMessages,
      leads: 0,
      launch: false,
      campaign: { priority: 'low', tags: ['reuse'] },
    })
    await engine.templates.save({ fromCampaign: 'c', id: 'two-touch', name: 'Two touches' })
    const template = await engine.templates.get('two-touch')
    const made = await engine.campaigns.create({ id: 'again', identityId: 'ana', ...template.campaign })
    expect(made).toMatchObject({ status: 'draft', priority: 'low', tags: ['reuse'], sequence: twoMessages })
    const builtIn = await engine.templates.get('linkedinOnly')
    expect(
      (await engine.campaigns.create({ id: 'stock', identityId: 'ana', ...builtIn.campaign })).sequence,
    ).toEqual(templates.linkedinOnly.sequence)
    await engine.leads.add('again', [{ id: 'p1', profile: leadProfile('p1') }])
    await engine.campaigns.launch('again')
    await runUntil('2026-03-04T16:00:00Z')
    expect(linkedin.calls.map((call) => (call.request.chunks as string[]).join(' '))).toEqual([
      'Hello Firstp1',
      'Any thoughts, Firstp1?',
    ])
    // A template outlives its campaign, and a campaign made from it outlives the template.
    await engine.campaigns.delete('c')
    expect((await engine.templates.get('two-touch')).id).toBe('two-touch')
    await engine.templates.delete('two-touch')
    expect((await refusal(engine.templates.get('two-touch'))).code).toBe('not_found')
    expect((await engine.campaigns.get('again')).sequence).toEqual(twoMessages)
  })

  it('keeps templates per workspace', async () => {
    const { engine, storage } = await fixture({ sequence: twoMessages, leads: 0, launch: false })
    await engine.templates.save({ fromCampaign: 'c', id: 'mine', name: 'Mine' })
    const other = createEngine({ storage, linkedin: createMemoryLinkedInChannel(), workspaceId: 'other' })
    expect((await other.templates.list()).every((each) => each.source === 'built-in')).toBe(true)
    expect((await refusal(other.templates.get('mine'))).code).toBe('not_found')
    await other.identities.put(identity({ id: 'ana' }))
    await other.campaigns.create({ id: 'c', identityId: 'ana', sequence: templates.linkedinOnly.sequence })
    await other.templates.save({ fromCampaign: 'c', id: 'mine', name: 'Theirs' })
    expect((await engine.templates.get('mine')).name).toBe('Mine')
    expect((await other.templates.get('mine')).name).toBe('Theirs')
    await other.close()
  })

  it('refuses bad input, built-in ids, taken ids (unless replaced) and deleting built-in templates', async () => {
    const { engine } = await fixture({ sequence: twoMessages, leads: 0, launch: false })
    const blank = await refusal(engine.templates.save({ fromCampaign: 'c', id: 't', name: '  ' }))
    expect(blank.code).toBe('invalid_campaign_template')
    expect(blank.issues.map((each) => each.field)).toEqual(['name'])
    const unknown = await refusal(
      engine.templates.save({ fromCampaign: 'c', id: 't', name: 'T', leads: [] } as never),
    )
    expect(unknown.code).toBe('invalid_campaign_template')
    const builtInId = await refusal(engine.templates.save({ fromCampaign: 'c', id: 'emailOnly', name: 'T' }))
    expect(builtInId.issues[0]).toMatchObject({ rule: 'built_in_id', field: 'id' })
    expect((await refusal(engine.templates.save({ fromCampaign: 'nope', id: 't', name: 'T' }))).code).toBe(
      'not_found',
    )
    await engine.templates.save({ fromCampaign: 'c', id: 't', name: 'First' })
    const taken = await refusal(engine.templates.save({ fromCampaign: 'c', id: 't', name: 'Second' }))
    expect(taken.issues[0]).toMatchObject({ rule: 'already_exists', field: 'id' })
    await engine.templates.save({ fromCampaign: 'c', id: 't', name: 'Second', replace: true })
    expect((await engine.templates.get('t')).name).toBe('Second')
    const builtIn = await refusal(engine.templates.delete('emailOnly'))
    expect(builtIn.code).toBe('invalid_campaign_template')
    expect(builtIn.issues[0]).toMatchObject({ rule: 'built_in' })
    expect((await refusal(engine.templates.delete('missing'))).code).toBe('not_found')
  })
})
