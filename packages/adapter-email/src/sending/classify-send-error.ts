import type { EmailOutcome } from '@paceline/core/ports'

type Failure = Extract<EmailOutcome, { ok: false }>

const RETRY_AFTER_REFUSAL_MS = 15 * 60_000
const RETRY_AFTER_CONNECTION_MS = 5 * 60_000

interface MailerError {
  readonly code?: string
  readonly responseCode?: number
  readonly response?: string
  readonly command?: string
  readonly message?: string
}

/**
 * What an SMTP failure means for the engine. Only failures known to have delivered nothing are retried:
 * a 4xx refusal, or a failure before the message was handed over (`handedOver` false: connecting, logging
 * in, or the envelope). A 5xx refusal of the sender address (MAIL FROM, 5.1.7/5.1.8, "sender address
 * rejected": the account may not send as that address) is `invalid_sender`. A 5xx refusal of the recipient (5.1.x, or 5.2.x for a mailbox that cannot take
 * mail) is a bounce; other 5xx are rejections; refused credentials disconnect the inbox. A connection lost
 * or timed out without an answer once the message was on its way may have delivered it: "delivery
 * unknown", never retried automatically. (nodemailer's `command` cannot tell those apart: it says `CONN`
 * for a connection closed at any stage.)
 */
export function classifySendError(error: unknown, stage: { readonly handedOver: boolean }): Failure {
  const failure = (error ?? {}) as MailerError
  const response = failure.response ?? failure.message ?? String(error)
  const status = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(response)
  const enhanced = status === null ? undefined : `${status[1]}.${status[2]}.${status[3]}`
  const base = {
    message: response.trim(),
    raw: { code: failure.code, responseCode: failure.responseCode, command: failure.command, enhanced },
  }

  const responseCode = failure.responseCode
  if (
    failure.code === 'EAUTH' ||
    responseCode === 534 ||
    responseCode === 535 ||
    enhanced?.startsWith('5.7.8')
  )
    return {
      ok: false,
      reason: 'disconnected',
      ...base,
      message: `Authentication failed: ${base.message}. Check the password (use an app password when two-factor authentication is on) or reconnect the inbox.`,
    }
  if (responseCode !== undefined && responseCode >= 400 && responseCode < 500)
    return { ok: false, reason: 'retryable', retryAfterMs: RETRY_AFTER_REFUSAL_MS, ...base }
  if (responseCode !== undefined && responseCode >= 500 && refusesSender(failure, enhanced, response))
    return {
      ok: false,
      reason: 'invalid_sender',
      ...base,
      message: `The mail server refused the sender address: ${base.message}. Check that the inbox's address is one its account may send as (or add it as an alias there), then reconnect the inbox.`,
    }
  if (responseCode !== undefined && responseCode >= 500) {
    const recipient =
      enhanced?.startsWith('5.1.') || enhanced?.startsWith('5.2.') || /^RCPT/i.test(failure.command ?? '')
    return { ok: false, reason: recipient ? 'invalid_recipient' : 'rejected', ...base }
  }
  if (!stage.handedOver)
    return { ok: false, reason: 'retryable', retryAfterMs: RETRY_AFTER_CONNECTION_MS, ...base }
  return {
    ok: false,
    reason: 'delivery_unknown',
    ...base,
    message: `The connection was lost while the message was being delivered (${base.message}); it may have arrived. Check the lead's inbox or your sent folder before retrying.`,
  }
}

/** A permanent refusal of the envelope sender, not of the recipient or the message. */
function refusesSender(failure: MailerError, enhanced: string | undefined, response: string): boolean {
  return (
    /^MAIL\b/i.test(failure.command ?? '') ||
    enhanced === '5.1.7' ||
    enhanced === '5.1.8' ||
    /sender address rejected|sender (address )?not (allowed|owned|authori[sz]ed)|not owned by user/i.test(
      response,
    )
  )
}
