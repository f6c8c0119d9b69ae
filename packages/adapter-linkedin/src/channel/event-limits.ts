import { createHash } from 'node:crypto'
import type { LeadReference } from '@paceline/core/ports'

/**
 * The engine's limits on what an inbound event carries (`parseInboundEvent`): an event over them is refused
 * for good, so the channel keeps provider data inside them rather than hand the engine a dead letter.
 */
export const EVENT_LIMITS = {
  /** `eventId`. */
  eventId: 500,
  /** `lead.leadId`, `lead.linkedinProfileId`, `identityId`. */
  id: 200,
  /** A reply's `text` (the engine takes 1,000,000; a LinkedIn message is never near that). */
  text: 100_000,
} as const

/**
 * `prefix` + `id`, or, when that is longer than `max`, the prefix and a SHA-256 of the whole: the same long
 * id always gives the same short one, so a provider's retries and a poll still count once.
 */
export function boundedId(prefix: string, id: string, max: number = EVENT_LIMITS.eventId): string {
  const whole = `${prefix}${id}`
  if (whole.length <= max) return whole
  const digest = `sha256:${createHash('sha256').update(whole, 'utf8').digest('hex')}`
  return `${prefix.slice(0, Math.max(0, max - digest.length))}${digest}`
}

const usable = (value: unknown): value is string =>
  typeof value === 'string' && value !== '' && value.length <= EVENT_LIMITS.id

/**
 * The lead reference with only what can name a lead: a `linkedinProfileId` longer than any lead's (they are
 * 200 characters at most) or empty cannot match one, so it is dropped rather than sent; none left, none.
 * Rebuilt field by field, since it may come back from storage.
 */
export function leadReferenceWithinLimits(lead: LeadReference | undefined): LeadReference | undefined {
  if (lead === undefined || lead === null || typeof lead !== 'object') return undefined
  const reference: LeadReference = {
    ...(usable(lead.leadId) ? { leadId: lead.leadId } : {}),
    ...(usable(lead.linkedinProfileId) ? { linkedinProfileId: lead.linkedinProfileId } : {}),
  }
  return reference.leadId === undefined && reference.linkedinProfileId === undefined ? undefined : reference
}
