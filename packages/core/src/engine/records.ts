import type { Campaign, CampaignPriority, CampaignStatus } from '../model/campaign/campaign'
import type { Identity } from '../model/identity/identity-schema'
import type { Lead } from '../model/lead/lead'
import type { LeadState } from '../model/lead/lead-status'
import type { Lane } from '../scheduler/lanes'
import type { WaitReason } from '../scheduler/wait-reason'
import type { InboxWarmup } from './warmup'

/**
 * The documents the engine keeps in storage (one type per collection of `STORAGE_COLLECTIONS`). Times are
 * epoch milliseconds; absent values are `null`, because documents are JSON.
 */
export interface IdentityRecord {
  readonly id: string
  readonly identity: Identity
  /** False after a `channel-disconnected` event for LinkedIn, until it reconnects. */
  readonly linkedinConnected: boolean
  /** Inboxes (lower case) whose credentials stopped working. */
  readonly disconnectedInboxes: readonly string[]
  /** Warm-ups of its inboxes (lower case) that are on, as the provider last reported them. */
  readonly warmup?: Readonly<Record<string, InboxWarmup>>
}

export interface CampaignRecord {
  readonly id: string
  readonly campaign: Campaign
  /** Index fields. */
  readonly status: CampaignStatus
  readonly startAtMs: number | null
}

export interface LeadRecord {
  readonly id: string
  readonly lead: Lead
  /** Index fields: the professional email in lower case, and the LinkedIn profile id. */
  readonly emailKey: string | null
  readonly linkedinProfileId: string | null
}

/** A lead in a campaign, with everything the scheduler needs about its next step. */
export interface EnrolmentRecord {
  readonly key: string
  readonly campaignId: string
  readonly leadId: string
  readonly identityId: string
  readonly state: LeadState
  /** Index field: `state.status`, written by the store on every put (so lists can filter by status). */
  readonly status?: LeadState['status']
  /** The step the lead is at: waiting on, or about to run. */
  readonly stepId: string | null
  readonly enrolledAt: number
  readonly updatedAt: number
  /** When the current step became current: its delay counts from here. */
  readonly stepSince: number
  /** The lane of the pending work, or null when nothing is pending (paused, finished, in error...). */
  readonly lane: Lane | null
  /** When the pending work may run (its delay has passed). */
  readonly dueAt: number | null
  /** Index fields: `waitingDueAt` (= `dueAt`) while the work is not yet due, `readyLane` once it is. */
  readonly waitingDueAt: number | null
  readonly readyLane: Lane | null
  readonly priorityKey: number
  readonly campaignPriority: CampaignPriority
  /** Seeded random number fixed at enrolment: the last tie-break between equal leads. */
  readonly tieBreak: number
  /** Why the lead waits, as last decided (the live reason is computed by queries). */
  readonly wait: WaitReason | null
  /** LinkedIn messages and emails this lead has received in this campaign (priority depth). */
  readonly linkedinMessages: number
  readonly emails: number
  /** The inbox the lead writes with (lead continuity), chosen when it starts. */
  readonly inbox: string | null
  /** The email thread of this lead: the first subject and every Message-ID sent. */
  readonly thread: { readonly subject: string; readonly messageIds: readonly string[] } | null
  /** The lead took the "not accepted" branch and has not been contacted since. */
  readonly notConnected: boolean
  /** Failed attempts of the current step that are known not to have gone out. */
  readonly attempts: number
  /** The provider asked to wait until then before trying this step again. */
  readonly retryAt: number | null
  /** Idempotency key of the send in flight, if any. */
  readonly claimKey: string | null
}

export type ConnectionState = 'unknown' | 'none' | 'pending' | 'connected' | 'withdrawn'

/** What one identity knows of one lead on LinkedIn, shared by all its campaigns. */
export interface RelationRecord {
  readonly key: string
  readonly identityId: string
  readonly leadId: string
  readonly connection: ConnectionState
  readonly invitedAt: number | null
  readonly acceptedAt: number | null
  readonly withdrawnAt: number | null
  /** Index field: `invitedAt` while the invitation is pending. */
  readonly pendingSince: number | null
  readonly lastCheckedAt: number | null
  /** Who started the conversation with the lead: a campaign id, `inbound`, or null for none. */
  readonly conversationWith: string | null
  /**
   * Index field: a person asked to withdraw this invitation (`engine.invitations.withdraw`) and the next
   * attempt is due then; null or absent when nobody asked, or once it is done or given up.
   */
  readonly withdrawDueAt?: number | null
  /** When a person asked to withdraw the invitation, while the request stands. */
  readonly withdrawRequestedAt?: number | null
  /** Why the last attempt at a requested withdrawal failed, if it did. */
  readonly withdrawFailure?: WithdrawalFailure | null
}

/** A failed attempt at withdrawing an invitation a person asked to withdraw. */
export interface WithdrawalFailure {
  /** Epoch milliseconds. */
  readonly at: number
  /** The channel's reason (`transient`, `unsupported`, ...) or `timeout` / `threw` when it did not answer. */
  readonly reason: string
  readonly message: string
  /** Whether it is tried again (at `withdrawDueAt`) or given up. */
  readonly retrying: boolean
}

/** One entry of the action log: every executed action, inbound event and status change. */
export interface ActionRecord {
  readonly key: string
  readonly at: number
  readonly type: string
  readonly identityId: string | null
  readonly campaignId: string | null
  readonly leadId: string | null
  readonly stepId: string | null
  readonly action: string | null
  readonly channel: 'linkedin' | 'email' | 'tasks' | null
  readonly inbox: string | null
  readonly messageId: string | null
  readonly detail: Readonly<Record<string, unknown>> | null
}

/** A to-do for a person about one lead of a campaign: made by a task step, or by hand (`engine.tasks.create`). */
export interface TaskRecord {
  readonly key: string
  readonly taskId: string
  readonly campaignId: string
  readonly leadId: string
  readonly identityId: string
  /** `step` when a task step made it, `manual` when a person did. */
  readonly origin: 'step' | 'manual'
  /** The task step that made it; null for a task made by hand. */
  readonly stepId: string | null
  readonly title: string
  readonly body: string | null
  readonly type: string
  readonly status: 'pending' | 'completed'
  readonly createdAt: number
  readonly dueAt: number
  readonly completedAt: number | null
}

/** A lane's usage: the count of its current local day and its recent action times. */
export interface CounterRecord {
  readonly key: string
  readonly identityId: string
  readonly date: string
  readonly count: number
  readonly lastAt: number | null
  readonly recent: readonly number[]
}

export type ClaimStatus = 'claimed' | 'sent' | 'failed' | 'unknown' | 'released'

/** The durable promise that (lead, step) is being sent, written before any channel call. */
export interface ClaimRecord {
  readonly key: string
  readonly campaignId: string
  readonly leadId: string
  readonly stepId: string
  readonly identityId: string
  readonly lane: Lane
  readonly status: ClaimStatus
  readonly owner: string
  readonly token: number
  readonly claimedAt: number
  readonly leaseUntil: number
  /** Index field: `leaseUntil` while the claim is open. */
  readonly openUntil: number | null
  /** Counter keys charged for this send, refunded if it certainly did not go out. */
  readonly charged: readonly string[]
}

export interface LeaseRecord {
  readonly key: string
  readonly owner: string
  readonly token: number
  readonly expiresAt: number
}

export type ConversationChannel = 'linkedin' | 'email'
export type TagCategory = 'positive' | 'neutral' | 'negative'

/** A conversation tag: from the AI's classification of a reply, or set by a person. */
export interface ConversationTag {
  readonly name: string
  readonly category: TagCategory
  readonly source: 'ai' | 'manual'
}

/** What the AI agent is doing in a conversation (copilot: suggesting; automatic: answering). */
export interface AgentState {
  /** `active` while the AI may act; `handed_off` once it gave the conversation to a person; `stood_down` once a person answered. */
  readonly status: 'active' | 'handed_off' | 'stood_down'
  readonly handOff: { readonly reason: string; readonly at: number } | null
  /** Answers the agent sent itself in this conversation. */
  readonly answers: number
  /** Work due: write a suggestion or an answer to this inbound message, at this time. */
  readonly pending: {
    readonly kind: 'suggest' | 'answer'
    readonly messageKey: string
    readonly campaignId: string
    readonly dueAt: number
    /** Tries that failed for now (the AI or the channel unavailable); after a few, a person takes over. */
    readonly attempts: number
  } | null
  /** The copilot's draft for the latest inbound message, for a person to edit and send. */
  readonly suggestion: {
    readonly text: string
    readonly forMessage: string
    readonly at: number
  } | null
}

/** One conversation per (identity, lead, channel): everything sent and received after the first message. */
export interface ConversationRecord {
  readonly key: string
  readonly identityId: string
  readonly leadId: string
  readonly channel: ConversationChannel
  /** The campaign of the latest message. */
  readonly campaignId: string | null
  /** For email: the inbox the lead writes with. */
  readonly inbox: string | null
  readonly startedAt: number
  readonly lastActivityAt: number
  readonly lastInboundAt: number | null
  readonly lastOutboundAt: number | null
  readonly messages: number
  /** Index field: when the lead's unanswered message arrived, while one waits for an answer. */
  readonly needsAnswerAt: number | null
  readonly tags: readonly ConversationTag[]
  /** The category of the latest classified reply. */
  readonly aiCategory: TagCategory | null
  /** What the conversation counts as: the latest manual tag's category when there is one, else the AI's. */
  readonly category: TagCategory | null
  readonly agent: AgentState
  /** Index field: `agent.pending.dueAt` while agent work is pending. */
  readonly agentDueAt: number | null
}

/** Who wrote a message: a sequence step, a person through `conversations.reply`, the AI agent, or the lead. */
export type MessageAuthor = 'sequence' | 'person' | 'agent' | 'lead'

export interface MessageRecord {
  readonly key: string
  readonly conversationId: string
  readonly at: number
  readonly direction: 'inbound' | 'outbound'
  readonly author: MessageAuthor
  readonly channel: ConversationChannel
  /** The text as sent, or the lead's new text without the quoted conversation. */
  readonly text: string
  readonly subject: string | null
  readonly campaignId: string | null
  readonly stepId: string | null
  readonly inbox: string | null
  /** The email Message-ID, or the provider's message id. */
  readonly messageId: string | null
  /** For an answer in the conversation: the idempotency key it was sent with. */
  readonly claimKey: string | null
  /** For an inbound message: how it was read. */
  readonly classification: {
    readonly sentiment: TagCategory
    readonly outOfOffice: boolean
    readonly optOut: boolean
    readonly tags: readonly string[]
  } | null
}

/** One tag of one conversation, carrying its activity time so conversations list by tag, newest first. */
export interface ConversationTagRecord {
  readonly key: string
  readonly conversationId: string
  readonly tag: string
  readonly lastActivityAt: number
}
