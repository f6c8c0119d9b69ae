import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { parseInput } from '../errors/parse-input'
import { effectiveLeadState } from '../model/lead/enrolment'
import type { LeadProfile } from '../model/lead/lead'
import type { LeadState, LeadStatus, LeadSubstatus } from '../model/lead/lead-status'
import { substatusOf } from '../model/lead/lead-status'
import type { WaitReason } from '../scheduler/wait-reason'
import { substatusForWait } from '../scheduler/wait-reason'
import { toEvent } from './action-log'
import { missingEnrolment, toModel } from './admin'
import { campaignAnalytics } from './analytics/analytics-queries'
import type { PeriodOptions } from './analytics/period'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent, EngineEventType } from './engine-events'
import { gateFrom, loadCounters } from './lane-gates'
import { activityFilterFields, scanActivity } from './lists/activity-list'
import { enrolmentKey, relationKey } from './record-factory'
import type { CampaignRecord, CounterRecord, EnrolmentRecord, IdentityRecord, LeadRecord } from './records'
import { acceptanceDeadline } from './sequence-runner'
import type { Store } from './store'

/** Where one lead stands in one campaign, and why it is waiting. */
export interface LeadView {
  readonly campaignId: string
  readonly leadId: string
  readonly status: LeadStatus
  readonly substatus: LeadSubstatus | null
  readonly state: LeadState
  /** What paceline knows of the person (as added, plus values a CRM sync brought in). */
  readonly profile: LeadProfile
  /** The step it waits on or runs next. */
  readonly stepId: string | null
  /**
   * For a waiting lead: the machine-readable reason (finer than the substatus). `describeWaitReason(view)`
   * says it in a sentence.
   */
  readonly reason?: WaitReason
  /**
   * For a waiting lead: the earliest time it may run (it may still wait behind others then). Its meaning
   * per reason is in `WAIT_REASONS[reason].nextEligibleAt`; while waiting for an acceptance it is the
   * deadline after which the condition takes its No branch.
   */
  readonly nextEligibleAt?: string
  /** The inbox it writes from (lead continuity). */
  readonly inbox?: string
}

export async function leadView(
  context: EngineContext,
  campaignId: string,
  leadId: string,
): Promise<LeadView> {
  return inTransaction(
    context,
    async (store) => {
      const enrolment = await store.get('enrolments', enrolmentKey(campaignId, leadId))
      if (enrolment === undefined) throw await missingEnrolment(store, campaignId, leadId)
      const campaign = await store.get('campaigns', campaignId)
      const identity = await store.get('identities', enrolment.identityId)
      return viewOf(context, store, enrolment, campaign, identity)
    },
    { readOnly: true },
  )
}

/** What a lead view reads besides its enrolment, when the caller has read it already (for a page of views). */
export interface ViewReads {
  /** The lead; null when it has none. */
  readonly lead?: LeadRecord | null
  /** The identity's limit counters (`loadCounters`). */
  readonly counters?: ReadonlyMap<string, CounterRecord>
}

export async function viewOf(
  context: EngineContext,
  store: Store,
  enrolment: EnrolmentRecord,
  campaign: CampaignRecord | undefined,
  identity: IdentityRecord | undefined,
  reads: ViewReads = {},
): Promise<LeadView> {
  const now = context.now()
  const state =
    campaign === undefined ? enrolment.state : effectiveLeadState(campaign.campaign, toModel(enrolment))
  const lead =
    reads.lead === undefined ? await store.get('leads', enrolment.leadId) : (reads.lead ?? undefined)
  const base = {
    campaignId: enrolment.campaignId,
    leadId: enrolment.leadId,
    profile: lead?.lead.profile ?? {},
    stepId: enrolment.stepId,
    ...(enrolment.inbox === null ? {} : { inbox: enrolment.inbox }),
  }
  if (
    state.status === 'not_started' &&
    campaign?.campaign.status === 'scheduled' &&
    campaign.campaign.startAt !== undefined
  ) {
    return {
      ...base,
      status: state.status,
      substatus: null,
      state,
      reason: 'campaign_not_started',
      nextEligibleAt: campaign.campaign.startAt,
    }
  }
  if (
    state.status !== 'in_progress' ||
    enrolment.lane === null ||
    enrolment.dueAt === null ||
    identity === undefined
  ) {
    return { ...base, status: state.status, substatus: substatusOf(state), state }
  }
  let reason: WaitReason = enrolment.wait ?? 'queued'
  let at = enrolment.dueAt
  // Nothing but an inbox added to the identity moves such a lead on: it has no next time.
  if (enrolment.wait === 'waiting_for_email_account') at = Number.POSITIVE_INFINITY
  else if (enrolment.lane !== 'internal') {
    const from = Math.max(now, enrolment.dueAt)
    const gate = gateFrom(
      context,
      identity,
      enrolment.lane,
      from,
      reads.counters ?? (await loadCounters(store, identity.id)),
    )
    if (enrolment.dueAt <= now) {
      reason = gate.opensAt > now ? gate.reason : 'queued'
      // A lead waiting for its invitation's answer keeps that reason while its check waits in the queue.
      if (enrolment.wait === 'waiting_for_acceptance') reason = 'waiting_for_acceptance'
    }
    at = gate.opensAt
  }
  if (reason === 'waiting_for_acceptance') {
    const step = campaign?.campaign.sequence.steps[enrolment.stepId ?? '']
    if (step?.kind === 'condition' && step.if.type === 'connection_accepted') {
      const relation = await store.get('relations', relationKey(enrolment.identityId, enrolment.leadId))
      at = acceptanceDeadline(step.if, relation ?? { invitedAt: null }, enrolment)
    }
  }
  const shown: LeadState = { status: 'in_progress', substatus: substatusForWait(reason) }
  return {
    ...base,
    status: 'in_progress',
    substatus: shown.substatus,
    state: shown,
    reason,
    ...(Number.isFinite(at) ? { nextEligibleAt: new Date(Math.max(at, now)).toISOString() } : {}),
  }
}

/** A campaign's all-time funnel (started, contacted, replied, ...) and where its leads are. */
export interface CampaignStats {
  readonly total: number
  readonly statuses: Readonly<Record<LeadStatus, number>>
  /** At least one step executed. */
  readonly started: number
  /** Received at least one message (LinkedIn or email). */
  readonly contacted: number
  /** Replied on any channel (out-of-office answers excluded). */
  readonly replied: number
  /** Leads whose conversation counts as positive: the AI's reading of their latest reply, or a person's tag. */
  readonly positive: number
  readonly linkedin: {
    readonly engaged: number
    readonly invited: number
    readonly accepted: number
    readonly contacted: number
    readonly replied: number
    readonly positive: number
  }
  readonly email: {
    readonly sent: number
    readonly opened: number
    readonly clicked: number
    readonly replied: number
    readonly positive: number
    readonly bounced: number
  }
  readonly tasks: { readonly pending: number; readonly completed: number }
}

/** The all-time funnel, from the campaign's counters (see `engine.analytics.campaign` for periods and more). */
export async function campaignStats(context: EngineContext, campaignId: string): Promise<CampaignStats> {
  const overview = await campaignAnalytics(context, campaignId)
  return {
    total: overview.audience.total,
    statuses: overview.audience.statuses,
    started: overview.all.started,
    contacted: overview.all.contacted,
    replied: overview.all.replied,
    positive: overview.all.positive,
    linkedin: overview.linkedin,
    email: overview.email,
    tasks: overview.tasks,
  }
}

/** Which entries of the action log `engine.actions` returns, oldest first. */
export interface ActionFilter extends PeriodOptions {
  readonly campaignId?: string
  readonly leadId?: string
  readonly identityId?: string
  readonly types?: readonly EngineEventType[]
  readonly stepId?: string
  /** At most this many (default: all). */
  readonly limit?: number
}

const actionFilterSchema = z.strictObject({
  ...activityFilterFields,
  limit: z.number().int().min(1).optional(),
})

/** The action log (timeline), oldest first, narrowed by campaign, lead, identity, type, step and period. */
export async function listActions(context: EngineContext, filter: ActionFilter = {}): Promise<EngineEvent[]> {
  const subject = 'engine.actions filter'
  const parsed = parseInput(actionFilterSchema, filter ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const limit = parsed.limit ?? Number.POSITIVE_INFINITY
  return inTransaction(
    context,
    async (store) => {
      const out: EngineEvent[] = []
      for await (const { action } of scanActivity(context, store, parsed, subject, 'asc', undefined, 500)) {
        if (out.length >= limit) break
        out.push(toEvent(action))
      }
      return out
    },
    { readOnly: true },
  )
}
