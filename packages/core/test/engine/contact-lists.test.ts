import { Effect } from 'effect'
import { describe, expect, it } from 'vitest'
import { type LeadInput, sequence } from '../../src/index'
import { createMemoryStorage } from '../../src/testing'
import { retryingStorage } from '../storage/retrying-storage'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'
import { identity } from './harness'

const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()

const contact = (id: string, jobTitle: string, extra: Record<string, unknown> = {}): LeadInput => ({
  id,
  profile: { firstName: id, jobTitle, professionalEmail: `${id}@corp.example`, ...extra },
})

const n = (id: string) => Number(id.slice(1))

describe('contact lists as an audience', () => {
  it('enrols a list’s contacts through its filters, and contacts added later as they are added', async () => {
    const { engine, email, runUntil } = await fixture({ sequence: mail, leads: 0, launch: false })
    const list = await engine.lists.create({
      id: 'heads',
      name: 'Heads of sales',
      tags: ['q2'],
      filters: {
        match: 'all',
        rules: [
          { field: 'jobTitle', operator: 'contains', value: 'head' },
          { field: 'company.size', operator: 'greater_or_equal', value: 50 },
        ],
      },
    })
    expect(list).toMatchObject({ id: 'heads', size: 0, campaignIds: [], tags: ['q2'] })

    const first = await engine.lists.addContacts('heads', [
      contact('ana', 'Head of Sales', { company: { name: 'Acme', size: 120 } }),
      contact('bea', 'Head of Growth', { company: { name: 'Tiny', size: 8 } }),
      contact('cai', 'Engineer', { company: { name: 'Big', size: 900 } }),
    ])
    expect(first).toMatchObject({ added: ['ana', 'bea', 'cai'], updated: [], enrolled: [], skipped: [] })

    const used = await engine.campaigns.useList('c', 'heads')
    expect(used.added).toEqual(['ana'])
    expect(used.skipped.map((each) => [each.leadId, each.code])).toEqual([
      ['bea', 'lead_filtered_out'],
      ['cai', 'lead_filtered_out'],
    ])
    expect(used.skipped[0]?.message).toMatch(/does not match the filters of list 'heads'/)
    expect(await engine.lists.get('heads')).toMatchObject({ size: 3, campaignIds: ['c'] })
    // A draft's leads wait for the launch.
    expect((await engine.leads.get('c', 'ana')).status).toBe('not_started')

    await engine.campaigns.launch('c')
    await runUntil('2026-03-02T12:00:00Z')
    expect(email.sent.map((message) => message.to.address)).toEqual(['ana@corp.example'])

    // Added later, to the running campaign, at once; a contact that now matches is enrolled too.
    const later = await engine.lists.addContacts('heads', [
      contact('dan', 'Head of Partnerships', { company: { size: 60 } }),
      contact('bea', 'Head of Growth', { company: { name: 'Tiny', size: 55 } }),
      contact('eli', 'Designer'),
    ])
    expect(later.added).toEqual(['dan', 'eli'])
    expect(later.updated).toEqual(['bea'])
    expect(later.enrolled).toEqual([
      { campaignId: 'c', leadId: 'dan' },
      { campaignId: 'c', leadId: 'bea' },
    ])
    expect(later.skipped.map((each) => [each.campaignId, each.leadId, each.code])).toEqual([
      ['c', 'eli', 'lead_filtered_out'],
    ])
    expect((await engine.leads.get('c', 'dan')).status).toBe('in_progress')
    await runUntil('2026-03-04T12:00:00Z')
    const sentTo = email.sent.map((message) => message.to.address)
    for (const address of ['ana@corp.example', 'dan@corp.example', 'bea@corp.example'])
      expect(sentTo.filter((each) => each === address)).toHaveLength(2)
    expect(sentTo).not.toContain('cai@corp.example')
    expect(sentTo).not.toContain('eli@corp.example')
    await engine.close()
  })

  it('does not enrol a lead twice with the same sender, nor a blocklisted one', async () => {
    const { engine } = await fixture({ sequence: mail, leads: 0 })
    await engine.identities.put(identity({ id: 'bob' }))
    await engine.campaigns.create({ id: 'again', identityId: 'ana', sequence: mail })
    await engine.campaigns.create({ id: 'bobs', identityId: 'bob', sequence: mail })
    await engine.leads.add('c', [contact('ana', 'CEO'), contact('ben', 'CTO')])
    await engine.leads.remove('c', 'ben')
    await engine.blocklist.add([{ domain: 'blocked.example' }])
    await engine.lists.create({ id: 'all', name: 'Everyone' })
    await engine.lists.addContacts('all', [
      contact('ana', 'CEO'),
      contact('ben', 'CTO'),
      contact('cid', 'COO'),
      { id: 'dee', profile: { firstName: 'Dee', professionalEmail: 'dee@blocked.example' } },
    ])

    const same = await engine.campaigns.useList('again', 'all')
    // Ben was taken out of campaign c by hand: he was not contacted there for good.
    expect(same.added).toEqual(['ben', 'cid'])
    expect(same.skipped.map((each) => [each.leadId, each.code])).toEqual([
      ['ana', 'lead_in_other_campaign'],
      ['dee', 'lead_blocklisted'],
    ])
    expect(same.skipped[0]?.message).toMatch(/already in campaign 'c' of identity 'ana'/)
    const other = await engine.campaigns.useList('bobs', 'all')
    expect(other.added).toEqual(['ana', 'ben', 'cid'])

    // Both campaigns take new contacts; the same-identity rule holds for them too.
    await engine.leads.add('c', [contact('fay', 'CFO')])
    const added = await engine.lists.addContacts('all', [contact('fay', 'CFO'), contact('gus', 'CMO')])
    expect(added.enrolled).toEqual([
      { campaignId: 'bobs', leadId: 'fay' },
      { campaignId: 'again', leadId: 'gus' },
      { campaignId: 'bobs', leadId: 'gus' },
    ])
    expect(added.skipped.map((each) => [each.campaignId, each.leadId, each.code])).toEqual([
      ['again', 'fay', 'lead_in_other_campaign'],
    ])

    // A campaign that stops using the list takes no more of its contacts; an archived one neither.
    await engine.campaigns.dropList('again', 'all')
    await engine.campaigns.archive('bobs')
    const last = await engine.lists.addContacts('all', [contact('hal', 'CIO')])
    expect(last).toMatchObject({ added: ['hal'], enrolled: [], skipped: [] })
    expect((await engine.lists.get('all')).campaignIds).toEqual(['bobs'])
    expect((await refusal(engine.campaigns.useList('bobs', 'all'))).code).toBe('illegal_transition')
    await engine.close()
  })

  it('lists, pages, edits and removes lists and their contacts', async () => {
    const { engine } = await fixture({ sequence: mail, leads: 0, launch: false })
    for (const [id, name] of [
      ['a', 'Spain founders'],
      ['b', 'France founders'],
      ['c', 'Event attendees'],
    ])
      await engine.lists.create({ id: id as string, name: name as string })
    const first = await engine.lists.list({ limit: 2 })
    expect(first.items.map((list) => list.id)).toEqual(['a', 'b'])
    const second = await engine.lists.list({ limit: 2, after: first.next as string })
    expect(second).toEqual({ items: [expect.objectContaining({ id: 'c' })] })
    expect((await engine.lists.list({ search: 'FOUNDERS' })).items.map((list) => list.name)).toEqual([
      'Spain founders',
      'France founders',
    ])

    await engine.lists.addContacts(
      'a',
      Array.from({ length: 5 }, (_, n) => contact(`p${n}`, 'Founder')),
    )
    await engine.lists.addContacts('b', [contact('p1', 'Founder')])
    const page = await engine.lists.contacts('a', { limit: 3 })
    expect(page.items.map((lead) => lead.id)).toEqual(['p0', 'p1', 'p2'])
    const rest = await engine.lists.contacts('a', { limit: 3, after: page.next as string })
    expect(rest.items.map((lead) => lead.id)).toEqual(['p3', 'p4'])
    expect(rest.next).toBeUndefined()
    expect(rest.items[0]?.profile.jobTitle).toBe('Founder')

    expect(await engine.lists.removeContacts('a', ['p1', 'p9'])).toEqual({ removed: ['p1'] })
    expect((await engine.lists.get('a')).size).toBe(4)
    // Another list's membership is its own.
    expect((await engine.lists.contacts('b')).items.map((lead) => lead.id)).toEqual(['p1'])

    const filtered = await engine.lists.update('a', {
      name: 'Spanish founders',
      filters: { rules: [{ field: 'location', operator: 'is_not_empty' }] },
    })
    expect(filtered).toMatchObject({ name: 'Spanish founders', filters: { match: 'all' } })
    const unfiltered = await engine.lists.update('a', { filters: null })
    expect(unfiltered.filters).toBeUndefined()
    expect(unfiltered.name).toBe('Spanish founders')

    await engine.lists.remove('a')
    expect((await refusal(engine.lists.get('a'))).code).toBe('not_found')
    expect((await engine.lists.list()).items.map((list) => list.id)).toEqual(['b', 'c'])
    expect((await engine.lists.contacts('b')).items).toHaveLength(1)
    expect(await Effect.runPromise(engine.effect.lists.get('b'))).toMatchObject({ size: 1 })
    await engine.close()
  })

  it('enrols a list larger than one transaction’s batch, every contact once', async () => {
    const { engine } = await fixture({ sequence: mail, leads: 0, launch: false })
    await engine.lists.create({ id: 'big', name: 'Big' })
    const ids = Array.from({ length: 1_100 }, (_, n) => `m${String(n).padStart(4, '0')}`)
    await engine.lists.addContacts(
      'big',
      ids.map((id) => contact(id, n(id) % 10 === 0 ? 'Intern' : 'Manager')),
    )
    await engine.lists.update('big', {
      filters: { rules: [{ field: 'jobTitle', operator: 'not_equals', value: 'Intern' }] },
    })
    const used = await engine.campaigns.useList('c', 'big')
    expect(used.added).toEqual(ids.filter((id) => n(id) % 10 !== 0))
    expect(used.skipped).toHaveLength(110)
    expect((await engine.campaigns.stats('c')).total).toBe(990)
    await engine.close()
  })

  it('reports each lead once when the store runs a transaction again after a conflict', async () => {
    const storage = retryingStorage(createMemoryStorage())
    const { engine } = await fixture({ sequence: mail, leads: 0, storage })
    await engine.lists.create({ id: 'l', name: 'L' })
    const used = await engine.campaigns.useList('c', 'l')
    expect(used).toEqual({ added: [], skipped: [] })
    const added = await engine.lists.addContacts('l', [contact('a', 'CEO'), contact('b', 'CTO')])
    expect(added.enrolled).toEqual([
      { campaignId: 'c', leadId: 'a' },
      { campaignId: 'c', leadId: 'b' },
    ])
    expect(added.added).toEqual(['a', 'b'])
    expect((await engine.lists.get('l')).size).toBe(2)
    const blocked = await engine.blocklist.add([{ email: 'a@corp.example' }])
    expect(blocked.blocked).toEqual([{ campaignId: 'c', leadId: 'a' }])
    const task = await engine.tasks.create('c', 'b', { title: 'Call' })
    expect((await engine.tasks.list('c')).items).toEqual([task])
    expect(storage.retries).toBeGreaterThan(0)
    await engine.close()
  })

  it('refuses unknown filters, wrong rule values, a taken id and unknown lists clearly', async () => {
    const { engine } = await fixture({ sequence: mail, leads: 0, launch: false })
    const unknown = await refusal(
      engine.lists.create({ id: 'x', name: 'X', filters: { createdBy: 'ana' } as never }),
    )
    expect(unknown.code).toBe('invalid_contact_list')
    expect(unknown.issues).toContainEqual(
      expect.objectContaining({ field: 'filters.createdBy', rule: 'unknown_field' }),
    )
    const wrong = await refusal(
      engine.lists.create({
        id: 'x',
        name: 'X',
        filters: {
          rules: [
            { field: 'company.size', operator: 'greater_than', value: 'fifty' },
            { field: 'jobTitle', operator: 'in', value: 'CEO' },
          ],
        },
      }),
    )
    expect(wrong.issues.map((each) => [each.field, each.message])).toEqual([
      ['filters.rules[0].value', 'must be a number for `greater_than`'],
      ['filters.rules[1].value', 'must be a list for `in`'],
    ])
    const badOperator = await refusal(
      engine.lists.create({
        id: 'x',
        name: 'X',
        filters: { rules: [{ field: 'jobTitle', operator: 'like' as never, value: 'CEO' }] },
      }),
    )
    expect(badOperator.issues[0]?.field).toBe('filters.rules[0]')
    await engine.lists.create({ id: 'x', name: 'X' })
    const taken = await refusal(engine.lists.create({ id: 'x', name: 'Again' }))
    expect(taken.issues).toEqual([expect.objectContaining({ field: 'id', rule: 'already_exists' })])
    expect((await refusal(engine.lists.addContacts('nope', [contact('a', 'CEO')]))).code).toBe('not_found')
    expect((await refusal(engine.campaigns.useList('c', 'nope'))).code).toBe('not_found')
    expect((await refusal(engine.campaigns.useList('nope', 'x'))).code).toBe('not_found')
    const invalidLead = await refusal(
      engine.lists.addContacts('x', [{ id: 'a', profile: { professionalEmail: 'no' } }]),
    )
    expect(invalidLead.code).toBe('invalid_lead')
    expect((await engine.lists.get('x')).size).toBe(0)
    await engine.close()
  })
})
