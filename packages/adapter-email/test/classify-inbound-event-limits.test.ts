import { parseInboundEvent } from '@paceline/core'
import fc from 'fast-check'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { classifyInbound } from '../src/receiving/classify-inbound'
import { boundedId, eventIdFor } from '../src/receiving/event-limits'
import { inboundEventFor, type MailOrigin, unattributedBounce } from '../src/receiving/inbound-event'

const OWN = new Set(['ana@acme.io'])
const rfc822 = (lines: readonly string[]) => `${lines.join('\r\n')}\r\n`

/** A Message-ID of exactly `length` characters. */
const id = (length: number, seed: number) => {
  const domain = `@h${seed}.example>`
  return `<${'m'.repeat(Math.max(1, length - domain.length - 1))}${domain}`
}
/** An address of exactly `length` characters (or the shortest possible). */
const address = (length: number) =>
  `${'a'.repeat(Math.max(1, length - '@northwind.example'.length))}@northwind.example`

/** Lengths around every limit core holds ids and addresses to, and far past them. */
const idLength = fc.oneof(
  fc.integer({ min: 12, max: 60 }),
  fc.integer({ min: 480, max: 520 }),
  fc.integer({ min: 990, max: 1_010 }),
  fc.integer({ min: 1_010, max: 20_000 }),
)
const addressLength = fc.oneof(
  fc.integer({ min: 20, max: 60 }),
  fc.integer({ min: 300, max: 340 }),
  fc.integer({ min: 340, max: 5_000 }),
)

const hostile = fc.record({
  shape: fc.constantFrom('reply', 'delivery-report', 'plain-bounce', 'complaint', 'anonymous-bounce'),
  messageId: fc.option(idLength, { nil: undefined }),
  inReplyTo: fc.option(idLength, { nil: undefined }),
  references: fc.array(idLength, { maxLength: 40 }),
  /** Thousands of short References on top of the long ones. */
  manyReferences: fc.integer({ min: 0, max: 3_000 }),
  from: addressLength,
  recipient: addressLength,
  originalId: idLength,
  subject: fc.integer({ min: 0, max: 30_000 }),
  feedbackType: fc.constantFrom('abuse', 'opt-out', 'x'.repeat(300), ''),
  receivedAt: fc.option(fc.date({ noInvalidDate: true }), { nil: undefined }),
})

type Hostile = typeof hostile extends fc.Arbitrary<infer T> ? T : never

function messageOf(h: Hostile): string {
  const references = [
    ...h.references.map((length, index) => id(length, index)),
    ...Array.from({ length: h.manyReferences }, (_, index) => `<r${index}@acme.io>`),
  ]
  const common = [
    ...(h.messageId === undefined ? [] : [`Message-ID: ${id(h.messageId, 1)}`]),
    ...(h.inReplyTo === undefined ? [] : [`In-Reply-To: ${id(h.inReplyTo, 2)}`]),
    ...(references.length === 0 ? [] : [`References: ${references.join('\r\n ')}`]),
    `Subject: ${'Quick question '.repeat(h.subject / 15)}`,
    'Date: Wed, 4 Nov 2026 10:15:01 +0100',
    'To: ana@acme.io',
  ]
  const returned = [`From: ana@acme.io`, `To: ${address(h.recipient)}`, `Message-ID: ${id(h.originalId, 3)}`]
  switch (h.shape) {
    case 'reply':
      return rfc822([`From: ${address(h.from)}`, ...common, 'Content-Type: text/plain', '', 'Sounds good.'])
    case 'delivery-report':
      return rfc822([
        'From: Mail Delivery System <MAILER-DAEMON@mx.northwind.example>',
        ...common,
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        '',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.northwind.example',
        '',
        `Final-Recipient: rfc822; ${address(h.recipient)}`,
        'Action: failed',
        'Status: 5.1.1',
        `Diagnostic-Code: smtp; 550 5.1.1 ${'no such user '.repeat(h.subject / 13)}`,
        '',
        '--r',
        'Content-Type: text/rfc822-headers',
        '',
        ...returned,
        '',
        '--r--',
      ])
    case 'plain-bounce':
      return rfc822([
        'From: MAILER-DAEMON@mx.northwind.example',
        ...common,
        'Content-Type: text/plain',
        '',
        `<${address(h.recipient)}>: host mx.northwind.example said: 550 5.1.1 User unknown`,
        '',
        '--- Below this line is a copy of the message.',
        '',
        ...returned,
      ])
    case 'complaint':
      return rfc822([
        'From: feedback@fbl.provider.example',
        ...common,
        'Content-Type: multipart/report; report-type=feedback-report; boundary="f"',
        '',
        '--f',
        'Content-Type: message/feedback-report',
        '',
        `Feedback-Type: ${h.feedbackType}`,
        'User-Agent: Fuzz/1.0',
        'Version: 1',
        `Original-Rcpt-To: <${address(h.recipient)}>`,
        '',
        '--f',
        'Content-Type: text/rfc822-headers',
        '',
        ...returned,
        '',
        '--f--',
      ])
    default:
      // Names neither the recipient nor the message: no event, but reported.
      return rfc822([
        'From: MAILER-DAEMON@mx.northwind.example',
        ...common.filter((line) => !/^(in-reply-to|references|subject)|^ /i.test(line)),
        'Subject: Mail delivery failed',
        'Content-Type: text/plain',
        '',
        'A message that you sent could not be delivered. This is a permanent error.',
      ])
  }
}

describe('events from hostile messages stay within what core accepts', () => {
  it('gives every event parseInboundEvent accepts, the same each time it reads the message', {
    timeout: 120_000,
  }, async () => {
    const shapes = new Set<string>()
    await fc.assert(
      fc.asyncProperty(hostile, async (h) => {
        const raw = messageOf(h)
        const origin: MailOrigin = {
          inbox: 'ana@acme.io',
          identityId: 'ana',
          uidValidity: '1',
          uid: 9,
          ...(h.receivedAt === undefined ? {} : { receivedAt: h.receivedAt }),
        }
        const read = async () => {
          const mail = classifyInbound(await simpleParser(raw), OWN)
          return { mail, event: inboundEventFor(mail, origin) }
        }
        const first = await read()
        shapes.add(`${h.shape}:${first.mail.kind}`)
        if (first.event === undefined) {
          // Only a bounce nobody can be named by goes without an event, and it is reported instead.
          if (first.mail.kind === 'bounce') expect(unattributedBounce(first.mail, origin)).toBeDefined()
          return
        }
        expect(() => parseInboundEvent(first.event)).not.toThrow()
        // Read again (a rebuilt mailbox, a second inbox): the same event, so the engine counts it once.
        expect((await read()).event).toEqual(first.event)
      }),
      { seed: 20261104, numRuns: 120 },
    )
    // Every shape produced what it imitates: the limits were tested on real classifications.
    for (const shape of [
      'reply:reply',
      'delivery-report:bounce',
      'plain-bounce:bounce',
      'complaint:complaint',
    ])
      expect(shapes).toContain(shape)
  })

  it('digests over-long ids the same way every time, and leaves short ones alone', () => {
    const long = id(2_000, 1)
    expect(boundedId('<short@acme.io>', 998)).toBe('<short@acme.io>')
    expect(boundedId(long, 998)).toMatch(/^<[0-9a-f]{64}@digest\.invalid>$/)
    expect(boundedId(long, 998)).toBe(boundedId(long, 998))
    expect(boundedId(long, 998)).not.toBe(boundedId(id(2_000, 2), 998))
    expect(eventIdFor(id(494, 1))).toBe(`email:${id(494, 1)}`)
    expect(eventIdFor(id(495, 1))).toMatch(/^email:<[0-9a-f]{64}@digest\.invalid>$/)
  })

  it('leaves an address longer than 320 characters out of the lead reference', async () => {
    const raw = rfc822([
      `From: ${address(321)}`,
      'To: ana@acme.io',
      'Subject: Re: Quick question',
      'In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>',
      'Content-Type: text/plain',
      '',
      'Sounds good.',
    ])
    const event = inboundEventFor(classifyInbound(await simpleParser(raw), OWN), {
      inbox: 'ana@acme.io',
      uidValidity: '1',
      uid: 1,
    })
    expect(event).toMatchObject({ type: 'reply-received', lead: { messageId: '<pl-0a1b2c3d4e5f@acme.io>' } })
    expect(event?.type === 'reply-received' ? event.lead?.email : 'not a reply').toBeUndefined()
  })
})
