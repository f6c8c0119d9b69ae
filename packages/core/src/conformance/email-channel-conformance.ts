import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmailAddress, EmailChannelV1, EmailMessage } from '../ports/email-channel'
import type { InboundEvent } from '../ports/inbound-event'
import { fail, show } from './conformance-messages'

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

  /** A check that runs only when the options provide what it needs; otherwise its title says why not. */
  const itWhen = (given: boolean, missing: string) =>
    given ? it : (title: string, body: () => Promise<void>) => it.skip(`${title} — skipped: ${missing}`, body)
  /** How a message quotes what arrived: a field of it, or that nothing did. */
  const arrived = (received: ReceivedEmail | undefined, field: keyof ReceivedEmail) =>
    received === undefined
      ? 'nothing arrived (received() answered undefined)'
      : `it arrived with ${field} ${show(received[field])}`

  describe(`EmailChannel v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    let channel: EmailChannelV1
    beforeAll(async () => {
      channel = await options.create()
    })
    afterAll(async () => {
      await options.destroy?.(channel)
    })

    it('declares specification v1', () => {
      expect(
        channel.specificationVersion,
        `channel.specificationVersion must be 'v1', the version of the port this suite checks — got ${show(channel.specificationVersion)}`,
      ).toBe('v1')
    })

    it("sends with the engine's Message-ID, subject, sender and recipient as given", async () => {
      const sent = message()
      const outcome = await channel.send(sent)
      expect(
        outcome,
        `send() of a plain message must answer { ok: true, messageId } with the engine's Message-ID ${sent.messageId} — it returned ${show(outcome)}`,
      ).toEqual({ ok: true, messageId: sent.messageId })
      const received = await options.received(sent.messageId)
      expect(
        received,
        `the message sent with Message-ID ${sent.messageId} must arrive at ${options.recipient} — received() found nothing with that Message-ID`,
      ).toBeDefined()
      expect(
        received?.messageId,
        `the message must arrive with the engine's Message-ID ${sent.messageId}, not one the adapter or its server made up — ${arrived(received, 'messageId')}`,
      ).toBe(sent.messageId)
      expect(
        received?.subject,
        `the message must arrive with the subject given ('Quick question') — ${arrived(received, 'subject')}`,
      ).toBe('Quick question')
      expect(
        received?.from.toLowerCase(),
        `the message must arrive from the sender given (${options.from.address}) — ${arrived(received, 'from')}`,
      ).toBe(options.from.address.toLowerCase())
      expect(
        received?.to.toLowerCase(),
        `the message must arrive addressed to the recipient given (${options.recipient}) — ${arrived(received, 'to')}`,
      ).toBe(options.recipient.toLowerCase())
      expect(
        received?.text,
        `the message must arrive with the text given ('…Would a short call next week make sense?…') — ${arrived(received, 'text')}`,
      ).toContain('Would a short call next week make sense?')
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
      const outcome = await channel.send(second)
      expect(
        outcome.ok,
        `send() of a follow-up (inReplyTo and references set) must succeed — it returned ${show(outcome)}`,
      ).toBe(true)
      const received = await options.received(second.messageId)
      expect(
        received?.inReplyTo,
        `the follow-up must arrive with In-Reply-To ${first.messageId}, the message it answers — ${arrived(received, 'inReplyTo')}`,
      ).toBe(first.messageId)
      expect(
        received?.references,
        `the follow-up must arrive with References [${first.messageId}], as given — ${arrived(received, 'references')}`,
      ).toEqual([first.messageId])
      expect(
        received?.subject,
        `the follow-up must arrive with its subject as given ('Re: Quick question') — ${arrived(received, 'subject')}`,
      ).toBe('Re: Quick question')
    })

    it('adds the signature to the text', async () => {
      const sent = message({ signature: { text: 'Ana Ruiz, Acme' } })
      await channel.send(sent)
      const received = await options.received(sent.messageId)
      expect(
        received?.text,
        `send() of a message with signature { text: 'Ana Ruiz, Acme' } must add the signature to the text — ${arrived(received, 'text')}`,
      ).toContain('Ana Ruiz, Acme')
    })

    it('refuses header values that could inject headers with a "rejected" outcome, sending nothing', async () => {
      for (const [what, unsafe] of [
        [
          'a message whose Subject holds a line break',
          message({ subject: 'Hello\r\nBcc: everyone@example.com' }),
        ],
        [
          "a message whose recipient's name holds a line break",
          message({ to: { address: options.recipient, name: 'Eva\nBcc: x@example.com' } }),
        ],
      ] as const) {
        const outcome = await channel.send(unsafe)
        expect(
          outcome,
          `send() of ${what} must refuse it (reason 'rejected'), not send it — it returned ${show(outcome)}`,
        ).toMatchObject({ ok: false, reason: 'rejected' })
        const received = await options.received(unsafe.messageId)
        expect(
          received,
          `send() of ${what} must send nothing (a header could be injected) — the recipient received it: ${show(received)}`,
        ).toBeUndefined()
      }
    })

    // Capabilities a channel may lack are checked only when the options provide them; otherwise the test is
    // skipped and its title says which option is missing.
    itWhen(
      options.refusedRecipient !== undefined,
      'no `refusedRecipient` given (a send-only setup without one)',
    )(
      'reports a recipient the server refuses permanently as "invalid_recipient" (the lead bounces)',
      async () => {
        const outcome = await channel.send(message({ to: { address: options.refusedRecipient ?? '' } }))
        expect(
          outcome,
          `send() to ${options.refusedRecipient}, which the receiving server refuses permanently (5.1.1), must answer { ok: false, reason: 'invalid_recipient' } so the lead bounces — it returned ${show(outcome)}`,
        ).toMatchObject({ ok: false, reason: 'invalid_recipient' })
      },
    )

    itWhen(
      options.reply !== undefined && options.receive !== undefined,
      'no `reply` and `receive` given (a send-only channel)',
    )(
      "delivers the recipient's reply to subscribers as reply-received, naming the message it answers",
      async () => {
        if (channel.subscribe === undefined)
          fail(
            'a channel given `reply` and `receive` must have subscribe() to deliver inbound replies — it has none',
          )
        const events: InboundEvent[] = []
        const stop = channel.subscribe(async (event) => {
          events.push(event)
        })
        try {
          const sent = message()
          await channel.send(sent)
          const received = await options.received(sent.messageId)
          if (received === undefined)
            fail(
              `the message sent with Message-ID ${sent.messageId} never arrived at ${options.recipient} (received() answered undefined), so no reply could be made`,
            )
          await options.reply?.(received)
          await options.receive?.()
          const reply = events.find((event) => event.type === 'reply-received')
          expect(
            reply,
            `after the recipient answered ${sent.messageId} and receive() ran, the channel must deliver a reply-received event (channel 'email', outOfOffice false) to its subscriber — it delivered ${show(events)}`,
          ).toMatchObject({ type: 'reply-received', channel: 'email', outOfOffice: false })
          const lead = reply?.type === 'reply-received' ? reply.lead : undefined
          const answered = [lead?.messageId, ...(lead?.messageIds ?? [])]
          expect(
            answered,
            `the reply-received event must name the message it answers (${sent.messageId}) in lead.messageId or lead.messageIds — it named ${show(answered)}`,
          ).toContain(sent.messageId)
          expect(
            lead?.email?.toLowerCase(),
            `the reply-received event must name the lead by its address in lead.email (${options.recipient}) — it named ${show(lead?.email)}`,
          ).toBe(options.recipient.toLowerCase())
        } finally {
          stop()
        }
      },
    )
  })
}
