/**
 * Events the engine accepts from adapters and hosts (`engine.ingest(event)`). A lead is named by
 * `leadId`, or found by `email` (its professional email), `linkedinProfileId`, or the `inReplyTo` /
 * `messageId` of a message paceline sent. `at` defaults to the engine's current time.
 */
export type InboundEvent =
  | {
      readonly type: 'reply-received'
      readonly channel: 'linkedin' | 'email'
      readonly lead?: LeadReference
      readonly identityId?: string
      readonly campaignId?: string
      /** Set when the reply is an automatic out-of-office answer (the lead is finished, not replied). */
      readonly outOfOffice?: boolean
      readonly text?: string
      readonly subject?: string
      /**
       * The reply's own id: its email Message-ID, or the provider's message id. Kept in the conversation, and
       * what an email answer threads under (In-Reply-To).
       */
      readonly messageId?: string
      readonly at?: string
      /** Provider id of the inbound message, used to ignore the same event delivered twice. */
      readonly eventId?: string
    }
  | {
      readonly type: 'connection-accepted'
      readonly identityId: string
      readonly lead: LeadReference
      readonly at?: string
      readonly eventId?: string
    }
  | {
      readonly type: 'invitation-withdrawn'
      readonly identityId: string
      readonly lead: LeadReference
      readonly at?: string
      readonly eventId?: string
    }
  | {
      readonly type: 'email-bounced'
      readonly bounce: 'hard' | 'soft'
      readonly lead?: LeadReference
      readonly campaignId?: string
      readonly reason?: string
      readonly at?: string
      readonly eventId?: string
    }
  | {
      /**
       * The lead reported a message as spam (an ARF feedback report from a mailbox provider's feedback loop).
       * The lead is finished on every campaign and blocklisted for the workspace; the inbox's complaint count
       * goes up.
       */
      readonly type: 'complaint-received'
      readonly channel: 'email'
      readonly lead?: LeadReference
      /** The inbox that sent the message complained about (and received the report), when known. */
      readonly inbox?: string
      /** The report's Feedback-Type (`abuse`, `fraud`, `virus`, `other`...), when given. */
      readonly feedbackType?: string
      readonly at?: string
      readonly eventId?: string
    }
  | {
      readonly type: 'email-opened' | 'link-clicked'
      readonly lead?: LeadReference
      readonly campaignId?: string
      readonly url?: string
      /** Likely an automated prefetch (security scanner, image proxy) rather than a person. */
      readonly automated?: boolean
      readonly at?: string
      readonly eventId?: string
    }
  | {
      readonly type: 'task-completed'
      readonly taskId: string
      readonly at?: string
      readonly eventId?: string
    }
  | {
      readonly type: 'channel-disconnected' | 'channel-reconnected'
      readonly identityId: string
      readonly channel: 'linkedin' | 'email'
      /** For email: the inbox; absent means every inbox of the identity. */
      readonly inbox?: string
      readonly at?: string
      readonly eventId?: string
    }

export interface LeadReference {
  readonly leadId?: string
  readonly email?: string
  readonly linkedinProfileId?: string
  /** Message-ID of a message paceline sent (an email's In-Reply-To or a bounce's original message). */
  readonly messageId?: string
  /**
   * More Message-IDs the message answers (an email's References, newest first), tried after `messageId`:
   * a colleague answering the lead's own reply still names paceline's message further back.
   */
  readonly messageIds?: readonly string[]
}

export type InboundEventType = InboundEvent['type']
