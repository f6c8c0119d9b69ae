import { hash32 } from '../../scheduler/seeded-random'
import { applyChanges, timedChanges } from '../analytics/analytics-counters'
import type { EngineContext } from '../engine-context'
import type { EngineEvent } from '../engine-events'
import type {
  AgentState,
  ConversationChannel,
  ConversationRecord,
  ConversationTag,
  MessageAuthor,
  MessageRecord,
  TagCategory,
} from '../records'
import { compoundKey, type Store } from '../store'

/**
 * The id of the conversation between an identity and a lead on a channel: the same every time it is
 * computed, short and URL-safe (ids of identities and leads may hold any printable character).
 */
export function conversationId(identityId: string, leadId: string, channel: ConversationChannel): string {
  const high = hash32(0xc0_0001, identityId, leadId, channel)
  const low = hash32(0xc0_0002, identityId, leadId, channel)
  return `cv-${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}`
}

export const IDLE_AGENT: AgentState = {
  status: 'active',
  handOff: null,
  answers: 0,
  pending: null,
  suggestion: null,
}

export interface MessageInput {
  readonly identityId: string
  readonly leadId: string
  readonly channel: ConversationChannel
  readonly campaignId: string | null
  readonly stepId?: string | null
  readonly inbox?: string | null
  readonly author: MessageAuthor
  readonly text: string
  readonly subject?: string | null
  readonly messageId?: string | null
  readonly claimKey?: string | null
  readonly classification?: MessageRecord['classification']
  readonly at: number
}

export interface Recorded {
  readonly conversation: ConversationRecord
  readonly message: MessageRecord
  /** `conversation-message`, for the host once the transaction commits (not kept in the action log). */
  readonly event: EngineEvent
}

/**
 * Adds a message to its conversation (creating the conversation with its first message), in the caller's
 * transaction, so the message is kept exactly when the state change it belongs to is. An inbound message
 * waits for an answer unless it is an out-of-office; an answer from a person or the agent ends the wait.
 * The AI's tags and category follow the latest classified reply: a later "actually, not interested" wins.
 */
export async function recordMessage(
  context: EngineContext,
  store: Store,
  input: MessageInput,
): Promise<Recorded> {
  const id = conversationId(input.identityId, input.leadId, input.channel)
  const existing = await store.get('conversations', id)
  const inbound = input.author === 'lead'
  const message: MessageRecord = {
    // Unique across workers (their id and start) and ordered within one (a padded sequence), like the action log.
    key: compoundKey(
      id,
      input.at.toString(36).padStart(9, '0'),
      context.settings.workerId,
      context.bootId,
      context.nextSequence().toString(36).padStart(7, '0'),
    ),
    conversationId: id,
    at: input.at,
    direction: inbound ? 'inbound' : 'outbound',
    author: input.author,
    channel: input.channel,
    text: input.text,
    subject: input.subject ?? null,
    campaignId: input.campaignId,
    stepId: input.stepId ?? null,
    inbox: input.inbox ?? null,
    messageId: input.messageId ?? null,
    claimKey: input.claimKey ?? null,
    classification: input.classification ?? null,
  }
  const base: ConversationRecord = existing ?? {
    key: id,
    identityId: input.identityId,
    leadId: input.leadId,
    channel: input.channel,
    campaignId: input.campaignId,
    inbox: input.inbox ?? null,
    startedAt: input.at,
    lastActivityAt: input.at,
    lastInboundAt: null,
    lastOutboundAt: null,
    messages: 0,
    needsAnswerAt: null,
    tags: [],
    aiCategory: null,
    category: null,
    agent: IDLE_AGENT,
    agentDueAt: null,
  }
  const classification = input.classification
  const tags =
    inbound && classification !== null && classification !== undefined
      ? [
          ...base.tags.filter((tag) => tag.source === 'manual'),
          ...classification.tags
            .filter((name) => !base.tags.some((tag) => tag.source === 'manual' && sameTag(tag.name, name)))
            .map((name): ConversationTag => ({ name, category: classification.sentiment, source: 'ai' })),
        ]
      : base.tags
  const aiCategory =
    inbound && classification !== null && classification !== undefined && !classification.outOfOffice
      ? classification.sentiment
      : base.aiCategory
  const answers = input.author === 'person' || input.author === 'agent'
  const waits = inbound && classification?.outOfOffice !== true
  const conversation: ConversationRecord = {
    ...base,
    campaignId: input.campaignId ?? base.campaignId,
    inbox: base.inbox ?? input.inbox ?? null,
    lastActivityAt: Math.max(base.lastActivityAt, input.at),
    lastInboundAt: inbound ? input.at : base.lastInboundAt,
    lastOutboundAt: inbound ? base.lastOutboundAt : input.at,
    messages: base.messages + 1,
    needsAnswerAt: waits ? input.at : answers ? null : base.needsAnswerAt,
    tags,
    aiCategory,
    category: effectiveCategory(tags, aiCategory),
  }
  await store.put('messages', message.key, message)
  await saveConversation(store, conversation, base)
  return {
    conversation,
    message,
    event: {
      at: new Date(input.at).toISOString(),
      type: 'conversation-message',
      identityId: input.identityId,
      leadId: input.leadId,
      channel: input.channel,
      ...(input.campaignId === null ? {} : { campaignId: input.campaignId }),
      ...(message.stepId === null ? {} : { stepId: message.stepId }),
      ...(message.inbox === null ? {} : { inbox: message.inbox }),
      ...(message.messageId === null ? {} : { messageId: message.messageId }),
      detail: {
        conversationId: id,
        messageKey: message.key,
        direction: message.direction,
        author: message.author,
      },
    },
  }
}

/**
 * Writes a conversation and keeps its tag index in step: one entry per tag, carrying the conversation's
 * activity time, so listing by tag reads an index rather than every conversation. The campaign's
 * tagged-conversations counters follow at `at`: a tag added counts then, one removed or recategorised
 * stops counting then, so all time they equal the conversations' current tags.
 */
export async function saveConversation(
  store: Store,
  next: ConversationRecord,
  previous: ConversationRecord | undefined,
  at: number = next.lastActivityAt,
): Promise<void> {
  await store.put('conversations', next.key, next)
  const before = new Set((previous?.tags ?? []).map((tag) => tagKey(tag.name)))
  const after = new Set(next.tags.map((tag) => tagKey(tag.name)))
  const tagCounts: Record<string, number> = {}
  for (const tag of previous?.tags ?? []) {
    const name = tagCounterName(next.channel, tag)
    tagCounts[name] = (tagCounts[name] ?? 0) - 1
  }
  for (const tag of next.tags) {
    const name = tagCounterName(next.channel, tag)
    tagCounts[name] = (tagCounts[name] ?? 0) + 1
  }
  if (next.campaignId !== null)
    await applyChanges(
      store,
      timedChanges(at, [{ scope: 'campaign', scopeId: next.campaignId, counts: tagCounts }]),
    )
  for (const name of before)
    if (!after.has(name)) await store.delete('conversationTags', compoundKey(next.key, name))
  const moved = previous === undefined || previous.lastActivityAt !== next.lastActivityAt
  for (const tag of next.tags) {
    const name = tagKey(tag.name)
    if (before.has(name) && !moved) continue
    const key = compoundKey(next.key, name)
    await store.put('conversationTags', key, {
      key,
      conversationId: next.key,
      tag: name,
      lastActivityAt: next.lastActivityAt,
    })
  }
}

/** The category a conversation counts as: its latest manual tag's, else the AI's. */
export function effectiveCategory(
  tags: readonly ConversationTag[],
  aiCategory: TagCategory | null,
): TagCategory | null {
  const manual = tags.filter((tag) => tag.source === 'manual')
  return manual.length === 0 ? aiCategory : (manual[manual.length - 1]?.category ?? aiCategory)
}

/** The counter of a tag added on a channel: `tag:<channel>:<category>:<name>` (the name last, as it may hold ':'). */
export const tagCounterName = (channel: string, tag: ConversationTag) =>
  `tag:${channel}:${tag.category}:${tagKey(tag.name)}`

/** Tags are matched without case: "Interested" and "interested" are one tag. */
export const tagKey = (name: string) => name.trim().toLowerCase()
const sameTag = (a: string, b: string) => tagKey(a) === tagKey(b)
