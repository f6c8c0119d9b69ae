import type { InboundEvent } from './inbound-event'

export interface EmailAddress {
  readonly address: string
  readonly name?: string
}

export interface EmailMessage {
  /** Deterministic per (lead, step); the engine never sends two messages with the same key. */
  readonly idempotencyKey: string
  /** The Message-ID header, derived from the idempotency key: `<key@sending-domain>`. */
  readonly messageId: string
  readonly from: EmailAddress
  readonly to: EmailAddress
  readonly subject: string
  readonly text: string
  readonly html?: string
  /** Message-ID of the message this one answers (follow-ups of the same lead thread). */
  readonly inReplyTo?: string
  /** Message-IDs of the whole thread, oldest first. */
  readonly references?: readonly string[]
  /** Identity signature, already chosen by the engine (text and/or HTML). */
  readonly signature?: { readonly text?: string; readonly html?: string }
  readonly tracking?: { readonly opens: boolean; readonly clicks: boolean }
}

/**
 * The result of a send. Failures are classified so that only what certainly did not go out is retried:
 * - `retryable`: refused before acceptance (SMTP 4xx, HTTP 429/503); retried after `retryAfterMs`
 * - `invalid_recipient`: permanently refused recipient (SMTP 5.1.x) -> the lead bounces
 * - `invalid_sender`: the server refused the sender address (the account may not send as it) -> error
 *   "Invalid identity email"
 * - `rejected`: other permanent refusal (5xx) -> error
 * - `disconnected`: authentication failed or credentials expired -> error "Email disconnected"
 * - `delivery_unknown`: connection lost after DATA, a timeout: the message may have been delivered, so
 *   it is never retried automatically
 */
export type EmailOutcome =
  | { readonly ok: true; readonly messageId: string }
  | {
      readonly ok: false
      readonly reason:
        | 'retryable'
        | 'invalid_recipient'
        | 'invalid_sender'
        | 'rejected'
        | 'disconnected'
        | 'delivery_unknown'
      readonly message: string
      readonly retryAfterMs?: number
      readonly raw?: unknown
    }

/** The email channel port: sending, and delivering inbound replies and bounces as events. */
export interface EmailChannelV1 {
  readonly specificationVersion: 'v1'
  send(message: EmailMessage): Promise<EmailOutcome>
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
