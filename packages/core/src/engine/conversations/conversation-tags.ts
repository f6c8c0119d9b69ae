import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { logActions } from '../action-log'
import { type EngineContext, inTransaction } from '../engine-context'
import type { ConversationTag, TagCategory } from '../records'
import { effectiveCategory, saveConversation, tagKey } from './conversation-log'
import { type ConversationView, requireConversation, view } from './conversation-queries'

export interface ManualTag {
  readonly name: string
  /** What the tag says about the conversation; the latest manual tag's category is what it counts as. */
  readonly category: TagCategory
}

const tagsSchema = z
  .array(
    z.strictObject({
      name: z.string().trim().min(1).max(100),
      category: z.enum(['positive', 'neutral', 'negative']),
    }),
  )
  .min(1)
  .max(20)
const namesSchema = z.array(z.string().trim().min(1).max(100)).min(1).max(20)

/**
 * Tags a conversation by hand. A manual tag replaces the AI's tag of the same name, and the latest manual
 * tag's category becomes what the conversation counts as (the campaign's positive replies, the CRM's tag
 * categories), whatever the AI said.
 */
export async function tagConversation(
  context: EngineContext,
  conversationId: string,
  input: readonly ManualTag[],
): Promise<ConversationView> {
  const tags = parse(tagsSchema, input, 'engine.conversations.tag')
  return change(context, conversationId, (current) => [
    ...current.filter((tag) => !tags.some((each) => tagKey(each.name) === tagKey(tag.name))),
    ...tags.map((tag): ConversationTag => ({ name: tag.name, category: tag.category, source: 'manual' })),
  ])
}

/** Removes tags (manual or the AI's) by name, matched without case. */
export async function untagConversation(
  context: EngineContext,
  conversationId: string,
  input: readonly string[],
): Promise<ConversationView> {
  const names = new Set(parse(namesSchema, input, 'engine.conversations.untag').map(tagKey))
  return change(context, conversationId, (current) => current.filter((tag) => !names.has(tagKey(tag.name))))
}

async function change(
  context: EngineContext,
  conversationId: string,
  next: (current: readonly ConversationTag[]) => ConversationTag[],
): Promise<ConversationView> {
  const { conversation, events } = await inTransaction(context, async (store) => {
    const before = await requireConversation(store, conversationId)
    const tags = next(before.tags)
    const after = { ...before, tags, category: effectiveCategory(tags, before.aiCategory) }
    await saveConversation(store, after, before, context.now())
    const logged = await logActions(context, store, context.now(), [
      {
        type: 'conversation-tagged',
        identityId: after.identityId,
        leadId: after.leadId,
        channel: after.channel,
        ...(after.campaignId === null ? {} : { campaignId: after.campaignId }),
        detail: {
          conversationId,
          tags: tags.map((tag) => ({ name: tag.name, category: tag.category, source: tag.source })),
          category: after.category,
          previousCategory: before.category,
        },
      },
    ])
    return { conversation: after, events: logged }
  })
  context.emit(events)
  return view(conversation)
}

function parse<T>(schema: z.ZodType<T>, input: unknown, subject: string): T {
  const parsed = schema.safeParse(input, { reportInput: true })
  if (!parsed.success) throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, subject, parsed.error)
  return parsed.data
}
