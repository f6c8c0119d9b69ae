import { describe, expect, inject, it } from 'vitest'
import { sendAs } from '../../../packages/adapter-email/test/servers/mailbox'
import { realInboxFromEnv, runRealInbox, wantsRealInbox } from '../src/real-inbox'

const servers = inject('mailServers')
const env = {
  PACELINE_EMAIL_ADDRESS: 'ben@acme.io',
  PACELINE_EMAIL_PASSWORD: 'ben-password',
  PACELINE_SMTP_HOST: servers.smtp.host,
  PACELINE_SMTP_PORT: String(servers.smtp.port),
  PACELINE_SMTP_SECURITY: 'none',
  PACELINE_IMAP_HOST: servers.imap.host,
  PACELINE_IMAP_PORT: String(servers.imap.port),
  PACELINE_IMAP_SECURITY: 'none',
  PACELINE_DEMO_RECIPIENT: 'liam@northwind.example',
  PACELINE_TIMEZONE: 'Europe/Madrid',
}

describe('the quickstart pointed at a real inbox', () => {
  it('runs simulated unless the environment names an inbox', () => {
    expect(wantsRealInbox({})).toBe(false)
    expect(wantsRealInbox(env)).toBe(true)
  })

  it('names every missing or wrong variable', () => {
    expect(() => realInboxFromEnv({ PACELINE_EMAIL_ADDRESS: 'ben', PACELINE_SMTP_PORT: '99999' })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: expect.arrayContaining([
          expect.objectContaining({ field: 'PACELINE_EMAIL_ADDRESS' }),
          expect.objectContaining({ field: 'PACELINE_EMAIL_PASSWORD' }),
          expect.objectContaining({ field: 'PACELINE_SMTP_PORT' }),
          expect.objectContaining({ field: 'PACELINE_DEMO_RECIPIENT' }),
        ]),
      }),
    )
    // The usual ports imply their security.
    const defaults = realInboxFromEnv({
      ...env,
      PACELINE_SMTP_SECURITY: undefined,
      PACELINE_SMTP_PORT: '465',
    })
    expect(defaults.inbox.smtp.security).toBe('tls')
    expect(realInboxFromEnv({ ...env, PACELINE_IMAP_SECURITY: undefined }).inbox.imap?.security).toBe(
      'starttls',
    )
  })

  it('checks the inbox, sends the first email for real, and stops the sequence on a reply', {
    timeout: 30_000,
  }, async () => {
    const stop = new AbortController()
    const lines: string[] = []
    let firstSent: (messageId: string) => void = () => {}
    const sent = new Promise<string>((resolve) => {
      firstSent = resolve
    })
    let replied: () => void = () => {}
    const reply = new Promise<void>((resolve) => {
      replied = resolve
    })
    const run = runRealInbox({
      setup: realInboxFromEnv(env),
      database: ':memory:',
      signal: stop.signal,
      write: (line) => {
        lines.push(line)
        const match = /^Sent {7}intro (<.+>)$/.exec(line)
        if (match?.[1] !== undefined) firstSent(match[1])
        if (line.startsWith('Replied')) replied()
      },
    })
    const messageId = await sent
    // Liam answers from his own mail client.
    await sendAs(servers, 'liam@northwind.example', {
      to: 'ben@acme.io',
      subject: 'Re: paceline quickstart',
      inReplyTo: messageId,
      references: [messageId],
      text: 'Got it, thanks.',
    })
    await reply
    stop.abort()
    await run
    expect(lines[1]).toMatch(/IMAP and SMTP/)
    expect(lines).toContain('Replied    the sequence stops')
    expect(lines.filter((line) => line.startsWith('Sent'))).toHaveLength(1)
  })
})
