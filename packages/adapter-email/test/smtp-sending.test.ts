import type { EmailMessage } from '@paceline/core/ports'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createEmailChannel, type EmailChannel } from '../src/index'
import { listMessages, submissionsOf } from './servers/mailbox'

const servers = inject('mailServers')
const smtp = (password = 'ana-password') => ({
  host: servers.smtp.host,
  port: servers.smtp.port,
  security: 'none' as const,
  auth: { user: 'ana@acme.io', password },
  timeoutMs: 5_000,
})

let sequence = 0
const message = (to: string, overrides: Partial<EmailMessage> = {}): EmailMessage => {
  const key = `pl-smtp${Date.now().toString(16)}${(sequence++).toString(16).padStart(4, '0')}`
  return {
    idempotencyKey: key,
    messageId: `<${key}@acme.io>`,
    from: { address: 'ana@acme.io', name: 'Ana Ruiz' },
    to: { address: to, name: 'Eva Lind' },
    subject: 'Quick question',
    text: 'Hi Eva,\n\nWould a short call next week make sense?\n\nAna',
    ...overrides,
  }
}

/** The messages in a mailbox with this Message-ID, as received. */
async function inMailbox(address: string, messageId: string) {
  const found = []
  for (const stored of await listMessages(servers, address)) {
    const mail = await simpleParser(stored.raw)
    if (mail.messageId === messageId) found.push({ mail, raw: stored.raw })
  }
  return found
}

describe('sending through a real SMTP server into a real mailbox', () => {
  let channel: EmailChannel
  beforeAll(() => {
    channel = createEmailChannel({ inboxes: [{ address: 'ana@acme.io', smtp: smtp() }] })
  })
  afterAll(() => channel.close())

  it('delivers a 3-step threaded sequence with the headers the engine asked for', async () => {
    const first = message('eva@northwind.example')
    const second = message('eva@northwind.example', {
      subject: 'Re: Quick question',
      text: 'Bumping this up.',
      inReplyTo: first.messageId,
      references: [first.messageId],
    })
    const third = message('eva@northwind.example', {
      subject: 'Re: Quick question',
      text: 'Last one from me.',
      inReplyTo: second.messageId,
      references: [first.messageId, second.messageId],
      signature: { text: 'Ana Ruiz\nAcme', html: '<p><b>Ana Ruiz</b><br>Acme</p>' },
    })
    for (const each of [first, second, third])
      expect(await channel.send(each)).toEqual({ ok: true, messageId: each.messageId })

    const [one] = await inMailbox('eva@northwind.example', first.messageId)
    const [two] = await inMailbox('eva@northwind.example', second.messageId)
    const [three] = await inMailbox('eva@northwind.example', third.messageId)
    expect(one?.mail.subject).toBe('Quick question')
    expect(one?.mail.inReplyTo).toBeUndefined()
    expect(two?.mail.subject).toBe('Re: Quick question')
    expect(two?.mail.inReplyTo).toBe(first.messageId)
    expect(two?.mail.references).toBe(first.messageId)
    expect(three?.mail.inReplyTo).toBe(second.messageId)
    expect(three?.mail.references).toEqual([first.messageId, second.messageId])
    expect(three?.mail.text).toContain('Last one from me.\n\n-- \nAna Ruiz\nAcme')
    expect(three?.mail.html).toContain('<b>Ana Ruiz</b>')
    expect(three?.raw).toMatch(/Content-Type: multipart\/alternative/i)
    expect(one?.mail.from?.value[0]).toEqual({ address: 'ana@acme.io', name: 'Ana Ruiz' })
    expect(one?.mail.attachments).toHaveLength(0)
  })

  it('classifies what the server answers: 5.1.1 bounces, 4xx retries, 5.2.2 is a bounce too', async () => {
    expect(await channel.send(message('reject-1@northwind.example'))).toMatchObject({
      ok: false,
      reason: 'invalid_recipient',
      raw: { responseCode: 550, enhanced: '5.1.1' },
    })
    expect(await channel.send(message('busy-1@northwind.example'))).toMatchObject({
      ok: false,
      reason: 'retryable',
      retryAfterMs: 15 * 60_000,
      raw: { responseCode: 451 },
    })
    expect(await channel.send(message('full-1@northwind.example'))).toMatchObject({
      ok: false,
      reason: 'invalid_recipient',
      raw: { responseCode: 552, enhanced: '5.2.2' },
    })
  })

  it('reports a sender address the account may not use as "invalid_sender", with what to do', async () => {
    // An inbox set up to log in as another account, which the server does not let send as this address.
    const shared = createEmailChannel({ inboxes: [{ address: 'sales@acme.io', smtp: smtp() }] })
    const outcome = await shared.send(
      message('eva@northwind.example', { from: { address: 'sales@acme.io' } }),
    )
    await shared.close()
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'invalid_sender',
      raw: { responseCode: 553, enhanced: '5.7.1' },
      message: expect.stringContaining('alias'),
    })
  })

  it('calls a connection lost after DATA "delivery unknown", and never sends the message again', async () => {
    const dropped = message('drop-1@northwind.example')
    const before = await countSubmissions(dropped.messageId)
    const outcome = await channel.send(dropped)
    expect(outcome).toMatchObject({ ok: false, reason: 'delivery_unknown' })
    // Give the pool every chance to requeue it (it would within a second); the server saw it once.
    const after = await channel.send(message('eva@northwind.example'))
    expect(after.ok).toBe(true)
    expect((await countSubmissions(dropped.messageId)) - before).toBe(1)
  })

  it('calls a server that never answers the end of DATA "delivery unknown"', {
    timeout: 120_000,
  }, async () => {
    const slow = createEmailChannel({
      inboxes: [{ address: 'ana@acme.io', smtp: { ...smtp(), timeoutMs: 1_000 } }],
    })
    try {
      const outcome = await slow.send(message('slow-1@northwind.example'))
      expect(outcome).toMatchObject({ ok: false, reason: 'delivery_unknown' })
    } finally {
      await slow.close()
    }
  })

  it('reports refused credentials as "disconnected", with what to do', async () => {
    const wrong = createEmailChannel({
      inboxes: [{ address: 'ana@acme.io', smtp: smtp('not-the-password') }],
    })
    try {
      const outcome = await wrong.send(message('eva@northwind.example'))
      expect(outcome).toMatchObject({ ok: false, reason: 'disconnected' })
      expect(outcome.ok === false && outcome.message).toMatch(/app password/)
    } finally {
      await wrong.close()
    }
  })

  it('retries later when the server cannot be reached (nothing was sent)', async () => {
    const unreachable = createEmailChannel({
      inboxes: [{ address: 'ana@acme.io', smtp: { ...smtp(), port: 1, timeoutMs: 2_000 } }],
    })
    try {
      expect(await unreachable.send(message('eva@northwind.example'))).toMatchObject({
        ok: false,
        reason: 'retryable',
      })
    } finally {
      await unreachable.close()
    }
  })

  it('authenticates with an OAuth2 access token from the host (XOAUTH2)', async () => {
    const requests: boolean[] = []
    const oauth = createEmailChannel({
      inboxes: [
        {
          address: 'ana@acme.io',
          smtp: {
            ...smtp(),
            auth: {
              user: 'ana@acme.io',
              accessToken: async ({ renew }) => {
                requests.push(renew)
                return servers.accessTokens['ana@acme.io'] ?? ''
              },
            },
          },
        },
      ],
    })
    try {
      const sent = message('eva@northwind.example')
      expect(await oauth.send(sent)).toEqual({ ok: true, messageId: sent.messageId })
      expect(requests[0]).toBe(false)
      expect(await inMailbox('eva@northwind.example', sent.messageId)).toHaveLength(1)
    } finally {
      await oauth.close()
    }
  })

  it('refuses a header injection before connecting, and the recipient receives nothing', async () => {
    const injected = message('eva@northwind.example', { subject: 'Hi\r\nBcc: liam@northwind.example' })
    expect(await channel.send(injected)).toMatchObject({ ok: false, reason: 'rejected' })
    expect(await countSubmissions(injected.messageId)).toBe(0)
    expect(await inMailbox('liam@northwind.example', injected.messageId)).toHaveLength(0)
  })
})

const countSubmissions = (messageId: string) => submissionsOf(servers, messageId)
