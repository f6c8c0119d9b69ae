import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { InboundEvent, StorageV1 } from '@paceline/core/ports'
import { createMemoryStorage } from '@paceline/core/testing'
import { createSqliteStorage } from '@paceline/storage-sqlite'
import fc from 'fast-check'
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import { createEmailChannel, type EmailChannel } from '../src/index'
import { appendMessage, clearMailbox, imapAs, sendAs, serverSettings } from './servers/mailbox'

const servers = inject('mailServers')
// Ben's inbox is read here; nothing else in the suite sends to it.
const INBOX = 'ben@acme.io'
const benInbox = (mailbox?: string) => ({
  address: INBOX,
  identityId: 'ben',
  smtp: serverSettings(servers.smtp.port, INBOX, 'ben-password'),
  imap: {
    ...serverSettings(servers.imap.port, INBOX, 'ben-password'),
    ...(mailbox === undefined ? {} : { mailbox }),
  },
})

/** A real message from Eva to Ben, through the SMTP server and Dovecot, as her mail client would send it. */
const sendAsEva = (headers: { subject: string; inReplyTo?: string; references?: string[] }, text: string) =>
  sendAs(servers, 'eva@northwind.example', {
    from: 'Eva Lind <eva@northwind.example>',
    to: INBOX,
    text,
    ...headers,
  })

const rfc822 = (lines: readonly string[]) => `${lines.join('\r\n')}\r\n`
const outOfOffice = (inReplyTo: string) =>
  rfc822([
    'From: Jonas Weber <jonas@example.de>',
    `To: ${INBOX}`,
    'Subject: Automatische Antwort: Quick question',
    'Date: Mon, 2 Nov 2026 09:00:00 +0100',
    'Message-ID: <ooo-1@example.de>',
    `In-Reply-To: ${inReplyTo}`,
    'Auto-Submitted: auto-replied',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Ich bin bis zum 10. November nicht im Büro.',
  ])
const bounce = (originalMessageId: string) =>
  rfc822([
    'From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>',
    `To: ${INBOX}`,
    'Subject: Delivery Status Notification (Failure)',
    'Date: Mon, 2 Nov 2026 09:01:00 +0000',
    'Message-ID: <dsn-1@mx.google.com>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=utf-8',
    '',
    "Address not found: your message wasn't delivered to nobody@northwind.example.",
    '--b1',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; googlemail.com',
    '',
    'Final-Recipient: rfc822; nobody@northwind.example',
    'Action: failed',
    'Status: 5.1.1',
    'Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.',
    '--b1',
    'Content-Type: text/rfc822-headers',
    '',
    `From: Ben <${INBOX}>`,
    'To: nobody@northwind.example',
    'Subject: Quick question',
    `Message-ID: ${originalMessageId}`,
    '--b1--',
  ])
const ownCopy = rfc822([
  `From: Ben <${INBOX}>`,
  'To: eva@northwind.example',
  'Subject: Quick question',
  'Message-ID: <pl-own@acme.io>',
  'Content-Type: text/plain',
  '',
  'A copy of what Ben sent.',
])

describe('receiving: IMAP reading into engine events', () => {
  let storage: StorageV1
  let channel: EmailChannel | undefined
  const errors: PacelineError[] = []
  const events: InboundEvent[] = []
  const open = (options: { storage?: StorageV1; mailbox?: string; receive?: object } = {}) => {
    channel = createEmailChannel({
      inboxes: [benInbox(options.mailbox)],
      storage: options.storage ?? storage,
      receive: { idle: false, pollIntervalMs: 600_000, ...options.receive },
      onError: (error) => errors.push(error),
    })
    channel.subscribe(async (event) => {
      events.push(event)
    })
    return channel
  }

  beforeEach(async () => {
    storage = createMemoryStorage()
    errors.length = 0
    events.length = 0
    await clearMailbox(servers, INBOX)
  })
  afterEach(async () => {
    await channel?.close()
    channel = undefined
  })

  it('turns real replies, out-of-office answers and bounces into events, and reads each message once', async () => {
    const pacelineMessageId = '<pl-0a1b2c3d@acme.io>'
    const first = open()
    await first.receiveNow()
    const replyId = await sendAsEva(
      { subject: 'Re: Quick question', inReplyTo: pacelineMessageId, references: [pacelineMessageId] },
      'Sure, Thursday works.\n\nOn Mon, 2 Nov 2026 at 10:02, Ben <ben@acme.io> wrote:\n> Would a call make sense?',
    )
    await appendMessage(servers, INBOX, outOfOffice('<pl-0a1b2c3e@acme.io>'))
    await appendMessage(servers, INBOX, bounce('<pl-0a1b2c3f@acme.io>'))
    await appendMessage(servers, INBOX, ownCopy)

    expect(await first.receiveNow()).toEqual({ [INBOX]: { read: 4, delivered: 3 } })
    expect(events).toEqual([
      expect.objectContaining({
        type: 'reply-received',
        channel: 'email',
        identityId: 'ben',
        outOfOffice: false,
        lead: { email: 'eva@northwind.example', messageId: pacelineMessageId },
        subject: 'Re: Quick question',
        text: 'Sure, Thursday works.',
        eventId: `email:${replyId}`,
      }),
      expect.objectContaining({
        type: 'reply-received',
        outOfOffice: true,
        lead: { email: 'jonas@example.de', messageId: '<pl-0a1b2c3e@acme.io>' },
      }),
      expect.objectContaining({
        type: 'email-bounced',
        bounce: 'hard',
        lead: { messageId: '<pl-0a1b2c3f@acme.io>', email: 'nobody@northwind.example' },
        reason: expect.stringContaining('5.1.1'),
        eventId: 'email:<dsn-1@mx.google.com>',
      }),
    ])
    for (const event of events) if ('at' in event) expect(Date.parse(event.at ?? '')).not.toBeNaN()

    // Read again: the cursor is past them all.
    expect(await first.receiveNow()).toEqual({ [INBOX]: { read: 0, delivered: 0 } })
    expect(events).toHaveLength(3)
    expect(errors).toEqual([])
  })

  it('keeps its place across restarts in the engine storage (SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paceline-cursor-'))
    const filename = join(dir, 'engine.sqlite')
    try {
      const before = createSqliteStorage({ filename })
      const first = open({ storage: before })
      await first.receiveNow()
      await sendAsEva({ subject: 'Re: Quick question', inReplyTo: '<pl-1@acme.io>' }, 'Yes please.')
      expect(await first.receiveNow()).toEqual({ [INBOX]: { read: 1, delivered: 1 } })
      await first.close()
      await before.close()

      await sendAsEva({ subject: 'Re: Quick question', inReplyTo: '<pl-1@acme.io>' }, 'And one more thing.')
      const after = createSqliteStorage({ filename })
      const second = open({ storage: after })
      expect(await second.receiveNow()).toEqual({ [INBOX]: { read: 1, delivered: 1 } })
      await second.close()
      await after.close()
      expect(events.map((event) => (event.type === 'reply-received' ? event.text : ''))).toEqual([
        'Yes please.',
        'And one more thing.',
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('starts from the look-back window on first run, not from the beginning of the mailbox', async () => {
    const admin = await imapAs(servers, INBOX)
    try {
      const message = (id: string) =>
        rfc822([
          'From: eva@northwind.example',
          `To: ${INBOX}`,
          'Subject: Re: Old thread',
          `Message-ID: <${id}@northwind.example>`,
          '',
          'An answer.',
        ])
      // Received (IMAP INTERNALDATE) 30 and 3 days ago.
      await admin.append('INBOX', message('month-old'), [], new Date(Date.now() - 30 * 86_400_000))
      await admin.append('INBOX', message('recent'), [], new Date(Date.now() - 3 * 86_400_000))
    } finally {
      await admin.logout()
    }
    const fresh = open({ receive: { lookbackDays: 7 } })
    expect(await fresh.receiveNow()).toEqual({ [INBOX]: { read: 1, delivered: 1 } })
    expect(events.map((event) => event.eventId)).toEqual(['email:<recent@northwind.example>'])
    expect(await fresh.receiveNow()).toEqual({ [INBOX]: { read: 0, delivered: 0 } })
  })

  it('rescans when the server rebuilt the mailbox (UIDVALIDITY changed), without losing new mail', async () => {
    const mailbox = 'Replies'
    const admin = await imapAs(servers, INBOX)
    const uidValidityOf = async (path: string) => {
      const status = await admin.status(path, { uidValidity: true })
      return status === false ? undefined : status.uidValidity
    }
    try {
      await admin.mailboxDelete(mailbox).catch(() => undefined)
      await admin.mailboxCreate(mailbox)
      const reply = (id: string, text: string) =>
        rfc822([
          'From: eva@northwind.example',
          `To: ${INBOX}`,
          'Subject: Re: Quick question',
          `Message-ID: <${id}@northwind.example>`,
          'In-Reply-To: <pl-3@acme.io>',
          '',
          text,
        ])
      await admin.append(mailbox, reply('a', 'First answer.'))
      const reader = open({ mailbox })
      expect(await reader.receiveNow()).toEqual({ [INBOX]: { read: 1, delivered: 1 } })
      const before = await uidValidityOf(mailbox)

      // Rebuilt: same name, new UIDVALIDITY, UIDs start again at 1.
      await admin.mailboxDelete(mailbox)
      await admin.mailboxCreate(mailbox)
      await admin.append(mailbox, reply('a', 'First answer.'))
      await admin.append(mailbox, reply('b', 'Second answer.'))
      const rebuilt = await uidValidityOf(mailbox)
      expect(rebuilt).not.toBe(before)

      expect(await reader.receiveNow()).toEqual({ [INBOX]: { read: 2, delivered: 2 } })
      // The first answer comes again with the same event id, which the engine applies once.
      expect(events.map((event) => event.eventId)).toEqual([
        'email:<a@northwind.example>',
        'email:<a@northwind.example>',
        'email:<b@northwind.example>',
      ])
      expect(await reader.receiveNow()).toEqual({ [INBOX]: { read: 0, delivered: 0 } })
    } finally {
      await admin.mailboxDelete(mailbox).catch(() => undefined)
      await admin.logout()
    }
  })

  it('delivers new mail as it arrives (IDLE) while the engine is subscribed', {
    timeout: 20_000,
  }, async () => {
    const arrived = new Promise<InboundEvent>((resolve) => {
      channel = createEmailChannel({
        inboxes: [benInbox()],
        storage,
        receive: { idle: true, pollIntervalMs: 600_000 },
        onError: (error) => errors.push(error),
      })
      channel.subscribe(async (event) => resolve(event))
    })
    // The first pass sets the cursor; mail after it is pushed by the server.
    await channel?.receiveNow()
    const replyId = await sendAsEva({ subject: 'Re: Quick question', inReplyTo: '<pl-4@acme.io>' }, 'Pushed.')
    expect(await arrived).toMatchObject({ type: 'reply-received', eventId: `email:${replyId}` })
  })

  it('survives malformed MIME: never throws, skips nothing it can read, and keeps going', {
    timeout: 60_000,
  }, async () => {
    const reader = open()
    await reader.receiveNow()
    const valid = rfc822([
      'From: eva@northwind.example',
      `To: ${INBOX}`,
      'Subject: Re: Quick question',
      'Message-ID: <after-garbage@northwind.example>',
      'In-Reply-To: <pl-5@acme.io>',
      '',
      'Still here.',
    ])
    const garbage = fc.sample(malformedMessage(), { seed: 20261122, numRuns: 40 })
    for (const raw of garbage) await appendMessage(servers, INBOX, raw)
    await appendMessage(servers, INBOX, valid)

    const result = await reader.receiveNow()
    expect(result[INBOX]?.read).toBe(garbage.length + 1)
    expect(events.at(-1)).toMatchObject({ eventId: 'email:<after-garbage@northwind.example>' })
    // Whatever the garbage became, it is a valid engine event or nothing at all.
    for (const event of events) expect(['reply-received', 'email-bounced']).toContain(event.type)
    expect(await reader.receiveNow()).toEqual({ [INBOX]: { read: 0, delivered: 0 } })
  })

  it('moves past an event refused for good, and holds one that failed for now until it is delivered', async () => {
    let storageDown = true
    const delivered: string[] = []
    channel = createEmailChannel({
      inboxes: [benInbox()],
      storage,
      receive: { idle: false, pollIntervalMs: 600_000 },
      onError: (error) => errors.push(error),
    })
    channel.subscribe(async (event) => {
      const text = event.type === 'reply-received' ? (event.text ?? '') : ''
      if (text.includes('refused'))
        throw new PacelineError(PacelineErrorCodes.invalidEvent, 'Inbound event has 1 problem', {
          details: { deadLetterId: 'dead-letter:1' },
        })
      if (text.includes('later') && storageDown) throw new Error('database is locked')
      delivered.push(text)
    })
    await channel.receiveNow()
    await sendAsEva({ subject: 'Re: Quick question', inReplyTo: '<pl-7@acme.io>' }, 'This one is refused.')
    await sendAsEva({ subject: 'Re: Quick question', inReplyTo: '<pl-7@acme.io>' }, 'Answer me later.')
    await sendAsEva({ subject: 'Re: Quick question', inReplyTo: '<pl-7@acme.io>' }, 'And a third.')

    // The refused one is passed (and reported); the pass stops at the one that failed for now.
    await expect(channel.receiveNow()).rejects.toThrow(/database is locked/)
    expect(delivered).toEqual([])
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'invalid_event',
        details: expect.objectContaining({ deadLetterId: 'dead-letter:1' }),
      }),
    ])
    expect(errors[0]?.message).toMatch(
      /Skipped message UID \d+ in ben@acme\.io: the engine refused its reply-received event for good/,
    )

    // Once the storage is back, the held message and the one after it arrive, each once; the refused one is not read again.
    storageDown = false
    expect(await channel.receiveNow()).toEqual({ [INBOX]: { read: 2, delivered: 2 } })
    expect(delivered).toEqual(['Answer me later.', 'And a third.'])
    expect(await channel.receiveNow()).toEqual({ [INBOX]: { read: 0, delivered: 0 } })
    expect(errors).toHaveLength(1)
  })

  it('reports a bounce that names nobody instead of dropping it silently', async () => {
    const reader = open()
    await reader.receiveNow()
    await appendMessage(
      servers,
      INBOX,
      rfc822([
        'From: Mail Delivery System <MAILER-DAEMON@mx.northwind.example>',
        `To: ${INBOX}`,
        'Subject: Undelivered Mail Returned to Sender',
        'Message-ID: <nameless-bounce@mx.northwind.example>',
        'Content-Type: text/plain',
        '',
        'This is the mail system. Your message could not be delivered.',
        '550 5.1.1 User unknown',
      ]),
    )
    expect(await reader.receiveNow()).toEqual({ [INBOX]: { read: 1, delivered: 0 } })
    expect(errors).toEqual([
      expect.objectContaining({
        code: 'channel_failed',
        message: expect.stringMatching(
          /hard bounce in ben@acme\.io .*names neither the recipient nor the message/,
        ),
        details: expect.objectContaining({ bounce: 'hard', status: '5.1.1' }),
      }),
    ])
  })

  it('reports refused IMAP credentials as a disconnected identity, and keeps retrying', async () => {
    const disconnected = new Promise<InboundEvent>((resolve) => {
      channel = createEmailChannel({
        inboxes: [{ ...benInbox(), imap: { ...benInbox().imap, auth: { user: INBOX, password: 'wrong' } } }],
        storage,
        receive: { idle: false },
        onError: (error) => errors.push(error),
      })
      channel.subscribe(async (event) => resolve(event))
    })
    expect(await disconnected).toEqual({
      type: 'channel-disconnected',
      identityId: 'ben',
      channel: 'email',
      inbox: INBOX,
    })
    expect(errors[0]).toMatchObject({ code: 'channel_failed', details: { authentication: true } })
    expect(errors[0]?.message).toMatch(/app password/)
    expect(errors[0]?.message).not.toContain('wrong')
  })

  afterAll(() => clearMailbox(servers, INBOX))
})

/** Messages real servers end up storing: cut short, mis-declared, with broken structure or encodings. */
function malformedMessage(): fc.Arbitrary<string> {
  const header = fc.constantFrom(
    'Content-Type: multipart/mixed; boundary="never-closed"',
    'Content-Type: multipart/report; report-type=delivery-status; boundary=x',
    'Content-Type: text/plain; charset=x-unknown-charset',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Type: message/rfc822',
    'From: =?utf-8?B?broken?= <>',
    'From: mailer-daemon@example.com',
    'Subject: =?iso-8859-1?Q?=E9t=E9_=?=',
    'In-Reply-To: <<<>>>',
    'References: <a@b> <c@d',
    'Auto-Submitted: auto-replied',
    'Date: not a date',
    `X-Long: ${'a'.repeat(20_000)}`,
  )
  const body = fc.oneof(
    fc.string({ maxLength: 500 }),
    fc.constant('--never-closed\r\nContent-Type: text/plain\r\n\r\nhalf'),
    fc.constant('--x\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\nStatus: 5.'),
    fc.constant('====not base64===='),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  )
  return (
    fc
      .tuple(fc.array(header, { maxLength: 6 }), body)
      // IMAP APPEND needs a non-empty message with a header; line endings are normalised by the server.
      .map(
        ([headers, text]) =>
          `${['Subject: fuzz', ...headers].join('\r\n')}\r\n\r\n${text.replace(/\0/g, '')}\r\n`,
      )
  )
}
