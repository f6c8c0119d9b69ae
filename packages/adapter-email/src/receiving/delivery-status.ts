import { failedRecipientIn } from './failed-recipient'
import { type MailPart, originalMessageIdIn, originalRecipientIn, returnedHeaders } from './returned-message'

/** A delivery failure (or delay) reported by a mail server about a message the inbox sent. */
export interface DeliveryStatus {
  /** `hard`: the address cannot receive mail (5.x.x); `soft`: a temporary problem or a delay (4.x.x). */
  readonly bounce: 'hard' | 'soft'
  /** The enhanced status code (RFC 3463), e.g. `5.1.1`, when the report gives one. */
  readonly status?: string
  /** The recipient that failed, lower-cased. */
  readonly recipient?: string
  /** The server's own words (Diagnostic-Code). */
  readonly diagnostic?: string
  /** The Message-ID of the message that bounced. */
  readonly originalMessageId?: string
}

/** RFC 3464 reports, and RFC 6533's for internationalized addresses. */
const REPORT_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status'])

/**
 * Actions that say the message went on its way (RFC 3464 §2.3.3), and `deliverable` as message-tracking
 * reports write it.
 */
const NOT_A_FAILURE = /^\s*(delivered|relayed|expanded|deliverable)\b/i

/**
 * An enhanced status code (RFC 3463) standing on its own: a dotted quad such as an IP address
 * (`4.79.181.168`) or a version number is no status.
 */
const ENHANCED_CODE = /(?<![\d.])([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/
/**
 * A failure reply (RFC 5321 §4.2) with its enhanced code: `550 5.1.1`, `550-5.1.1`, `#550 5.1.1`. Success
 * replies (`250 2.0.0 Ok` in a session transcript) are passed over.
 */
const SMTP_REPLY_WITH_CODE = /(?<![\w.])([45])\d\d[ -]#?([45]\.\d{1,3}\.\d{1,3})(?!\.?\d)/
/** A `Status:` line in a text (a report quoted or pasted into a plain-text bounce). */
const STATUS_LINE = /^[ \t>]*status:[ \t]*([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/im
/** qmail's way of giving the enhanced code: `(#5.1.1)` after the server's words. */
const QMAIL_STATUS = /\(#([45]\.\d{1,3}\.\d{1,3})\)/
/** A bare SMTP reply code at the start of a line or after the words that introduce one. */
const SMTP_REPLY =
  /(?:^[ \t>]*(?:<<<[ \t]*)?|\b(?:said|reply|response|returned|error|reason|answered)[:\s'"([]{1,3}|[[(#])([45])\d\d(?=[ -][^\d.\s]|\s[a-z])/im

/** The report part of a message, if it has one. */
export function deliveryReportPart(parts: readonly MailPart[]): MailPart | undefined {
  return parts.find((part) => REPORT_TYPES.has(part.contentType))
}

/**
 * Whether a delivery report says only that the message went on (`Action: delivered`, `relayed`,
 * `expanded`): a receipt, not a bounce.
 */
export function reportsOnlyDelivery(parts: readonly MailPart[]): boolean {
  const report = deliveryReportPart(parts)
  if (report === undefined) return false
  const actions = recipientGroups(report.content).map((group) => group.get('action') ?? '')
  return actions.length > 0 && actions.every((action) => NOT_A_FAILURE.test(action))
}

/**
 * Reads an RFC 3464 delivery status notification: the `message/delivery-status` part gives, per
 * recipient, the action, the status and the server's diagnostic; the returned headers (or whole message)
 * give the original Message-ID, and their `To` the recipient when the report names none. The first failed
 * recipient wins over delayed ones; a report of delivery alone is no bounce (undefined).
 */
export function readDeliveryReport(parts: readonly MailPart[]): DeliveryStatus | undefined {
  const report = deliveryReportPart(parts)
  if (report === undefined) return undefined
  const failing = recipientGroups(report.content).filter(
    (group) => !NOT_A_FAILURE.test(group.get('action') ?? ''),
  )
  const chosen =
    failing.find((group) => /^\s*failed/i.test(group.get('action') ?? '')) ??
    failing.find((group) => /^\s*delayed/i.test(group.get('action') ?? '')) ??
    failing[0]
  if (chosen === undefined) return undefined
  const delayed = /^\s*delayed/i.test(chosen.get('action') ?? '')
  const diagnosticField = chosen.get('diagnostic-code')
  const status =
    ENHANCED_CODE.exec(chosen.get('status') ?? '')?.[1] ??
    SMTP_REPLY_WITH_CODE.exec(diagnosticField ?? '')?.[2]
  const returned = returnedHeaders(parts)
  const recipient =
    addressOf(chosen.get('original-recipient') ?? '') ??
    addressOf(chosen.get('final-recipient') ?? '') ??
    (returned === undefined ? undefined : originalRecipientIn(returned))
  const diagnostic = diagnosticWords(diagnosticField)
  const originalMessageId = returned === undefined ? undefined : originalMessageIdIn(returned)
  const soft =
    delayed ||
    (status === undefined ? SMTP_REPLY.exec(diagnosticField ?? '')?.[1] === '4' : status[0] === '4')
  return {
    bounce: soft ? 'soft' : 'hard',
    ...(status === undefined ? {} : { status }),
    ...(recipient === undefined ? {} : { recipient }),
    ...(diagnostic === undefined ? {} : { diagnostic }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

/**
 * Reads a bounce that is not a delivery status notification (qmail's "failure notice", old Exim and
 * Sendmail texts, providers' own formats): the status from a `Status:` line or an SMTP reply, the failed
 * address and the quoted original Message-ID, from the text.
 */
export function readPlainBounce(text: string, ownAddresses: ReadonlySet<string>): DeliveryStatus {
  const status =
    STATUS_LINE.exec(text)?.[1] ?? SMTP_REPLY_WITH_CODE.exec(text)?.[2] ?? QMAIL_STATUS.exec(text)?.[1]
  const reply = SMTP_REPLY.exec(text)
  const soft =
    status !== undefined
      ? status.startsWith('4')
      : reply !== null
        ? reply[1] === '4'
        : /\b(delayed|will (be )?retr(y|ied)|still trying|temporar(y|ily))\b/i.test(text)
  const recipient = failedRecipientIn(text, ownAddresses)
  const originalMessageId = originalMessageIdIn(text)
  const diagnostic =
    reply === null
      ? undefined
      : text
          .slice(reply.index + reply[0].length - 3)
          .split('\n')[0]
          ?.trim()
  return {
    bounce: soft ? 'soft' : 'hard',
    ...(status === undefined ? {} : { status }),
    ...(recipient === undefined ? {} : { recipient }),
    ...(diagnostic === undefined || diagnostic === '' ? {} : { diagnostic }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

/**
 * The per-recipient field groups of a delivery-status body. Groups are told by their fields, not their
 * place: some reports have no per-message group.
 */
function recipientGroups(content: string): Map<string, string>[] {
  return fieldGroups(content).filter(
    (group) => group.has('final-recipient') || group.has('original-recipient') || group.has('action'),
  )
}

/** The blank-line separated field groups of a delivery-status body, as lower-cased names to unfolded values. */
function fieldGroups(content: string): Map<string, string>[] {
  const groups: Map<string, string>[] = []
  let current = new Map<string, string>()
  let last: string | undefined
  for (const line of content.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) groups.push(current)
      current = new Map()
      last = undefined
      continue
    }
    if (/^[ \t]/.test(line) && last !== undefined) {
      current.set(last, `${current.get(last) ?? ''} ${line.trim()}`)
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    last = line.slice(0, colon).trim().toLowerCase()
    if (!current.has(last)) current.set(last, line.slice(colon + 1).trim())
  }
  if (current.size > 0) groups.push(current)
  return groups
}

/**
 * The server's words from a Diagnostic-Code field: without its type (`smtp;`, `X-Postfix;`), and a multi-line
 * SMTP reply (`550-5.1.1 The email account ... 550-5.1.1 double-checking ...`) with its codes given once.
 */
export function diagnosticWords(field: string | undefined): string | undefined {
  if (field === undefined) return undefined
  const words = field.replace(/^\s*[a-z][\w-]*\s*;\s*/i, '')
  const reply = /^(\d{3})[ -](?:(\d\.\d{1,3}\.\d{1,3})\s)?/.exec(words)
  if (reply === null) return words.replace(/\s+/g, ' ').trim() || undefined
  const [start, code, enhanced] = reply
  const continuation = new RegExp(
    `\\s${code}[ -]${enhanced === undefined ? '' : `${enhanced.replace(/\./g, '\\.')}(?=\\s)`}`,
    'g',
  )
  const text = words.slice(start.length).replace(continuation, ' ')
  return [code, enhanced, text]
    .filter((part) => part !== undefined)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** `rfc822; Someone <a@b.example>` or `rfc822;a@b.example` -> `a@b.example`. */
function addressOf(field: string): string | undefined {
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field
  // The last word with an @, split rather than matched: a field can be as long as a hostile sender makes it.
  const word = value
    .split(/[\s<>]+/)
    .filter((part) => part.includes('@'))
    .pop()
  return word === undefined || /^@|@$|;/.test(word) ? undefined : word.toLowerCase()
}

/** An enhanced status code in a report's or a provider's field, when it holds one. */
export function enhancedCodeIn(value: string): string | undefined {
  return ENHANCED_CODE.exec(value)?.[1]
}
