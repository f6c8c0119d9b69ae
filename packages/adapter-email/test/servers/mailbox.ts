import { ImapFlow } from 'imapflow'
import nodemailer, { type SendMailOptions } from 'nodemailer'
import { JOURNAL, type MailServersInfo } from './mail-servers'

/** Opens an IMAP session as `address` on the test Dovecot. */
export async function imapAs(info: MailServersInfo, address: string): Promise<ImapFlow> {
  const user = info.users.find((each) => each.address === address)
  if (user === undefined) throw new Error(`no test user ${address}`)
  const client = new ImapFlow({
    host: info.imap.host,
    port: info.imap.port,
    secure: false,
    doSTARTTLS: false,
    auth: { user: user.address, pass: user.password },
    logger: false,
  })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** Puts a raw message into a user's mailbox, as if it had been delivered there. */
export async function appendMessage(info: MailServersInfo, address: string, raw: string, mailbox = 'INBOX') {
  const client = await imapAs(info, address)
  try {
    await client.append(mailbox, raw)
  } finally {
    await client.logout()
  }
}

export interface StoredMessage {
  readonly uid: number
  readonly raw: string
}

/** Every message in a user's mailbox, oldest first. */
export async function listMessages(
  info: MailServersInfo,
  address: string,
  mailbox = 'INBOX',
): Promise<StoredMessage[]> {
  const client = await imapAs(info, address)
  try {
    const lock = await client.getMailboxLock(mailbox)
    try {
      if (client.mailbox === false || client.mailbox.exists === 0) return []
      const messages = await client.fetchAll('1:*', { uid: true, source: true })
      return messages.map((message) => ({ uid: message.uid, raw: message.source?.toString('utf8') ?? '' }))
    } finally {
      lock.release()
    }
  } finally {
    await client.logout()
  }
}

/** Empties a user's mailbox (between tests that count messages). */
export async function clearMailbox(info: MailServersInfo, address: string, mailbox = 'INBOX') {
  const client = await imapAs(info, address)
  try {
    const lock = await client.getMailboxLock(mailbox)
    try {
      if (client.mailbox !== false && client.mailbox.exists > 0) await client.messageDelete('1:*')
    } finally {
      lock.release()
    }
  } finally {
    await client.logout()
  }
}

/** How many times the SMTP server accepted a message with this Message-ID (from its journal mailbox). */
export async function submissionsOf(info: MailServersInfo, messageId: string): Promise<number> {
  const messages = await listMessages(info, JOURNAL)
  return messages.filter((message) =>
    new RegExp(`^Message-ID:\\s*${escapeRegExp(messageId)}`, 'im').test(message.raw),
  ).length
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Server settings for the channel or verifyInbox, logging in as a test user (plain text, loopback). */
export function serverSettings(port: number, address: string, password: string) {
  return {
    host: '127.0.0.1',
    port,
    security: 'none' as const,
    auth: { user: address, password },
    timeoutMs: 5_000,
  }
}

/** Sends a message as a test user from their own mail client: through the SMTP server, into Dovecot. */
export async function sendAs(info: MailServersInfo, address: string, mail: SendMailOptions): Promise<string> {
  const user = info.users.find((each) => each.address === address)
  if (user === undefined) throw new Error(`no test user ${address}`)
  const transport = nodemailer.createTransport({
    host: info.smtp.host,
    port: info.smtp.port,
    secure: false,
    ignoreTLS: true,
    auth: { user: address, pass: user.password },
  })
  try {
    return (await transport.sendMail({ from: address, ...mail })).messageId
  } finally {
    transport.close()
  }
}
