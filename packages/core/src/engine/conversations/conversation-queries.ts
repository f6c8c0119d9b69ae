import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import type { IndexQuery } from '../../ports/storage'
import { notFound } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import type {
  ConversationChannel,
  ConversationRecord,
  ConversationTag,
  MessageAuthor,
  MessageRecord,
  TagCategory,
} from '../records'
import type { Store } from '../store'
import { tagKey } from './conversation-log'

/** A conversation as a host shows it in an inbox. Times are ISO 8601. */
export interface ConversationView {
  readonly id: string
  readonly identityId: string
  readonly leadId: string
  readonly channel: ConversationChannel
  /** The campaign of the latest message. */
  readonly campaignId: string | null
  readonly inbox: string | null
  readonly startedAt: string
  readonly lastActivityAt: string
  readonly lastInboundAt: string | null
  readonly lastOutboundAt: string | null
  readonly messageCount: number
  /** The lead's last message waits for an answer. */
  readonly needsAnswer: boolean
  readonly tags: readonly ConversationTag[]
  /** What the conversation counts as (positive replies): the latest manual tag's category, else the AI's. */
  readonly category: TagCategory | null
  readonly agent: {
    /**
     * `stood_down` once a person answered, even after a hand-off: `handOffReason` stays, so a hand-off is
     * `handOffReason !== null` whoever answered since.
     */
    readonly status: 'active' | 'handed_off' | 'stood_down'
    /** Why the agent handed the conversation to a person, kept after a person answers. */
    readonly handOffReason: string | null
    /** Answers the AI agent sent by itself. */
    readonly answers: number
    /** Work the agent will do, and when. */
    readonly pending: { readonly kind: 'suggest' | 'answer'; readonly dueAt: string } | null
    /** A copilot draft waits for a person (`engine.conversations.suggestion(id)`). */
    readonly hasSuggestion: boolean
  }
}

export interface ConversationMessage {
  readonly key: string
  readonly at: string
  readonly direction: 'inbound' | 'outbound'
  readonly author: MessageAuthor
  readonly channel: ConversationChannel
  readonly text: string
  readonly subject: string | null
  readonly campaignId: string | null
  readonly stepId: string | null
  readonly inbox: string | null
  readonly messageId: string | null
  readonly classification: MessageRecord['classification']
}

export interface ConversationWithMessages extends ConversationView {
  /** Oldest first. */
  readonly messages: readonly ConversationMessage[]
}

export interface ConversationListOptions {
  readonly campaignId?: string
  readonly identityId?: string
  /** A tag, manual or the AI's (matched without case). */
  readonly tag?: string
  /** Only conversations waiting for an answer (true), or only answered ones (false). */
  readonly needsAnswer?: boolean
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

export interface ConversationPage {
  /** Newest activity first. */
  readonly items: readonly ConversationView[]
  /** Pass as `after` for the next page; absent on the last page. */
  readonly next?: string
}

const id = z.string().trim().min(1).max(200)
const listSchema = z.strictObject({
  campaignId: id.optional(),
  identityId: id.optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  needsAnswer: z.boolean().optional(),
  after: z.string().min(1).max(1000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

interface Cursor {
  /** The ordering field's value of the last item, and its key. */
  readonly v: number
  readonly k: string
}

/**
 * Lists conversations, newest activity first, a page at a time. The filter with an index of its own is read
 * from that index (tag, campaign, identity, waiting for an answer, in that order of preference); the others
 * narrow what it returns. Paging continues by value and key, so conversations that move meanwhile neither
 * repeat nor break the listing.
 */
export async function listConversations(
  context: EngineContext,
  options: ConversationListOptions = {},
): Promise<ConversationPage> {
  const parsed = listSchema.safeParse(options ?? {}, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidQuery,
      'engine.conversations.list options',
      parsed.error,
    )
  const filter = parsed.data
  const limit = filter.limit ?? 50
  const cursor = filter.after === undefined ? undefined : readCursor(filter.after)
  return inTransaction(
    context,
    async (store) => {
      const items: ConversationRecord[] = []
      let position = cursor
      let size = Math.max(limit * 2, 50)
      for (;;) {
        const batch = await nextBatch(store, filter, position, size)
        // Everything read was at or before the cursor (many conversations with one activity time): read more.
        if (batch.rows.length === 0 && !batch.exhausted) {
          size *= 2
          continue
        }
        for (const { conversation, value } of batch.rows) {
          position = { v: value, k: conversation.key }
          if (!matches(conversation, filter)) continue
          items.push(conversation)
          if (items.length > limit) break
        }
        if (items.length > limit || batch.exhausted) break
      }
      const page = items.slice(0, limit)
      const last = page[page.length - 1]
      return {
        items: page.map(view),
        ...(items.length > limit && last !== undefined
          ? { next: writeCursor({ v: orderValue(last, filter), k: last.key }) }
          : {}),
      }
    },
    { readOnly: true },
  )
}

export async function getConversation(
  context: EngineContext,
  conversationId: string,
): Promise<ConversationWithMessages> {
  return inTransaction(
    context,
    async (store) => {
      const conversation = await store.get('conversations', conversationId)
      if (conversation === undefined) throw notFound('conversation', conversationId)
      const messages = await store.query('messages', {
        index: 'byConversation',
        equals: [conversationId],
      })
      return { ...view(conversation), messages: messages.map(messageView) }
    },
    { readOnly: true },
  )
}

/** The conversation record, or `not_found` naming it. */
export async function requireConversation(store: Store, conversationId: string): Promise<ConversationRecord> {
  const conversation = await store.get('conversations', conversationId)
  if (conversation === undefined) throw notFound('conversation', conversationId)
  return conversation
}

async function nextBatch(
  store: Store,
  filter: z.output<typeof listSchema>,
  after: Cursor | undefined,
  size: number,
): Promise<{ rows: { conversation: ConversationRecord; value: number }[]; exhausted: boolean }> {
  const range = after === undefined ? {} : { range: { lte: after.v } }
  const skip = (value: number, key: string) => after !== undefined && value === after.v && key >= after.k
  if (filter.tag !== undefined) {
    const query: IndexQuery = {
      index: 'byTag',
      equals: [tagKey(filter.tag)],
      order: 'desc',
      ...range,
      limit: size,
    }
    const read = await store.query('conversationTags', query)
    const entries = read.filter((entry) => !skip(entry.lastActivityAt, entry.conversationId))
    const conversations = await store.getMany(
      'conversations',
      entries.map((entry) => entry.conversationId),
    )
    const byKey = new Map(conversations.map((each) => [each.key, each]))
    return {
      rows: entries.flatMap((entry) => {
        const conversation = byKey.get(entry.conversationId)
        return conversation === undefined ? [] : [{ conversation, value: entry.lastActivityAt }]
      }),
      exhausted: read.length < size,
    }
  }
  const query: IndexQuery =
    filter.campaignId !== undefined
      ? { index: 'byCampaign', equals: [filter.campaignId] }
      : filter.identityId !== undefined
        ? { index: 'byIdentity', equals: [filter.identityId] }
        : filter.needsAnswer === true
          ? { index: 'needsAnswer' }
          : { index: 'byActivity' }
  const read = await store.query('conversations', { ...query, order: 'desc', ...range, limit: size })
  const rows = read
    .map((conversation) => ({ conversation, value: orderValue(conversation, filter) }))
    .filter((row) => !skip(row.value, row.conversation.key))
  return { rows, exhausted: read.length < size }
}

/** The value the chosen index orders by: waiting time for the waiting list, activity otherwise. */
function orderValue(conversation: ConversationRecord, filter: z.output<typeof listSchema>): number {
  const waitingIndex =
    filter.tag === undefined &&
    filter.campaignId === undefined &&
    filter.identityId === undefined &&
    filter.needsAnswer === true
  return waitingIndex
    ? (conversation.needsAnswerAt ?? conversation.lastActivityAt)
    : conversation.lastActivityAt
}

function matches(conversation: ConversationRecord, filter: z.output<typeof listSchema>): boolean {
  if (filter.campaignId !== undefined && conversation.campaignId !== filter.campaignId) return false
  if (filter.identityId !== undefined && conversation.identityId !== filter.identityId) return false
  if (filter.needsAnswer !== undefined && (conversation.needsAnswerAt !== null) !== filter.needsAnswer)
    return false
  if (
    filter.tag !== undefined &&
    !conversation.tags.some((tag) => tagKey(tag.name) === tagKey(filter.tag ?? ''))
  )
    return false
  return true
}

function readCursor(text: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>
    if (typeof cursor.v === 'number' && typeof cursor.k === 'string') return { v: cursor.v, k: cursor.k }
  } catch {
    // Reported below.
  }
  throw new PacelineError(
    PacelineErrorCodes.invalidQuery,
    "engine.conversations.list: 'after' is not a cursor this engine gave; pass the previous page's `next` as it was.",
  )
}

const writeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url')

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString())

export function view(conversation: ConversationRecord): ConversationView {
  const agent = conversation.agent
  return {
    id: conversation.key,
    identityId: conversation.identityId,
    leadId: conversation.leadId,
    channel: conversation.channel,
    campaignId: conversation.campaignId,
    inbox: conversation.inbox,
    startedAt: new Date(conversation.startedAt).toISOString(),
    lastActivityAt: new Date(conversation.lastActivityAt).toISOString(),
    lastInboundAt: iso(conversation.lastInboundAt),
    lastOutboundAt: iso(conversation.lastOutboundAt),
    messageCount: conversation.messages,
    needsAnswer: conversation.needsAnswerAt !== null,
    tags: conversation.tags,
    category: conversation.category,
    agent: {
      status: agent.status,
      handOffReason: agent.handOff?.reason ?? null,
      answers: agent.answers,
      pending:
        agent.pending === null
          ? null
          : { kind: agent.pending.kind, dueAt: new Date(agent.pending.dueAt).toISOString() },
      hasSuggestion: agent.suggestion !== null,
    },
  }
}

export function messageView(message: MessageRecord): ConversationMessage {
  return {
    key: message.key,
    at: new Date(message.at).toISOString(),
    direction: message.direction,
    author: message.author,
    channel: message.channel,
    text: message.text,
    subject: message.subject,
    campaignId: message.campaignId,
    stepId: message.stepId,
    inbox: message.inbox,
    messageId: message.messageId,
    classification: message.classification,
  }
}
