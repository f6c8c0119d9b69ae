import type { InboundEvent, LeadReference } from '@paceline/core/ports'
import type { ProviderEvent, ProviderTarget } from '../provider/linkedin-provider'

/**
 * The engine event for a provider event, for the identity that owns the account; none for accounts the
 * channel does not know or people without a profile id. Event ids are namespaced by provider, so the same
 * message seen by webhook and by polling counts once.
 */
export async function inboundEventOf(
  event: ProviderEvent,
  provider: string,
  identityOf: (accountId: string) => string | undefined,
  leadReferenceOf: (person: ProviderTarget) => Promise<LeadReference | undefined>,
): Promise<InboundEvent | undefined> {
  const identityId = identityOf(event.accountId)
  if (identityId === undefined) return undefined
  const at = event.at === undefined ? {} : { at: event.at }
  if (event.type === 'message-received') {
    const lead = await leadReferenceOf(event.from)
    if (lead === undefined) return undefined
    return {
      type: 'reply-received',
      channel: 'linkedin',
      identityId,
      lead,
      ...(event.text === undefined ? {} : { text: event.text.slice(0, 100_000) }),
      eventId: `linkedin:${provider}:message:${event.eventId}`,
      ...at,
    }
  }
  const lead = await leadReferenceOf(event.with)
  if (lead === undefined) return undefined
  return {
    type: 'connection-accepted',
    identityId,
    lead,
    eventId: `linkedin:${provider}:accepted:${event.eventId}`,
    ...at,
  }
}
