import type { LinkedInProviderV1, ProviderEvent } from '../provider/linkedin-provider'
import type { PollCursorStore } from './poll-cursor'

const DAY = 86_400_000
/** Read again a little before the last poll: messages stamped by a provider clock slightly behind ours. */
const OVERLAP_MS = 5 * 60_000

export interface PollResult {
  /** Replies and acceptances found (the engine ignores the ones it already has, by event id). */
  readonly events: number
}

/**
 * Finds what happened on one account since the last poll: conversations whose newest message is the other
 * person's (a reply) and new connections (an accepted invitation). Events carry the provider's message id
 * or the account and profile, so overlapping polls and webhooks deliver each once to the engine.
 */
export async function pollAccount(input: {
  readonly provider: LinkedInProviderV1
  readonly accountId: string
  readonly cursors: PollCursorStore
  readonly lookbackDays: number
  readonly now: number
  readonly deliver: (event: ProviderEvent) => Promise<void>
}): Promise<PollResult> {
  const { provider, accountId } = input
  const saved = await input.cursors.read(provider.name, accountId)
  const since = saved?.since ?? input.now - input.lookbackDays * DAY
  const sinceIso = new Date(since).toISOString()
  const found: ProviderEvent[] = []

  for (const conversation of await provider.listConversations({ accountId, since: sinceIso })) {
    if (!conversation.lastFromThem || Date.parse(conversation.lastMessageAt) < since) continue
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
    if (relation.connectedAt !== undefined && Date.parse(relation.connectedAt) < since) continue
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
  found.sort((a, b) => Date.parse(a.at ?? '') - Date.parse(b.at ?? ''))
  // Delivered before the cursor moves: a failure means the next poll reads them again.
  for (const event of found) await input.deliver(event)
  await input.cursors.write(provider.name, accountId, { since: input.now - OVERLAP_MS })
  return { events: found.length }
}
