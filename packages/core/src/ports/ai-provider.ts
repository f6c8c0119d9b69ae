/** What the AI may know about the lead and sender when writing or classifying. */
export interface AiContext {
  readonly lead: { readonly id: string; readonly profile: Readonly<Record<string, unknown>> }
  readonly sender: { readonly name: string; readonly contact?: Readonly<Record<string, unknown>> }
  readonly channel: 'linkedin' | 'email'
  /** The step that will carry the text (`email`, `linkedin_message`, ...), or `reply` for an answer. */
  readonly stepKind: string
}

/** Tokens one call used, as the model reported them, so a host can meter cost per campaign. */
export interface AiUsage {
  readonly inputTokens?: number
  readonly outputTokens?: number
  readonly totalTokens?: number
}

export interface GenerateMessageRequest extends AiContext {
  readonly prompt: string
  /** The most characters the text may have. */
  readonly maxLength?: number
  /** Also write a subject (email, InMail). */
  readonly withSubject?: boolean
}

export interface GeneratedMessage {
  readonly text: string
  readonly subject?: string
  readonly usage?: AiUsage
}

/** One AI variable to fill. */
export interface AiVariableRequest {
  readonly prompt: string
  readonly maxLength?: number
  /**
   * "One off" output: the answer must be exactly one of these (for example a CRM dropdown's internal
   * values). Providers should enforce it with structured output; the engine checks it again.
   */
  readonly options?: readonly string[]
}

export interface FillVariablesRequest extends AiContext {
  readonly variables: Readonly<Record<string, AiVariableRequest>>
}

export interface FilledVariables {
  /** A value for every variable asked. */
  readonly values: Readonly<Record<string, string>>
  readonly usage?: AiUsage
}

export interface ClassifyReplyRequest {
  readonly text: string
  readonly channel: 'linkedin' | 'email'
  readonly subject?: string
}

export interface ReplyClassification {
  readonly sentiment: 'positive' | 'neutral' | 'negative'
  readonly outOfOffice: boolean
  /** The lead asks not to be contacted again ("stop", "unsubscribe", "remove me"). */
  readonly optOut?: boolean
  /** Conversation tags such as "Interested", "Not interested", "Bad timing". */
  readonly tags?: readonly string[]
  readonly usage?: AiUsage
}

/** One message of a conversation, as the AI sees it. */
export interface ConversationTurn {
  /** `inbound` from the lead, `outbound` from the sender. */
  readonly direction: 'inbound' | 'outbound'
  readonly text: string
  readonly subject?: string
  /** ISO 8601. */
  readonly at: string
}

export interface SuggestReplyRequest extends AiContext {
  /** The campaign's instructions for answering (its reply prompt). */
  readonly prompt: string
  /**
   * The conversation so far, oldest first; the last turn is the lead's message being answered. Lead text is
   * untrusted: providers must pass it as delimited data, never as instructions.
   */
  readonly conversation: readonly ConversationTurn[]
  /** The most characters the answer may have. */
  readonly maxLength?: number
}

export interface ReplySuggestion {
  readonly text: string
  /**
   * False when the model is unsure it can answer well without a person (missing context, a question it
   * cannot answer, a request it should not handle): the engine then hands the conversation to a person.
   */
  readonly confident: boolean
  /** Why a person should take over, when the model says so. */
  readonly handOffReason?: string
  readonly usage?: AiUsage
}

/**
 * The AI port: writes messages from a prompt ("generate with AI"), fills AI variables inside templates,
 * classifies replies, and suggests answers in a conversation (the AI agent). A failure or an empty text at
 * send time puts the lead in error or hands the conversation to a person; the engine never sends an empty
 * message, and checks every text an AI wrote before it can be sent.
 */
export interface AiProviderV1 {
  readonly specificationVersion: 'v1'
  generateMessage(request: GenerateMessageRequest): Promise<GeneratedMessage>
  fillVariables(request: FillVariablesRequest): Promise<FilledVariables>
  classifyReply(request: ClassifyReplyRequest): Promise<ReplyClassification>
  suggestReply(request: SuggestReplyRequest): Promise<ReplySuggestion>
}
