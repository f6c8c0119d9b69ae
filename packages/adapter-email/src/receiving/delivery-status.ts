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

interface ReportPart {
  readonly contentType: string
  readonly content: string
}

/**
 * Reads an RFC 3464 delivery status notification: the `message/delivery-status` part gives, per
 * recipient, the action, the status and the server's diagnostic; the returned headers (or whole message)
 * give the original Message-ID. The first failed recipient wins over delayed ones.
 */
export function readDeliveryReport(parts: readonly ReportPart[]): DeliveryStatus | undefined {
  const report = parts.find((part) => part.contentType === 'message/delivery-status')
  if (report === undefined) return undefined
  // Per-recipient groups are told by their fields, not their place: some reports have no per-message group.
  const recipients = fieldGroups(report.content).filter(
    (group) => group.has('final-recipient') || group.has('original-recipient') || group.has('action'),
  )
  const chosen =
    recipients.find((group) => /^failed/i.test(group.get('action') ?? '')) ??
    recipients.find((group) => /^delayed/i.test(group.get('action') ?? '')) ??
    recipients[0]
  if (chosen === undefined) return undefined
  const action = chosen.get('action') ?? ''
  const status = /\b([245]\.\d{1,3}\.\d{1,3})\b/.exec(chosen.get('status') ?? '')?.[1]
  if (/^(delivered|relayed|expanded)/i.test(action)) return undefined
  const recipient = addressOf(chosen.get('final-recipient') ?? chosen.get('original-recipient') ?? '')
  const diagnostic = diagnosticWords(chosen.get('diagnostic-code'))
  const original = parts.find(
    (part) => part.contentType === 'text/rfc822-headers' || part.contentType === 'message/rfc822',
  )
  const originalMessageId = original === undefined ? undefined : messageIdIn(original.content)
  return {
    bounce: /^delayed/i.test(action) || status?.startsWith('4') === true ? 'soft' : 'hard',
    ...(status === undefined ? {} : { status }),
    ...(recipient === undefined ? {} : { recipient }),
    ...(diagnostic === undefined ? {} : { diagnostic }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

/**
 * Reads a bounce that is not a delivery status notification (qmail's "failure notice", old Exim and
 * Sendmail texts): the status or reply code, the failed address and the quoted original Message-ID, from
 * the text.
 */
export function readPlainBounce(text: string, ownAddresses: ReadonlySet<string>): DeliveryStatus {
  const status = /\b([45]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1]
  const reply = /\b([45])\d\d[ -]/.exec(text)?.[1]
  const soft =
    status !== undefined
      ? status.startsWith('4')
      : reply === '4' || /\b(delayed|will retry|still trying)\b/i.test(text)
  let recipient: string | undefined
  // Message-IDs look like addresses in angle brackets: leave out the header lines that carry them.
  const withoutIds = text.replace(/^(message-id|in-reply-to|references|content-id)\s*:.*$/gim, '')
  // Exchange writes failed addresses as `tom@contoso.com<mailto:tom@contoso.com>`.
  for (const match of withoutIds.matchAll(/<(?:mailto:)?([^<>\s@:]+@[^<>\s@]+)>/gi)) {
    const address = (match[1] ?? '').toLowerCase()
    if (!ownAddresses.has(address) && !/^(mailer-daemon|postmaster)@/i.test(address)) {
      recipient = address
      break
    }
  }
  const originalMessageId = messageIdIn(text)
  const diagnostic = /\b[45]\d\d[ -][^\n]*/.exec(text)?.[0].trim()
  return {
    bounce: soft ? 'soft' : 'hard',
    ...(status === undefined ? {} : { status }),
    ...(recipient === undefined ? {} : { recipient }),
    ...(diagnostic === undefined ? {} : { diagnostic }),
    ...(originalMessageId === undefined ? {} : { originalMessageId }),
  }
}

/** The blank-line separated field groups of a delivery-status body, as lower-cased names to unfolded values. */
function fieldGroups(content: string): Map<string, string>[] {
  const groups: Map<string, string>[] = []
  let current = new Map<string, string>()
  let last: string | undefined
  for (const line of content.replace(/\r\n/g, '\n').split('\n')) {
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
function diagnosticWords(field: string | undefined): string | undefined {
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
  const match = /<?([^\s<>;@]+@[^\s<>;@]+?)>?\s*$/.exec(value.trim())
  return match?.[1]?.toLowerCase()
}

function messageIdIn(text: string): string | undefined {
  return /^message-id:\s*(<[^<>\s]+>)/im.exec(text)?.[1]
}
