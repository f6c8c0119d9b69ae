import nodemailer from 'nodemailer'
import { SMTPServer, type SMTPServerSession } from 'smtp-server'
import type { MailUser } from './dovecot'
import { freePort } from './free-port'

export interface ReceivedSubmission {
  readonly from: string
  readonly to: readonly string[]
  readonly raw: string
  readonly user: string
}

export interface SmtpRelay {
  readonly port: number
  /** Every message accepted, in order (what the submission server saw). */
  readonly received: ReceivedSubmission[]
  /** Connections opened so far. */
  connections(): number
  stop(): Promise<void>
}

/** The recipient behaviours tests provoke, by local-part prefix (at any domain). */
export const SCRIPTED = {
  /** 550 5.1.1 at RCPT TO: the mailbox does not exist. */
  reject: 'reject-',
  /** 451 4.3.0 at RCPT TO: try again later. */
  busy: 'busy-',
  /** 552 5.2.2 after DATA: mailbox full. */
  full: 'full-',
  /** The whole message is received, then the connection drops without an answer. */
  drop: 'drop-',
  /** The message is received and never answered (a timeout). */
  slow: 'slow-',
} as const

/**
 * A submission server (smtp-server) that requires authentication (PLAIN, LOGIN, and XOAUTH2 with the
 * given tokens) and relays every accepted message into Dovecot over LMTP, like a provider's SMTP and
 * mailbox. Recipients outside the users are refused (550 5.1.1) unless scripted.
 */
export async function startSmtpRelay(options: {
  readonly users: readonly MailUser[]
  readonly lmtpPort: number
  readonly accessTokens?: Readonly<Record<string, string>>
  /** A user that receives a copy of every accepted submission. */
  readonly journal?: string
  /** Other addresses a user may send as (lower case). */
  readonly aliases?: Readonly<Record<string, readonly string[]>>
}): Promise<SmtpRelay> {
  const received: ReceivedSubmission[] = []
  const lmtp = nodemailer.createTransport({ host: '127.0.0.1', port: options.lmtpPort, lmtp: true })
  const users = new Map(options.users.map((user) => [user.address.toLowerCase(), user.password]))
  let connections = 0
  const server: SMTPServer = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    closeTimeout: 500,
    logger: false,
    onConnect(_session, callback) {
      connections++
      callback()
    },
    onAuth(auth, _session, callback) {
      const user = auth.username?.toLowerCase() ?? ''
      const valid =
        auth.method === 'XOAUTH2'
          ? auth.accessToken !== undefined && options.accessTokens?.[user] === auth.accessToken
          : users.get(user) === auth.password
      if (!valid) {
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }))
        return
      }
      callback(null, { user })
    },
    // Like Postfix's reject_sender_login_mismatch: a user may send only as an address it owns.
    onMailFrom(address, session, callback) {
      const user = String(session.user ?? '').toLowerCase()
      const sender = address.address.toLowerCase()
      if (user !== '' && sender !== user && !options.aliases?.[user]?.includes(sender)) {
        callback(
          Object.assign(new Error(`5.7.1 <${sender}>: Sender address rejected: not owned by user ${user}`), {
            responseCode: 553,
          }),
        )
        return
      }
      callback()
    },
    onRcptTo(address, _session, callback) {
      const recipient = address.address.toLowerCase()
      if (recipient.startsWith(SCRIPTED.reject) || (!isScripted(recipient) && !users.has(recipient))) {
        callback(
          Object.assign(new Error(`5.1.1 <${recipient}>: Recipient address rejected: User unknown`), {
            responseCode: 550,
          }),
        )
        return
      }
      if (recipient.startsWith(SCRIPTED.busy)) {
        callback(
          Object.assign(new Error('4.3.0 Temporary local problem, please try again later'), {
            responseCode: 451,
          }),
        )
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase())
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address
        received.push({ from, to, raw, user: String(session.user ?? '') })
        // Journaling, as compliance archives do: every accepted submission is copied to one mailbox, so
        // tests (in other processes) can count what the server received, even for recipients that fail.
        if (options.journal !== undefined)
          await lmtp.sendMail({ envelope: { from, to: [options.journal] }, raw }).catch(() => undefined)
        if (to.some((each) => each.startsWith(SCRIPTED.drop))) {
          dropConnection(server, session)
          return
        }
        if (to.some((each) => each.startsWith(SCRIPTED.slow))) return
        if (to.some((each) => each.startsWith(SCRIPTED.full))) {
          callback(Object.assign(new Error('5.2.2 Mailbox full'), { responseCode: 552 }))
          return
        }
        const deliverable = to.filter((each) => users.has(each))
        if (deliverable.length === 0) {
          callback()
          return
        }
        lmtp.sendMail({ envelope: { from, to: deliverable }, raw }).then(
          () => callback(),
          (error: Error) =>
            callback(Object.assign(new Error(`4.3.0 relay failed: ${error.message}`), { responseCode: 451 })),
        )
      })
    },
  })
  const port = await freePort()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  return {
    port,
    received,
    connections: () => connections,
    async stop() {
      for (const connection of (server as unknown as { connections: Set<{ _socket?: { destroy(): void } }> })
        .connections)
        connection._socket?.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      lmtp.close()
    },
  }
}

function isScripted(recipient: string): boolean {
  return Object.values(SCRIPTED).some((prefix) => recipient.startsWith(prefix))
}

/** Drops the session's connection without answering, as a network failure after DATA would. */
function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  const connections = (
    server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
  ).connections
  for (const connection of connections) if (connection.id === session.id) connection._socket.destroy()
}
