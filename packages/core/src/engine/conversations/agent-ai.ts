import type { LeadWords } from '../../model/conversation/lead-words'
import type { ReplyClassification, ReplySuggestion, SuggestReplyRequest } from '../../ports/ai-provider'
import { recordAiUsage } from '../ai-usage'
import { type EngineContext, inTransaction } from '../engine-context'

/** The longest email answer the agent may write. */
export const EMAIL_ANSWER_LIMIT = 10_000

/**
 * Classifies what the lead wrote, bounded by the engine's channel timeout: a slow model must not hold a
 * webhook, an inbox or a preview open. Classification is a nice-to-have: when the AI fails or is too slow
 * this gives undefined, and the reply is still applied (the rules the engine checks itself still hold).
 */
export async function classifyReply(
  context: EngineContext,
  words: LeadWords,
  channel: 'linkedin' | 'email',
): Promise<ReplyClassification | undefined> {
  const ai = context.ai
  if (ai === undefined) return undefined
  const call = await context.callChannel(() =>
    ai.classifyReply({
      text: words.text,
      channel,
      ...(words.subject === undefined ? {} : { subject: words.subject }),
    }),
  )
  return call.ok ? call.value : undefined
}

export type SuggestOutcome =
  | { readonly ok: true; readonly value: ReplySuggestion }
  | { readonly ok: false; readonly message: string }

/**
 * Asks the AI for the agent's next message, bounded by the engine's channel timeout, and meters the call for
 * the campaign (it is spent whether the answer is sent, refused or only previewed). The AI's output is
 * untrusted: an answer without a text and a confidence counts as a failure, like a throw or a timeout.
 */
export async function suggestReply(
  context: EngineContext,
  campaignId: string,
  request: SuggestReplyRequest,
): Promise<SuggestOutcome> {
  const ai = context.ai
  if (ai === undefined) return { ok: false, message: 'no AI provider' }
  const call = await context.callChannel(() => ai.suggestReply(request))
  if (!call.ok)
    return {
      ok: false,
      message: call.failure === 'timeout' ? 'the AI did not answer in time' : call.message,
    }
  await inTransaction(context, (store) =>
    recordAiUsage(store, campaignId, context.now(), 'suggest', call.value?.usage),
  )
  const value = call.value as Partial<ReplySuggestion> | undefined
  if (value === undefined || typeof value.text !== 'string' || typeof value.confident !== 'boolean')
    return { ok: false, message: 'the AI answered without a text and a confidence' }
  return { ok: true, value: value as ReplySuggestion }
}
