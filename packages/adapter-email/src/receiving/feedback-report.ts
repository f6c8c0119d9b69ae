import { type MailPart, originalMessageIdIn, originalRecipientIn, returnedHeaders } from './returned-message'

/** A spam complaint: a provider's feedback-loop report (ARF, RFC 5965) about a message the inbox sent. */
export interface FeedbackReport {
  /** The report's `Feedback-Type` (`abuse`, `fraud`, `virus`, `opt-out`, `other`...), lower-cased. */
  readonly feedbackType?: string
  /** Who complained: the original recipient, lower-cased. */
  readonly recipient?: string
  /** The Message-ID of the message complained about. */
  readonly originalMessageId?: string
}

/** Feedback types are short tokens (RFC 5965 §7.3); anything longer is not one. */
const FEEDBACK_TYPE = /^[a-z][a-z0-9_-]{0,63}$/

/**
 * Whether a message is a feedback report: `multipart/report; report-type=feedback-report`, a
 * `message/feedback-report` part, or (providers that send the report inline) the report's own fields in the
 * text: `Feedback-Type` with `User-Agent` or `Version` (RFC 5965 §3.1 requires all three).
 */
export function isFeedbackReport(contentType: string, parts: readonly MailPart[], text: string): boolean {
  if (/multipart\/report/i.test(contentType) && /report-type\s*=\s*"?feedback-report/i.test(contentType))
    return true
  if (parts.some((part) => part.contentType === 'message/feedback-report')) return true
  return /^feedback-type[ \t]*:[ \t]*\S/im.test(text) && /^(user-agent|version)[ \t]*:[ \t]*\S/im.test(text)
}

/**
 * Reads a feedback report: the complainer from `Original-Rcpt-To` (or the returned message's `To`), the
 * original Message-ID from the returned message (or its headers), the `Feedback-Type`.
 */
export function readFeedbackReport(parts: readonly MailPart[], text: string): FeedbackReport {
  const report = parts.find((part) => part.contentType === 'message/feedback-report')?.content ?? text
  const field = (name: string) =>
    new RegExp(`^${name}[ \\t]*:[ \\t]*([^\\r\\n]*)`, 'im').exec(report)?.[1]?.trim() || undefined
  const feedbackType = field('feedback-type')?.toLowerCase()
  const returned = returnedHeaders(parts)
  // Removal-Recipient: the draft ARF field opt-out reports name the person with.
  const named = field('original-rcpt-to') ?? field('removal-recipient')
  const recipient =
    (named === undefined ? undefined : addressIn(named)) ??
    (returned === undefined ? undefined : originalRecipientIn(returned)) ??
    originalRecipientAfterReport(text)
  const originalMessageId =
    (returned === undefined ? undefined : originalMessageIdIn(returned)) ?? originalMessageIdIn(text)
  return {
    ...(feedbackType === undefined || !FEEDBACK_TYPE.test(feedbackType) ? {} : { feedbackType }),
    ...(recipient === undefined ? {} : { recipient }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

/**
 * An unsubscribe request a mail client sent on its user's behalf to a `List-Unsubscribe` mailto address
 * (Apple Mail's marks itself `X-Apple-Unsubscribe`; others are automatic messages whose subject is
 * `unsubscribe`): an opt-out, as ARF's `opt-out` feedback type reports it, by the sender.
 */
export function unsubscribeRequestOf(
  headers: ReadonlyMap<string, string>,
  subject: string,
  sender: string,
): FeedbackReport | undefined {
  const apple = /^\s*true\b/i.test(headers.get('x-apple-unsubscribe') ?? '')
  const automatic = !/^\s*no\b/i.test(headers.get('auto-submitted') ?? 'no')
  if (!apple && !(automatic && /^\s*unsubscribe\s*$/i.test(subject))) return undefined
  return { feedbackType: 'opt-out', ...(sender.includes('@') ? { recipient: sender } : {}) }
}

function addressIn(value: string): string | undefined {
  return value
    .split(/[\s<>,;"']+/)
    .find((word) => /^[^@]+@[^@]+$/.test(word))
    ?.toLowerCase()
}

/**
 * The returned message's `To` when the parser showed the returned message inline, after the report's own
 * fields: the first `To:` line that follows a `From:` line.
 */
function originalRecipientAfterReport(text: string): string | undefined {
  const from = /^from[ \t]*:/im.exec(text)
  return from === null ? undefined : originalRecipientIn(text.slice(from.index))
}
