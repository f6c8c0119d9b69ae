import type { LinkedInProviderV1, ProviderEvent } from '../provider/linkedin-provider'
import { isoInstantOf } from '../provider/provider-time'
import type { DeliveryResult } from './inbound-delivery'
import type { PollCursorStore } from './poll-cursor'

const DAY = 86_400_000
/** Read again a little before the last poll: messages stamped by a provider clock slightly behind ours. */
const OVERLAP_MS = 5 * 60_000

export interface PollResult {
  /** Replies and acceptances found (the engine ignores the ones it already has, by event id). */
  readonly events: number
  /** Of those, the ones the engine refused for good (kept as dead letters; the poll moved past them). */
  readonly refused: number
}

/** The time of a row, or -Infinity when it has none it can be read by (it is then sorted first). */
const timeOf = (at: string | undefined): number => {
  const iso = isoInstantOf(at)
  return iso === undefined ? Number.NEGATIVE_INFINITY : Date.parse(iso)
}

/**
 * Finds what happened on one account since the last poll: conversations whose newest message is the other
 * person's (a reply) and new connections (an accepted invitation). Events carry the provider's message id
 * or the account and profile, so overlapping polls and webhooks deliver each once to the engine.
 *
 * The cursor moves once every event was delivered or refused for good: an event the engine can never take
 * does not hold the account's polling back, while a failure that may pass (thrown by `deliver`) leaves the
 * cursor where it was, so the next poll reads the event again rather than lose it.
 */
export async function pollAccount(input: {
  readonly provider: LinkedInProviderV1
  readonly accountId: string
  readonly cursors: PollCursorStore
  readonly lookbackDays: number
  readonly now: number
  readonly deliver: (event: ProviderEvent) => Promise<DeliveryResult>
}): Promise<PollResult> {
  const { provider, accountId } = input
  const saved = await input.cursors.read(provider.name, accountId)
  const since = saved?.since ?? input.now - input.lookbackDays * DAY
  const sinceIso = new Date(since).toISOString()
  const found: ProviderEvent[] = []
  // A row stamped with no readable time may be new: kept (its event goes without a time), never taken as old.
  const older = (at: string | undefined) => timeOf(at) < since && isoInstantOf(at) !== undefined

  for (const conversation of await provider.listConversations({ accountId, since: sinceIso })) {
    if (!conversation.lastFromThem || older(conversation.lastMessageAt)) continue
    found.push({
      type: 'message-received',
      accountId,
      from: conversation.with,
      eventId: conversation.lastMessageId,
      at: conversation.lastMessageAt,
      ...(conversation.lastMessageText === undefined ? {} : { text: conversation.lastMessageText }),
    })
  }
  for (const relation of await provider.listRelations({ accountId, since: sinceIso })) {
    if (older(relation.connectedAt)) continue
    const who = relation.with.profileId ?? relation.with.profileUrl
    if (who === undefined) continue
    found.push({
      type: 'invitation-accepted',
      accountId,
      with: relation.with,
      eventId: `${accountId}:${who}`,
      ...(relation.connectedAt === undefined ? {} : { at: relation.connectedAt }),
    })
  }
  // Oldest first; rows without a readable time first of all.
  found.sort((a, b) => timeOf(a.at) - timeOf(b.at) || 0)
  let refused = 0
  // Delivered before the cursor moves: a failure that may pass throws here, and the next poll reads them again.
  for (const event of found) if ((await input.deliver(event)) === 'refused') refused++
  await input.cursors.write(provider.name, accountId, { since: input.now - OVERLAP_MS })
  return { events: found.length, refused }
}
