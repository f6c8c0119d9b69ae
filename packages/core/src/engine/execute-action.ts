import type { ErrorSubstatus } from '../model/lead/lead-status'
import type { SequenceStep } from '../model/sequence/sequence-schema'
import type { AiUsage } from '../ports/ai-provider'
import type { EmailOutcome } from '../ports/email-channel'
import type { LinkedInOutcome } from '../ports/linkedin-channel'
import type { Lane } from '../scheduler/lanes'
import { type ActionInput, logActions } from './action-log'
import { type AiOperation, recordAiUsage } from './ai-usage'
import { aiVariableCache } from './ai-variable-cache'
import { blocklisted } from './blocklist'
import { stopIfBlocklisted } from './blocklist-stop'
import { chargeAction, mayActNow } from './charge-action'
import { recordMessage } from './conversations/conversation-log'
import { outboundText } from './conversations/outbound-text'
import { charge, counterKeys, refund } from './counters'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { finishLead } from './finish-lead'
import { idempotencyKey, messageIdFor } from './idempotency-key'
import { blockLane, calendarOf } from './lane-gates'
import { type LeadContext, loadLeadContext, progressLead } from './progress'
import type { EnrolmentRecord, IdentityRecord, RelationRecord } from './records'
import { type RenderedAction, renderStep, type SendableStep } from './render-step'
import { channelProblem, failed, finished, moveTo, unsafeLeadField, waiting } from './sequence-runner'
import type { Store } from './store'

export type ExecuteResult = 'executed' | 'resolved' | 'skipped'

/**
 * Runs the ready action of one lead, at most once: resolves its text, writes a durable claim (and charges
 * the limit counters) in one fenced transaction, calls the channel, and records the outcome. A crash or
 * timeout between claim and outcome leaves the claim open; it is later resolved as "delivery unknown",
 * never sent again automatically.
 */
export async function executeAction(
  context: EngineContext,
  identity: IdentityRecord,
  head: EnrolmentRecord,
  lane: Lane,
  token: number,
): Promise<{ result: ExecuteResult; events: EngineEvent[] }> {
  const prepared = await inTransaction(context, async (store) => prepare(context, store, head, lane))
  if (prepared.kind !== 'ready')
    return { result: prepared.kind === 'skipped' ? 'skipped' : 'resolved', events: prepared.events }
  const { step, lead } = prepared
  if (lane === 'linkedin:check') return checkConnection(context, identity, prepared.enrolment, lead, token)

  const usage: { operation: AiOperation; usage: AiUsage | undefined }[] = []
  const rendered = await renderStep({
    step: step as SendableStep,
    campaign: lead.campaign.campaign,
    identity: lead.identity.identity,
    lead: lead.lead.lead,
    enrolment: prepared.enrolment,
    ai: context.ai,
    limits: context.settings.textLimits,
    variables: aiVariableCache(
      context,
      head.campaignId,
      head.leadId,
      lead.campaign.campaign.sequence.aiVariables ?? {},
    ),
    onUsage: (operation, reported) => usage.push({ operation, usage: reported }),
  })
  if (usage.length > 0)
    await inTransaction(context, async (store) => {
      for (const each of usage)
        await recordAiUsage(store, head.campaignId, context.now(), each.operation, each.usage)
    })
  if (!rendered.ok) {
    const events = await inTransaction(context, async (store) => {
      const fresh = await store.get('enrolments', head.key)
      if (fresh === undefined || fresh.readyLane !== lane || fresh.stepId !== head.stepId) return []
      return fail(context, store, fresh, rendered.substatus, context.now(), rendered.detail)
    })
    return { result: 'resolved', events }
  }

  const key = idempotencyKey(context.settings.workspaceId, head.campaignId, head.leadId, head.stepId ?? '')
  const claimed = await inTransaction(context, (store) =>
    claim(context, store, identity, head, lane, token, key, lead),
  )
  if (claimed === undefined) return { result: 'skipped', events: [] }

  const call = await context.callChannel(() =>
    send(context, identity, head, lead, rendered.action, key, claimed.messageId),
  )
  const outcome: ChannelOutcome = call.ok
    ? call.value
    : {
        ok: false,
        reason: 'delivery_unknown',
        message:
          call.failure === 'timeout'
            ? 'the channel did not answer in time'
            : `the channel failed: ${call.message}`,
      }
  const events = await inTransaction(context, (store) =>
    complete(context, store, identity, head, lane, key, token, claimed, rendered.action, outcome),
  )
  return { result: 'executed', events }
}

type Prepared =
  | { readonly kind: 'skipped'; readonly events: EngineEvent[] }
  | { readonly kind: 'resolved'; readonly events: EngineEvent[] }
  | {
      readonly kind: 'ready'
      readonly enrolment: EnrolmentRecord
      readonly step: SequenceStep
      readonly lead: LeadContext
    }

/** Re-reads the lead and settles what can be settled without the channel (errors, skips, monthly limit). */
async function prepare(
  context: EngineContext,
  store: Store,
  head: EnrolmentRecord,
  lane: Lane,
): Promise<Prepared> {
  const now = context.now()
  const enrolment = await store.get('enrolments', head.key)
  if (!stillReady(enrolment, head, lane)) return { kind: 'skipped', events: [] }
  const lead = await loadLeadContext(store, enrolment)
  if (lead === undefined || lead.campaign.campaign.status !== 'running') {
    return { kind: 'resolved', events: (await progressLead(context, store, enrolment, now, lead)).events }
  }
  // Checked here, not only at enrolment: an entry added since (a whole company) must stop the next send.
  const stopped = await stopIfBlocklisted(context, store, enrolment, lead.lead.lead, now)
  if (stopped !== undefined) return { kind: 'resolved', events: stopped.events }
  const step = lead.campaign.campaign.sequence.steps[enrolment.stepId ?? '']
  if (step === undefined) {
    return {
      kind: 'resolved',
      events: await fail(context, store, enrolment, 'system_error', now, 'the step is not in the sequence'),
    }
  }
  if (lane === 'linkedin:check') return { kind: 'ready', enrolment, step, lead }
  const problem = channelProblem(step, lead.identity, lead.lead.lead, enrolment)
  if (problem !== undefined)
    return { kind: 'resolved', events: await fail(context, store, enrolment, problem, now) }
  const unsafe = unsafeLeadField(step, lead.lead.lead)
  if (unsafe !== undefined)
    return {
      kind: 'resolved',
      events: await fail(context, store, enrolment, 'unsafe_lead_data', now, unsafe),
    }

  const isLinkedInMessage =
    step.kind === 'linkedin_message' ||
    step.kind === 'linkedin_inmail' ||
    step.kind === 'linkedin_attachment' ||
    step.kind === 'linkedin_voice'
  const conversation = lead.relation.conversationWith
  if (
    isLinkedInMessage &&
    lead.campaign.campaign.settings.skipPriorConversations &&
    conversation !== null &&
    conversation !== enrolment.campaignId
  ) {
    const { events } = await finishLead(context, store, enrolment, 'skipped', now, {
      why: 'prior conversation',
    })
    return { kind: 'resolved', events }
  }
  const limit = lead.identity.identity.monthlyConversationLimit
  if (limit !== undefined && startsConversation(step, lead.relation)) {
    const calendar = calendarOf(lead.identity)
    const month = await store.get('counters', counterKeys.month(enrolment.identityId))
    const used = month !== undefined && month.date === calendar.monthOf(now) ? month.count : 0
    if (used >= limit) {
      const next = waiting(enrolment, lane, calendar.nextMonthStart(now), 'monthly_limit', now)
      await store.put('enrolments', next.key, next)
      return { kind: 'resolved', events: [] }
    }
  }
  return { kind: 'ready', enrolment, step, lead }
}

/** The lead is still where the decision found it: ready in this lane, at this step, with no send in flight. */
function stillReady(
  enrolment: EnrolmentRecord | undefined,
  head: EnrolmentRecord,
  lane: Lane,
): enrolment is EnrolmentRecord {
  return (
    enrolment !== undefined &&
    enrolment.readyLane === lane &&
    enrolment.claimKey === null &&
    enrolment.stepId === head.stepId
  )
}

/** A message to someone this identity has never written to starts a new conversation. */
function startsConversation(step: SequenceStep, relation: RelationRecord): boolean {
  const message = step.kind === 'email' || step.kind.startsWith('linkedin_')
  return message && relation.conversationWith === null
}

interface Claimed {
  readonly at: number
  readonly charged: readonly string[]
  readonly messageId: string | undefined
}

async function claim(
  context: EngineContext,
  store: Store,
  identity: IdentityRecord,
  head: EnrolmentRecord,
  lane: Lane,
  token: number,
  key: string,
  lead: LeadContext,
): Promise<Claimed | undefined> {
  const now = context.now()
  const enrolment = await store.get('enrolments', head.key)
  if (!stillReady(enrolment, head, lane)) return undefined
  // The campaign may have been paused or deleted since the step was prepared: re-read it in the claim's
  // transaction, so that change and this claim cannot both commit.
  if ((await store.get('campaigns', enrolment.campaignId))?.status !== 'running') return undefined
  // An entry added while the message was being written: the next pass finishes the lead as blocked.
  if ((await blocklisted(store, lead.lead.lead)) !== undefined) return undefined
  const existing = await store.get('claims', key)
  if (existing !== undefined && existing.status !== 'released' && existing.status !== 'failed')
    return undefined
  if (!(await mayActNow(context, store, identity, lane, token, now))) return undefined
  const charged = await chargeAction(store, identity, lane, now)
  const step = lead.campaign.campaign.sequence.steps[enrolment.stepId ?? '']
  if (
    identity.identity.monthlyConversationLimit !== undefined &&
    step !== undefined &&
    startsConversation(step, lead.relation)
  ) {
    const month = calendarOf(identity).monthOf(now)
    charged.push(await charge(store, identity.id, counterKeys.month(identity.id), month, now, 1))
  }
  const leaseUntil = now + context.settings.claimLeaseMs
  await store.put('claims', key, {
    key,
    campaignId: enrolment.campaignId,
    leadId: enrolment.leadId,
    stepId: enrolment.stepId ?? '',
    identityId: identity.id,
    lane,
    status: 'claimed',
    owner: context.settings.workerId,
    token,
    claimedAt: now,
    leaseUntil,
    openUntil: leaseUntil,
    charged,
  })
  await store.put('enrolments', enrolment.key, {
    ...enrolment,
    claimKey: key,
    readyLane: null,
    updatedAt: now,
  })
  const messageId =
    step?.kind === 'email' && enrolment.inbox !== null ? messageIdFor(key, enrolment.inbox) : undefined
  return { at: now, charged, messageId }
}

type ChannelOutcome = LinkedInOutcome | EmailOutcome

async function send(
  context: EngineContext,
  identity: IdentityRecord,
  enrolment: EnrolmentRecord,
  lead: LeadContext,
  action: RenderedAction,
  key: string,
  messageId: string | undefined,
): Promise<ChannelOutcome> {
  if (action.kind === 'email') {
    const email = context.email
    if (email === undefined)
      return { ok: false, reason: 'disconnected', message: 'the engine has no email channel' }
    const inbox = identity.identity.email.inboxes.find(
      (each) => each.address.toLowerCase() === enrolment.inbox,
    )
    const thread = enrolment.thread
    const to = lead.lead.lead.profile.professionalEmail ?? ''
    const signature = identity.identity.email.signature
    const profile = lead.lead.lead.profile
    const name = [profile.firstName, profile.lastName].filter(Boolean).join(' ')
    return email.send({
      idempotencyKey: key,
      messageId: messageId ?? messageIdFor(key, enrolment.inbox ?? ''),
      from: {
        address: inbox?.address ?? enrolment.inbox ?? '',
        name: inbox?.displayName ?? identity.identity.name,
      },
      to: name === '' ? { address: to } : { address: to, name },
      subject: action.subject,
      text: action.text,
      ...(thread === null || thread.messageIds.length === 0
        ? {}
        : {
            inReplyTo: thread.messageIds[thread.messageIds.length - 1] as string,
            references: thread.messageIds,
          }),
      ...(signature === undefined ? {} : { signature }),
      tracking: {
        opens: lead.campaign.campaign.settings.email.trackOpens,
        clicks: lead.campaign.campaign.settings.email.trackClicks,
      },
    })
  }
  const linkedin = context.linkedin
  const account = identity.identity.linkedin
  if (linkedin === undefined || account === undefined) {
    return { ok: false, reason: 'disconnected', message: 'the engine has no LinkedIn channel' }
  }
  const profile = lead.lead.lead.profile
  const request = {
    accountId: account.accountId,
    target: {
      leadId: enrolment.leadId,
      ...(profile.linkedinProfileId === undefined ? {} : { profileId: profile.linkedinProfileId }),
      ...(profile.linkedinUrl === undefined ? {} : { profileUrl: profile.linkedinUrl }),
    },
    idempotencyKey: key,
  }
  const capabilities = linkedin.capabilities ?? {}
  const unsupported = (what: string): LinkedInOutcome => ({
    ok: false,
    reason: 'unsupported',
    message: `${what} is not supported by this LinkedIn provider`,
  })
  switch (action.kind) {
    case 'visit_profile':
      return linkedin.visitProfile(request)
    case 'react_to_last_post':
      return linkedin.reactToLastPost({ ...request, reaction: action.reaction })
    case 'send_connection':
      return linkedin.sendInvitation(action.note === undefined ? request : { ...request, note: action.note })
    case 'linkedin_message':
      return linkedin.sendMessage({ ...request, chunks: action.chunks })
    case 'linkedin_inmail':
      if (capabilities.supportsInMail === false) return unsupported('InMail')
      return linkedin.sendInMail({ ...request, subject: action.subject, body: action.body })
    case 'linkedin_attachment':
      if (capabilities.supportsAttachments === false) return unsupported('Sending attachments')
      return linkedin.sendAttachment({
        ...request,
        file: action.file,
        ...(action.caption === undefined ? {} : { caption: action.caption }),
      })
    case 'linkedin_voice':
      if (capabilities.supportsVoice === false) return unsupported('Sending voice messages')
      return linkedin.sendVoice({ ...request, audio: action.audio })
  }
}

const EVENT_OF_ACTION: Record<RenderedAction['kind'], ActionInput['type']> = {
  visit_profile: 'profile-visited',
  react_to_last_post: 'post-reacted',
  send_connection: 'invitation-sent',
  linkedin_message: 'message-sent',
  linkedin_inmail: 'message-sent',
  linkedin_attachment: 'message-sent',
  linkedin_voice: 'message-sent',
  email: 'message-sent',
}

/** What a failed send means for the lead. */
type Handling =
  | { readonly kind: 'error'; readonly substatus: ErrorSubstatus; readonly disconnects?: true }
  | {
      readonly kind: 'retry'
      readonly afterMs?: number
      readonly blockLane: boolean
      readonly countsAttempt: boolean
    }
  | { readonly kind: 'finish'; readonly substatus: 'bounced' | 'not_connected' }
  | { readonly kind: 'cooldown' }
  | { readonly kind: 'unknown' }

function handlingOf(outcome: Extract<ChannelOutcome, { ok: false }>): Handling {
  switch (outcome.reason) {
    case 'disconnected':
      return { kind: 'error', substatus: 'linkedin_disconnected', disconnects: true }
    case 'restricted':
      return { kind: 'error', substatus: 'linkedin_disconnected', disconnects: true }
    case 'inmail_credits_exhausted':
      return { kind: 'error', substatus: 'inmail_credits_limit' }
    case 'invalid_profile':
      return { kind: 'error', substatus: 'invalid_linkedin_id' }
    case 'profile_not_found':
      return { kind: 'error', substatus: 'linkedin_url_not_found' }
    case 'already_invited_recently':
      return { kind: 'cooldown' }
    case 'not_connected':
      return { kind: 'finish', substatus: 'not_connected' }
    case 'rate_limited':
      return {
        kind: 'retry',
        ...(outcome.retryAfterMs === undefined ? {} : { afterMs: outcome.retryAfterMs }),
        blockLane: true,
        countsAttempt: false,
      }
    case 'transient':
      return { kind: 'retry', blockLane: false, countsAttempt: true }
    case 'retryable':
      return {
        kind: 'retry',
        ...(outcome.retryAfterMs === undefined ? {} : { afterMs: outcome.retryAfterMs }),
        blockLane: outcome.retryAfterMs !== undefined,
        countsAttempt: true,
      }
    case 'unsupported':
    case 'rejected':
      return { kind: 'error', substatus: 'system_error' }
    case 'invalid_recipient':
      return { kind: 'finish', substatus: 'bounced' }
    case 'invalid_sender':
      return { kind: 'error', substatus: 'invalid_identity_email' }
    case 'delivery_unknown':
      return { kind: 'unknown' }
  }
}

async function complete(
  context: EngineContext,
  store: Store,
  identity: IdentityRecord,
  head: EnrolmentRecord,
  lane: Lane,
  key: string,
  token: number,
  claimed: Claimed,
  action: RenderedAction,
  outcome: ChannelOutcome,
): Promise<EngineEvent[]> {
  const now = context.now()
  const record = await store.get('claims', key)
  // Another worker resolved this claim as unknown after our lease ran out: its decision stands.
  if (
    record === undefined ||
    record.status !== 'claimed' ||
    record.owner !== context.settings.workerId ||
    record.token !== token
  ) {
    return []
  }
  const enrolment = await store.get('enrolments', head.key)
  const lead = enrolment === undefined ? undefined : await loadLeadContext(store, enrolment)
  if (enrolment === undefined || lead === undefined) {
    await store.put('claims', key, { ...record, status: outcome.ok ? 'sent' : 'unknown', openUntil: null })
    return []
  }
  const base = {
    identityId: enrolment.identityId,
    campaignId: enrolment.campaignId,
    leadId: enrolment.leadId,
    stepId: enrolment.stepId ?? '',
  }
  const channel = action.kind === 'email' ? ('email' as const) : ('linkedin' as const)
  const events: EngineEvent[] = []

  if (outcome.ok) {
    await store.put('claims', key, { ...record, status: 'sent', openUntil: null })
    const isMessage = EVENT_OF_ACTION[action.kind] === 'message-sent'
    const messageId = action.kind === 'email' ? (claimed.messageId ?? null) : null
    events.push(
      ...(await logActions(context, store, now, [
        {
          ...base,
          type: EVENT_OF_ACTION[action.kind],
          action: action.kind,
          channel,
          ...(action.kind === 'email' && enrolment.inbox !== null ? { inbox: enrolment.inbox } : {}),
          ...(messageId === null ? {} : { messageId }),
          ...(action.kind === 'email' ? { detail: { subject: action.subject } } : {}),
        },
      ])),
    )
    const said = outboundText(action)
    if (said !== undefined) {
      const recorded = await recordMessage(context, store, {
        ...base,
        channel,
        author: 'sequence',
        text: said.text,
        subject: said.subject,
        inbox: action.kind === 'email' ? enrolment.inbox : null,
        messageId: messageId ?? ('providerMessageId' in outcome ? (outcome.providerMessageId ?? null) : null),
        at: now,
      })
      events.push(recorded.event)
    }
    let relation = lead.relation
    if (action.kind === 'send_connection') {
      relation = { ...relation, connection: 'pending', invitedAt: now, pendingSince: now, withdrawnAt: null }
    }
    if (isMessage && relation.conversationWith === null)
      relation = { ...relation, conversationWith: enrolment.campaignId }
    if (relation !== lead.relation) await store.put('relations', relation.key, relation)
    const step = lead.campaign.campaign.sequence.steps[enrolment.stepId ?? '']
    const next = moveTo(
      {
        ...enrolment,
        linkedinMessages: enrolment.linkedinMessages + (isMessage && channel === 'linkedin' ? 1 : 0),
        emails: enrolment.emails + (channel === 'email' ? 1 : 0),
        notConnected: isMessage ? false : enrolment.notConnected,
        thread:
          action.kind === 'email' && messageId !== null
            ? {
                subject: enrolment.thread?.subject ?? action.subject,
                messageIds: [...(enrolment.thread?.messageIds ?? []), messageId],
              }
            : enrolment.thread,
      },
      step !== undefined && step.kind !== 'condition' ? step.next : null,
      now,
    )
    const progressed = await progressLead(context, store, next, now, { ...lead, relation })
    events.push(...progressed.events)
    return events
  }

  const handling = handlingOf(outcome)
  if (handling.kind === 'unknown') {
    await store.put('claims', key, { ...record, status: 'unknown', openUntil: null })
    events.push(...(await markUnknown(context, store, enrolment, now, outcome.message)))
    return events
  }
  // Certainly not sent: give back what the claim charged.
  await store.put('claims', key, { ...record, status: 'failed', openUntil: null })
  for (const counter of record.charged) await refund(store, counter, claimed.at)
  const detail = { reason: outcome.reason, message: outcome.message }
  switch (handling.kind) {
    case 'error': {
      if (handling.disconnects === true)
        events.push(...(await disconnect(context, store, identity.id, channel, enrolment.inbox, now)))
      const substatus =
        channel === 'email' && handling.disconnects === true ? 'email_disconnected' : handling.substatus
      events.push(...(await fail(context, store, enrolment, substatus, now, outcome.message, detail)))
      return events
    }
    case 'finish': {
      const done = finished(enrolment, handling.substatus, now)
      await store.put('enrolments', done.key, done)
      const entries: ActionInput[] = [
        {
          ...base,
          type: 'lead-status-changed',
          detail: { from: enrolment.state, to: done.state, ...detail },
        },
      ]
      if (handling.substatus === 'bounced') {
        entries.unshift({
          ...base,
          type: 'email-bounced',
          channel: 'email',
          detail: { bounce: 'hard', ...detail },
        })
      }
      events.push(...(await logActions(context, store, now, entries)))
      return events
    }
    case 'cooldown': {
      const relation: RelationRecord = {
        ...lead.relation,
        connection: 'withdrawn',
        withdrawnAt: now,
        pendingSince: null,
      }
      await store.put('relations', relation.key, relation)
      const progressed = await progressLead(context, store, { ...enrolment, claimKey: null }, now, {
        ...lead,
        relation,
      })
      return progressed.events
    }
    case 'retry': {
      const attempts = enrolment.attempts + (handling.countsAttempt ? 1 : 0)
      if (attempts >= context.settings.maxAttempts) {
        return fail(
          context,
          store,
          enrolment,
          'system_error',
          now,
          `gave up after ${attempts} attempts: ${outcome.message}`,
          detail,
        )
      }
      const backoff = handling.afterMs ?? context.settings.retryBaseMs * 2 ** Math.max(0, attempts - 1)
      if (handling.blockLane) await blockLane(store, identity.id, lane, now + backoff)
      const retrying = waiting(
        { ...enrolment, attempts, retryAt: now + backoff, claimKey: null },
        lane,
        now + backoff,
        'retry_backoff',
        now,
      )
      await store.put('enrolments', retrying.key, retrying)
      context.wake(identity.id)
      return []
    }
  }
}

async function checkConnection(
  context: EngineContext,
  identity: IdentityRecord,
  enrolment: EnrolmentRecord,
  lead: LeadContext,
  token: number,
): Promise<{ result: ExecuteResult; events: EngineEvent[] }> {
  const linkedin = context.linkedin
  const account = identity.identity.linkedin
  const start = context.now()
  const charged = await inTransaction(context, async (store) => {
    if (!(await mayActNow(context, store, identity, 'linkedin:check', token, start))) return false
    await chargeAction(store, identity, 'linkedin:check', start)
    return true
  })
  if (!charged) return { result: 'skipped', events: [] }
  const profile = lead.lead.lead.profile
  const call =
    linkedin === undefined || account === undefined
      ? ({ ok: true, value: { ok: false, reason: 'disconnected', message: 'no LinkedIn channel' } } as const)
      : await context.callChannel(() =>
          linkedin.checkConnection({
            accountId: account.accountId,
            target: {
              leadId: enrolment.leadId,
              ...(profile.linkedinProfileId === undefined ? {} : { profileId: profile.linkedinProfileId }),
              ...(profile.linkedinUrl === undefined ? {} : { profileUrl: profile.linkedinUrl }),
            },
            idempotencyKey: `check-${enrolment.key}-${start}`,
          }),
        )
  const events = await inTransaction(context, async (store) => {
    const now = context.now()
    const fresh = await store.get('enrolments', enrolment.key)
    if (fresh === undefined || fresh.readyLane !== 'linkedin:check') return []
    const base = {
      identityId: fresh.identityId,
      campaignId: fresh.campaignId,
      leadId: fresh.leadId,
      stepId: fresh.stepId ?? '',
    }
    const result = call.ok ? call.value : ({ ok: false, reason: 'transient', message: call.message } as const)
    if (!result.ok) {
      if (result.reason === 'disconnected' || result.reason === 'restricted') {
        const out = await disconnect(context, store, identity.id, 'linkedin', null, now)
        return [...out, ...(await fail(context, store, fresh, 'linkedin_disconnected', now, result.message))]
      }
      const attempts = fresh.attempts + 1
      if (attempts >= context.settings.maxAttempts) {
        return fail(
          context,
          store,
          fresh,
          'system_error',
          now,
          `could not check the connection: ${result.message}`,
        )
      }
      const backoff = result.retryAfterMs ?? context.settings.retryBaseMs * 2 ** (attempts - 1)
      const retrying = waiting(
        { ...fresh, attempts, retryAt: now + backoff },
        'linkedin:check',
        now + backoff,
        'retry_backoff',
        now,
      )
      await store.put('enrolments', retrying.key, retrying)
      return []
    }
    const current = (await store.get('relations', lead.relation.key)) ?? lead.relation
    const wasConnected = current.connection === 'connected'
    const connection =
      result.status === 'connected'
        ? 'connected'
        : result.status === 'pending'
          ? 'pending'
          : current.connection === 'withdrawn'
            ? 'withdrawn'
            : 'none'
    const relation: RelationRecord = {
      ...current,
      connection,
      lastCheckedAt: now,
      pendingSince: connection === 'pending' ? (current.pendingSince ?? current.invitedAt ?? now) : null,
      acceptedAt: connection === 'connected' ? (current.acceptedAt ?? now) : current.acceptedAt,
    }
    await store.put('relations', relation.key, relation)
    const entries: ActionInput[] = [
      {
        ...base,
        type: 'connection-checked',
        action: 'check_connection',
        channel: 'linkedin',
        detail: { status: result.status },
      },
    ]
    if (connection === 'connected' && !wasConnected && current.connection === 'pending') {
      entries.push({ ...base, type: 'connection-accepted', channel: 'linkedin' })
    }
    const out = await logActions(context, store, now, entries)
    const progressed = await progressLead(context, store, { ...fresh, attempts: 0, retryAt: null }, now, {
      ...lead,
      relation,
    })
    return [...out, ...progressed.events]
  })
  return { result: 'executed', events }
}

/** Puts a lead in error (out of every queue) and logs the change. */
export async function fail(
  context: EngineContext,
  store: Store,
  enrolment: EnrolmentRecord,
  substatus: ErrorSubstatus,
  now: number,
  message?: string,
  detail?: Record<string, unknown>,
): Promise<EngineEvent[]> {
  const next = failed(enrolment, substatus, now, message)
  await store.put('enrolments', next.key, next)
  return logActions(context, store, now, [
    {
      type: 'lead-status-changed',
      identityId: enrolment.identityId,
      campaignId: enrolment.campaignId,
      leadId: enrolment.leadId,
      ...(enrolment.stepId === null ? {} : { stepId: enrolment.stepId }),
      detail: { from: enrolment.state, to: next.state, ...detail },
    },
  ])
}

/** Resolves a send whose outcome cannot be known: the lead waits for a person, nothing is resent. */
export async function markUnknown(
  context: EngineContext,
  store: Store,
  enrolment: EnrolmentRecord,
  now: number,
  message: string,
): Promise<EngineEvent[]> {
  const base = {
    identityId: enrolment.identityId,
    campaignId: enrolment.campaignId,
    leadId: enrolment.leadId,
  }
  const out = await logActions(context, store, now, [
    {
      ...base,
      ...(enrolment.stepId === null ? {} : { stepId: enrolment.stepId }),
      type: 'delivery-unknown',
      detail: { message },
    },
  ])
  return [...out, ...(await fail(context, store, enrolment, 'delivery_unknown', now, message))]
}

/** Records that an identity's LinkedIn account or an inbox stopped working. */
export async function disconnect(
  context: EngineContext,
  store: Store,
  identityId: string,
  channel: 'linkedin' | 'email',
  inbox: string | null,
  now: number,
): Promise<EngineEvent[]> {
  const identity = await store.get('identities', identityId)
  if (identity === undefined) return []
  const next: IdentityRecord =
    channel === 'linkedin'
      ? { ...identity, linkedinConnected: false }
      : {
          ...identity,
          disconnectedInboxes:
            inbox === null
              ? identity.identity.email.inboxes.map((each) => each.address.toLowerCase())
              : [...new Set([...identity.disconnectedInboxes, inbox.toLowerCase()])],
        }
  await store.put('identities', identityId, next)
  return logActions(context, store, now, [
    { type: 'channel-disconnected', identityId, channel, ...(inbox === null ? {} : { inbox }) },
  ])
}
