import { isOAuth2, type ServerSettings } from '../email-channel-options'

const DEFAULT_TIMEOUT_MS = 30_000
const DEFAULT_ANSWER_TIMEOUT_MS = 60_000

/** nodemailer's connection options for a server: TLS as asked and timeouts (credentials apart). */
export function smtpConnectionOptions(settings: ServerSettings) {
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    // A timeout waiting for the answer to the end of DATA is "delivery unknown", so by default it is
    // longer than the connection timeouts: busy servers take a while to accept a message.
    socketTimeout: settings.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS,
    tls: { rejectUnauthorized: settings.allowInvalidCertificate !== true },
  }
}

/** The same with nodemailer's `auth` (the OAuth2 token comes from a provision callback). */
export function smtpTransportOptions(settings: ServerSettings) {
  return {
    ...smtpConnectionOptions(settings),
    auth: isOAuth2(settings.auth)
      ? { type: 'OAuth2' as const, user: settings.auth.user }
      : { user: settings.auth.user, pass: settings.auth.password },
  }
}
