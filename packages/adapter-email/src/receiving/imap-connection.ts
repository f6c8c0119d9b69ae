import { ImapFlow, type ImapFlowOptions } from 'imapflow'
import { isOAuth2, type ServerSettings } from '../email-channel-options'

const DEFAULT_TIMEOUT_MS = 30_000

/**
 * An IMAP client for a server's settings: TLS as asked (`starttls` refuses a server that cannot upgrade,
 * `none` never tries), timeouts, a fresh access token for OAuth2, and no logging (imapflow logs to
 * stdout by default, which would also print mailbox contents).
 */
export async function openImapClient(
  settings: ServerSettings,
  options: { readonly idle?: boolean; readonly renewToken?: boolean } = {},
): Promise<ImapFlow> {
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const auth = settings.auth
  const flowOptions: ImapFlowOptions = {
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    ...(settings.security === 'starttls' ? { doSTARTTLS: true } : {}),
    ...(settings.security === 'none' ? { doSTARTTLS: false } : {}),
    tls: { rejectUnauthorized: settings.allowInvalidCertificate !== true },
    auth: isOAuth2(auth)
      ? { user: auth.user, accessToken: await auth.accessToken({ renew: options.renewToken === true }) }
      : { user: auth.user, pass: auth.password },
    logger: false,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: Math.max(5 * 60_000, timeout),
    disableAutoIdle: options.idle === false,
    // The poller runs a few commands per pass; idle again soon after, so new mail is pushed at once.
    autoIdleDelay: 1_000,
  }
  const client = new ImapFlow(flowOptions)
  // A connection error is also thrown from connect() or the pending command; without a listener it
  // would crash the host process.
  client.on('error', () => {})
  await client.connect()
  return client
}
