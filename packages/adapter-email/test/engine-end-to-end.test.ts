import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { conversationId, createEngine, type Engine, sequence } from '@paceline/core'
import { VirtualClock } from '@paceline/core/testing'
import { createSqliteStorage, type SqliteStorage } from '@paceline/storage-sqlite'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { runEngineUntil } from '../../../test-support/run-engine-until'
import { createEmailChannel, type EmailChannel } from '../src/index'
import { appendMessage, listMessages, sendAs, serverSettings } from './servers/mailbox'

const servers = inject('mailServers')
const SALES = 'sales@acme.io'
const threeSteps = sequence()
  .email({
    id: 'intro',
    subject: 'Quick question, {{firstName}}',
    body: 'Hi {{firstName}},\n\nA short call?',
  })
  .email({ id: 'bump', delay: { days: 1 }, body: 'Bumping this up.' })
  .email({ id: 'last', delay: { days: 2 }, body: 'Last one from me.' })
  .build()

const leads = [
  { id: 'eva', profile: { firstName: 'Eva', lastName: 'Lind', professionalEmail: 'eva@northwind.example' } },
  { id: 'liam', profile: { firstName: 'Liam', lastName: 'Ng', professionalEmail: 'liam@northwind.example' } },
  {
    id: 'dana',
    profile: { firstName: 'Dana', lastName: 'Roe', professionalEmail: 'dana@northwind.example' },
  },
  // The server takes the message, then answers 552 5.2.2 (mailbox full): a bounce at send time.
  {
    id: 'full',
    profile: { firstName: 'Fay', lastName: 'Ull', professionalEmail: 'full-e2e@northwind.example' },
  },
]

/** A DSN as a receiving server sends it back to the sender (RFC 3464). */
const dsn = (options: { id: string; recipient: string; original: string; action: string; status: string }) =>
  [
    'From: Mail Delivery System <MAILER-DAEMON@mx.northwind.example>',
    `To: ${SALES}`,
    `Subject: ${options.action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)'}`,
    `Message-ID: <${options.id}@mx.northwind.example>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="dsn"',
    '',
    '--dsn',
    'Content-Type: text/plain',
    '',
    'This is the mail system at host mx.northwind.example.',
    '--dsn',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.northwind.example',
    '',
    `Final-Recipient: rfc822; ${options.recipient}`,
    `Action: ${options.action}`,
    `Status: ${options.status}`,
    `Diagnostic-Code: smtp; ${options.status.startsWith('5') ? '550 5.1.1 User unknown' : '451 4.4.1 Connection timed out'}`,
    '--dsn',
    'Content-Type: text/rfc822-headers',
    '',
    `From: ${SALES}`,
    `To: ${options.recipient}`,
    `Message-ID: ${options.original}`,
    '--dsn--',
    '',
  ].join('\r\n')

describe('the engine sending and receiving through a real mail server', () => {
  let dir: string
  let storage: SqliteStorage
  let email: EmailChannel
  let engine: Engine
  let unsubscribe: () => void
  // Monday 23 November 2026, 07:00 in Madrid: the first sends wait for 09:00.
  const clock = new VirtualClock('2026-11-23T06:00:00Z')

  const runUntil = (until: string) => runEngineUntil(engine, clock, until)
  const sentTo = async (leadId: string) =>
    (await engine.actions({ types: ['message-sent'] }))
      .filter((action) => action.leadId === leadId)
      .map((action) => action.messageId ?? '')
  /** The lead's mailbox, only the messages this campaign sent, in the order it sent them. */
  const receivedBy = async (address: string, messageIds: readonly string[]) => {
    const mails = await Promise.all(
      (await listMessages(servers, address)).map((stored) => simpleParser(stored.raw)),
    )
    return messageIds.map((id) => mails.find((mail) => mail.messageId === id))
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'paceline-e2e-'))
    storage = createSqliteStorage({ filename: join(dir, 'engine.sqlite'), onWarning: () => {} })
    email = createEmailChannel({
      storage,
      inboxes: [
        {
          address: SALES,
          identityId: 'ana',
          smtp: serverSettings(servers.smtp.port, SALES, 'sales-password'),
          imap: serverSettings(servers.imap.port, SALES, 'sales-password'),
        },
      ],
      receive: { idle: false, pollIntervalMs: 600_000 },
    })
    engine = createEngine({ storage, email, clock, random: 1 })
    // What engine.start() does, without its real-time loop: the test moves time itself.
    unsubscribe = email.subscribe(async (event) => {
      await engine.ingest(event)
    })
    await engine.identities.put({
      id: 'ana',
      name: 'Ana Ruiz',
      workingHours: { timezone: 'Europe/Madrid', days: ['mon', 'tue', 'wed', 'thu', 'fri'] },
      email: { inboxes: [{ address: SALES, limits: { perDay: 50 } }] },
    })
    await engine.campaigns.create({ id: 'e2e', identityId: 'ana', sequence: threeSteps })
    await engine.leads.add('e2e', leads)
    await engine.campaigns.launch('e2e')
  })
  afterAll(async () => {
    unsubscribe()
    await engine.close()
    await email.close()
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends a 3-step thread, stops on a real reply, and finishes bounced leads', async () => {
    await runUntil('2026-11-23T17:00:00Z')
    const [evaFirst] = await sentTo('eva')
    const [danaFirst] = await sentTo('dana')
    const [liamFirst] = await sentTo('liam')
    expect(evaFirst).toMatch(/^<.+@acme\.io>$/)
    expect((await engine.leads.get('e2e', 'full')).substatus).toBe('bounced')

    // Eva answers from her mail client; Dana's server reports her address gone; Liam's is slow.
    const [evaReceived] = await receivedBy('eva@northwind.example', [evaFirst ?? ''])
    await sendAs(servers, 'eva@northwind.example', {
      from: 'Eva Lind <eva@northwind.example>',
      to: SALES,
      subject: `Re: ${evaReceived?.subject}`,
      inReplyTo: evaFirst,
      references: [evaFirst ?? ''],
      text: 'Sure, Thursday at 10?\n\n> Hi Eva,\n> A short call?',
    })
    await appendMessage(
      servers,
      SALES,
      dsn({
        id: 'hard',
        recipient: 'dana@northwind.example',
        original: danaFirst ?? '',
        action: 'failed',
        status: '5.1.1',
      }),
    )
    await appendMessage(
      servers,
      SALES,
      dsn({
        id: 'soft',
        recipient: 'liam@northwind.example',
        original: liamFirst ?? '',
        action: 'delayed',
        status: '4.4.1',
      }),
    )
    expect(await email.receiveNow()).toEqual({ [SALES]: { read: 3, delivered: 3 } })

    expect((await engine.leads.get('e2e', 'eva')).status).toBe('replied')
    expect((await engine.leads.get('e2e', 'dana')).substatus).toBe('bounced')
    expect((await engine.leads.get('e2e', 'liam')).status).toBe('in_progress')

    await runUntil('2026-11-27T17:00:00Z')
    expect(await sentTo('eva')).toHaveLength(1)
    expect(await sentTo('dana')).toHaveLength(1)
    const liam = await sentTo('liam')
    expect(liam).toHaveLength(3)
    const [one, two, three] = await receivedBy('liam@northwind.example', liam)
    expect(one?.subject).toBe('Quick question, Liam')
    expect(two?.subject).toBe('Re: Quick question, Liam')
    expect(two?.inReplyTo).toBe(liam[0])
    expect(three?.subject).toBe('Re: Quick question, Liam')
    expect(three?.inReplyTo).toBe(liam[1])
    expect(three?.references).toEqual([liam[0], liam[1]])
    expect(three?.text).toContain('Last one from me.')
    expect((await engine.leads.get('e2e', 'liam')).status).toBe('finished')
    const bounces = await engine.actions({ types: ['email-bounced'] })
    expect(bounces.map((bounce) => [bounce.leadId, bounce.detail?.bounce])).toEqual(
      expect.arrayContaining([
        ['dana', 'hard'],
        ['liam', 'soft'],
      ]),
    )
  })

  it("keeps Eva's reply in her conversation, and a person's answer reaches her mailbox in the same thread", async () => {
    const id = conversationId('ana', 'eva', 'email')
    const conversation = await engine.conversations.get(id)
    const reply = conversation.messages.find((message) => message.author === 'lead')
    expect(reply).toMatchObject({ text: 'Sure, Thursday at 10?', channel: 'email' })
    expect(reply?.messageId).toMatch(/^<.+@/)
    const [evaFirst] = await sentTo('eva')

    const answer = await engine.conversations.reply(id, {
      text: 'Thursday at 10 it is. I will send an invite.',
    })
    const [received] = await receivedBy('eva@northwind.example', [answer.messageId ?? ''])
    expect(received?.subject).toBe('Re: Quick question, Eva')
    expect(received?.inReplyTo).toBe(reply?.messageId)
    expect(received?.references).toEqual([evaFirst, reply?.messageId])
    expect(received?.text).toContain('Thursday at 10 it is.')
    expect((await engine.conversations.get(id)).needsAnswer).toBe(false)
  })
})
