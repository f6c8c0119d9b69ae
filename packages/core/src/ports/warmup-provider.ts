/**
 * An email warm-up service (the kind that sends and answers mail between real inboxes for a couple of
 * weeks so mailbox providers come to trust a new address). paceline does not warm inboxes itself: it
 * starts and stops a provider's warm-up per inbox and reads its status, and keeps campaign mail from an
 * inbox in warm-up within what the provider allows.
 */
export type WarmupState =
  /** Not warming (never started, or stopped). */
  | 'off'
  /** Warming: campaign mail is held to `campaignEmailsPerDay` (none when absent). */
  | 'warming'
  /** The warm-up is done (the provider may keep a maintenance flow running): campaign mail is not held. */
  | 'ready'
  /** The provider cannot warm the inbox (credentials refused, account suspended): see `message`. */
  | 'error'

export interface WarmupStatus {
  /** The inbox, in lower case. */
  readonly address: string
  readonly state: WarmupState
  /** When the warm-up started (ISO 8601), while it is on. */
  readonly startedAt?: string
  /**
   * Campaign emails the provider allows from the inbox today while it warms, a whole number; absent while
   * warming means none. Ignored in the other states.
   */
  readonly campaignEmailsPerDay?: number
  /** Warm-up emails the provider sends from the inbox a day now, for display. */
  readonly warmupEmailsPerDay?: number
  /** What the provider says, for people (an error's reason, say). */
  readonly message?: string
}

export interface WarmupInbox {
  readonly address: string
}

/** The warm-up provider port. Calls are per inbox; each answers the inbox's status after the call. */
export interface WarmupProviderV1 {
  readonly specificationVersion: 'v1'
  /** The provider's name, for messages and the status the engine keeps. */
  readonly provider: string
  /** Starts warming the inbox; starting one already warming changes nothing. */
  start(inbox: WarmupInbox): Promise<WarmupStatus>
  /** Stops warming it; stopping one that is off changes nothing. */
  stop(inbox: WarmupInbox): Promise<WarmupStatus>
  status(inbox: WarmupInbox): Promise<WarmupStatus>
}
