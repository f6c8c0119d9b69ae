import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { hasControlCharacter } from '../../model/control-characters'
import { entityIdSchema } from '../../model/entity-id'
import { DEFAULT_TEXT_LIMITS } from '../../model/sequence/text-limits'
import { type EngineContext, inTransaction } from '../engine-context'
import { answerKey } from '../idempotency-key'
import { type ConversationMessage, messageView, requireConversation } from './conversation-queries'
import { type AnswerOutcome, sendAnswer } from './send-answer'

export interface ReplyInput {
  readonly text: string
  /** Email only: defaults to "Re: " and the thread's subject. */
  readonly subject?: string
  /**
   * Your own key for this answer (a form submission's id): the same key never sends twice, so a request
   * retried after a timeout is safe. Default: derived from the conversation's state and the text.
   */
  readonly idempotencyKey?: string
}

/** The longest email answer accepted; LinkedIn answers are held to the LinkedIn message limit. */
const EMAIL_TEXT_LIMIT = 100_000

const replySchema = z.strictObject({
  text: z.string().trim().min(1, 'must not be empty'),
  subject: z
    .string()
    .trim()
    .min(1)
    .max(998)
    .refine((value) => !hasControlCharacter(value), {
      message: 'must stay on one line (no line breaks or control characters)',
      params: { rule: 'control_characters' },
    })
    .optional(),
  idempotencyKey: entityIdSchema.optional(),
})

/**
 * A person's answer in a conversation, sent at once through the channel: threaded on the lead's email
 * thread, inside the identity's caps (refused with `limit_reached`, saying when it reopens, rather than sent
 * over one), and at most once. The AI agent stands down in this conversation for good once a person answers.
 */
export async function replyInConversation(
  context: EngineContext,
  conversationId: string,
  input: ReplyInput,
): Promise<ConversationMessage> {
  const parsed = replySchema.safeParse(input, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'engine.conversations.reply', parsed.error)
  const { text, subject, idempotencyKey } = parsed.data
  const conversation = await inTransaction(context, (store) => requireConversation(store, conversationId), {
    readOnly: true,
  })
  const limit = conversation.channel === 'linkedin' ? DEFAULT_TEXT_LIMITS.linkedinMessage : EMAIL_TEXT_LIMIT
  if (text.length > limit)
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      `engine.conversations.reply: the text is ${text.length} characters; a ${conversation.channel === 'linkedin' ? 'LinkedIn message' : 'email'} may have at most ${limit}.`,
    )
  if (subject !== undefined && conversation.channel !== 'email')
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      'engine.conversations.reply: a subject is for email conversations only; LinkedIn messages have none.',
    )
  const workspace = context.settings.workspaceId
  const seed = idempotencyKey === undefined ? [String(conversation.messages), text] : ['key', idempotencyKey]
  const key = answerKey(workspace, conversationId, 'person', ...seed)
  const { outcome, events } = await sendAnswer(context, {
    conversationId,
    text,
    ...(subject === undefined ? {} : { subject }),
    author: 'person',
    idempotencyKey: key,
    paced: false,
  })
  context.emit(events)
  return settle(outcome, conversation.identityId)
}

function settle(outcome: AnswerOutcome, identityId: string): ConversationMessage {
  switch (outcome.status) {
    case 'sent':
      return messageView(outcome.message)
    case 'duplicate':
      if (outcome.message !== undefined) return messageView(outcome.message)
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        'This answer was sent before and its outcome is not known (it may have been delivered): check the conversation before sending it again.',
        { details: { deliveryUnknown: true } },
      )
    case 'limited': {
      const what = outcome.lane.startsWith('email:')
        ? `emails from ${outcome.lane.slice('email:'.length)}`
        : 'LinkedIn messages'
      const why =
        outcome.reason === 'daily_limit'
          ? `has sent its ${what} for today`
          : outcome.reason === 'window_limit'
            ? `has sent its ${what} for this hour`
            : `was asked by the provider to wait before sending ${what}`
      const reopensAt = Number.isFinite(outcome.reopensAt)
        ? new Date(outcome.reopensAt).toISOString()
        : undefined
      throw new PacelineError(
        PacelineErrorCodes.limitReached,
        `Identity '${identityId}' ${why}; nothing was sent. ${reopensAt === undefined ? 'Its limit for this is 0: raise it to answer here.' : `It reopens at ${reopensAt}.`}`,
        {
          details: {
            reason: outcome.reason,
            lane: outcome.lane,
            ...(reopensAt === undefined ? {} : { reopensAt }),
          },
        },
      )
    }
    case 'unavailable':
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `Cannot answer: ${outcome.message}. Nothing was sent.`,
      )
    case 'not_sent':
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `The channel did not send the answer: ${outcome.message}.${outcome.retryable ? ' Try again later.' : ''}`,
        {
          isRetryable: outcome.retryable,
          details: outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs },
        },
      )
    case 'unknown':
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `The answer may or may not have been delivered (${outcome.message}); it will not be resent on its own. Check the conversation before answering again.`,
        { details: { deliveryUnknown: true } },
      )
  }
}
