import { threadSubject } from '../../model/conversation/thread-subject'
import type { EmailOutcome } from '../../ports/email-channel'
import type { LinkedInOutcome } from '../../ports/linkedin-channel'
import { emailLane, type Lane } from '../../scheduler/lanes'
import type { WaitReason } from '../../scheduler/wait-reason'
import { logActions } from '../action-log'
import { blocklisted } from '../blocklist'
import { chargeAction } from '../charge-action'
import { refund } from '../counters'
import { type EngineContext, inTransaction } from '../engine-context'
import type { EngineEvent } from '../engine-events'
import { messageIdFor } from '../idempotency-key'
import { capacityFrom, gateFrom, loadCounters } from '../lane-gates'
import type { ConversationRecord, IdentityRecord, LeadRecord, MessageRecord } from '../records'
import type { Store } from '../store'
import { recordMessage, saveConversation } from './conversation-log'
import { requireConversation } from './conversation-queries'

/** An answer in a conversation, from a person (`conversations.reply`) or the AI agent. */
export interface Answer {
  readonly conversationId: string
  readonly text: string
  /** Email only: defaults to "Re: " and the thread's subject, so the answer stays in the lead's thread. */
  readonly subject?: string
  readonly author: 'person' | 'agent'
  /** Deterministic for this answer: a second send with the same key never goes out. */
  readonly idempotencyKey: string
  /**
   * The agent answers only inside working hours and paced like any send; a person's answer goes at once,
   * within the caps (daily limit, hourly window) only.
   */
  readonly paced: boolean
}

export type AnswerOutcome =
  | { readonly status: 'sent'; readonly message: MessageRecord }
  /** An answer with this key was sent (or may have been) before: nothing was sent now. */
  | { readonly status: 'duplicate'; readonly message: MessageRecord | undefined }
  /** Refused before anything was claimed: a limit (or working hours, for the agent) until `reopensAt`. */
  | {
      readonly status: 'limited'
      readonly reason: WaitReason
      readonly reopensAt: number
      readonly lane: Lane
    }
  /** The channel cannot send for this conversation now (no account, disconnected, no address). */
  | { readonly status: 'unavailable'; readonly message: string }
  /** The channel certainly did not send it. */
  | {
      readonly status: 'not_sent'
      readonly message: string
      readonly retryable: boolean
      readonly retryAfterMs?: number
    }
  /** The channel may have sent it: never sent again automatically. */
  | { readonly status: 'unknown'; readonly message: string }

interface Claimed {
  readonly conversation: ConversationRecord
  readonly identity: IdentityRecord
  readonly lead: LeadRecord
  readonly lane: Lane
  readonly charged: readonly string[]
  readonly at: number
}

/**
 * Sends an answer through the one send path every message takes: in one transaction the caps are checked,
 * the counters charged and a claim recorded under the answer's idempotency key; then the channel is called;
 * then the outcome is recorded. A claim that exists already means the answer went (or may have gone) out:
 * nothing is sent twice. An outcome that cannot be known is never retried on its own.
 */
export async function sendAnswer(
  context: EngineContext,
  answer: Answer,
): Promise<{ readonly outcome: AnswerOutcome; readonly events: readonly EngineEvent[] }> {
  const key = answer.idempotencyKey
  const first = await inTransaction(context, async (store): Promise<AnswerOutcome | Claimed> => {
    const now = context.now()
    const conversation = await requireConversation(store, answer.conversationId)
    const existing = await store.get('claims', key)
    if (existing !== undefined && existing.status !== 'failed' && existing.status !== 'released') {
      const messages = await store.query('messages', { index: 'byConversation', equals: [conversation.key] })
      return { status: 'duplicate', message: messages.find((each) => each.claimKey === key) }
    }
    const identity = await store.get('identities', conversation.identityId)
    const lead = await store.get('leads', conversation.leadId)
    if (identity === undefined || lead === undefined)
      return {
        status: 'unavailable',
        message: 'the identity or the lead of this conversation no longer exists',
      }
    const lane = laneOf(conversation, identity)
    const problem = unavailable(conversation, identity, lead, lane)
    if (problem !== undefined) return { status: 'unavailable', message: problem }
    if (answer.author === 'agent' && (await blocklisted(store, lead.lead)) !== undefined)
      return {
        status: 'unavailable',
        message: 'the lead is on the workspace blocklist: the agent does not write to it',
      }
    const counters = await loadCounters(store, identity.id)
    const gate = answer.paced
      ? gateFrom(context, identity, lane as Lane, now, counters)
      : capacityFrom(identity, lane as Lane, now, counters)
    if (gate.opensAt > now)
      return { status: 'limited', reason: gate.reason, reopensAt: gate.opensAt, lane: lane as Lane }
    const charged = await chargeAction(store, identity, lane as Lane, now)
    await store.put('claims', key, {
      key,
      campaignId: conversation.campaignId ?? '',
      leadId: conversation.leadId,
      stepId: `answer:${answer.author}`,
      identityId: identity.id,
      lane: lane as Lane,
      status: 'claimed',
      owner: context.settings.workerId,
      token: 0,
      claimedAt: now,
      leaseUntil: now + context.settings.claimLeaseMs,
      openUntil: now + context.settings.claimLeaseMs,
      charged,
    })
    return { conversation, identity, lead, lane: lane as Lane, charged, at: now }
  })
  if ('status' in first) return { outcome: first, events: [] }

  const sent = await context.callChannel(() => call(context, first, answer))
  const outcome: EmailOutcome | LinkedInOutcome = sent.ok
    ? sent.value
    : {
        ok: false,
        reason: 'delivery_unknown',
        message:
          sent.failure === 'timeout'
            ? 'the channel did not answer in time'
            : `the channel failed: ${sent.message}`,
      }
  return inTransaction(context, async (store) => {
    const now = context.now()
    const claim = await store.get('claims', key)
    if (claim === undefined || claim.status !== 'claimed' || claim.owner !== context.settings.workerId)
      return {
        outcome: { status: 'unknown', message: 'the send was settled elsewhere meanwhile' },
        events: [],
      }
    const base = {
      identityId: first.identity.id,
      leadId: first.conversation.leadId,
      channel: first.conversation.channel,
      ...(first.conversation.campaignId === null ? {} : { campaignId: first.conversation.campaignId }),
    }
    if (outcome.ok) {
      await store.put('claims', key, { ...claim, status: 'sent', openUntil: null })
      const messageId =
        first.conversation.channel === 'email'
          ? messageIdFor(key, first.conversation.inbox ?? '')
          : 'providerMessageId' in outcome
            ? (outcome.providerMessageId ?? null)
            : null
      const recorded = await recordMessage(context, store, {
        identityId: first.identity.id,
        leadId: first.conversation.leadId,
        channel: first.conversation.channel,
        campaignId: first.conversation.campaignId,
        inbox: first.conversation.inbox,
        author: answer.author,
        text: answer.text,
        subject:
          first.conversation.channel === 'email'
            ? subjectOf(first.conversation, answer, await thread(store, first.conversation))
            : null,
        messageId,
        claimKey: key,
        at: now,
      })
      // A person answering takes the conversation over: the agent stands down for good.
      const agent =
        answer.author === 'person'
          ? { ...recorded.conversation.agent, status: 'stood_down' as const, pending: null, suggestion: null }
          : {
              ...recorded.conversation.agent,
              answers: recorded.conversation.agent.answers + 1,
              pending: null,
              suggestion: null,
            }
      const conversation = { ...recorded.conversation, agent, agentDueAt: null }
      await saveConversation(store, conversation, recorded.conversation)
      const logged = await logActions(context, store, now, [
        {
          ...base,
          type: answer.author === 'person' ? 'reply-sent' : 'auto-reply-sent',
          ...(first.conversation.inbox === null ? {} : { inbox: first.conversation.inbox }),
          ...(messageId === null ? {} : { messageId }),
          detail: { conversationId: first.conversation.key, messageKey: recorded.message.key },
        },
      ])
      return { outcome: { status: 'sent', message: recorded.message }, events: [recorded.event, ...logged] }
    }
    if (outcome.reason === 'delivery_unknown') {
      await store.put('claims', key, { ...claim, status: 'unknown', openUntil: null })
      const logged = await logActions(context, store, now, [
        {
          ...base,
          type: 'delivery-unknown',
          detail: { conversationId: first.conversation.key, author: answer.author, message: outcome.message },
        },
      ])
      return { outcome: { status: 'unknown', message: outcome.message }, events: logged }
    }
    // Certainly not sent: give back what the claim charged.
    await store.put('claims', key, { ...claim, status: 'failed', openUntil: null })
    for (const counter of claim.charged) await refund(store, counter, first.at)
    const retryable =
      outcome.reason === 'retryable' || outcome.reason === 'transient' || outcome.reason === 'rate_limited'
    return {
      outcome: {
        status: 'not_sent',
        message: outcome.message,
        retryable,
        ...('retryAfterMs' in outcome && outcome.retryAfterMs !== undefined
          ? { retryAfterMs: outcome.retryAfterMs }
          : {}),
      },
      events: [],
    }
  })
}

function laneOf(conversation: ConversationRecord, identity: IdentityRecord): Lane | undefined {
  if (conversation.channel === 'linkedin') return 'linkedin:message'
  const inbox = conversation.inbox ?? identity.identity.email.inboxes[0]?.address
  return inbox === undefined ? undefined : emailLane(inbox)
}

/** Why this conversation's channel cannot carry an answer now, or undefined. */
function unavailable(
  conversation: ConversationRecord,
  identity: IdentityRecord,
  lead: LeadRecord,
  lane: Lane | undefined,
): string | undefined {
  if (conversation.channel === 'linkedin') {
    if (identity.identity.linkedin === undefined) return `identity '${identity.id}' has no LinkedIn account`
    if (!identity.linkedinConnected)
      return `identity '${identity.id}' has its LinkedIn account disconnected; reconnect it first`
    return undefined
  }
  if (lane === undefined) return `identity '${identity.id}' has no email inbox`
  const inbox = conversation.inbox ?? ''
  if (!identity.identity.email.inboxes.some((each) => each.address.toLowerCase() === inbox.toLowerCase()))
    return `the inbox ${inbox} this conversation is held from is no longer one of identity '${identity.id}'s`
  if (identity.disconnectedInboxes.includes(inbox.toLowerCase()))
    return `the inbox ${inbox} is disconnected; reconnect it first`
  if (lead.lead.profile.professionalEmail === undefined) return `lead '${lead.id}' has no email address`
  return undefined
}

/** The messages of a conversation, oldest first: their subjects and Message-IDs thread an email answer. */
function thread(store: Store, conversation: ConversationRecord): Promise<MessageRecord[]> {
  return store.query('messages', { index: 'byConversation', equals: [conversation.key] })
}

/** A header-safe Message-ID (`<local@domain>`): provider ids and malformed ones do not thread. */
const MESSAGE_ID = /^<[^<>@\s]+@[^<>@\s]+>$/

function subjectOf(
  conversation: ConversationRecord,
  answer: Answer,
  messages: readonly MessageRecord[],
): string {
  if (answer.subject !== undefined) return answer.subject
  const first = messages.find((each) => each.subject !== null)?.subject ?? ''
  const plain = first.replace(/^\s*(re|aw|sv|fw|fwd)\s*:\s*/i, '').trim()
  return threadSubject(first) === '' ? conversation.leadId : `Re: ${plain}`
}

async function call(
  context: EngineContext,
  claimed: Claimed,
  answer: Answer,
): Promise<EmailOutcome | LinkedInOutcome> {
  const { conversation, identity, lead } = claimed
  const profile = lead.lead.profile
  if (conversation.channel === 'linkedin') {
    const linkedin = context.linkedin
    const account = identity.identity.linkedin
    if (linkedin === undefined || account === undefined)
      return { ok: false, reason: 'disconnected', message: 'the engine has no LinkedIn channel' }
    return linkedin.sendMessage({
      accountId: account.accountId,
      target: {
        leadId: lead.id,
        ...(profile.linkedinProfileId === undefined ? {} : { profileId: profile.linkedinProfileId }),
        ...(profile.linkedinUrl === undefined ? {} : { profileUrl: profile.linkedinUrl }),
      },
      idempotencyKey: answer.idempotencyKey,
      chunks: [answer.text],
    })
  }
  const email = context.email
  if (email === undefined)
    return { ok: false, reason: 'disconnected', message: 'the engine has no email channel' }
  const inboxAddress = conversation.inbox ?? ''
  const inbox = identity.identity.email.inboxes.find(
    (each) => each.address.toLowerCase() === inboxAddress.toLowerCase(),
  )
  const messages = await inTransaction(context, (store) => thread(store, conversation), { readOnly: true })
  const ids = messages.flatMap((each) =>
    each.messageId !== null && MESSAGE_ID.test(each.messageId) ? [each.messageId] : [],
  )
  const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ')
  const signature = identity.identity.email.signature
  return email.send({
    idempotencyKey: answer.idempotencyKey,
    messageId: messageIdFor(answer.idempotencyKey, inboxAddress),
    from: { address: inbox?.address ?? inboxAddress, name: inbox?.displayName ?? identity.identity.name },
    to:
      name === ''
        ? { address: profile.professionalEmail ?? '' }
        : { address: profile.professionalEmail ?? '', name },
    subject: subjectOf(conversation, answer, messages),
    text: answer.text,
    ...(ids.length === 0 ? {} : { inReplyTo: ids[ids.length - 1] as string, references: ids.slice(-50) }),
    ...(signature === undefined ? {} : { signature }),
    tracking: { opens: false, clicks: false },
  })
}
