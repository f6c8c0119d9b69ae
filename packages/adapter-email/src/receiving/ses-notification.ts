import { type DeliveryStatus, diagnosticWords, enhancedCodeIn } from './delivery-status'
import type { FeedbackReport } from './feedback-report'

/**
 * An Amazon SES notification delivered by email (an SNS email subscription): the JSON document itself, or
 * SNS's envelope around it. SES reports bounces and complaints this way, not as RFC 3464 or RFC 5965 reports.
 */
export type SesNotification =
  | { readonly kind: 'bounce'; readonly status: DeliveryStatus }
  | { readonly kind: 'complaint'; readonly report: FeedbackReport }
  | { readonly kind: 'delivery' }

type Json = Record<string, unknown>

const object = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
const string = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

/** Reads an SES notification from a message's text, when the text is one. */
export function readSesNotification(text: string): SesNotification | undefined {
  const start = text.indexOf('{')
  if (start === -1 || text.slice(0, start).trim() !== '' || !text.includes('notificationType'))
    return undefined
  const end = text.lastIndexOf('}')
  // Sendmail breaks lines longer than 990 characters with `!` and a folded line: join them back.
  const document = parse(text.slice(start, end + 1).replace(/!\r?\n /g, ''))
  const notification = object(parse(string(document?.Message) ?? '')) ?? document
  const mail = object(notification?.mail)
  switch (string(notification?.notificationType)) {
    case 'Bounce':
      return { kind: 'bounce', status: bounceOf(object(notification?.bounce), mail) }
    case 'Complaint':
      return { kind: 'complaint', report: complaintOf(object(notification?.complaint), mail) }
    case 'Delivery':
      return { kind: 'delivery' }
    default:
      return undefined
  }
}

function parse(json: string): Json | undefined {
  try {
    return object(JSON.parse(json))
  } catch {
    return undefined
  }
}

function bounceOf(bounce: Json | undefined, mail: Json | undefined): DeliveryStatus {
  const recipients = Array.isArray(bounce?.bouncedRecipients) ? bounce.bouncedRecipients : []
  const first = object(recipients[0])
  const status = enhancedCodeIn(string(first?.status) ?? '')
  const recipient = string(first?.emailAddress)?.toLowerCase()
  const diagnostic = diagnosticWords(string(first?.diagnosticCode))
  const originalMessageId = messageIdOf(mail)
  // SES says whether it gave up (`Permanent`) or will not retry for now (`Transient`); the status says more.
  const soft = status === undefined ? string(bounce?.bounceType) === 'Transient' : status.startsWith('4')
  return {
    bounce: soft ? 'soft' : 'hard',
    ...(status === undefined ? {} : { status }),
    ...(recipient === undefined || !recipient.includes('@') ? {} : { recipient }),
    ...(diagnostic === undefined ? {} : { diagnostic }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

function complaintOf(complaint: Json | undefined, mail: Json | undefined): FeedbackReport {
  const recipients = Array.isArray(complaint?.complainedRecipients) ? complaint.complainedRecipients : []
  const recipient = string(object(recipients[0])?.emailAddress)?.toLowerCase()
  const feedbackType = string(complaint?.complaintFeedbackType)?.toLowerCase()
  const originalMessageId = messageIdOf(mail)
  return {
    ...(feedbackType === undefined || !/^[a-z][a-z0-9_-]{0,63}$/.test(feedbackType) ? {} : { feedbackType }),
    ...(recipient === undefined || !recipient.includes('@') ? {} : { recipient }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

/** The sent message's own Message-ID (not SES's id for it), from the headers SES returns. */
function messageIdOf(mail: Json | undefined): string | undefined {
  const common = string(object(mail?.commonHeaders)?.messageId)
  const headers = Array.isArray(mail?.headers) ? mail.headers : []
  const header = headers.map(object).find((entry) => string(entry?.name)?.toLowerCase() === 'message-id')
  const value = common ?? string(header?.value)
  return value === undefined ? undefined : /<[^<>\s]+>/.exec(value)?.[0]
}
