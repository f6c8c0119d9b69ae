import { createHash } from 'node:crypto'

/**
 * The limits core's `parseInboundEvent` holds every event to. An event over one is refused for good, and a
 * message whose event is refused would be skipped: ids and addresses are brought within them here instead.
 */
export const EVENT_LIMITS = {
  eventId: 500,
  messageId: 998,
  messageIds: 200,
  address: 320,
  subject: 10_000,
  text: 1_000_000,
  reason: 10_000,
  feedbackType: 200,
} as const

/**
 * An id within `max` characters: itself when it fits, otherwise a digest of the whole id in Message-ID form
 * (`<sha256hex@digest.invalid>`, a domain that cannot exist), the same every time the message is read, so
 * a message read twice still counts once.
 */
export function boundedId(id: string, max: number): string {
  if (id.length <= max) return id
  return `<${createHash('sha256').update(id).digest('hex')}@digest.invalid>`
}

/** `email:<key>` within the event id limit, the key digested when it is too long. */
export function eventIdFor(key: string): string {
  const prefix = 'email:'
  return `${prefix}${boundedId(key, EVENT_LIMITS.eventId - prefix.length)}`
}

/**
 * An address the engine can match a lead by, or none: RFC 5321 §4.5.3.1 allows no longer address than 320
 * characters (and core refuses one), so a longer one names nobody.
 */
export function matchableAddress(address: string | undefined): string | undefined {
  return address === undefined || address === '' || address.length > EVENT_LIMITS.address
    ? undefined
    : address
}
