import { describe, expect, it } from 'vitest'
import { conversationId, sequence } from '../../src/index'
import { fixture } from './engine-fixture'

const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello {{firstName}}' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()

const linkedin = sequence()
  .sendConnection({ id: 'invite', note: 'Hi {{firstName}}, let us connect' })
  .linkedinMessage({ id: 'hello', body: 'Thanks for connecting, {{firstName}}' })
  .build()

describe('conversations', () => {
  it('keeps every message sent and received, with the reply text, in one conversation per identity, lead and channel', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, leads: 2 })
    await runUntil('2026-03-03T12:00:00Z')
    const first = email.sent.find((message) => message.to.address === 'l0@corp.example')
    expect(first).toBeDefined()
    await engine.ingest({
      type: 'reply-received',
      channel: 'email',
      lead: { messageId: first?.messageId },
      text: 'Sounds good, tell me more',
      subject: 'Re: Hi Firstl0',
      messageId: '<reply-1@corp.example>',
      at: '2026-03-03T12:30:00Z',
    })
    const id = conversationId('ana', 'l0', 'email')
    const conversation = await engine.conversations.get(id)
    expect(conversation).toMatchObject({
      id,
      identityId: 'ana',
      leadId: 'l0',
      channel: 'email',
      campaignId: 'c',
      inbox: 'ana@acme.example',
      needsAnswer: true,
      category: 'positive',
      tags: [{ name: 'Interested', category: 'positive', source: 'ai' }],
      messageCount: 3,
    })
    expect(conversation.messages.map((message) => [message.direction, message.author, message.text])).toEqual(
      [
        ['outbound', 'sequence', 'Hello Firstl0'],
        ['outbound', 'sequence', 'Bump'],
        ['inbound', 'lead', 'Sounds good, tell me more'],
      ],
    )
    expect(conversation.messages[0]).toMatchObject({
      subject: 'Hi Firstl0',
      stepId: 'intro',
      messageId: first?.messageId,
    })
    expect(conversation.messages[2]).toMatchObject({
      messageId: '<reply-1@corp.example>',
      subject: 'Re: Hi Firstl0',
      classification: { sentiment: 'positive', outOfOffice: false, optOut: false, tags: ['Interested'] },
    })

    // Lists: newest activity first; waiting for an answer; by tag; by campaign.
    const all = await engine.conversations.list()
    expect(all.items.map((each) => each.leadId)).toEqual(['l0', 'l1'])
    expect((await engine.conversations.list({ needsAnswer: true })).items.map((each) => each.id)).toEqual([
      id,
    ])
    expect(
      (await engine.conversations.list({ needsAnswer: false })).items.map((each) => each.leadId),
    ).toEqual(['l1'])
    expect((await engine.conversations.list({ tag: 'interested' })).items.map((each) => each.id)).toEqual([
      id,
    ])
    expect((await engine.conversations.list({ campaignId: 'nope' })).items).toEqual([])
    await engine.close()
  })

  it('keeps LinkedIn invitations with a note and messages, and an out-of-office answer does not wait for an answer', async () => {
    const { engine, runUntil } = await fixture({ sequence: linkedin })
    await runUntil('2026-03-02T12:00:00Z')
    await engine.ingest({
      type: 'connection-accepted',
      identityId: 'ana',
      lead: { linkedinProfileId: 'li-l0' },
    })
    await runUntil('2026-03-03T12:00:00Z')
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      identityId: 'ana',
      lead: { linkedinProfileId: 'li-l0' },
      text: 'I am out of the office until Monday',
      outOfOffice: true,
    })
    const conversation = await engine.conversations.get(conversationId('ana', 'l0', 'linkedin'))
    expect(conversation.messages.map((message) => [message.author, message.text])).toEqual([
      ['sequence', 'Hi Firstl0, let us connect'],
      ['sequence', 'Thanks for connecting, Firstl0'],
      ['lead', 'I am out of the office until Monday'],
    ])
    expect(conversation.needsAnswer).toBe(false)
    await engine.close()
  })

  it('pages by activity without repeating or missing a conversation, also when many share one instant', async () => {
    const { engine, runUntil } = await fixture({ sequence: mail, leads: 7 })
    await runUntil('2026-03-02T18:00:00Z')
    const seen: string[] = []
    let after: string | undefined
    for (let pages = 0; pages < 10; pages++) {
      const page = await engine.conversations.list({ limit: 2, ...(after === undefined ? {} : { after }) })
      seen.push(...page.items.map((each) => each.leadId))
      if (page.next === undefined) break
      after = page.next
    }
    expect(seen.sort()).toEqual(['l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6'])
    await expect(engine.conversations.list({ after: 'garbage' })).rejects.toMatchObject({
      code: 'invalid_query',
    })
    await expect(engine.conversations.list({ limit: 0 })).rejects.toThrow(/limit/)
    await expect(engine.conversations.get('cv-nope')).rejects.toThrow(
      "No conversation 'cv-nope' in this workspace.",
    )
    await engine.close()
  })

  it('lets a person tag a conversation: the manual category wins for the positive metric and the CRM', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, leads: 2 })
    await runUntil('2026-03-02T12:00:00Z')
    for (const [lead, text] of [
      ['l0', 'Not interested, thanks'],
      ['l1', 'Yes, interested!'],
    ] as const) {
      const sent = email.sent.find((message) => message.to.address === `${lead}@corp.example`)
      await engine.ingest({
        type: 'reply-received',
        channel: 'email',
        lead: { messageId: sent?.messageId },
        text,
      })
    }
    expect((await engine.campaigns.stats('c')).positive).toBe(1)
    const l0 = conversationId('ana', 'l0', 'email')
    expect((await engine.conversations.get(l0)).category).toBe('negative')

    // A person reads l0's reply as a polite "maybe" worth a call, and l1's as a brush-off.
    const tagged = await engine.conversations.tag(l0, [{ name: 'Meeting booked', category: 'positive' }])
    expect(tagged.category).toBe('positive')
    expect(tagged.tags).toEqual([
      { name: 'Not interested', category: 'negative', source: 'ai' },
      { name: 'Meeting booked', category: 'positive', source: 'manual' },
    ])
    await engine.conversations.tag(conversationId('ana', 'l1', 'email'), [
      { name: 'Bad fit', category: 'negative' },
    ])
    const stats = await engine.campaigns.stats('c')
    expect(stats.positive).toBe(1)
    expect(stats.email.positive).toBe(1)
    expect(
      (await engine.conversations.list({ tag: 'Meeting booked' })).items.map((each) => each.leadId),
    ).toEqual(['l0'])

    // Removing the manual tag gives the AI's reading back.
    const untagged = await engine.conversations.untag(l0, ['meeting BOOKED'])
    expect(untagged.category).toBe('negative')
    expect((await engine.conversations.list({ tag: 'Meeting booked' })).items).toEqual([])
    expect(await engine.actions({ types: ['conversation-tagged'] })).toHaveLength(3)
    await expect(
      engine.conversations.tag(l0, [{ name: '', category: 'great' as never }]),
    ).rejects.toMatchObject({ code: 'invalid_options' })
    await engine.close()
  })
})
