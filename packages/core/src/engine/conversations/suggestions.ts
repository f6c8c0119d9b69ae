import { type EngineContext, inTransaction } from '../engine-context'
import { saveConversation } from './conversation-log'
import { requireConversation } from './conversation-queries'

/** The copilot's draft answer to the lead's latest message, for a person to edit and send. */
export interface Suggestion {
  readonly text: string
  /** The inbound message it answers (`ConversationMessage.key`). */
  readonly forMessage: string
  readonly at: string
}

export async function readSuggestion(
  context: EngineContext,
  conversationId: string,
): Promise<Suggestion | undefined> {
  const conversation = await inTransaction(context, (store) => requireConversation(store, conversationId), {
    readOnly: true,
  })
  const suggestion = conversation.agent.suggestion
  return suggestion === null
    ? undefined
    : { text: suggestion.text, forMessage: suggestion.forMessage, at: new Date(suggestion.at).toISOString() }
}

/** Throws the draft away (sending an answer with `reply` does so too). */
export async function discardSuggestion(context: EngineContext, conversationId: string): Promise<void> {
  await inTransaction(context, async (store) => {
    const conversation = await requireConversation(store, conversationId)
    if (conversation.agent.suggestion === null) return
    await saveConversation(
      store,
      { ...conversation, agent: { ...conversation.agent, suggestion: null } },
      conversation,
    )
  })
}
