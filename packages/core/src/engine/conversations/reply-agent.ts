import {
  type AgentDecision,
  decideOnInbound,
  type HandOffReason,
  type InboundReading,
} from '../../model/conversation/agent-decision'
import { answerProblem } from '../../model/conversation/answer-check'
import { isOptOut } from '../../model/conversation/opt-out'
import { DEFAULT_TEXT_LIMITS } from '../../model/sequence/text-limits'
import type { ConversationTurn } from '../../ports/ai-provider'
import { emailLane } from '../../scheduler/lanes'
import { unitInterval } from '../../scheduler/seeded-random'
import { type ActionInput, logActions } from '../action-log'
import { type EngineContext, inTransaction } from '../engine-context'
import type { EngineEvent } from '../engine-events'
import { answerKey } from '../idempotency-key'
import { gateFrom, loadCounters } from '../lane-gates'
import { blockEverywhere } from '../lead-facts'
import type { AgentState, CampaignRecord, ConversationRecord, MessageRecord } from '../records'
import type { Store } from '../store'
import { EMAIL_ANSWER_LIMIT, type SuggestOutcome, suggestReply } from './agent-ai'
import { saveConversation } from './conversation-log'
import { sendAnswer } from './send-answer'

const MINUTE = 60_000
/** How long one worker holds a conversation's agent work before another may take it over. */
const AGENT_LEASE_MS = 5 * MINUTE
/** Tries that fail for now (the AI or the channel unavailable) before a person takes over. */
const MAX_ATTEMPTS = 3
const BATCH = 50

/**
 * After a lead's reply is kept, in the same transaction: decides the agent's work for the conversation
 * (a draft now in copilot mode, an answer after a human-like delay in automatic mode, or a hand-off to a
 * person), and blocks a lead who asked not to be contacted again, whatever the campaign's mode.
 */
export async function agentOnReply(
  context: EngineContext,
  store: Store,
  conversation: ConversationRecord,
  message: MessageRecord,
  reading: InboundReading,
  now: number,
): Promise<{ readonly entries: ActionInput[]; readonly affected: { campaignId: string; leadId: string }[] }> {
  const entries: ActionInput[] = []
  const affected: { campaignId: string; leadId: string }[] = []
  const optOut = reading.optOut === true || isOptOut(reading.text)
  if (optOut) {
    const blocked = await blockEverywhere(store, conversation.leadId, 'opt_out', undefined, now)
    entries.push(...blocked.entries)
    affected.push(...blocked.affected)
  }
  const campaign =
    conversation.campaignId === null ? undefined : await store.get('campaigns', conversation.campaignId)
  const replies = campaign?.campaign.settings.replies
  const decision: AgentDecision =
    replies === undefined
      ? { kind: 'none' }
      : decideOnInbound({
          mode: replies.mode,
          status: conversation.agent.status,
          answers: conversation.agent.answers,
          maxAnswers: replies.maxAnswers,
          reading: { ...reading, optOut },
        })
  // A newer reply always makes an earlier draft or planned answer stale.
  let agent: AgentState = { ...conversation.agent, pending: null, suggestion: null }
  if (decision.kind === 'hand_off') {
    agent = handedOff(agent, decision.reason, now)
    entries.push(handOffEntry(conversation, decision.reason, decision.detail))
  } else if ((decision.kind === 'suggest' || decision.kind === 'answer') && campaign !== undefined) {
    const delay =
      decision.kind === 'answer' && replies !== undefined
        ? Math.round(
            (replies.delayMinutes.min +
              unitInterval(context.settings.seed, conversation.key, message.key) *
                (replies.delayMinutes.max - replies.delayMinutes.min)) *
              MINUTE,
          )
        : 0
    agent = {
      ...agent,
      pending: {
        kind: decision.kind,
        messageKey: message.key,
        campaignId: campaign.id,
        dueAt: now + delay,
        attempts: 0,
      },
    }
  }
  if (agent !== conversation.agent) {
    const next = { ...conversation, agent, agentDueAt: agent.pending?.dueAt ?? null }
    await saveConversation(store, next, conversation)
  }
  return { entries, affected }
}

/** A bounce on an email conversation: the agent does not answer an address that does not exist. */
export async function agentOnBounce(store: Store, leadId: string, now: number): Promise<ActionInput[]> {
  const entries: ActionInput[] = []
  for (const conversation of await store.query('conversations', { index: 'byLead', equals: [leadId] })) {
    if (conversation.channel !== 'email' || conversation.agent.pending === null) continue
    const next = {
      ...conversation,
      agent: handedOff({ ...conversation.agent, pending: null, suggestion: null }, 'bounced', now),
      agentDueAt: null,
    }
    await saveConversation(store, next, conversation)
    entries.push(handOffEntry(conversation, 'bounced', "the lead's address bounced"))
  }
  return entries
}

/**
 * Runs the agent work that is due: drafts in copilot mode, answers in automatic mode (inside working hours
 * and limits, through the one send path, at most once per inbound message). Each conversation is taken
 * with a short lease first, so two workers never work on it at once; a worker that stops half-way leaves it
 * to the next, and the answer's idempotency key keeps a second attempt from sending twice.
 */
export async function runAgentWork(
  context: EngineContext,
  now: number,
): Promise<{ events: EngineEvent[]; executed: number }> {
  const due = await inTransaction(
    context,
    (store) => store.query('conversations', { index: 'agentDue', range: { lte: now }, limit: BATCH }),
    { readOnly: true },
  )
  const events: EngineEvent[] = []
  let executed = 0
  for (const candidate of due) {
    const taken = await take(context, candidate.key, now)
    if (taken === undefined) continue
    const result = await work(context, taken, now)
    events.push(...result.events)
    executed += result.executed
  }
  return { events, executed }
}

interface Taken {
  readonly conversation: ConversationRecord
  readonly pending: NonNullable<AgentState['pending']>
  readonly campaign: CampaignRecord
  readonly messages: readonly MessageRecord[]
}

async function take(context: EngineContext, conversationId: string, now: number): Promise<Taken | undefined> {
  return inTransaction(context, async (store) => {
    const conversation = await store.get('conversations', conversationId)
    const pending = conversation?.agent.pending ?? null
    if (
      conversation === undefined ||
      pending === null ||
      conversation.agentDueAt === null ||
      conversation.agentDueAt > now
    )
      return undefined
    const campaign = await store.get('campaigns', pending.campaignId)
    // A campaign whose identity was deleted no longer answers anyone, whoever holds that id now.
    if (
      campaign === undefined ||
      campaign.campaign.identityDeletedAt !== undefined ||
      conversation.agent.status !== 'active'
    ) {
      await saveConversation(
        store,
        { ...conversation, agent: { ...conversation.agent, pending: null }, agentDueAt: null },
        conversation,
      )
      return undefined
    }
    await saveConversation(store, { ...conversation, agentDueAt: now + AGENT_LEASE_MS }, conversation)
    const messages = await store.query('messages', { index: 'byConversation', equals: [conversationId] })
    return { conversation, pending, campaign, messages }
  })
}

async function work(
  context: EngineContext,
  taken: Taken,
  now: number,
): Promise<{ events: EngineEvent[]; executed: number }> {
  const { conversation, pending, campaign } = taken
  const replies = campaign.campaign.settings.replies
  if (context.ai === undefined || replies.prompt === undefined)
    return handOff(context, conversation.key, 'ai_failed', 'the engine has no AI provider to write answers')

  if (pending.kind === 'answer') {
    // Working hours and limits first: no AI call for an answer that could not go out now.
    const opensAt = await inTransaction(
      context,
      async (store) => {
        const identity = await store.get('identities', conversation.identityId)
        if (identity === undefined) return undefined
        const lane =
          conversation.channel === 'linkedin' ? 'linkedin:message' : emailLane(conversation.inbox ?? '')
        return gateFrom(context, identity, lane, now, await loadCounters(store, identity.id)).opensAt
      },
      { readOnly: true },
    )
    if (opensAt === undefined)
      return handOff(context, conversation.key, 'ai_failed', 'the identity no longer exists')
    if (opensAt > now) return reschedule(context, conversation.key, pending, opensAt, false)
  }

  const suggestion = await suggest(context, taken)
  if (!suggestion.ok) {
    if (pending.attempts + 1 >= MAX_ATTEMPTS)
      return handOff(
        context,
        conversation.key,
        'ai_failed',
        `the AI failed ${MAX_ATTEMPTS} times: ${suggestion.message}`,
      )
    return reschedule(context, conversation.key, pending, now + 15 * MINUTE * 2 ** pending.attempts, true)
  }
  const { value } = suggestion
  if (!value.confident)
    return handOff(
      context,
      conversation.key,
      'unsure',
      value.handOffReason ?? 'the AI is not sure it can answer this well',
    )
  const problem = answerProblem(value.text, {
    maxLength: conversation.channel === 'linkedin' ? DEFAULT_TEXT_LIMITS.linkedinMessage : EMAIL_ANSWER_LIMIT,
    earlier: taken.messages.filter((each) => each.direction === 'outbound').map((each) => each.text),
  })
  if (problem !== undefined) return handOff(context, conversation.key, 'invalid_answer', problem)

  if (pending.kind === 'suggest') {
    const events = await inTransaction(context, async (store) => {
      const current = await store.get('conversations', conversation.key)
      if (current === undefined || current.agent.pending?.messageKey !== pending.messageKey) return []
      const next = {
        ...current,
        agent: {
          ...current.agent,
          pending: null,
          suggestion: { text: value.text.trim(), forMessage: pending.messageKey, at: now },
        },
        agentDueAt: null,
      }
      await saveConversation(store, next, current)
      return logActions(context, store, now, [
        {
          ...where(current),
          type: 'suggestion-ready',
          detail: { conversationId: current.key, messageKey: pending.messageKey },
        },
      ])
    })
    return { events, executed: 0 }
  }

  const key = answerKey(context.settings.workspaceId, conversation.key, 'agent', pending.messageKey)
  const { outcome, events } = await sendAnswer(context, {
    conversationId: conversation.key,
    text: value.text.trim(),
    author: 'agent',
    idempotencyKey: key,
    paced: true,
  })
  switch (outcome.status) {
    case 'sent':
      return { events: [...events], executed: 1 }
    case 'limited':
      return reschedule(context, conversation.key, pending, outcome.reopensAt, false)
    case 'not_sent':
      if (outcome.retryable && pending.attempts + 1 < MAX_ATTEMPTS)
        return reschedule(
          context,
          conversation.key,
          pending,
          now + (outcome.retryAfterMs ?? 15 * MINUTE),
          true,
        )
      return handOff(
        context,
        conversation.key,
        'ai_failed',
        `the channel did not send the answer: ${outcome.message}`,
      )
    case 'duplicate':
      if (outcome.message !== undefined) return clearPending(context, conversation.key)
      return handOff(
        context,
        conversation.key,
        'delivery_unknown',
        'an earlier attempt to send this answer may have gone out',
      )
    case 'unknown': {
      const handed = await handOff(
        context,
        conversation.key,
        'delivery_unknown',
        `the answer may or may not have been delivered: ${outcome.message}`,
      )
      return { events: [...events, ...handed.events], executed: 0 }
    }
    case 'unavailable':
      return handOff(context, conversation.key, 'ai_failed', outcome.message)
  }
}

/** Asks the AI for an answer to the conversation, with the engine's timeout; the call is metered. */
async function suggest(context: EngineContext, taken: Taken): Promise<SuggestOutcome> {
  const { conversation, campaign, messages } = taken
  const request = await inTransaction(
    context,
    async (store) => {
      const lead = await store.get('leads', conversation.leadId)
      const identity = await store.get('identities', conversation.identityId)
      return { lead, identity }
    },
    { readOnly: true },
  )
  const turns: ConversationTurn[] = messages.map((each) => ({
    direction: each.direction,
    text: each.text,
    ...(each.subject === null ? {} : { subject: each.subject }),
    at: new Date(each.at).toISOString(),
  }))
  return suggestReply(context, campaign.id, {
    lead: { id: conversation.leadId, profile: request.lead?.lead.profile ?? {} },
    sender: {
      name: request.identity?.identity.name ?? conversation.identityId,
      ...(request.identity?.identity.contact === undefined
        ? {}
        : { contact: request.identity.identity.contact }),
    },
    channel: conversation.channel,
    stepKind: 'reply',
    prompt: campaign.campaign.settings.replies.prompt ?? '',
    conversation: turns,
    maxLength: conversation.channel === 'linkedin' ? DEFAULT_TEXT_LIMITS.linkedinMessage : EMAIL_ANSWER_LIMIT,
  })
}

function handedOff(agent: AgentState, reason: HandOffReason, at: number): AgentState {
  return { ...agent, status: 'handed_off', handOff: { reason, at }, pending: null, suggestion: null }
}

const where = (conversation: ConversationRecord) => ({
  identityId: conversation.identityId,
  leadId: conversation.leadId,
  channel: conversation.channel,
  ...(conversation.campaignId === null ? {} : { campaignId: conversation.campaignId }),
})

function handOffEntry(conversation: ConversationRecord, reason: HandOffReason, detail: string): ActionInput {
  return {
    ...where(conversation),
    type: 'handed-off',
    detail: { conversationId: conversation.key, reason, why: detail },
  }
}

async function handOff(
  context: EngineContext,
  conversationId: string,
  reason: HandOffReason,
  detail: string,
): Promise<{ events: EngineEvent[]; executed: number }> {
  const events = await inTransaction(context, async (store) => {
    const current = await store.get('conversations', conversationId)
    if (current === undefined) return []
    const now = context.now()
    await saveConversation(
      store,
      { ...current, agent: handedOff(current.agent, reason, now), agentDueAt: null },
      current,
    )
    return logActions(context, store, now, [handOffEntry(current, reason, detail)])
  })
  return { events, executed: 0 }
}

async function reschedule(
  context: EngineContext,
  conversationId: string,
  pending: NonNullable<AgentState['pending']>,
  at: number,
  failed: boolean,
): Promise<{ events: EngineEvent[]; executed: number }> {
  await inTransaction(context, async (store) => {
    const current = await store.get('conversations', conversationId)
    if (current === undefined || current.agent.pending?.messageKey !== pending.messageKey) return
    const next = { ...pending, dueAt: at, attempts: pending.attempts + (failed ? 1 : 0) }
    await saveConversation(
      store,
      { ...current, agent: { ...current.agent, pending: next }, agentDueAt: at },
      current,
    )
  })
  return { events: [], executed: 0 }
}

async function clearPending(
  context: EngineContext,
  conversationId: string,
): Promise<{ events: EngineEvent[]; executed: number }> {
  await inTransaction(context, async (store) => {
    const current = await store.get('conversations', conversationId)
    if (current === undefined) return
    await saveConversation(
      store,
      { ...current, agent: { ...current.agent, pending: null }, agentDueAt: null },
      current,
    )
  })
  return { events: [], executed: 0 }
}
