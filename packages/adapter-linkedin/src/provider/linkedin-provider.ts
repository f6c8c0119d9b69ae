import type { ConnectionCheck, LinkedInOutcome, LinkedInReaction } from '@paceline/core/ports'

/** The person an action is about, as the provider can find them. */
export interface ProviderTarget {
  /** LinkedIn's own profile id (`ACoAA...` member URN id), when known: providers prefer it. */
  readonly profileId?: string
  /** `https://www.linkedin.com/in/<handle>`. */
  readonly profileUrl?: string
}

/** One action for one LinkedIn account at the provider. */
export interface ProviderCall {
  /** The account at the provider (an Edges identity id, a Unipile account id). */
  readonly accountId: string
  readonly target: ProviderTarget
  /**
   * Deterministic per (lead, step, attempt group): a provider whose API takes an idempotency key must
   * pass it on, so that a retried request cannot act twice.
   */
  readonly idempotencyKey: string
}

/** A conversation with recent activity, as listed by the provider. */
export interface ProviderConversation {
  /** The provider's id of the conversation (chat, thread). */
  readonly conversationId: string
  readonly with: ProviderTarget
  /** The provider's id of the most recent message: the event id of a reply. */
  readonly lastMessageId: string
  /** ISO 8601. */
  readonly lastMessageAt: string
  /** True when the most recent message was written by the other person (a reply), not by the account. */
  readonly lastFromThem: boolean
  readonly lastMessageText?: string
}

/** An invitation the account sent that is still waiting for an answer. */
export interface ProviderPendingInvitation {
  readonly invitationId: string
  readonly to: ProviderTarget
  /** ISO 8601, when known. */
  readonly sentAt?: string
}

/** A connection of the account (1st degree), newest first when the provider can sort. */
export interface ProviderRelation {
  readonly with: ProviderTarget
  /** ISO 8601, when known: when the connection was made. */
  readonly connectedAt?: string
}

/** What a provider can do; the channel answers `unsupported` for the rest, never a silent skip. */
export interface ProviderSupport {
  readonly visitProfile: boolean
  readonly reactToLastPost: boolean
  readonly invitationNote: boolean
  readonly inMail: boolean
  readonly attachments: boolean
  readonly voice: boolean
  readonly withdrawInvitation: boolean
}

/** A webhook request as the host received it: the raw body is needed to check signatures. */
export interface ProviderWebhookRequest {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly rawBody: string
}

/**
 * What a provider reports about an account, in its own terms (the channel maps accounts to identities and
 * people to leads). `eventId` is the provider's id of the message or invitation: stable across retries.
 */
export type ProviderEvent =
  | {
      readonly type: 'message-received'
      readonly accountId: string
      readonly from: ProviderTarget
      readonly eventId: string
      readonly text?: string
      /** ISO 8601. */
      readonly at?: string
    }
  | {
      readonly type: 'invitation-accepted'
      readonly accountId: string
      readonly with: ProviderTarget
      readonly eventId: string
      readonly at?: string
    }

export type ProviderWebhookResult =
  /** Authentic: the events it carries (possibly none, for notifications paceline does not use). */
  | { readonly ok: true; readonly events: readonly ProviderEvent[] }
  /** Not from the provider (wrong secret or signature) or not readable: answered 401/400, nothing delivered. */
  | { readonly ok: false; readonly status: 400 | 401; readonly message: string }

/** What the headers alone say of a delivery: authentic so far (read the body), or not (401, body unread). */
export type ProviderWebhookHeaderCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401; readonly message: string }

/**
 * The few primitives a LinkedIn provider offers. Everything else (message chunks sent like a chat,
 * unsupported actions, polling for replies and acceptances, webhooks, transport rate limits) is built on
 * them by `createLinkedInChannel`. Each action resolves to the port's typed outcome: providers map their
 * own errors (status codes, error bodies) onto `LinkedInOutcome` reasons and keep the raw payload in `raw`.
 * A provider never throws for an answer it understood; an exception is treated as `transient` for reads
 * and `delivery_unknown` for actions, since the request may have been carried out.
 */
export interface LinkedInProviderV1 {
  readonly specificationVersion: 'v1'
  /** `edges`, `unipile`, or your own name (shown in errors). */
  readonly name: string
  readonly supports: ProviderSupport

  visitProfile(call: ProviderCall): Promise<LinkedInOutcome>
  reactToLastPost(call: ProviderCall & { readonly reaction: LinkedInReaction }): Promise<LinkedInOutcome>
  sendInvitation(call: ProviderCall & { readonly note?: string }): Promise<LinkedInOutcome>
  /** One message (the channel sends chunks one by one). */
  sendMessage(call: ProviderCall & { readonly text: string }): Promise<LinkedInOutcome>
  sendInMail(
    call: ProviderCall & { readonly subject: string; readonly body: string },
  ): Promise<LinkedInOutcome>
  sendAttachment(
    call: ProviderCall & {
      readonly file: { readonly url: string; readonly name?: string }
      readonly caption?: string
    },
  ): Promise<LinkedInOutcome>
  sendVoice(
    call: ProviderCall & { readonly audio: { readonly url: string; readonly name?: string } },
  ): Promise<LinkedInOutcome>
  withdrawInvitation(call: ProviderCall): Promise<LinkedInOutcome>
  /** 1st-degree connection, invitation pending, or neither. */
  relationStatus(call: ProviderCall): Promise<ConnectionCheck>

  /** Conversations with activity since `since` (ISO 8601), for polling replies. */
  listConversations(request: {
    readonly accountId: string
    readonly since?: string
  }): Promise<ProviderConversation[]>
  /** Invitations still pending, for polling acceptances (one that disappears and became a relation was accepted). */
  listPendingInvitations(request: { readonly accountId: string }): Promise<ProviderPendingInvitation[]>
  /** Recent connections, for polling acceptances. */
  listRelations(request: { readonly accountId: string; readonly since?: string }): Promise<ProviderRelation[]>

  /**
   * Verifies and reads one webhook delivery (the provider's signature or shared secret) into events with
   * stable `eventId`s, so the provider's retries are applied once. Absent for providers without webhooks.
   */
  readWebhook?(request: ProviderWebhookRequest): Promise<ProviderWebhookResult>

  /**
   * Checks what the headers alone prove, for providers that send a shared secret in a header (Unipile's
   * `Unipile-Auth`): the webhook handlers call it before reading the body, so a forged delivery is answered
   * 401 without its body being read. Leave it out when only the body proves anything (a signature over it);
   * `readWebhook` must check everything again either way, since hosts may call `handleWebhook` directly.
   */
  verifyWebhookHeaders?(headers: ProviderWebhookRequest['headers']): ProviderWebhookHeaderCheck
}
