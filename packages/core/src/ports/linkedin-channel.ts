import type { InboundEvent } from './inbound-event'

/** Who to act on: paceline's lead id plus what the provider needs to find the person. */
export interface LinkedInTarget {
  readonly leadId: string
  /** LinkedIn's own profile id (preferred). */
  readonly profileId?: string
  readonly profileUrl?: string
}

export interface LinkedInRequest {
  /** The identity's account at the provider (`identity.linkedin.accountId`). */
  readonly accountId: string
  readonly target: LinkedInTarget
  /** Deterministic per (lead, step): providers that support idempotency keys must pass it on. */
  readonly idempotencyKey: string
}

export type LinkedInReaction =
  | 'like'
  | 'celebrate'
  | 'support'
  | 'love'
  | 'insightful'
  | 'funny'
  | 'most_reacted'

/**
 * The result of a LinkedIn action. Failures carry a typed `reason` that the engine maps onto the lead
 * status table (`LEAD_SUBSTATUSES`):
 * - `disconnected`, `restricted`: the account cannot act -> error "LinkedIn disconnected"
 * - `inmail_credits_exhausted` -> error "InMail credits limit"
 * - `invalid_profile` -> error "Invalid LinkedIn ID"; `profile_not_found` -> error "LinkedIn URL not found"
 * - `already_invited_recently`: LinkedIn refuses a new invitation (withdrawal cooldown) -> waits 3 weeks
 * - `not_connected`: a message to someone who is not a 1st-degree connection -> finished "Not connected"
 * - `rate_limited`: the provider or LinkedIn asked to slow down; retried after `retryAfterMs`
 * - `transient`: failed before anything was sent (network error before the request, 5xx with no
 *   side effect); retried with backoff
 * - `unsupported`: this provider cannot do this action -> error, never a silent skip
 * - `delivery_unknown`: the request may or may not have been carried out (timeout after sending); never
 *   retried automatically
 */
export type LinkedInOutcome =
  | { readonly ok: true; readonly providerMessageId?: string }
  | {
      readonly ok: false
      readonly reason: LinkedInFailureReason
      readonly message: string
      readonly retryAfterMs?: number
      /** The provider's raw error payload, for debugging. */
      readonly raw?: unknown
    }

export type LinkedInFailureReason =
  | 'disconnected'
  | 'restricted'
  | 'inmail_credits_exhausted'
  | 'invalid_profile'
  | 'profile_not_found'
  | 'already_invited_recently'
  | 'not_connected'
  | 'rate_limited'
  | 'transient'
  | 'unsupported'
  | 'delivery_unknown'

export type ConnectionStatus = 'connected' | 'pending' | 'not_connected'

export type ConnectionCheck =
  | { readonly ok: true; readonly status: ConnectionStatus }
  | Extract<LinkedInOutcome, { ok: false }>

export interface LinkedInConversation {
  readonly target: LinkedInTarget
  readonly lastMessageAt: string
  /** Whether the last message came from the lead (an inbound reply). */
  readonly lastFromLead: boolean
}

export interface LinkedInCapabilities {
  /**
   * The channel delivers connection acceptances and new messages as events (webhooks or its own
   * polling). When false, the engine checks pending invitations itself, as rate-limited LinkedIn
   * actions. Default false.
   */
  readonly pushesEvents?: boolean
  /** Default true. */
  readonly supportsVoice?: boolean
  /** Default true. */
  readonly supportsAttachments?: boolean
  /** Default true. */
  readonly supportsInMail?: boolean
}

/**
 * The LinkedIn channel port: the LinkedIn actions a sequence can take, which provider APIs such as
 * Edges and Unipile offer. Business limits (invitations a day, spacing) are enforced by the engine before a
 * call; transport limits (a provider's requests per minute) belong inside the adapter.
 */
export interface LinkedInChannelV1 {
  readonly specificationVersion: 'v1'
  readonly capabilities?: LinkedInCapabilities
  visitProfile(request: LinkedInRequest): Promise<LinkedInOutcome>
  reactToLastPost(
    request: LinkedInRequest & { readonly reaction: LinkedInReaction },
  ): Promise<LinkedInOutcome>
  sendInvitation(request: LinkedInRequest & { readonly note?: string }): Promise<LinkedInOutcome>
  /** One message, or several short `chunks` sent one after another like a chat. */
  sendMessage(request: LinkedInRequest & { readonly chunks: readonly string[] }): Promise<LinkedInOutcome>
  sendInMail(
    request: LinkedInRequest & { readonly subject: string; readonly body: string },
  ): Promise<LinkedInOutcome>
  sendAttachment(
    request: LinkedInRequest & {
      readonly file: { readonly url: string; readonly name?: string }
      readonly caption?: string
    },
  ): Promise<LinkedInOutcome>
  /**
   * A recorded voice message: `audio.url` is an https URL or a `data:` URL of an upload; `name` (when given)
   * is the file name, whose extension says the format. LinkedIn has no text-to-speech: there is no script.
   */
  sendVoice(
    request: LinkedInRequest & { readonly audio: { readonly url: string; readonly name?: string } },
  ): Promise<LinkedInOutcome>
  withdrawInvitation(request: LinkedInRequest): Promise<LinkedInOutcome>
  checkConnection(request: LinkedInRequest): Promise<ConnectionCheck>
  /** Conversations with recent activity, for channels that find replies by polling. */
  listConversations?(request: {
    readonly accountId: string
    readonly since?: string
  }): Promise<LinkedInConversation[]>
  /**
   * Delivers inbound events to the engine; returns a function that stops delivery. `deliver` resolves once
   * the event is applied (or known and ignored). It rejects in two ways, and the adapter must tell them
   * apart with `isPermanentRejection(error)`:
   * - permanent (`invalid_event`): the event can never be accepted; the engine has recorded it as a dead
   *   letter (`engine.deadLetters`). Move past it (advance the read cursor; answer a webhook 4xx).
   * - anything else is transient (storage down): keep the event and deliver it again later (hold the cursor;
   *   answer a webhook 5xx so the provider retries).
   */
  subscribe?(deliver: (event: InboundEvent) => Promise<void>): () => void
}
