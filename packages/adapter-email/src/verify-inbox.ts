import nodemailer from 'nodemailer'
import { type InboxSettings, parseInboxSettings, type ServerSettings } from './email-channel-options'
import { openImapClient } from './receiving/imap-connection'
import { smtpTransportOptions } from './sending/smtp-transport'

/**
 * The causes in the product's troubleshooting table, in the words a person can act on. `tls_mismatch`:
 * the port and the security setting do not match (TLS on 993/465, STARTTLS on 143/587).
 */
export type InboxProblem =
  | 'authentication_failed'
  | 'app_password_required'
  | 'basic_auth_blocked'
  | 'cannot_connect'
  | 'tls_mismatch'
  | 'invalid_certificate'
  | 'imap_disabled'
  | 'smtp_disabled'
  | 'too_many_attempts'
  | 'unknown'

export interface ServerCheck {
  readonly ok: boolean
  readonly problem?: InboxProblem
  /** What is wrong and what to do, for the person connecting the inbox. */
  readonly advice?: string
  /** The server's or the socket's own message. */
  readonly detail?: string
}

export interface InboxVerification {
  /** Both servers accept the credentials (and IMAP opens the mailbox). */
  readonly ok: boolean
  /** Absent when the inbox has no IMAP settings. */
  readonly imap?: ServerCheck
  readonly smtp: ServerCheck
  /** One line for the person: what works, what fails, what to do first. */
  readonly summary: string
}

const ADVICE: Record<InboxProblem, string> = {
  authentication_failed:
    'The server refused the email address or password. Check them (after a password change, enter the new one); if two-factor authentication is on, generate an app password and use it instead of the normal password.',
  app_password_required:
    'The provider requires an app password for this account (two-factor authentication is on). Generate one in the account security settings and use it instead of the normal password.',
  basic_auth_blocked:
    'The organisation blocks password (basic) authentication. Ask the admin to allow IMAP/SMTP for this mailbox or provide an app password, or connect with OAuth.',
  cannot_connect:
    'The server could not be reached. Verify the host and port, try the secure defaults (IMAP 993 with TLS, SMTP 587 with STARTTLS or 465 with TLS), and check firewall or VPN restrictions.',
  tls_mismatch:
    'The port and the security setting do not match. Use TLS on ports 993 (IMAP) and 465 (SMTP), and STARTTLS on 143 (IMAP) and 587 (SMTP).',
  invalid_certificate:
    "The server's TLS certificate does not verify for this host name. Check the host name (use the provider's documented server name).",
  imap_disabled:
    'IMAP access is disabled for this mailbox. Enable IMAP in the provider or admin settings (or use OAuth if the provider restricts IMAP).',
  smtp_disabled:
    'SMTP sending is disabled for this mailbox (for example "authenticated SMTP" is off in Microsoft 365). Ask the admin to enable SMTP for this user.',
  too_many_attempts:
    'The provider is temporarily refusing logins after too many attempts. Wait and try again later; review the provider security alerts.',
  unknown: 'The connection failed for a reason the server did not explain. Check the settings and try again.',
}

/**
 * Checks an inbox's IMAP and SMTP settings separately, the way the product's "Connect" button does, and
 * names the cause from the troubleshooting table rather than returning raw socket errors. Nothing is
 * sent and nothing in the mailbox changes (IMAP opens it read-only).
 */
export async function verifyInbox(settings: InboxSettings): Promise<InboxVerification> {
  const inbox = parseInboxSettings(settings)
  const [imap, smtp] = await Promise.all([
    inbox.imap === undefined
      ? Promise.resolve(undefined)
      : checkImap(inbox.imap, inbox.imap.mailbox ?? 'INBOX'),
    checkSmtp(inbox.smtp),
  ])
  const ok = smtp.ok && (imap?.ok ?? true)
  return { ok, ...(imap === undefined ? {} : { imap }), smtp, summary: summaryOf(imap, smtp) }
}

async function checkImap(settings: ServerSettings, mailbox: string): Promise<ServerCheck> {
  let client: Awaited<ReturnType<typeof openImapClient>> | undefined
  try {
    client = await openImapClient(settings, { idle: false })
    await client.mailboxOpen(mailbox, { readOnly: true })
    return { ok: true }
  } catch (error) {
    return failure(classifyConnectionError(error, 'imap'), error)
  } finally {
    await client?.logout().catch(() => client?.close())
  }
}

async function checkSmtp(settings: ServerSettings): Promise<ServerCheck> {
  const transport = nodemailer.createTransport(smtpTransportOptions(settings))
  try {
    if ('accessToken' in settings.auth) {
      const auth = settings.auth
      transport.set('oauth2_provision_cb', (_user: string, renew: boolean, callback) => {
        auth.accessToken({ renew }).then(
          (token) => callback(null, token),
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        )
      })
    }
    await transport.verify()
    return { ok: true }
  } catch (error) {
    return failure(classifyConnectionError(error, 'smtp'), error)
  } finally {
    transport.close()
  }
}

function failure(problem: InboxProblem, error: unknown): ServerCheck {
  const detail = detailOf(error)
  return { ok: false, problem, advice: ADVICE[problem], ...(detail === '' ? {} : { detail }) }
}

/** Maps what IMAP and SMTP servers and sockets say onto the troubleshooting table. */
export function classifyConnectionError(error: unknown, protocol: 'imap' | 'smtp'): InboxProblem {
  const failure = (error ?? {}) as {
    code?: string
    responseCode?: number
    authenticationFailed?: boolean
    serverResponseCode?: string
  }
  const text = detailOf(error)
  if (
    /application-specific password|app password|web login required|InvalidSecondFactor|534[- ]5\.7\.9/i.test(
      text,
    )
  )
    return 'app_password_required'
  // Microsoft 365 answers 5.7.139 for both; the text says which one.
  if (/SmtpClientAuthentication is disabled|smtp.*(disabled|not enabled)/i.test(text)) return 'smtp_disabled'
  if (/basic auth(entication)? (is )?(disabled|blocked)|BasicAuthBlocked|5\.7\.139/i.test(text))
    return 'basic_auth_blocked'
  if (
    /not enabled for IMAP|IMAP (access )?(is )?(disabled|not enabled)|authenticated but not connected/i.test(
      text,
    )
  )
    return 'imap_disabled'
  if (
    /too many (login|authentication|failed)|login rate|try again later|\[LIMIT\]|\[UNAVAILABLE\]|4\.7\.0 Too many/i.test(
      text,
    )
  )
    return 'too_many_attempts'
  if (
    failure.authenticationFailed === true ||
    failure.serverResponseCode === 'AUTHENTICATIONFAILED' ||
    failure.code === 'EAUTH' ||
    failure.responseCode === 535 ||
    /AUTHENTICATIONFAILED|invalid credentials|authentication failed|LOGIN failed/i.test(text)
  )
    return 'authentication_failed'
  if (/certificate|self[- ]signed|unable to verify|CERT_|ERR_TLS_CERT_ALTNAME_INVALID/i.test(text))
    return 'invalid_certificate'
  if (
    /wrong version number|ERR_SSL|EPROTO|ssl3_get_record|packet length too long|STARTTLS|TLS (handshake|connection)|before secure TLS/i.test(
      text,
    ) ||
    failure.code === 'ETLS'
  )
    return 'tls_mismatch'
  if (
    /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|timeout|timed out|CONNECT_TIMEOUT|GREETING/i.test(
      `${failure.code ?? ''} ${text}`,
    ) ||
    failure.code === 'ECONNECTION' ||
    failure.code === 'ESOCKET' ||
    failure.code === 'EDNS'
  )
    return 'cannot_connect'
  return protocol === 'smtp' && failure.responseCode !== undefined && failure.responseCode >= 500
    ? 'smtp_disabled'
    : 'unknown'
}

function detailOf(error: unknown): string {
  if (error === undefined || error === null) return ''
  const failure = error as { message?: string; response?: string; responseText?: string; code?: string }
  return [failure.code, failure.response ?? failure.responseText, failure.message]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(': ')
}

function summaryOf(imap: ServerCheck | undefined, smtp: ServerCheck): string {
  if (smtp.ok && (imap?.ok ?? true))
    return imap === undefined
      ? 'SMTP works (no IMAP settings: replies will not be read).'
      : 'IMAP and SMTP both work.'
  if (imap?.ok === true && !smtp.ok)
    return `IMAP connects, but sending fails (${smtp.problem}): ${smtp.advice} Make sure SMTP is enabled for the mailbox.`
  if (imap !== undefined && !imap.ok && smtp.ok)
    return `SMTP works, but reading mail fails (${imap.problem}): ${imap.advice}`
  const problem = imap?.problem ?? smtp.problem
  return `Both fail (${problem}): ${ADVICE[problem ?? 'unknown']}`
}
