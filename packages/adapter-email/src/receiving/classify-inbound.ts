/// <reference path="../email-reply-parser.d.ts" />
import EmailReplyParser from 'email-reply-parser'
import type { ParsedMail } from 'mailparser'
import { autoReplySignals, isAutoReply } from './auto-reply'
import { type DeliveryStatus, readDeliveryReport, readPlainBounce } from './delivery-status'

/** What a message that arrived in a sending inbox is, for the engine. */
export type InboundMail =
  | {
      /** A person answered (`reply`), or an auto-responder did (`out-of-office`). */
      readonly kind: 'reply' | 'out-of-office'
      /** The sender, lower-cased. */
      readonly from: string
      /**
       * Message-IDs this message answers, the most recent first (In-Reply-To, then References, then the
       * message an Exchange automatic reply names as its trigger).
       */
      readonly threadMessageIds: readonly string[]
      readonly subject: string
      /** The new text, without the quoted conversation. */
      readonly text: string
      readonly messageId?: string
    }
  | ({ readonly kind: 'bounce'; readonly messageId?: string } & DeliveryStatus)
  /** Sent by the inbox itself (a copy in INBOX, a Bcc to self): never a reply. */
  | { readonly kind: 'own-message'; readonly messageId?: string }
  /** Mailing lists, newsletters, calendar notices that answer nothing the inbox sent. */
  | { readonly kind: 'other'; readonly reason: string; readonly messageId?: string }

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i
const BOUNCE_SUBJECT =
  /(undeliver|delivery status|delivery (has )?failed|(delivery|mail) failure|failed delivery|mail failed|failure notice|returned mail|mail delivery (failed|failure|subsystem|system)|non-?delivery|could not be delivered|delayed|unzustellbar|no se puede entregar|non remis)/i

/**
 * Classifies one received message: bounces first (delivery status notifications, then bounce-shaped
 * messages from mailer daemons; their other notices are `other`), then the inbox's own messages, then
 * automatic and human answers. Messages that answer nothing and look like bulk mail or calendar notices are
 * `other`.
 */
export function classifyInbound(mail: ParsedMail, ownAddresses: ReadonlySet<string>): InboundMail {
  const headers = headerValues(mail)
  const messageId = mail.messageId === undefined ? {} : { messageId: mail.messageId }
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? ''
  const subject = mail.subject ?? ''
  const contentType = headers.get('content-type') ?? ''

  const parts = (mail.attachments ?? []).map((attachment) => ({
    contentType: attachment.contentType.toLowerCase(),
    content: Buffer.isBuffer(attachment.content)
      ? attachment.content.toString('utf8')
      : String(attachment.content),
  }))
  // mailparser reads a `message/delivery-status` part as text and appends it to `text`: take it from there.
  const statusFields = deliveryStatusIn(mail.text ?? '')
  if (statusFields !== undefined && !parts.some((part) => part.contentType === 'message/delivery-status'))
    parts.push({ contentType: 'message/delivery-status', content: statusFields })
  const threadMessageIds = threadIdsOf(mail, headers)
  // Reports that leave out the returned headers still answer the message that bounced (In-Reply-To).
  const bounce = (status: DeliveryStatus): InboundMail => {
    const originalMessageId = status.originalMessageId ?? threadMessageIds[0]
    return {
      kind: 'bounce',
      ...status,
      ...(originalMessageId === undefined ? {} : { originalMessageId }),
      ...messageId,
    }
  }
  if (/multipart\/report/i.test(contentType) && /report-type\s*=\s*"?delivery-status/i.test(contentType)) {
    const report = readDeliveryReport(parts)
    if (report !== undefined) return bounce(report)
  }
  if (BOUNCE_SENDER.test(from) || (from === '' && BOUNCE_SUBJECT.test(subject))) {
    const report = readDeliveryReport(parts)
    if (report !== undefined) return bounce(report)
    if (BOUNCE_SUBJECT.test(subject) || /\b[45]\.\d{1,3}\.\d{1,3}\b/.test(mail.text ?? ''))
      return bounce(readPlainBounce(fullText(mail, parts), ownAddresses))
    // Quota warnings and other notices: a mail system never answers like a person or an auto-responder.
    return { kind: 'other', reason: 'notice from a mail system', ...messageId }
  }

  if (ownAddresses.has(from)) return { kind: 'own-message', ...messageId }

  const automatic = isAutoReply(autoReplySignals(headers, subject))
  // List headers win over Auto-Submitted: notification systems set both; vacation responders never send lists.
  if (threadMessageIds.length === 0 && (headers.has('list-id') || headers.has('list-unsubscribe')))
    return { kind: 'other', reason: 'bulk or mailing-list message', ...messageId }
  if (threadMessageIds.length === 0 && !automatic) {
    if (/^(bulk|list|junk)\b/i.test(headers.get('precedence') ?? ''))
      return { kind: 'other', reason: 'bulk or mailing-list message', ...messageId }
    if (/text\/calendar/i.test(contentType) || parts.some((part) => part.contentType === 'text/calendar'))
      return { kind: 'other', reason: 'calendar notice', ...messageId }
  }
  return {
    kind: automatic ? 'out-of-office' : 'reply',
    from,
    threadMessageIds,
    subject,
    text: newText(mail),
    ...messageId,
  }
}

/** Header values as strings, by lower-cased name (the first occurrence, unfolded). */
function headerValues(mail: ParsedMail): Map<string, string> {
  const values = new Map<string, string>()
  for (const { key, line } of mail.headerLines ?? []) {
    if (values.has(key)) continue
    const colon = line.indexOf(':')
    values.set(
      key,
      line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim(),
    )
  }
  return values
}

/** In-Reply-To first, then References from the newest back: the ids this message answers. */
function threadIdsOf(mail: ParsedMail, headers: ReadonlyMap<string, string>): string[] {
  const references =
    mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references]
  const ids = [
    ...(mail.inReplyTo === undefined ? [] : (mail.inReplyTo.match(/<[^<>\s]+>/g) ?? [])),
    ...references.flatMap((reference) => reference.match(/<[^<>\s]+>/g) ?? []).reverse(),
    // Exchange's automatic replies carry no In-Reply-To, but name the message that triggered them here.
    ...(headers.get('x-ms-exchange-parent-message-id')?.match(/<[^<>\s]+>/g) ?? []),
  ]
  return [...new Set(ids)]
}

/** The quote detector's patterns backtrack on long lines: a 300 kB line would take minutes. */
const LONGEST_LINE_FOR_QUOTE_DETECTION = 4_000

function newText(mail: ParsedMail): string {
  const text = mail.text ?? (typeof mail.html === 'string' ? htmlToText(mail.html) : '')
  if (text.split('\n').some((line) => line.length > LONGEST_LINE_FOR_QUOTE_DETECTION)) return text.trim()
  try {
    const visible = new EmailReplyParser().parseReply(text).trim()
    return visible === '' ? text.trim() : visible
  } catch {
    // The quote detector is heuristic; the whole text is a safe answer.
    return text.trim()
  }
}

function htmlToText(html: string): string {
  return html
    .replace(/<(br|\/p|\/div|\/tr|\/h\d)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
}

function fullText(mail: ParsedMail, parts: readonly { contentType: string; content: string }[]): string {
  return [mail.text ?? '', ...parts.map((part) => part.content)].join('\n')
}

/** The delivery-status fields (RFC 3464: per-message fields, then per-recipient ones) within a text. */
function deliveryStatusIn(text: string): string | undefined {
  const start =
    /^(reporting-mta|original-envelope-id|arrival-date|final-recipient|original-recipient)\s*:/im.exec(text)
  if (start === null || !/^action\s*:/im.test(text)) return undefined
  return text.slice(start.index)
}
