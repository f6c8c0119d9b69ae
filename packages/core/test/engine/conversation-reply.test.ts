import { describe, expect, it } from 'vitest'
import { conversationId, sequence } from '../../src/index'
import type { EmailMessage } from '../../src/ports'
import { fixture } from './engine-fixture'

const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello {{firstName}}' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()

const linkedin = sequence().linkedinMessage({ id: 'hello', body: 'Hello {{firstName}}' }).build()

/** Runs the sequence's first email to l0, then has l0 answer it. */
async function answered(options: Parameters<typeof fixture>[0]) {
  const world = await fixture(options)
  await world.runUntil('2026-03-02T12:00:00Z')
  const first = world.email.sent.find((message) => message.to.address === 'l0@corp.example')
  await world.engine.ingest({
    type: 'reply-received',
    channel: 'email',
    lead: { messageId: first?.messageId },
    text: 'Could you send me the pricing?',
    subject: 'Re: Hi Firstl0',
    messageId: '<eva-reply@corp.example>',
  })
  return { ...world, first: first as EmailMessage, id: conversationId('ana', 'l0', 'email') }
}

describe('answering in a conversation by hand', () => {
  it("sends an email answer at once, threaded on the lead's thread, and the agent stands down", async () => {
    const { engine, email, first, id } = await answered({ sequence: mail })
    const sent = await engine.conversations.reply(id, { text: 'Of course, here it is: 20 EUR a seat.' })
    expect(sent).toMatchObject({ direction: 'outbound', author: 'person', subject: 'Re: Hi Firstl0' })
    const message = email.sent.at(-1)
    expect(message).toMatchObject({
      to: { address: 'l0@corp.example' },
      from: { address: 'ana@acme.example' },
      subject: 'Re: Hi Firstl0',
      text: 'Of course, here it is: 20 EUR a seat.',
      inReplyTo: '<eva-reply@corp.example>',
      references: [first.messageId, '<eva-reply@corp.example>'],
    })
    expect(message?.messageId).toBe(sent.messageId)
    const conversation = await engine.conversations.get(id)
    expect(conversation.needsAnswer).toBe(false)
    expect(conversation.agent.status).toBe('stood_down')
    expect(conversation.messages.map((each) => each.author)).toEqual(['sequence', 'lead', 'person'])
    expect(await engine.actions({ types: ['reply-sent'] })).toEqual([
      expect.objectContaining({ leadId: 'l0', channel: 'email', messageId: sent.messageId }),
    ])
    await engine.close()
  })

  it('sends at most once per idempotency key, and never again when the outcome was unknown', async () => {
    let lose = true
    const { engine, email, id } = await answered({
      sequence: mail,
      email: {
        respond: (message) => {
          if (message.text.startsWith('Lost') && lose) throw new Error('connection reset after DATA')
          return undefined
        },
      },
    })
    const once = await engine.conversations.reply(id, { text: 'Here you go.', idempotencyKey: 'form-1' })
    const again = await engine.conversations.reply(id, { text: 'Here you go.', idempotencyKey: 'form-1' })
    expect(again).toEqual(once)
    expect(email.sent.filter((message) => message.text === 'Here you go.')).toHaveLength(1)

    await expect(
      engine.conversations.reply(id, { text: 'Lost in the network.', idempotencyKey: 'form-2' }),
    ).rejects.toMatchObject({ code: 'channel_failed', details: { deliveryUnknown: true } })
    lose = false
    await expect(
      engine.conversations.reply(id, { text: 'Lost in the network.', idempotencyKey: 'form-2' }),
    ).rejects.toMatchObject({ code: 'channel_failed', details: { deliveryUnknown: true } })
    expect(email.attempts.filter((message) => message.text.startsWith('Lost'))).toHaveLength(1)
    expect(await engine.actions({ types: ['delivery-unknown'] })).toHaveLength(1)
    await engine.close()
  })

  it('is refused over the daily limit, saying when it reopens, and gives the charge back when not sent', async () => {
    let refuse = true
    const { engine, email, id } = await answered({
      sequence: mail,
      identity: { email: { inboxes: [{ address: 'ana@acme.example', limits: { perDay: 2, perHour: 2 } }] } },
      email: {
        respond: (message) =>
          message.text.startsWith('Try') && refuse
            ? { ok: false, reason: 'retryable', message: '421 try again later' }
            : undefined,
      },
    })
    // The sequence used one of two emails today; a refused send gives its charge back.
    await expect(engine.conversations.reply(id, { text: 'Try this' })).rejects.toMatchObject({
      code: 'channel_failed',
      isRetryable: true,
    })
    refuse = false
    await engine.conversations.reply(id, { text: 'Try this again' })
    const refusal = await engine.conversations
      .reply(id, { text: 'One more' })
      .catch((error: unknown) => error)
    expect(refusal).toMatchObject({
      code: 'limit_reached',
      details: {
        reason: 'daily_limit',
        lane: 'email:ana@acme.example',
        reopensAt: '2026-03-02T23:00:00.000Z',
      },
    })
    expect(String((refusal as Error).message)).toBe(
      "Identity 'ana' has sent its emails from ana@acme.example for today; nothing was sent. It reopens at 2026-03-02T23:00:00.000Z.",
    )
    expect(email.sent.filter((message) => message.text === 'One more')).toEqual([])
    await engine.close()
  })

  it('answers on LinkedIn through the channel, and checks its input', async () => {
    const { engine, runUntil, linkedin: channel } = await fixture({ sequence: linkedin })
    channel.connections.set('l0', 'connected')
    await runUntil('2026-03-02T12:00:00Z')
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      identityId: 'ana',
      lead: { linkedinProfileId: 'li-l0' },
      text: 'Interesting, tell me more',
    })
    const id = conversationId('ana', 'l0', 'linkedin')
    await engine.conversations.reply(id, { text: 'Happy to: when suits you?' })
    const call = channel.calls.filter((each) => each.method === 'sendMessage').at(-1)
    expect(call).toMatchObject({ accountId: 'li-ana', target: { leadId: 'l0', profileId: 'li-l0' } })
    expect(call?.request.chunks).toEqual(['Happy to: when suits you?'])
    await expect(engine.conversations.reply(id, { text: '   ' })).rejects.toThrow(/text: must not be empty/)
    await expect(engine.conversations.reply(id, { text: 'x', subject: 'Hi' })).rejects.toThrow(
      /a subject is for email conversations only/,
    )
    await expect(engine.conversations.reply(id, { text: 'x'.repeat(8001) })).rejects.toThrow(/at most 8000/)
    await expect(engine.conversations.reply('cv-nope', { text: 'x' })).rejects.toMatchObject({
      code: 'not_found',
    })
    await engine.close()
  })
})
