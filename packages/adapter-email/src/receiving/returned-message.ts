/** A MIME part of a received message, as text, with its lower-cased content type. */
export interface MailPart {
  readonly contentType: string
  readonly content: string
}

/**
 * Where a report carries the message it is about: the whole message (RFC 3464 §2, RFC 5965 §2; RFC 6533's
 * `message/global` for internationalized mail) or its headers alone.
 */
const RETURNED_TYPES = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  // The draft ARF spelling, still sent by some feedback loops.
  'text/rfc822-header',
  'message/rfc822-headers',
  'message/global',
  'message/global-headers',
])

/** The longest header block read from a returned message: its body says nothing about who it was for. */
const HEADER_BLOCK_LIMIT = 64_000

/** Whether a report returns the message it is about (or its headers) as a part of its own. */
export function hasReturnedPart(parts: readonly MailPart[]): boolean {
  return parts.some((part) => RETURNED_TYPES.has(part.contentType))
}

/** The header block of the message a report returns, when it returns one as a part. */
export function returnedHeaders(parts: readonly MailPart[]): string | undefined {
  const part = parts.find((candidate) => RETURNED_TYPES.has(candidate.contentType))
  if (part === undefined) return undefined
  const content = part.content.slice(0, HEADER_BLOCK_LIMIT).replace(/\r\n?/g, '\n')
  const blank = content.search(/\n[ \t]*\n/)
  return blank === -1 ? content : content.slice(0, blank)
}

/**
 * The Message-ID of a returned message, from its headers or from a text that quotes them (indented, or
 * quoted with `>`, as plain-text bounces and forwarded reports do).
 */
export function originalMessageIdIn(text: string): string | undefined {
  return /^[ \t>]*message-id[ \t]*:\s*(<[^<>\s]+>)/im.exec(text)?.[1]
}

/** The first address in the `To` of a returned message's headers: who the message was for. */
export function originalRecipientIn(headers: string): string | undefined {
  const to = /^to[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)/im.exec(headers)?.[1]
  if (to === undefined) return undefined
  const word = to.split(/[\s<>,;"'()]+/).find((part) => /^[^@]+@[^@]+\.[^@]+$/.test(part))
  return word?.toLowerCase()
}

/**
 * The recipient a VERP return address names (`bounces+alice=example.com@acme.io`, Mailman's
 * `list-bounces+alice=example.com@...`): mail sent with such an envelope sender bounces back to an address
 * that says whom it was for, even when the bounce itself does not.
 */
export function verpRecipient(address: string): string | undefined {
  if (address.length > 320) return undefined
  const at = address.lastIndexOf('@')
  if (at <= 0) return undefined
  const local = address.slice(0, at)
  const equals = local.lastIndexOf('=')
  if (equals === -1) return undefined
  // The encoded address follows the first `+` (or, without one, the last `-` before `user=domain`).
  const plus = local.indexOf('+')
  const start = plus !== -1 && plus < equals ? plus : local.lastIndexOf('-', equals)
  if (start === -1) return undefined
  const user = local.slice(start + 1, equals)
  const domain = local.slice(equals + 1)
  if (!/^[^\s@=+]+$/.test(user) || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(domain)) return undefined
  return `${user}@${domain}`.toLowerCase()
}
