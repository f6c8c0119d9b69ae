/// <reference path="../email-reply-parser.d.ts" />
import EmailReplyParser from 'email-reply-parser'
import type { ParsedMail } from 'mailparser'
import { autoReplySignals, isAutoReply } from './auto-reply'
import {
  BOUNCE_SUBJECT,
  hasBouncePhrasing,
  hasReportPhrasing,
  isListManager,
  isMailSystem,
  isUnanswered,
  type Sender,
} from './bounce-signals'
import {
  type DeliveryStatus,
  deliveryReportPart,
  readDeliveryReport,
  readPlainBounce,
  reportsOnlyDelivery,
} from './delivery-status'
import {
  type FeedbackReport,
  isFeedbackReport,
  readFeedbackReport,
  unsubscribeRequestOf,
} from './feedback-report'
import {
  hasReturnedPart,
  type MailPart,
  originalRecipientIn,
  returnedHeaders,
  verpRecipient,
} from './returned-message'
import { readSesNotification } from './ses-notification'

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
  /** A message the inbox sent could not be delivered (or is delayed). */
  | ({ readonly kind: 'bounce'; readonly messageId?: string } & DeliveryStatus)
  /** The recipient reported a message the inbox sent as spam (a feedback-loop report). */
  | ({ readonly kind: 'complaint'; readonly messageId?: string } & FeedbackReport)
  /** Sent by the inbox itself (a copy in INBOX, a Bcc to self): never a reply. */
  | { readonly kind: 'own-message'; readonly messageId?: string }
  /** Mailing lists, newsletters, calendar notices, delivery receipts that answer nothing the inbox sent. */
  | { readonly kind: 'other'; readonly reason: string; readonly messageId?: string }

/** A failure reply with its enhanced status code, `550 5.1.1` or `550-5.1.1`: only servers write these. */
const SMTP_REPLY_IN_TEXT = /(?<![\w.])[45]\d\d[ -]#?[45]\.\d{1,3}\.\d{1,3}(?!\.?\d)/

/**
 * Classifies one received message. Reports first, by their structure: spam complaints (RFC 5965 feedback
 * reports, and unsubscribe requests mail clients send for their users), delivery status notifications
 * (RFC 3464), Amazon SES notifications. Then bounces in other shapes, by sender: from a mail system or a
 * list manager, any sign of a bounce (the returned message, bounce phrasing or subject, an SMTP reply), its
 * other notices being `other`; from a no-reply address or an empty return path, bounce phrasing in what it
 * wrote itself; from anyone, a delivery report's own words with a bounce subject or the returned message.
 * Then the inbox's own messages, then automatic and human answers. Messages that answer nothing and look
 * like bulk mail or calendar notices are `other`. A bounce is never a reply, even when it carries
 * In-Reply-To.
 */
export function classifyInbound(mail: ParsedMail, ownAddresses: ReadonlySet<string>): InboundMail {
  const headers = headerValues(mail)
  const messageId = mail.messageId === undefined ? {} : { messageId: mail.messageId }
  const sender: Sender = {
    address: mail.from?.value[0]?.address?.toLowerCase() ?? '',
    name: mail.from?.value[0]?.name ?? '',
  }
  const from = sender.address
  const subject = mail.subject ?? ''
  const contentType = headers.get('content-type') ?? ''
  const text = mail.text ?? ''
  const parts = partsOf(mail)
  const threadMessageIds = threadIdsOf(mail, headers)

  if (isFeedbackReport(contentType, parts, text))
    return { kind: 'complaint', ...readFeedbackReport(parts, text), ...messageId }
  const unsubscribe = unsubscribeRequestOf(headers, subject, from)
  if (unsubscribe !== undefined) return { kind: 'complaint', ...unsubscribe, ...messageId }

  // Reports that leave out the returned headers still answer the message that bounced (In-Reply-To), and a
  // VERP return address still says whom it was for.
  const bounce = (status: DeliveryStatus): InboundMail => {
    const originalMessageId = status.originalMessageId ?? threadMessageIds[0]
    const recipient = status.recipient ?? verpRecipientOf(mail, headers, ownAddresses)
    return {
      kind: 'bounce',
      ...status,
      ...(originalMessageId === undefined ? {} : { originalMessageId }),
      ...(recipient === undefined ? {} : { recipient }),
      ...messageId,
    }
  }
  if (deliveryReportPart(parts) !== undefined) {
    const report = readDeliveryReport(parts)
    if (report !== undefined) return bounce(report)
    if (reportsOnlyDelivery(parts)) return { kind: 'other', reason: 'delivery receipt', ...messageId }
  }
  const ses = readSesNotification(text)
  if (ses?.kind === 'bounce') return bounce(ses.status)
  if (ses?.kind === 'complaint') return { kind: 'complaint', ...ses.report, ...messageId }
  if (ses?.kind === 'delivery') return { kind: 'other', reason: 'delivery receipt', ...messageId }

  const automatic = isAutoReply(autoReplySignals(headers, subject))
  const mailSystem = isMailSystem(sender) || isListManager(sender, headers)
  const returned = hasReturnedPart(parts)
  // A mail system (or a list manager) sends bounces and notices, never answers: what it says decides which.
  if (mailSystem || headers.has('x-failed-recipients')) {
    if (
      returned ||
      headers.has('x-failed-recipients') ||
      hasBouncePhrasing(text) ||
      BOUNCE_SUBJECT.test(subject) ||
      SMTP_REPLY_IN_TEXT.test(text)
    )
      return bounce(plainBounce(mail, headers, parts, ownAddresses))
    // Quota warnings and other notices: a mail system never answers like a person or an auto-responder.
    return { kind: 'other', reason: 'notice from a mail system', ...messageId }
  }
  // Providers' own reports come from addresses nobody answers from (`no-reply@`), or with no sender at all.
  // Vacation responders send with an empty return path too, and quote the message they answer: only what
  // they wrote themselves counts, and an automatic answer needs the returned message or a server's reply.
  const written = newText(mail)
  const unanswered =
    isUnanswered(sender) || from === '' || /^<?\s*>?$/.test(headers.get('return-path') ?? '-')
  if (unanswered && hasBouncePhrasing(written) && (!automatic || returned || SMTP_REPLY_IN_TEXT.test(text)))
    return bounce(plainBounce(mail, headers, parts, ownAddresses))
  // Gateways and filters write bounces from addresses of their own: a report's own words ("your message
  // could not be delivered to the following recipients") under a bounce subject, or with the message
  // returned.
  if (hasReportPhrasing(written) && (BOUNCE_SUBJECT.test(subject) || returned))
    return bounce(plainBounce(mail, headers, parts, ownAddresses))

  if (ownAddresses.has(from)) return { kind: 'own-message', ...messageId }

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
    text: written,
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

/**
 * The message's parts as text: its attachments (returned messages, reports), and the delivery-status fields
 * mailparser appends to `text` (it reads a `message/delivery-status` part as text) or that a plain-text or
 * forwarded bounce quotes.
 */
function partsOf(mail: ParsedMail): MailPart[] {
  const parts: MailPart[] = (mail.attachments ?? []).map((attachment) => ({
    contentType: attachment.contentType.toLowerCase(),
    content: Buffer.isBuffer(attachment.content)
      ? attachment.content.toString('utf8')
      : String(attachment.content),
  }))
  const statusFields = deliveryStatusIn(mail.text ?? '')
  if (statusFields !== undefined && deliveryReportPart(parts) === undefined)
    parts.push({ contentType: 'message/delivery-status', content: statusFields })
  return parts
}

/** A bounce read from its text, with what its headers and returned message add. */
function plainBounce(
  mail: ParsedMail,
  headers: ReadonlyMap<string, string>,
  parts: readonly MailPart[],
  ownAddresses: ReadonlySet<string>,
): DeliveryStatus {
  const read = readPlainBounce(fullText(mail, parts), ownAddresses)
  // Exim names the failed recipients in a header of its own.
  const failed = headers
    .get('x-failed-recipients')
    ?.split(/[\s,;<>]+/)
    .find((word) => word.includes('@'))
    ?.toLowerCase()
  const returned = returnedHeaders(parts)
  const recipient =
    failed ?? read.recipient ?? (returned === undefined ? undefined : originalRecipientIn(returned))
  return { ...read, ...(recipient === undefined ? {} : { recipient }) }
}

/** The recipient a VERP return address encodes, from the addresses the bounce was delivered to. */
function verpRecipientOf(
  mail: ParsedMail,
  headers: ReadonlyMap<string, string>,
  ownAddresses: ReadonlySet<string>,
): string | undefined {
  const to = Array.isArray(mail.to) ? mail.to : mail.to === undefined ? [] : [mail.to]
  const candidates = [
    headers.get('x-original-to'),
    headers.get('delivered-to'),
    ...to.flatMap((address) => address.value.map((entry) => entry.address)),
  ]
  for (const candidate of candidates) {
    const recipient =
      candidate === undefined ? undefined : verpRecipient(candidate.trim().replace(/^<|>$/g, ''))
    if (recipient !== undefined && !ownAddresses.has(recipient)) return recipient
  }
  return undefined
}

function fullText(mail: ParsedMail, parts: readonly MailPart[]): string {
  return [mail.text ?? '', ...parts.map((part) => part.content)].join('\n')
}

/**
 * The delivery-status fields (RFC 3464: per-message fields, then per-recipient ones) within a text, also
 * when a forwarded bounce quotes them with `>`.
 */
function deliveryStatusIn(text: string): string | undefined {
  const fields = /^[ \t]*>/m.test(text) ? text.replace(/^[ \t]*(>[ \t]?)+/gm, '') : text
  const start =
    /^(reporting-mta|original-envelope-id|arrival-date|final-recipient|original-recipient)[ \t]*:/im.exec(
      fields,
    )
  if (
    start === null ||
    !/^action[ \t]*:/im.test(fields) ||
    !/^(final|original)-recipient[ \t]*:/im.test(fields)
  )
    return undefined
  return fields.slice(start.index)
}
