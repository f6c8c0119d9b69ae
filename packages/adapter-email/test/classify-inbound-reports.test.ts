import { parseInboundEvent } from '@paceline/core'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { classifyInbound, type InboundMail } from '../src/receiving/classify-inbound'
import { readPlainBounce } from '../src/receiving/delivery-status'
import { inboundEventFor, type MailOrigin, unattributedBounce } from '../src/receiving/inbound-event'
import { verpRecipient } from '../src/receiving/returned-message'

const OWN = new Set(['ana@acme.io'])
const ORIGIN: MailOrigin = { inbox: 'ana@acme.io', uidValidity: '7', uid: 42 }

const rfc822 = (lines: readonly string[]) => `${lines.join('\r\n')}\r\n`

async function classify(raw: string): Promise<InboundMail> {
  return classifyInbound(await simpleParser(raw), OWN)
}

/** A plain-text bounce as a mail system writes it, from `from`, with the extra headers given. */
const plainBounce = (from: string, headers: readonly string[] = [], body?: readonly string[]) =>
  rfc822([
    `From: ${from}`,
    'To: ana@acme.io',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Wed, 4 Nov 2026 10:15:01 +0100',
    'Message-ID: <bounce-1@mx.northwind.example>',
    ...headers,
    'Content-Type: text/plain; charset=utf-8',
    '',
    ...(body ?? [
      'I am sorry to inform you that your message could not be delivered to one or more recipients.',
      '',
      '<eva@northwind.example>: host mx.northwind.example said: 550 5.1.1 User unknown',
      '',
      '--- Below this line is a copy of the message.',
      '',
      'From: Ana Ruiz <ana@acme.io>',
      'To: eva@northwind.example',
      'Subject: Quick question',
      'Message-ID: <pl-0a1b2c3d4e5f@acme.io>',
    ]),
  ])

describe('spam complaints (RFC 5965 feedback reports)', () => {
  const arf = (feedbackType: string, extra: readonly string[] = []) =>
    rfc822([
      'From: Mail Feedback <feedback@fbl.mailprovider.example>',
      'To: fbl@acme.io',
      'Subject: Abuse report',
      'Date: Wed, 4 Nov 2026 14:20:39 +0000',
      'Message-ID: <report-9@fbl.mailprovider.example>',
      // A feedback loop answering the thread must still be a complaint, not a reply.
      'In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"',
      '',
      '--arf',
      'Content-Type: text/plain',
      '',
      'This is an email abuse report.',
      '',
      '--arf',
      'Content-Type: message/feedback-report',
      '',
      `Feedback-Type: ${feedbackType}`,
      'User-Agent: SomeGenerator/1.0',
      'Version: 1',
      ...extra,
      '',
      '--arf',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Ana Ruiz <ana@acme.io>',
      'To: Eva Lind <eva@northwind.example>',
      'Subject: Quick question',
      'Message-ID: <pl-0a1b2c3d4e5f@acme.io>',
      '',
      '--arf--',
    ])

  it('reads a feedback report as a complaint, never as a reply', async () => {
    const result = await classify(arf('abuse', ['Original-Rcpt-To: <Eva@Northwind.example>']))
    expect(result).toEqual({
      kind: 'complaint',
      feedbackType: 'abuse',
      recipient: 'eva@northwind.example',
      originalMessageId: '<pl-0a1b2c3d4e5f@acme.io>',
      messageId: '<report-9@fbl.mailprovider.example>',
    })
  })

  it('names the complainer from the returned headers when the report gives no Original-Rcpt-To', async () => {
    expect(await classify(arf('fraud'))).toMatchObject({
      kind: 'complaint',
      feedbackType: 'fraud',
      recipient: 'eva@northwind.example',
    })
  })

  it('maps a complaint to complaint-received, with the inbox that read it', async () => {
    const complaint = await classify(arf('abuse', ['Original-Rcpt-To: eva@northwind.example']))
    const event = inboundEventFor(complaint, { ...ORIGIN, receivedAt: new Date('2026-11-04T14:20:41Z') })
    expect(event).toEqual({
      type: 'complaint-received',
      channel: 'email',
      lead: { email: 'eva@northwind.example', messageId: '<pl-0a1b2c3d4e5f@acme.io>' },
      inbox: 'ana@acme.io',
      feedbackType: 'abuse',
      eventId: 'email:<report-9@fbl.mailprovider.example>',
      at: '2026-11-04T14:20:41.000Z',
    })
    expect(() => parseInboundEvent(event)).not.toThrow()
    // A complaint that names nobody still counts against the inbox.
    const anonymous = inboundEventFor({ kind: 'complaint' }, ORIGIN)
    expect(anonymous).toEqual({
      type: 'complaint-received',
      channel: 'email',
      inbox: 'ana@acme.io',
      eventId: 'email:ana@acme.io:7:42',
    })
    expect(() => parseInboundEvent(anonymous)).not.toThrow()
  })
})

describe('bounces from senders other than mailer-daemon@ and postmaster@', () => {
  it.each([
    ['MAILER-DAEMON without a domain', 'Mail Delivery Subsystem <MAILER-DAEMON>'],
    ['Mail.Delivery.System@', 'Mail Delivery System <Mail.Delivery.System@mx44.northwind.example>'],
    ['post_master@', 'post_master@vtext.northwind.example'],
  ])('reads a bounce from %s as a bounce, even when it carries In-Reply-To', async (_label, from) => {
    const result = await classify(plainBounce(from, ['In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>']))
    expect(result).toMatchObject({
      kind: 'bounce',
      bounce: 'hard',
      status: '5.1.1',
      recipient: 'eva@northwind.example',
      originalMessageId: '<pl-0a1b2c3d4e5f@acme.io>',
    })
  })

  it('reads an automatic bounce from a sender that is only a name as a bounce, not an absence notice', async () => {
    const raw = plainBounce('mailer-daemon', ['Auto-Submitted: auto-replied']).replace(
      'Subject: Undelivered Mail Returned to Sender',
      'Subject: There was an error sending your mail',
    )
    expect(await classify(raw)).toMatchObject({ kind: 'bounce', recipient: 'eva@northwind.example' })
  })

  it("reads a provider's no-reply report with the message returned as a bounce", async () => {
    const raw = rfc822([
      'From: no-reply@mail.provider.example',
      'To: ana@acme.io',
      'Subject: Mail error notice',
      'Date: Wed, 4 Nov 2026 10:15:01 +0100',
      'Message-ID: <notice-1@mail.provider.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Your mail sent on: Wed, 4 Nov 2026 10:00:00 +0100',
      '     Could not be delivered to: <eva@northwind.example>',
      '     As their mailbox is full.',
      '',
      '--b',
      'Content-Type: message/rfc822',
      '',
      'From: Ana Ruiz <ana@acme.io>',
      'To: eva@northwind.example',
      'Message-ID: <pl-0a1b2c3d4e5f@acme.io>',
      'Subject: Quick question',
      '',
      'Hi Eva',
      '--b--',
    ])
    expect(await classify(raw)).toMatchObject({
      kind: 'bounce',
      recipient: 'eva@northwind.example',
      originalMessageId: '<pl-0a1b2c3d4e5f@acme.io>',
    })
  })

  it("reads a mailing-list manager's rejection as a bounce, not a reply", async () => {
    const raw = plainBounce(
      'owner-sales-team@lists.northwind.example',
      ['In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>', 'List-Id: <sales-team.lists.northwind.example>'],
      [
        'You are not a member of this mailing list <sales-team@lists.northwind.example>.',
        'Your message has been rejected.',
      ],
    ).replace('Subject: Undelivered Mail Returned to Sender', 'Subject: Re: Quick question')
    expect(await classify(raw)).toMatchObject({
      kind: 'bounce',
      originalMessageId: '<pl-0a1b2c3d4e5f@acme.io>',
    })
  })

  it("reads a security gateway's report from an address of its own as a bounce", async () => {
    const raw = rfc822([
      'From: Symantec_AntiVirus_for_SMTP_Gateways@northwind.example',
      'To: ana@acme.io',
      'Subject: Delivery failure notification',
      'In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>',
      'Content-Type: text/plain',
      '',
      'Your message with Subject: Quick question',
      'could not be delivered to the following recipients:',
      '',
      'eva@northwind.example',
    ])
    expect(await classify(raw)).toMatchObject({ kind: 'bounce', recipient: 'eva@northwind.example' })
  })

  it('still reads a person who writes about failed deliveries, and an absence notice quoting them, as answers', async () => {
    const reply = rfc822([
      'From: Eva Lind <eva@northwind.example>',
      'To: ana@acme.io',
      'Subject: Re: Are your emails undeliverable?',
      'In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>',
      'Content-Type: text/plain',
      '',
      'Some of our emails are not delivered to Outlook users, and a few were rejected last week.',
      'Could we talk on Thursday?',
      '',
      'On Tue, 3 Nov 2026 at 09:00, Ana Ruiz <ana@acme.io> wrote:',
      '> When your message could not be delivered to the following recipients, you lose the deal.',
    ])
    expect(await classify(reply)).toMatchObject({ kind: 'reply' })
    const away = reply
      .replace('Subject: Re:', 'Subject: Automatic reply:')
      .replace('Content-Type:', 'Return-Path: <>\r\nAuto-Submitted: auto-replied\r\nContent-Type:')
    expect(await classify(away)).toMatchObject({ kind: 'out-of-office' })
  })
})

describe('what a delivery report says', () => {
  it('reads status codes from Status fields and SMTP replies, never from an IP address', async () => {
    const text = [
      'This is the mail system at host mail.acme.io.',
      '',
      '<eva@northwind.example>: connect to mx.northwind.example[4.79.181.168]:25: Connection timed out',
    ].join('\n')
    const read = readPlainBounce(text, OWN)
    expect(read.status).toBeUndefined()
    expect(read.recipient).toBe('eva@northwind.example')
    expect(readPlainBounce(`${text}\nhost 4.79.181.168 said: 452 4.2.2 Mailbox full`, OWN)).toMatchObject({
      bounce: 'soft',
      status: '4.2.2',
    })
    const result = await classify(plainBounce('MAILER-DAEMON@mail.acme.io', [], text.split('\n')))
    expect(result).toMatchObject({ kind: 'bounce', recipient: 'eva@northwind.example' })
    expect(result.kind === 'bounce' ? result.status : 'not a bounce').toBeUndefined()
  })

  it('reads a report of delivery (Action: delivered, relayed, expanded, deliverable) as no bounce', async () => {
    for (const action of ['delivered', 'relayed', 'expanded', 'deliverable']) {
      const raw = rfc822([
        'From: Mail Delivery System <MAILER-DAEMON@mail.acme.io>',
        'To: ana@acme.io',
        'Subject: Delivery Status Notification (Relay)',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        '',
        '--r',
        'Content-Type: text/plain',
        '',
        'This is the mail system at host mail.acme.io. Your message was successfully delivered.',
        '',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mail.acme.io',
        '',
        'Final-Recipient: rfc822; eva@northwind.example',
        `Action: ${action}`,
        'Status: 2.0.0',
        '',
        '--r--',
      ])
      expect(await classify(raw), action).toMatchObject({ kind: 'other' })
    }
  })

  it('names the recipient a VERP return address encodes when the bounce names nobody', async () => {
    expect(verpRecipient('bounces+eva=northwind.example@acme.io')).toBe('eva@northwind.example')
    expect(verpRecipient('sales-bounces+eva.lind=mail.northwind.example@lists.acme.io')).toBe(
      'eva.lind@mail.northwind.example',
    )
    expect(verpRecipient('ana@acme.io')).toBeUndefined()
    const raw = plainBounce(
      'MAILER-DAEMON@mail.acme.io',
      [],
      ['Delivery has failed: the mailbox is unavailable.'],
    ).replace('To: ana@acme.io', 'To: bounces+eva=northwind.example@acme.io')
    expect(await classify(raw)).toMatchObject({ kind: 'bounce', recipient: 'eva@northwind.example' })
  })

  it("names the recipient from the returned headers' To when the report names nobody", async () => {
    const raw = rfc822([
      'From: Mail Delivery System <MAILER-DAEMON@mail.acme.io>',
      'To: ana@acme.io',
      'Subject: Undelivered Mail Returned to Sender',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
      '',
      '--r',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mail.acme.io',
      '',
      'Action: failed',
      'Status: 5.0.0',
      '',
      '--r',
      'Content-Type: text/rfc822-headers',
      '',
      'From: Ana Ruiz <ana@acme.io>',
      'To: "Lind, Eva" <Eva@Northwind.example>',
      'Subject: Quick question',
      '',
      '--r--',
    ])
    expect(await classify(raw)).toMatchObject({
      kind: 'bounce',
      bounce: 'hard',
      recipient: 'eva@northwind.example',
    })
  })
})

describe('bounces nobody can attribute', () => {
  const anonymous = plainBounce(
    'MAILER-DAEMON@mail.acme.io',
    [],
    [
      'This message was created automatically by mail delivery software.',
      'A message that you sent could not be delivered to one or more of its recipients.',
      'This is a permanent error.',
    ],
  )

  it('gives no event core would refuse, and tells the caller what to report instead', async () => {
    const result = await classify(anonymous)
    expect(result).toMatchObject({ kind: 'bounce', bounce: 'hard' })
    expect(inboundEventFor(result, ORIGIN)).toBeUndefined()
    const lost = unattributedBounce(result, ORIGIN)
    expect(lost).toMatchObject({ bounce: 'hard', messageId: '<bounce-1@mx.northwind.example>' })
    expect(lost?.summary).toContain('ana@acme.io')
    expect(lost?.summary).toContain('<bounce-1@mx.northwind.example>')
  })

  it('says nothing of bounces that do get an event, nor of other mail', async () => {
    const attributed = await classify(plainBounce('MAILER-DAEMON@mail.acme.io'))
    const event = inboundEventFor(attributed, ORIGIN)
    expect(event).toMatchObject({ type: 'email-bounced', bounce: 'hard' })
    expect(() => parseInboundEvent(event)).not.toThrow()
    expect(unattributedBounce(attributed, ORIGIN)).toBeUndefined()
    expect(unattributedBounce({ kind: 'other', reason: 'newsletter' }, ORIGIN)).toBeUndefined()
  })
})
