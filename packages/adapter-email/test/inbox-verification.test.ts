import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { type InboxSettings, verifyInbox } from '../src/index'
import { freePort } from './servers/free-port'

const servers = inject('mailServers')
const server = (port: number, password = 'ana-password', security: 'tls' | 'starttls' | 'none' = 'none') => ({
  host: '127.0.0.1',
  port,
  security,
  auth: { user: 'ana@acme.io', password },
  timeoutMs: 2_000,
})
const inbox = (smtp: InboxSettings['smtp'], imap?: InboxSettings['imap']): InboxSettings => ({
  address: 'ana@acme.io',
  smtp,
  ...(imap === undefined ? {} : { imap }),
})

/** A line-based server that answers each command as `respond` says; `greeting: undefined` stays silent. */
const started: Server[] = []
const sockets = new Set<Socket>()
async function fakeServer(
  greeting: string | undefined,
  respond: (line: string, socket: Socket) => void,
): Promise<number> {
  const fake = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    if (greeting !== undefined) socket.write(`${greeting}\r\n`)
    let buffer = ''
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1')
      for (let end = buffer.indexOf('\r\n'); end !== -1; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        respond(line, socket)
      }
    })
  })
  const port = await freePort()
  await new Promise<void>((resolve) => fake.listen(port, '127.0.0.1', resolve))
  started.push(fake)
  return port
}
afterEach(async () => {
  // Clients that gave up may leave their socket open; close() would wait for it.
  for (const socket of sockets) socket.destroy()
  for (const fake of started.splice(0)) await new Promise((resolve) => fake.close(resolve))
})

/** IMAP that refuses LOGIN with the provider's words (RFC 9051 greeting, CAPABILITY, LOGIN, LOGOUT). */
const imapRefusing = (answer: string) =>
  fakeServer('* OK [CAPABILITY IMAP4rev1 LOGINDISABLED-NOT] Fake IMAP ready', (line, socket) => {
    const [tag, command = ''] = line.split(' ')
    switch (command.toUpperCase()) {
      case 'CAPABILITY':
        socket.write(`* CAPABILITY IMAP4rev1\r\n${tag} OK CAPABILITY completed\r\n`)
        break
      case 'LOGIN':
        socket.write(`${tag} NO ${answer}\r\n`)
        break
      case 'LOGOUT':
        socket.end(`* BYE\r\n${tag} OK LOGOUT completed\r\n`)
        break
      default:
        socket.write(`${tag} BAD unknown command\r\n`)
    }
  })

/** SMTP that refuses AUTH with the provider's words (EHLO, AUTH PLAIN/LOGIN, QUIT). */
const smtpRefusing = (answer: string) =>
  fakeServer('220 fake.example ESMTP ready', (line, socket) => {
    const verb = line.split(' ')[0]?.toUpperCase()
    if (verb === 'EHLO') socket.write('250-fake.example\r\n250 AUTH PLAIN LOGIN\r\n')
    else if (verb === 'AUTH') socket.write(`${answer}\r\n`)
    else if (verb === 'QUIT') socket.end('221 bye\r\n')
    else socket.write('502 5.5.2 unknown command\r\n')
  })

describe('verifyInbox against real and broken servers', () => {
  it('says both work when they do', async () => {
    const result = await verifyInbox(inbox(server(servers.smtp.port), server(servers.imap.port)))
    expect(result).toEqual({
      ok: true,
      imap: { ok: true },
      smtp: { ok: true },
      summary: 'IMAP and SMTP both work.',
    })
  })

  it('names a wrong password on each server, with the app-password advice, and never repeats it', async () => {
    const result = await verifyInbox(
      inbox(server(servers.smtp.port, 'Secret-Wrong-1'), server(servers.imap.port, 'Secret-Wrong-1')),
    )
    expect(result).toMatchObject({
      ok: false,
      imap: { ok: false, problem: 'authentication_failed', advice: expect.stringMatching(/app password/) },
      smtp: { ok: false, problem: 'authentication_failed', detail: expect.stringMatching(/535/) },
    })
    expect(JSON.stringify(result)).not.toContain('Secret-Wrong-1')
  })

  it('tells "IMAP works but SMTP fails" apart (the troubleshooting table row)', async () => {
    const result = await verifyInbox(inbox(server(servers.smtp.port, 'wrong'), server(servers.imap.port)))
    expect(result.ok).toBe(false)
    expect(result.imap).toEqual({ ok: true })
    expect(result.smtp.problem).toBe('authentication_failed')
    expect(result.summary).toMatch(/^IMAP connects, but sending fails/)
  })

  it('reports a closed port and a server that never greets as "cannot connect"', async () => {
    const closed = await freePort()
    const silent = await fakeServer(undefined, () => {})
    const result = await verifyInbox(inbox(server(closed), server(silent)))
    expect(result.smtp.problem).toBe('cannot_connect')
    expect(result.imap?.problem).toBe('cannot_connect')
    expect(result.smtp.advice).toMatch(/host and port/)
  })

  it('reports TLS against a plain-text port as a port/security mismatch', async () => {
    const result = await verifyInbox(
      inbox(
        server(servers.smtp.port, 'ana-password', 'tls'),
        server(servers.imap.port, 'ana-password', 'tls'),
      ),
    )
    expect(result.smtp.problem).toBe('tls_mismatch')
    expect(result.imap?.problem).toBe('tls_mismatch')
  })

  it('recognises IMAP disabled for the account (Gmail, Microsoft 365 wording)', async () => {
    for (const answer of [
      '[ALERT] Your account is not enabled for IMAP use.',
      'User is authenticated but not connected.',
    ]) {
      const result = await verifyInbox(inbox(server(servers.smtp.port), server(await imapRefusing(answer))))
      expect(result.imap?.problem).toBe('imap_disabled')
      expect(result.summary).toMatch(/^SMTP works, but reading mail fails \(imap_disabled\)/)
    }
  })

  it('recognises SMTP disabled, app password required and basic auth blocked from the server answer', async () => {
    const cases = [
      [
        '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
        'smtp_disabled',
      ],
      [
        '534-5.7.9 Application-specific password required. For more information, go to\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor',
        'app_password_required',
      ],
      ['535 5.7.139 Authentication unsuccessful, basic authentication is disabled.', 'basic_auth_blocked'],
    ] as const
    for (const [answer, problem] of cases) {
      const result = await verifyInbox(inbox(server(await smtpRefusing(answer))))
      expect(result.smtp.problem, answer).toBe(problem)
    }
  })

  it('checks only SMTP for a send-only inbox', async () => {
    const result = await verifyInbox(inbox(server(servers.smtp.port)))
    expect(result).not.toHaveProperty('imap')
    expect(result.summary).toMatch(/replies will not be read/)
  })

  it('rejects settings it cannot use, naming the field', async () => {
    await expect(verifyInbox(inbox({ ...server(0), host: '' }))).rejects.toMatchObject({
      code: 'invalid_options',
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'smtp.host' }),
        expect.objectContaining({ field: 'smtp.port' }),
      ]),
    })
  })
})
