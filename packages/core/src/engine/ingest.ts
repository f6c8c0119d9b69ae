import { readInbound } from '../model/conversation/agent-decision'
import { leadWords } from '../model/conversation/lead-words'
import { threadSubject } from '../model/conversation/thread-subject'
import type { ReplyClassification } from '../ports/ai-provider'
import type { InboundEvent, LeadReference } from '../ports/inbound-event'
import { type ActionInput, logActions } from './action-log'
import { recordAiUsage } from './ai-usage'
import { classifyReply } from './conversations/agent-ai'
import { type Recorded, recordMessage } from './conversations/conversation-log'
import { agentOnBounce, agentOnReply } from './conversations/reply-agent'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { disconnect } from './execute-action'
import { parseInboundEvent } from './inbound-event-schema'
import { countComplaint } from './inbox-complaints'
import { applyFact, blockEverywhere } from './lead-facts'
import { newRelation, relationKey } from './record-factory'
import type { EnrolmentRecord, RelationRecord } from './records'
import { wakeRelationDependents } from './relation-dependents'
import type { Store } from './store'
import { markCompleted } from './task-commands'

export interface IngestResult {
  /** False when no lead (or identity, task) matched the event; nothing changed then. */
  readonly matched: boolean
  /** True when the event's `eventId` was seen before; nothing changed then. */
  readonly duplicate: boolean
  /** The leads whose campaign state the event changed. */
  readonly affected: readonly { readonly campaignId: string; readonly leadId: string }[]
}

/**
 * Applies an inbound event from an adapter or the host. Replies stop the lead's sequences with that
 * identity (out-of-office answers finish them as "out of office"), hard bounces finish them as bounced,
 * acceptances and withdrawals wake leads waiting on them. Events with an `eventId` are applied once,
 * however often a provider retries them.
 */
export async function ingest(context: EngineContext, input: InboundEvent): Promise<IngestResult> {
  const event = parseInboundEvent(input)
  const classification = await classify(context, event)
  const { result, events } = await inTransaction(context, async (store) => {
    const now = event.at === undefined ? context.now() : Date.parse(event.at)
    const seenKey = event.eventId === undefined ? undefined : `event:${event.type}:${event.eventId}`
    if (seenKey !== undefined && (await store.get('state', seenKey)) !== undefined) {
      return { result: { matched: true, duplicate: true, affected: [] }, events: [] }
    }
    const outcome = await apply(context, store, event, now, classification)
    if (seenKey !== undefined && outcome.result.matched)
      await store.put('state', seenKey, { key: seenKey, value: now })
    return outcome
  })
  context.emit(events)
  return result
}

async function classify(
  context: EngineContext,
  event: InboundEvent,
): Promise<ReplyClassification | undefined> {
  if (event.type !== 'reply-received' || event.text === undefined || context.ai === undefined)
    return undefined
  const reply = { text: event.text, subject: event.subject }
  // The AI classifies what the lead wrote: our own subject quoted back ("Re: Cut your software costs") is
  // sales copy, not the lead's words.
  const words =
    event.subject === undefined
      ? leadWords(reply, [])
      : await inTransaction(
          context,
          async (store) => {
            const found = await resolveLead(store, event.lead)
            return leadWords(reply, found === undefined ? [] : await subjectsSentTo(store, found.leadId))
          },
          { readOnly: true },
        )
  return classifyReply(context, words, event.channel)
}

type Applied = { result: IngestResult; events: EngineEvent[] }

const unmatched: Applied = { result: { matched: false, duplicate: false, affected: [] }, events: [] }

async function apply(
  context: EngineContext,
  store: Store,
  event: InboundEvent,
  now: number,
  classification: ReplyClassification | undefined,
): Promise<Applied> {
  switch (event.type) {
    case 'reply-received': {
      const found = await resolveLead(store, event.lead)
      if (found === undefined) return unmatched
      const identityId = event.identityId ?? found.identityId
      const campaignId = event.campaignId
      const outOfOffice = event.outOfOffice === true || classification?.outOfOffice === true
      const enrolments = (
        await store.query('enrolments', { index: 'byLead', equals: [found.leadId] })
      ).filter(
        (each) =>
          (identityId === undefined || each.identityId === identityId) &&
          (campaignId === undefined || each.campaignId === campaignId),
      )
      const affected: { campaignId: string; leadId: string }[] = []
      const entries: ActionInput[] = []
      for (const enrolment of enrolments) {
        await applyFact(
          store,
          enrolment,
          outOfOffice
            ? { type: 'out-of-office-received' }
            : { type: 'reply-received', channel: event.channel },
          now,
          { affected, entries },
        )
      }
      const campaigns = repliedCampaigns(enrolments, found, event.subject)
      const detail = {
        outOfOffice,
        ...(classification === undefined
          ? {}
          : { sentiment: classification.sentiment, tags: classification.tags ?? [] }),
      }
      const logged: ActionInput[] = [...campaigns].map((id) => ({
        type: 'reply-received',
        campaignId: id,
        identityId: enrolments.find((each) => each.campaignId === id)?.identityId ?? null,
        leadId: found.leadId,
        channel: event.channel,
        detail,
      }))
      if (logged.length === 0)
        logged.push({ type: 'reply-received', leadId: found.leadId, channel: event.channel, detail })
      const identities = new Set(enrolments.map((each) => each.identityId))
      if (identityId !== undefined) identities.add(identityId)
      for (const identity of identities) {
        const relation = await relationOf(store, identity, found.leadId)
        if (relation.conversationWith === null)
          await store.put('relations', relation.key, { ...relation, conversationWith: 'inbound' })
      }
      const usageCampaign = found.campaignId ?? [...campaigns][0]
      if (classification !== undefined && usageCampaign !== undefined)
        await recordAiUsage(store, usageCampaign, now, 'classify', classification.usage)
      const recorded = await recordReply(context, store, {
        event,
        found,
        identityId: identityId ?? enrolments[0]?.identityId,
        campaignId: found.campaignId ?? [...campaigns][0] ?? null,
        outOfOffice,
        classification,
        at: now,
      })
      // The guardrails judge what the lead wrote: our own subject quoted back ("Re: …") is not.
      const words = leadWords(
        { text: event.text ?? '', subject: event.subject },
        event.subject === undefined ? [] : await subjectsSentTo(store, found.leadId),
      )
      const agent =
        recorded === undefined
          ? { entries: [], affected: [] }
          : await agentOnReply(
              context,
              store,
              recorded.conversation,
              recorded.message,
              readInbound(words, classification, outOfOffice),
              now,
            )
      return {
        result: { matched: true, duplicate: false, affected: [...affected, ...agent.affected] },
        events: [
          ...(await logActions(context, store, now, [...logged, ...entries, ...agent.entries])),
          ...(recorded === undefined ? [] : [recorded.event]),
        ],
      }
    }
    case 'connection-accepted':
    case 'invitation-withdrawn': {
      const found = await resolveLead(store, event.lead)
      if (found === undefined || (await store.get('identities', event.identityId)) === undefined)
        return unmatched
      const relation = await relationOf(store, event.identityId, found.leadId)
      const next: RelationRecord =
        event.type === 'connection-accepted'
          ? {
              ...relation,
              connection: 'connected',
              acceptedAt: relation.acceptedAt ?? now,
              pendingSince: null,
            }
          : { ...relation, connection: 'withdrawn', withdrawnAt: now, pendingSince: null }
      await store.put('relations', next.key, next)
      const invitedBy = await invitingCampaign(store, event.identityId, found.leadId)
      const events = await logActions(context, store, now, [
        {
          type: event.type,
          identityId: event.identityId,
          leadId: found.leadId,
          channel: 'linkedin',
          ...(invitedBy === undefined ? {} : { campaignId: invitedBy }),
        },
      ])
      events.push(...(await wakeRelationDependents(context, store, next, now)))
      context.wake(event.identityId)
      return { result: { matched: true, duplicate: false, affected: [] }, events }
    }
    case 'email-bounced': {
      const found = await resolveLead(store, event.lead)
      if (found === undefined) return unmatched
      const campaignId = event.campaignId ?? found.campaignId
      const affected: { campaignId: string; leadId: string }[] = []
      const entries: ActionInput[] = []
      const enrolments = await store.query('enrolments', { index: 'byLead', equals: [found.leadId] })
      for (const enrolment of enrolments) {
        if (campaignId !== undefined && enrolment.campaignId !== campaignId) continue
        if (campaignId === undefined && enrolment.inbox === null) continue
        entries.push({
          type: 'email-bounced',
          identityId: enrolment.identityId,
          campaignId: enrolment.campaignId,
          leadId: enrolment.leadId,
          channel: 'email',
          detail: { bounce: event.bounce, ...(event.reason === undefined ? {} : { reason: event.reason }) },
        })
        await applyFact(store, enrolment, { type: 'email-bounced', bounce: event.bounce }, now, {
          affected,
          entries,
        })
      }
      if (event.bounce === 'hard') entries.push(...(await agentOnBounce(store, found.leadId, now)))
      return {
        result: { matched: true, duplicate: false, affected },
        events: await logActions(context, store, now, entries),
      }
    }
    case 'complaint-received': {
      // The report counts against the inbox whether or not the lead is still known.
      const inbox = event.inbox?.toLowerCase()
      if (inbox !== undefined) await countComplaint(store, inbox, now)
      const found = await resolveLead(store, event.lead)
      if (found === undefined) {
        if (inbox === undefined) return unmatched
        return {
          result: { matched: true, duplicate: false, affected: [] },
          events: await logActions(context, store, now, [
            { type: 'complaint-received', channel: 'email', inbox, detail: complaintDetail(event) },
          ]),
        }
      }
      const blocked = await blockEverywhere(store, found.leadId, 'complaint', event.lead?.email, now)
      const logged = (enrolment?: { identityId: string; campaignId: string }): ActionInput => ({
        type: 'complaint-received',
        ...(enrolment === undefined
          ? {}
          : { identityId: enrolment.identityId, campaignId: enrolment.campaignId }),
        leadId: found.leadId,
        channel: 'email',
        ...(inbox === undefined ? {} : { inbox }),
        detail: complaintDetail(event),
      })
      const entries: ActionInput[] =
        blocked.enrolments.length === 0 ? [logged()] : blocked.enrolments.map((each) => logged(each))
      return {
        result: { matched: true, duplicate: false, affected: blocked.affected },
        events: await logActions(context, store, now, [...entries, ...blocked.entries]),
      }
    }
    case 'email-opened':
    case 'link-clicked': {
      const found = await resolveLead(store, event.lead)
      if (found === undefined) return unmatched
      const events = await logActions(context, store, now, [
        {
          type: event.type,
          leadId: found.leadId,
          channel: 'email',
          ...((event.campaignId ?? found.campaignId)
            ? { campaignId: (event.campaignId ?? found.campaignId) as string }
            : {}),
          ...(found.identityId === undefined ? {} : { identityId: found.identityId }),
          ...(found.messageId === undefined ? {} : { messageId: found.messageId }),
          detail: {
            automated: event.automated === true,
            ...(event.url === undefined ? {} : { url: event.url }),
          },
        },
      ])
      return { result: { matched: true, duplicate: false, affected: [] }, events }
    }
    case 'task-completed': {
      const task = await store.get('tasks', event.taskId)
      if (task === undefined) return unmatched
      const { events, changed } = await markCompleted(context, store, task, now)
      return { result: { matched: true, duplicate: !changed, affected: [] }, events }
    }
    case 'channel-disconnected':
    case 'channel-reconnected': {
      const identity = await store.get('identities', event.identityId)
      if (identity === undefined) return unmatched
      const inbox = event.inbox?.toLowerCase() ?? null
      if (event.type === 'channel-disconnected') {
        return {
          result: { matched: true, duplicate: false, affected: [] },
          events: await disconnect(context, store, identity.id, event.channel, inbox, now),
        }
      }
      await store.put('identities', identity.id, {
        ...identity,
        linkedinConnected: event.channel === 'linkedin' ? true : identity.linkedinConnected,
        disconnectedInboxes:
          event.channel === 'email'
            ? identity.disconnectedInboxes.filter((each) => inbox !== null && each !== inbox)
            : identity.disconnectedInboxes,
      })
      context.wake(identity.id)
      const events = await logActions(context, store, now, [
        {
          type: 'channel-reconnected',
          identityId: identity.id,
          channel: event.channel,
          ...(inbox === null ? {} : { inbox }),
        },
      ])
      return { result: { matched: true, duplicate: false, affected: [] }, events }
    }
  }
}

/**
 * Keeps a reply in the conversation it answers: the identity the event names, or the one whose message it
 * answers, or the one that talked with the lead on this channel last, or the one whose sequence it stopped.
 */
async function recordReply(
  context: EngineContext,
  store: Store,
  input: {
    readonly event: Extract<InboundEvent, { type: 'reply-received' }>
    readonly found: FoundLead
    readonly identityId: string | undefined
    readonly campaignId: string | null
    readonly outOfOffice: boolean
    readonly classification: ReplyClassification | undefined
    readonly at: number
  },
): Promise<Recorded | undefined> {
  const { event, found, classification } = input
  const latest = (await store.query('conversations', { index: 'byLead', equals: [found.leadId] }))
    .filter((each) => each.channel === event.channel)
    .sort((a, b) => b.lastActivityAt - a.lastActivityAt)[0]
  const identityId = event.identityId ?? found.identityId ?? latest?.identityId ?? input.identityId
  if (identityId === undefined) return undefined
  return recordMessage(context, store, {
    identityId,
    leadId: found.leadId,
    channel: event.channel,
    campaignId: input.campaignId,
    author: 'lead',
    text: event.text ?? '',
    subject: event.subject ?? null,
    messageId: event.messageId ?? null,
    classification:
      classification === undefined && !input.outOfOffice
        ? null
        : {
            sentiment: classification?.sentiment ?? 'neutral',
            outOfOffice: input.outOfOffice,
            optOut: classification?.optOut === true,
            tags: classification?.tags ?? [],
          },
    at: input.at,
  })
}

function complaintDetail(event: Extract<InboundEvent, { type: 'complaint-received' }>) {
  return {
    blocklisted: true,
    ...(event.feedbackType === undefined ? {} : { feedbackType: event.feedbackType }),
  }
}

interface FoundLead {
  readonly leadId: string
  readonly campaignId?: string
  readonly identityId?: string
  readonly messageId?: string
}

/** A long References header is a long conversation; its recent ids are the ones paceline may have sent. */
const MAX_MESSAGE_IDS = 20

/** Finds the lead an event is about: by id, by a Message-ID paceline sent, by email, by LinkedIn profile. */
async function resolveLead(
  store: Store,
  reference: LeadReference | undefined,
): Promise<FoundLead | undefined> {
  if (reference === undefined) return undefined
  const messageIds = [
    ...(reference.messageId === undefined ? [] : [reference.messageId]),
    ...(reference.messageIds ?? []),
  ]
  for (const messageId of messageIds.slice(0, MAX_MESSAGE_IDS)) {
    const [sent] = await store.query('actions', { index: 'byMessageId', equals: [messageId], limit: 1 })
    if (sent?.leadId != null) {
      return {
        leadId: sent.leadId,
        ...(sent.campaignId === null ? {} : { campaignId: sent.campaignId }),
        ...(sent.identityId === null ? {} : { identityId: sent.identityId }),
        messageId,
      }
    }
  }
  if (reference.leadId !== undefined && (await store.get('leads', reference.leadId)) !== undefined)
    return { leadId: reference.leadId }
  if (reference.email !== undefined) {
    const [lead] = await store.query('leads', {
      index: 'byEmail',
      equals: [reference.email.toLowerCase()],
      limit: 1,
    })
    if (lead !== undefined) return { leadId: lead.id }
  }
  if (reference.linkedinProfileId !== undefined) {
    const [lead] = await store.query('leads', {
      index: 'byLinkedInProfile',
      equals: [reference.linkedinProfileId],
      limit: 1,
    })
    if (lead !== undefined) return { leadId: lead.id }
  }
  return undefined
}

/**
 * The campaigns a reply answers, for the log and the campaigns' reply figures. A reply stops every
 * sequence of the lead with that identity, but it answers one thread: the campaign of the Message-ID it
 * names, or, without thread headers, the campaigns whose thread subject it repeats ("Re: <subject>").
 * When neither says, every campaign it stopped.
 */
function repliedCampaigns(
  enrolments: readonly EnrolmentRecord[],
  found: FoundLead,
  subject: string | undefined,
): Set<string> {
  const all = new Set(enrolments.map((each) => each.campaignId))
  if (found.campaignId !== undefined && all.has(found.campaignId)) return new Set([found.campaignId])
  if (found.messageId === undefined && subject !== undefined && threadSubject(subject) !== '') {
    const answered = threadSubject(subject)
    const bySubject = enrolments.filter(
      (each) => each.thread !== null && threadSubject(each.thread.subject) === answered,
    )
    if (bySubject.length > 0) return new Set(bySubject.map((each) => each.campaignId))
  }
  return all
}

/**
 * The subjects paceline sent the lead (a thread's first subject, every email, InMail or answer kept in the
 * lead's conversations): a reply that quotes one back did not write it.
 */
async function subjectsSentTo(store: Store, leadId: string): Promise<string[]> {
  const subjects = new Set<string>()
  for (const enrolment of await store.query('enrolments', { index: 'byLead', equals: [leadId] }))
    if (enrolment.thread !== null) subjects.add(enrolment.thread.subject)
  for (const conversation of await store.query('conversations', { index: 'byLead', equals: [leadId] })) {
    const messages = await store.query('messages', { index: 'byConversation', equals: [conversation.key] })
    for (const message of messages)
      if (message.direction === 'outbound' && message.subject !== null) subjects.add(message.subject)
  }
  return [...subjects]
}

async function relationOf(store: Store, identityId: string, leadId: string): Promise<RelationRecord> {
  return (await store.get('relations', relationKey(identityId, leadId))) ?? newRelation(identityId, leadId)
}

/** The campaign whose invitation the lead answered (for the per-campaign "accepted" metric). */
async function invitingCampaign(
  store: Store,
  identityId: string,
  leadId: string,
): Promise<string | undefined> {
  for await (const action of store.all('actions', { index: 'byLead', equals: [leadId], order: 'desc' }, 50)) {
    if (action.type === 'invitation-sent' && action.identityId === identityId && action.campaignId !== null)
      return action.campaignId
  }
  return undefined
}
