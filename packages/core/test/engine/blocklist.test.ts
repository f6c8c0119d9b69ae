import { describe, expect, it } from 'vitest'
import { sequence } from '../../src/index'
import type { StorageTransaction, StorageV1 } from '../../src/ports'
import { createMemoryStorage } from '../../src/testing'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'
import { identity } from './harness'

const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .email({ id: 'last', delay: { days: 2 }, body: 'Last try' })
  .build()

const linkedin = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect', delay: { days: 1 } })
  .build()

/** A memory store that counts the scans of blocklist entries (`state` queries from a blocklist key). */
function countingStorage(): StorageV1 & { stateQueries: number } {
  const inner = createMemoryStorage()
  const counted = {
    specificationVersion: 'v1' as const,
    stateQueries: 0,
    transaction: ((workspace, work, options) =>
      inner.transaction(
        workspace,
        (tx) =>
          work({
            ...tx,
            get: tx.get.bind(tx),
            getMany: tx.getMany.bind(tx),
            put: tx.put.bind(tx),
            delete: tx.delete.bind(tx),
            query: (collection, query) => {
              if (
                collection === 'state' &&
                (query?.after === undefined || query.after.startsWith('blocklist'))
              )
                counted.stateQueries++
              return tx.query(collection, query)
            },
          } as StorageTransaction),
        options,
      )) as StorageV1['transaction'],
  }
  return counted
}

describe('the workspace blocklist', () => {
  it('after a company domain is blocked, no lead of that company gets another message in any campaign, any extension', async () => {
    const { engine, email, runUntil } = await fixture({ sequence: mail, leads: 0, launch: false })
    await engine.identities.put(identity({ id: 'bob' }))
    await engine.campaigns.create({ id: 'other', identityId: 'bob', sequence: mail })
    await engine.leads.add('c', [
      { id: 'ana-acme', profile: { firstName: 'Ana', professionalEmail: 'ana@acme.com' } },
      {
        id: 'luc-acme',
        profile: { firstName: 'Luc', professionalEmail: 'luc@mail.example', company: { domain: 'acme.fr' } },
      },
      { id: 'zoe', profile: { firstName: 'Zoe', professionalEmail: 'zoe@globex.example' } },
    ])
    await engine.leads.add('other', [
      { id: 'max-acme', profile: { firstName: 'Max', professionalEmail: 'max@sales.acme.co.uk' } },
      { id: 'ian', profile: { firstName: 'Ian', professionalEmail: 'ian@initech.example' } },
    ])
    await engine.campaigns.launch('c')
    await engine.campaigns.launch('other')
    await runUntil('2026-03-02T17:00:00Z')
    expect(email.sent).toHaveLength(5)

    const blockedAt = Date.parse('2026-03-02T17:00:00Z')
    const added = await engine.blocklist.add([{ domain: 'https://www.ACME.com/about', note: 'customer' }])
    expect(added.entries).toEqual([
      {
        kind: 'domain',
        value: 'acme',
        original: 'https://www.ACME.com/about',
        reason: 'manual',
        note: 'customer',
        at: blockedAt,
      },
    ])
    // A domain is not an index of leads: its leads are stopped when their next action comes.
    expect(added.blocked).toEqual([])

    await runUntil('2026-03-10T17:00:00Z')
    const after = email.sent.slice(5)
    expect(after.map((message) => message.to.address).sort()).toEqual([
      'ian@initech.example',
      'ian@initech.example',
      'zoe@globex.example',
      'zoe@globex.example',
    ])
    for (const [campaignId, leadId] of [
      ['c', 'ana-acme'],
      ['c', 'luc-acme'],
      ['other', 'max-acme'],
    ] as const) {
      expect(await engine.leads.get(campaignId, leadId)).toMatchObject({
        status: 'finished',
        substatus: 'blocked',
      })
    }
    expect(await engine.leads.get('c', 'zoe')).toMatchObject({ status: 'finished', substatus: 'no_response' })
    const stops = (await engine.actions({ types: ['lead-status-changed'] })).filter(
      (event) => event.detail?.why === 'blocklist',
    )
    expect(stops.map((event) => event.leadId).sort()).toEqual(['ana-acme', 'luc-acme', 'max-acme'])
    expect(stops[0]?.detail).toMatchObject({
      entry: { kind: 'domain', value: 'acme', reason: 'manual' },
      message: expect.stringContaining("the company domain 'acme'"),
    })

    // Leads of the company added later, to any campaign, under any extension, are refused.
    await engine.campaigns.create({ id: 'later', identityId: 'ana', sequence: mail })
    const again = await engine.leads.add('later', [
      { id: 'eva', profile: { professionalEmail: 'eva@acme.de' } },
      {
        id: 'kim',
        profile: { professionalEmail: 'kim@hooli.example', company: { website: 'https://acme.io' } },
      },
      { id: 'new', profile: { professionalEmail: 'new@acmeco.example' } },
    ])
    expect(again.added).toEqual(['new'])
    expect(again.skipped.map((each) => [each.leadId, each.code])).toEqual([
      ['eva', 'lead_blocklisted'],
      ['kim', 'lead_blocklisted'],
    ])
    expect(again.skipped[0]?.message).toMatch(
      /company domain 'acme' \(https:\/\/www\.ACME\.com\/about\), any extension/,
    )
    await engine.close()
  })

  it('blocks a lead by email, LinkedIn id or profile URL: enrolled leads found by index are finished at once', async () => {
    const {
      engine,
      email,
      linkedin: channel,
      runUntil,
    } = await fixture({ sequence: mail, leads: 0, launch: false })
    await engine.campaigns.create({ id: 'social', identityId: 'ana', sequence: linkedin })
    await engine.leads.add('c', [
      { id: 'a', profile: { firstName: 'A', professionalEmail: 'A@corp.example' } },
      { id: 'b', profile: { firstName: 'B', professionalEmail: 'b@corp.example' } },
    ])
    await engine.leads.add('social', [
      { id: 'p', profile: { linkedinProfileId: 'ACoAAP', linkedinUrl: 'https://linkedin.com/in/p-one' } },
      {
        id: 'u',
        profile: { linkedinProfileId: 'ACoAAU', linkedinUrl: 'https://www.linkedin.com/in/Urs-Two/' },
      },
      {
        id: 'v',
        profile: { linkedinProfileId: 'ACoAAV', linkedinUrl: 'https://www.linkedin.com/in/v-three' },
      },
    ])
    await engine.campaigns.launch('c')
    await engine.campaigns.launch('social')

    const result = await engine.blocklist.add([
      { email: 'a@CORP.example' },
      { linkedinId: 'ACoAAP' },
      { linkedinUrl: 'linkedin.com/in/urs-two?trk=people' },
    ])
    expect(result.entries.map((entry) => [entry.kind, entry.value])).toEqual([
      ['email', 'a@corp.example'],
      ['linkedinId', 'ACoAAP'],
      ['linkedinUrl', 'urs-two'],
    ])
    expect(result.blocked).toEqual([
      { campaignId: 'c', leadId: 'a' },
      { campaignId: 'social', leadId: 'p' },
    ])
    expect(await engine.leads.get('c', 'a')).toMatchObject({ status: 'finished', substatus: 'blocked' })
    expect(await engine.leads.get('social', 'p')).toMatchObject({ status: 'finished', substatus: 'blocked' })

    await runUntil('2026-03-06T17:00:00Z')
    expect(email.sent.map((message) => message.to.address)).not.toContain('A@corp.example')
    expect(email.sent.filter((message) => message.to.address === 'b@corp.example')).toHaveLength(3)
    const touched = new Set(channel.calls.map((call) => call.target.leadId))
    expect([...touched]).toEqual(['v'])
    expect(await engine.leads.get('social', 'u')).toMatchObject({ status: 'finished', substatus: 'blocked' })
    await engine.close()
  })

  it('lists entries by kind a page at a time, with complaints and opt-outs among them, and removes them', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, leads: 1 })
    await runUntil('2026-03-02T12:00:00Z')
    await engine.ingest({
      type: 'complaint-received',
      channel: 'email',
      lead: { messageId: email.sent[0]?.messageId as string },
    })
    await engine.blocklist.add([
      { domain: 'globex.example' },
      { domain: 'initech.com' },
      { email: 'zed@elsewhere.example' },
      { linkedinUrl: 'https://www.linkedin.com/in/j%C3%BCrgen-m/' },
    ])
    // Adding the same entry again keeps the first (and its date).
    const [kept] = (await engine.blocklist.add([{ domain: 'initech.fr' }])).entries
    expect(kept).toMatchObject({ kind: 'domain', value: 'initech', original: 'initech.com' })

    const seen: string[] = []
    let after: string | undefined
    do {
      const page = await engine.blocklist.list({ limit: 2, ...(after === undefined ? {} : { after }) })
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((entry) => `${entry.kind}:${entry.value}:${entry.reason}`))
      after = page.next
    } while (after !== undefined)
    expect(seen).toEqual([
      'domain:globex:manual',
      'domain:initech:manual',
      'email:l0@corp.example:complaint',
      'email:zed@elsewhere.example:manual',
      'lead:l0:complaint',
      'linkedinUrl:jürgen-m:manual',
    ])
    expect((await engine.blocklist.list({ kind: 'domain' })).items.map((entry) => entry.value)).toEqual([
      'globex',
      'initech',
    ])
    const cursor = (await engine.blocklist.list({ kind: 'domain', limit: 1 })).next as string
    expect((await refusal(engine.blocklist.list({ after: cursor }))).code).toBe('invalid_query')

    const removed = await engine.blocklist.remove([{ domain: 'globex.de' }, { email: 'nobody@x.example' }])
    expect(removed.map((entry) => entry.value)).toEqual(['globex'])
    await engine.campaigns.create({ id: 'later', identityId: 'ana', sequence: mail })
    const added = await engine.leads.add('later', [
      { id: 'g', profile: { professionalEmail: 'g@globex.example' } },
      { id: 'l0', profile: { professionalEmail: 'l0@corp.example' } },
    ])
    expect(added.added).toEqual(['g'])
    expect(added.skipped[0]?.message).toMatch(/reported a message as spam/)
    await engine.close()
  })

  it('refuses malformed entries, naming them, and writes none of them', async () => {
    const { engine } = await fixture({ sequence: mail, launch: false })
    // Four malformed entries among a valid one; then an unknown field too, which is refused first.
    const malformed = [
      { domain: 'acme.com' },
      { email: 'a@b.example', domain: 'b.example' } as never,
      { domain: 'localhost' },
      { linkedinUrl: 'https://example.com/in/ana' },
      {} as never,
    ]
    const error = await refusal(engine.blocklist.add([...malformed, { phone: '+34' } as never]))
    expect(error.code).toBe('invalid_blocklist_entry')
    expect(error.issues.map((each) => [each.field, each.rule])).toEqual([['[5].phone', 'unknown_field']])
    const second = await refusal(engine.blocklist.add(malformed))
    expect(second.issues.map((each) => [each.field, each.rule])).toEqual([
      ['[1]', 'too_many_fields'],
      ['[2].domain', 'invalid_format'],
      ['[3].linkedinUrl', 'invalid_format'],
      ['[4]', 'required'],
    ])
    expect(second.message).toMatch(/add them as separate entries/)
    expect((await engine.blocklist.list()).items).toEqual([])
    await engine.close()
  })

  it('checks a lead with keyed reads, never a scan of the blocklist', async () => {
    const storage = countingStorage()
    const { engine, runUntil } = await fixture({ sequence: mail, leads: 0, storage, launch: false })
    await engine.blocklist.add(Array.from({ length: 300 }, (_, n) => ({ domain: `company${n}.example` })))
    await engine.campaigns.launch('c')
    storage.stateQueries = 0
    const result = await engine.leads.add(
      'c',
      Array.from({ length: 50 }, (_, n) => ({
        id: `x${n}`,
        profile: { professionalEmail: `x${n}@company${n * 10}.example` },
      })),
    )
    await runUntil('2026-03-03T17:00:00Z')
    expect(result.skipped).toHaveLength(30)
    expect(storage.stateQueries).toBe(0)
    await engine.close()
  })
})
