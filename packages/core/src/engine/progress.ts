import type { Lead } from '../model/lead/lead'
import { renderMessage } from '../model/personalisation/render-message'
import { channelsOf } from '../model/sequence/channels-of'
import { type ActionInput, logActions } from './action-log'
import { stopIfBlocklisted } from './blocklist-stop'
import { counterKeys } from './counters'
import type { EngineContext } from './engine-context'
import type { EngineEvent } from './engine-events'
import { newEnrolment, newRelation, relationKey, withPriority } from './record-factory'
import type { CampaignRecord, EnrolmentRecord, IdentityRecord, LeadRecord, RelationRecord } from './records'
import { advance, failed, parked } from './sequence-runner'
import { compoundKey, type Store } from './store'
import { warmupAllowance } from './warmup'

/** Everything about one lead in one campaign, read in one go. */
export interface LeadContext {
  readonly campaign: CampaignRecord
  readonly identity: IdentityRecord
  readonly lead: LeadRecord
  readonly relation: RelationRecord
}

export async function loadLeadContext(
  store: Store,
  enrolment: EnrolmentRecord,
): Promise<LeadContext | undefined> {
  const [campaign, identity, lead, relation] = await Promise.all([
    store.get('campaigns', enrolment.campaignId),
    store.get('identities', enrolment.identityId),
    store.get('leads', enrolment.leadId),
    store.get('relations', relationKey(enrolment.identityId, enrolment.leadId)),
  ])
  if (campaign === undefined || identity === undefined || lead === undefined) return undefined
  return {
    campaign,
    identity,
    lead,
    relation: relation ?? newRelation(enrolment.identityId, enrolment.leadId),
  }
}

/** When any identity last sent this lead a message, per channel. */
async function lastContactAt(store: Store, leadId: string): Promise<{ linkedin?: number; email?: number }> {
  const found: { linkedin?: number; email?: number } = {}
  for await (const action of store.all(
    'actions',
    { index: 'byLead', equals: [leadId], order: 'desc' },
    100,
  )) {
    if (action.type !== 'message-sent') continue
    if (action.channel === 'linkedin' && found.linkedin === undefined) found.linkedin = action.at
    if (action.channel === 'email' && found.email === undefined) found.email = action.at
    if (found.linkedin !== undefined && found.email !== undefined) break
  }
  return found
}

function needsContactHistory(campaign: CampaignRecord): boolean {
  return Object.values(campaign.campaign.sequence.steps).some(
    (step) => step.kind === 'condition' && step.if.type === 'has_been_contacted',
  )
}

/** The least used inbox a new lead of this campaign may write from (lead continuity starts here). */
async function chooseInbox(
  context: EngineContext,
  store: Store,
  campaign: CampaignRecord,
  identity: IdentityRecord,
): Promise<string | null> {
  if (!channelsOf(campaign.campaign.sequence).includes('email')) return null
  const named = campaign.campaign.settings.email.inboxes
  const candidates = identity.identity.email.inboxes
    .map((inbox) => inbox.address.toLowerCase())
    .filter((address) => named === 'shuffle' || named.some((name) => name.toLowerCase() === address))
    .filter((address) => !identity.disconnectedInboxes.includes(address))
  // An inbox in warm-up is given new leads only when every candidate is: they wait for it there.
  const policy = context.settings.warmupPolicy
  const free = candidates.filter((address) => warmupAllowance(identity.warmup?.[address], policy) !== 0)
  let best: { address: string; count: number } | undefined
  for (const address of free.length > 0 ? free : candidates) {
    const counter = await store.get('counters', counterKeys.inboxAssignments(identity.id, address))
    const count = counter?.count ?? 0
    if (best === undefined || count < best.count) best = { address, count }
  }
  return best?.address ?? null
}

/**
 * Runs the sequence runner for one lead and writes the outcome: the new enrolment, the action log, tasks,
 * and leads moved to other campaigns. Returns the events to emit after commit.
 */
export async function progressLead(
  context: EngineContext,
  store: Store,
  enrolment: EnrolmentRecord,
  now: number,
  loaded?: LeadContext,
): Promise<{ enrolment: EnrolmentRecord; events: EngineEvent[] }> {
  const lead = loaded ?? (await loadLeadContext(store, enrolment))
  // A campaign whose identity was deleted never acts again, even if an identity comes back under that id.
  const campaign = lead?.campaign ?? (await store.get('campaigns', enrolment.campaignId))
  if (campaign?.campaign.identityDeletedAt !== undefined) {
    const stopped = stopForDeletedIdentity(enrolment, now)
    if (stopped !== enrolment) await store.put('enrolments', stopped.key, stopped)
    return { enrolment: stopped, events: [] }
  }
  if (lead === undefined) {
    const broken = failed(
      enrolment,
      'system_error',
      now,
      'the campaign, identity or lead of this enrolment is missing',
    )
    await store.put('enrolments', broken.key, broken)
    return { enrolment: broken, events: [] }
  }
  if (lead.campaign.campaign.status !== 'running') {
    const resting = parked(enrolment, now)
    await store.put('enrolments', resting.key, resting)
    return { enrolment: resting, events: [] }
  }
  const starting = enrolment.state.status === 'not_started'
  if (starting || enrolment.state.status === 'in_progress') {
    const stopped = await stopIfBlocklisted(context, store, enrolment, lead.lead.lead, now)
    if (stopped !== undefined) return stopped
  }
  const output = advance({
    now,
    campaign: lead.campaign.campaign,
    identity: lead.identity,
    lead: lead.lead.lead,
    relation: lead.relation,
    enrolment,
    lastContactAt: needsContactHistory(lead.campaign) ? await lastContactAt(store, enrolment.leadId) : {},
    inboxForLead:
      enrolment.inbox === null ? await chooseInbox(context, store, lead.campaign, lead.identity) : null,
    pushesEvents: context.linkedin?.capabilities?.pushesEvents === true,
    acceptanceCheckIntervalMs: context.settings.acceptanceCheckIntervalMs,
  })
  let next = withPriority(output.enrolment)
  const base = {
    identityId: enrolment.identityId,
    campaignId: enrolment.campaignId,
    leadId: enrolment.leadId,
  }
  const entries: ActionInput[] = []
  const events: EngineEvent[] = []
  for (const effect of output.effects) {
    switch (effect.type) {
      case 'lead-started':
        entries.push({ ...base, type: 'lead-started', ...(next.inbox === null ? {} : { inbox: next.inbox }) })
        break
      case 'condition-evaluated':
        entries.push({
          ...base,
          type: 'condition-evaluated',
          stepId: effect.stepId,
          detail: { result: effect.result },
        })
        break
      case 'task-created': {
        const taskId = compoundKey('task', enrolment.campaignId, enrolment.leadId, effect.stepId)
        await store.put('tasks', taskId, {
          key: taskId,
          taskId,
          campaignId: enrolment.campaignId,
          leadId: enrolment.leadId,
          identityId: enrolment.identityId,
          origin: 'step',
          stepId: effect.stepId,
          title: personalised(effect.step.title, lead.lead.lead),
          body: effect.step.body === undefined ? null : personalised(effect.step.body, lead.lead.lead),
          type: effect.step.type,
          status: 'pending',
          createdAt: now,
          dueAt: now + (effect.step.dueInDays ?? 0) * 86_400_000,
          completedAt: null,
        })
        entries.push({
          ...base,
          type: 'task-created',
          stepId: effect.stepId,
          action: 'task',
          channel: 'tasks',
          detail: { taskId },
        })
        break
      }
      case 'lead-moved': {
        const problem = await moveLead(context, store, enrolment.leadId, effect.campaignId, now, events)
        if (problem !== undefined) {
          next = failed({ ...next, stepId: effect.stepId }, 'system_error', now, problem)
        } else {
          entries.push({
            ...base,
            type: 'lead-moved',
            stepId: effect.stepId,
            action: 'add_to_campaign',
            detail: { toCampaignId: effect.campaignId },
          })
        }
        break
      }
      case 'invitation-skipped':
        break
    }
  }
  // A lead gets its inbox when it starts, or at its first email step if the identity had none then.
  if (enrolment.inbox === null && next.inbox !== null) {
    const key = counterKeys.inboxAssignments(enrolment.identityId, next.inbox)
    const counter = await store.get('counters', key)
    await store.put('counters', key, {
      key,
      identityId: enrolment.identityId,
      date: 'all',
      count: (counter?.count ?? 0) + 1,
      lastAt: now,
      recent: [],
    })
  }
  if (statusChanged(enrolment, next)) {
    entries.push({ ...base, type: 'lead-status-changed', detail: { from: enrolment.state, to: next.state } })
  }
  await store.put('enrolments', next.key, next)
  events.push(...(await logActions(context, store, now, entries)))
  context.wake(enrolment.identityId)
  return { enrolment: next, events }
}

/**
 * A lead of a campaign whose identity was deleted: in error (`identity_deleted`) unless it had already
 * finished or replied, out of every queue either way. Returns the same record when there is nothing to change.
 */
export function stopForDeletedIdentity(enrolment: EnrolmentRecord, now: number): EnrolmentRecord {
  const status = enrolment.state.status
  if (status === 'finished' || status === 'replied')
    return enrolment.lane === null && enrolment.claimKey === null ? enrolment : parked(enrolment, now)
  if (status === 'error' && enrolment.state.substatus === 'identity_deleted') return enrolment
  return failed(enrolment, 'identity_deleted', now)
}

function statusChanged(before: EnrolmentRecord, after: EnrolmentRecord): boolean {
  const from = before.state
  const to = after.state
  if (from.status !== to.status) return true
  return (
    (to.status === 'error' || to.status === 'finished') &&
    'substatus' in from &&
    'substatus' in to &&
    from.substatus !== to.substatus
  )
}

/** "Add to another campaign": enrols the lead there; returns why it could not, if it could not. */
async function moveLead(
  context: EngineContext,
  store: Store,
  leadId: string,
  campaignId: string,
  now: number,
  events: EngineEvent[],
): Promise<string | undefined> {
  const target = await store.get('campaigns', campaignId)
  if (target === undefined) return `campaign '${campaignId}' to add the lead to does not exist`
  if (target.campaign.status === 'archived') return `campaign '${campaignId}' to add the lead to is archived`
  const existing = await store.get('enrolments', compoundKey(campaignId, leadId))
  if (existing !== undefined) return undefined
  const enrolment = newEnrolment({
    campaignId,
    leadId,
    identityId: target.campaign.identityId,
    priority: target.campaign.priority,
    seed: context.settings.seed,
    at: now,
  })
  if (target.campaign.status !== 'running') {
    await store.put('enrolments', enrolment.key, enrolment)
    return undefined
  }
  const started = await progressLead(context, store, enrolment, now)
  events.push(...started.events)
  return undefined
}

/**
 * A task's title and body with the lead's variables filled in. A task is read by a colleague, not sent to
 * the lead, so a variable without a value leaves the template's text rather than failing the step.
 */
function personalised(template: string, lead: Lead): string {
  const rendered = renderMessage(template, lead)
  return rendered.ok ? rendered.value : template
}
