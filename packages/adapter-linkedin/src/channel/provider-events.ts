import type { InboundEvent, LeadReference } from '@paceline/core/ports'
import type { ProviderEvent, ProviderTarget } from '../provider/linkedin-provider'
import { isoInstantOf } from '../provider/provider-time'
import { boundedId, EVENT_LIMITS, leadReferenceWithinLimits } from './event-limits'

/** A provider clock may run a little ahead of ours; a reply stamped a day ahead is a wrong stamp. */
const MAX_CLOCK_AHEAD_MS = 86_400_000

/**
 * The engine event for a provider event, for the identity that owns the account; none for accounts the
 * channel does not know or people it cannot name. Event ids are namespaced by provider, so the same
 * message seen by webhook and by polling counts once. Whatever the provider sent, the event is one the
 * engine accepts: an impossible time is left out (the engine uses its own clock), over-long ids are
 * digested, identifiers that cannot name a lead are dropped.
 */
export async function inboundEventOf(
  event: ProviderEvent,
  provider: string,
  identityOf: (accountId: string) => string | undefined,
  leadReferenceOf: (person: ProviderTarget) => Promise<LeadReference | undefined>,
  now: number,
): Promise<InboundEvent | undefined> {
  const identityId = identityOf(event.accountId)
  if (identityId === undefined) return undefined
  const instant = isoInstantOf(event.at)
  const at = instant === undefined || Date.parse(instant) > now + MAX_CLOCK_AHEAD_MS ? {} : { at: instant }
  const eventId = String(event.eventId)
  if (event.type === 'message-received') {
    const lead = leadReferenceWithinLimits(await leadReferenceOf(event.from))
    if (lead === undefined) return undefined
    return {
      type: 'reply-received',
      channel: 'linkedin',
      identityId,
      lead,
      ...(typeof event.text === 'string' ? { text: event.text.slice(0, EVENT_LIMITS.text) } : {}),
      eventId: boundedId(`linkedin:${provider}:message:`, eventId),
      ...at,
    }
  }
  const lead = leadReferenceWithinLimits(await leadReferenceOf(event.with))
  if (lead === undefined) return undefined
  return {
    type: 'connection-accepted',
    identityId,
    lead,
    eventId: boundedId(`linkedin:${provider}:accepted:`, eventId),
    ...at,
  }
}
