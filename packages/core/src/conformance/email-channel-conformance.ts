import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmailAddress, EmailChannelV1, EmailMessage } from '../ports/email-channel'
import type { InboundEvent } from '../ports/inbound-event'

/** A message as the recipient's mailbox has it: the headers and text that arrived. */
export interface ReceivedEmail {
  readonly messageId: string
  readonly from: string
  readonly to: string
  readonly subject: string
  readonly inReplyTo?: string
  readonly references: readonly string[]
  readonly text: string
}

export interface EmailChannelConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /** The channel under test (one for the whole suite). */
  readonly create: () => EmailChannelV1 | Promise<EmailChannelV1>
  readonly destroy?: (channel: EmailChannelV1) => void | Promise<void>
  /** The address the channel sends from. */
  readonly from: EmailAddress
  /** An address that accepts mail. */
  readonly recipient: string
  /** What the recipient received with this Message-ID, once it has arrived (undefined if it never did). */
  readonly received: (messageId: string) => Promise<ReceivedEmail | undefined>
  /** An address the receiving server refuses permanently (5.1.1); without it that check is not run. */
  readonly refusedRecipient?: string
  /**
   * Makes the recipient answer `sent` (as a person would, quoting it), for channels that deliver inbound
   * mail; then `receive` is called until the answer is delivered to the subscriber. Without both, the
   * receiving check is not run (a send-only channel).
   */
  readonly reply?: (sent: ReceivedEmail) => Promise<void>
  readonly receive?: () => Promise<void>
}

let counter = 0
const nextKey = () =>
  `pl-conformance${(Date.now() % 1_000_000).toString(16)}${(counter++).toString(16).padStart(4, '0')}`

/**
 * The EmailChannel port's conformance suite, for an adapter's own vitest file. It sends real messages to
 * `recipient` and reads them back through `received`, so it checks what arrives, not what the adapter
 * meant to send:
 *
 * ```ts
 * emailChannelConformance({ name: 'smtp', create: () => channel, from, recipient, received })
 * ```
 */
export function emailChannelConformance(options: EmailChannelConformanceOptions): void {
  const domain = options.from.address.slice(options.from.address.indexOf('@') + 1)
  const message = (overrides: Partial<EmailMessage> = {}): EmailMessage => {
    const key = nextKey()
    return {
      idempotencyKey: key,
      messageId: `<${key}@${domain}>`,
      from: options.from,
      to: { address: options.recipient, name: 'Eva Lind' },
      subject: 'Quick question',
      text: 'Hi Eva,\n\nWould a short call next week make sense?\n\nAna',
      ...overrides,
    }
  }

  describe(`EmailChannel v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    let channel: EmailChannelV1
    beforeAll(async () => {
      channel = await options.create()
    })
    afterAll(async () => {
      await options.destroy?.(channel)
    })

    it('declares specification v1', () => {
      expect(channel.specificationVersion).toBe('v1')
    })

    it("sends with the engine's Message-ID, subject, sender and recipient as given", async () => {
      const sent = message()
      expect(await channel.send(sent)).toEqual({ ok: true, messageId: sent.messageId })
      const received = await options.received(sent.messageId)
      expect(received).toBeDefined()
      expect(received?.messageId).toBe(sent.messageId)
      expect(received?.subject).toBe('Quick question')
      expect(received?.from.toLowerCase()).toBe(options.from.address.toLowerCase())
      expect(received?.to.toLowerCase()).toBe(options.recipient.toLowerCase())
      expect(received?.text).toContain('Would a short call next week make sense?')
    })

    it('threads a follow-up: In-Reply-To and References as given, the subject kept', async () => {
      const first = message()
      await channel.send(first)
      const second = message({
        subject: 'Re: Quick question',
        inReplyTo: first.messageId,
        references: [first.messageId],
        text: 'Bumping this up.',
      })
      expect((await channel.send(second)).ok).toBe(true)
      const received = await options.received(second.messageId)
      expect(received?.inReplyTo).toBe(first.messageId)
      expect(received?.references).toEqual([first.messageId])
      expect(received?.subject).toBe('Re: Quick question')
    })

    it('adds the signature to the text', async () => {
      const sent = message({ signature: { text: 'Ana Ruiz, Acme' } })
      await channel.send(sent)
      expect((await options.received(sent.messageId))?.text).toContain('Ana Ruiz, Acme')
    })

    it('refuses header values that could inject headers with a "rejected" outcome, sending nothing', async () => {
      for (const unsafe of [
        message({ subject: 'Hello\r\nBcc: everyone@example.com' }),
        message({ to: { address: options.recipient, name: 'Eva\nBcc: x@example.com' } }),
      ]) {
        const outcome = await channel.send(unsafe)
        expect(outcome).toMatchObject({ ok: false, reason: 'rejected' })
        expect(await options.received(unsafe.messageId)).toBeUndefined()
      }
    })

    // Capabilities a channel may lack are checked only when the options provide them.
    if (options.refusedRecipient !== undefined)
      it('reports a recipient the server refuses permanently as "invalid_recipient" (the lead bounces)', async () => {
        const outcome = await channel.send(message({ to: { address: options.refusedRecipient ?? '' } }))
        expect(outcome).toMatchObject({ ok: false, reason: 'invalid_recipient' })
      })

    if (options.reply !== undefined && options.receive !== undefined)
      it("delivers the recipient's reply to subscribers as reply-received, naming the message it answers", async () => {
        if (channel.subscribe === undefined)
          throw new Error('a channel given `reply` and `receive` must have subscribe()')
        const events: InboundEvent[] = []
        const stop = channel.subscribe(async (event) => {
          events.push(event)
        })
        try {
          const sent = message()
          await channel.send(sent)
          const received = await options.received(sent.messageId)
          if (received === undefined) throw new Error('the message never arrived')
          await options.reply?.(received)
          await options.receive?.()
          const reply = events.find((event) => event.type === 'reply-received')
          expect(reply).toMatchObject({ type: 'reply-received', channel: 'email', outOfOffice: false })
          const lead = reply?.type === 'reply-received' ? reply.lead : undefined
          expect([lead?.messageId, ...(lead?.messageIds ?? [])]).toContain(sent.messageId)
          expect(lead?.email?.toLowerCase()).toBe(options.recipient.toLowerCase())
        } finally {
          stop()
        }
      })
  })
}
