/** What the AI may know about the lead and sender when writing or classifying. */
export interface AiContext {
  readonly lead: { readonly id: string; readonly profile: Readonly<Record<string, unknown>> }
  readonly sender: { readonly name: string; readonly contact?: Readonly<Record<string, unknown>> }
  readonly channel: 'linkedin' | 'email'
  /** The step that will carry the text (`email`, `linkedin_message`, ...). */
  readonly stepKind: string
}

export interface GenerateMessageRequest extends AiContext {
  readonly prompt: string
  /** The most characters the text may have. */
  readonly maxLength?: number
  /** Also write a subject (email, InMail). */
  readonly withSubject?: boolean
}

export interface FillVariablesRequest extends AiContext {
  readonly variables: Readonly<Record<string, { readonly prompt: string; readonly maxLength?: number }>>
}

export interface ClassifyReplyRequest {
  readonly text: string
  readonly channel: 'linkedin' | 'email'
  readonly subject?: string
}

export interface ReplyClassification {
  readonly sentiment: 'positive' | 'neutral' | 'negative'
  readonly outOfOffice: boolean
  /** Conversation tags such as "Interested", "Not interested", "Bad timing". */
  readonly tags?: readonly string[]
}

/**
 * The AI port: writes messages from a prompt ("generate with AI"), fills AI variables inside templates,
 * and classifies replies. A failure or an empty text at send time puts the lead in error; the engine never
 * sends an empty message.
 */
export interface AiProviderV1 {
  readonly specificationVersion: 'v1'
  generateMessage(
    request: GenerateMessageRequest,
  ): Promise<{ readonly text: string; readonly subject?: string }>
  fillVariables(request: FillVariablesRequest): Promise<Readonly<Record<string, string>>>
  classifyReply(request: ClassifyReplyRequest): Promise<ReplyClassification>
}
