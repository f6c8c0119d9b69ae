/**
 * What the engine tells its host, as it happens. Executed actions are named after what happened
 * (`invitation-sent`, `message-sent`), with `action` the step kind that ran (`send_connection`, `email`,
 * ...); inbound events keep their names (`reply-received`); `lead-status-changed` reports every status
 * change with `detail.from` and `detail.to`. Every type the engine emits:
 */
export const ENGINE_EVENT_TYPES = [
  'lead-started',
  'profile-visited',
  'post-reacted',
  'invitation-sent',
  'message-sent',
  'task-created',
  'lead-moved',
  'condition-evaluated',
  'connection-checked',
  'invitation-withdrawn',
  'reply-received',
  'connection-accepted',
  'email-bounced',
  'complaint-received',
  'email-opened',
  'link-clicked',
  'task-completed',
  'channel-disconnected',
  'channel-reconnected',
  'delivery-unknown',
  'lead-status-changed',
  /** A message was added to a conversation, in or out (emitted, not kept in the action log). */
  'conversation-message',
  /** A person answered in a conversation through `engine.conversations.reply`. */
  'reply-sent',
  /** The AI agent answered in a conversation by itself (automatic mode). */
  'auto-reply-sent',
  /** The AI agent wrote a draft answer for a person to review (copilot mode). */
  'suggestion-ready',
  /** The AI agent gave the conversation to a person, with `detail.reason`. */
  'handed-off',
  /** A person changed a conversation's tags; `detail.category` is what it now counts as. */
  'conversation-tagged',
  /**
   * A campaign was deleted (`engine.campaigns.delete`); `detail` has its name, status, `force` and how many
   * leads were still unfinished. The campaign's earlier entries stay in the log.
   */
  'campaign-deleted',
  /** An identity was deleted: `detail.campaigns` lost it, `detail.secrets` credentials went with it. */
  'identity-deleted',
  /** Someone outside the workspace used a share link: `detail.purpose` is `create` or `reconnect`. */
  'share-link-redeemed',
] as const

export type EngineEventType = (typeof ENGINE_EVENT_TYPES)[number]

export interface EngineEvent {
  readonly at: string
  readonly type: EngineEventType
  readonly identityId?: string
  readonly campaignId?: string
  readonly leadId?: string
  readonly stepId?: string
  /** The step kind that ran (`send_connection`, `email`, ...), or `withdraw_invitation` / `check_connection`. */
  readonly action?: string
  readonly channel?: 'linkedin' | 'email' | 'tasks'
  readonly inbox?: string
  readonly messageId?: string
  readonly detail?: Readonly<Record<string, unknown>>
}

export type EngineEventListener = (event: EngineEvent) => void

/** The types that are executed actions (as opposed to inbound events and bookkeeping). */
export const ACTION_EVENT_TYPES: ReadonlySet<EngineEventType> = new Set([
  'profile-visited',
  'post-reacted',
  'invitation-sent',
  'message-sent',
  'task-created',
  'lead-moved',
  'connection-checked',
  'invitation-withdrawn',
])

/** The types of inbound events (from adapters and hosts), as they appear in the action log. */
export const INBOUND_EVENT_TYPES: ReadonlySet<EngineEventType> = new Set([
  'reply-received',
  'connection-accepted',
  'invitation-withdrawn',
  'email-bounced',
  'complaint-received',
  'email-opened',
  'link-clicked',
  'task-completed',
  'channel-disconnected',
  'channel-reconnected',
])

/** What happens in conversations after the first reply, as it appears in the action log. */
export const CONVERSATION_EVENT_TYPES: ReadonlySet<EngineEventType> = new Set([
  'reply-sent',
  'auto-reply-sent',
  'suggestion-ready',
  'handed-off',
  'conversation-tagged',
])
