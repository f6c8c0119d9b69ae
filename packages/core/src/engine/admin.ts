import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { Result } from '../errors/result'
import { issue, type ValidationIssue } from '../errors/validation-issue'
import type { Campaign } from '../model/campaign/campaign'
import {
  archiveCampaign as archiveModel,
  duplicateCampaign as duplicateModel,
  identityGone,
  launchCampaign as launchModel,
  pauseCampaign as pauseModel,
  resumeCampaign as resumeModel,
  scheduleCampaign as scheduleModel,
} from '../model/campaign/campaign-lifecycle'
import { type CampaignInput, defineCampaign } from '../model/campaign/define-campaign'
import { type CampaignWarning, campaignWarnings } from '../model/campaign/launch-readiness'
import { type CampaignChanges, updateCampaign as updateModel } from '../model/campaign/update-campaign'
import { defineIdentity, updateIdentity } from '../model/identity/define-identity'
import type { Identity, IdentityInput } from '../model/identity/identity-schema'
import type { InstantInput } from '../model/instant'
import { applyLeadEvent, type LeadEvent } from '../model/lead/enrolment'
import { type Lead, type LeadInput, validateLead } from '../model/lead/lead'
import { profileWarnings } from '../model/lead/profile-warnings'
import { AWAITING_INBOX_LANE } from '../scheduler/lanes'
import { logActions } from './action-log'
import { markFreshWorkspace } from './analytics/analytics-rebuild'
import { campaignNotFound, deletedCampaign } from './campaign-deletion'
import { recordSweep, runSweep, type SweepKind } from './campaign-leads'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { enrolOne, toModel } from './enrol-lead'
import { idempotencyKey } from './idempotency-key'
import { lanesOf } from './lane-gates'
import { notFound } from './not-found'
import { progressLead } from './progress'
import { enrolmentKey, withPriority } from './record-factory'
import type { CampaignRecord, EnrolmentRecord, IdentityRecord } from './records'
import { parked } from './sequence-runner'
import type { Store } from './store'

/** Adds or replaces an identity. Its type is fixed at creation; connection flags survive updates. */
export async function putIdentity(
  context: EngineContext,
  input: IdentityInput | Identity,
): Promise<Identity> {
  const identity = defineIdentity(input)
  const events = await inTransaction(context, (store) => storeIdentity(context, store, identity))
  context.emit(events)
  context.wake(identity.id)
  return identity
}

/**
 * Writes a valid identity inside a transaction (see `putIdentity`) and returns the events to emit after
 * commit.
 */
export async function storeIdentity(
  context: EngineContext,
  store: Store,
  identity: Identity,
): Promise<EngineEvent[]> {
  const existing = await store.get('identities', identity.id)
  if (existing !== undefined) {
    const checked = updateIdentity(existing.identity, { type: identity.type })
    if (!checked.ok) throw checked.error
  }
  const inboxes = identity.email.inboxes.map((inbox) => inbox.address.toLowerCase())
  const record: IdentityRecord = {
    id: identity.id,
    identity,
    linkedinConnected: existing?.linkedinConnected ?? true,
    disconnectedInboxes: (existing?.disconnectedInboxes ?? []).filter((inbox) => inboxes.includes(inbox)),
    // Warm-ups of inboxes the identity keeps stay on; a removed inbox's is forgotten.
    ...(existing?.warmup === undefined
      ? {}
      : {
          warmup: Object.fromEntries(
            Object.entries(existing.warmup).filter(([inbox]) => inboxes.includes(inbox)),
          ),
        }),
  }
  await store.put('identities', identity.id, record)
  if (existing === undefined) {
    await markFreshWorkspace(store)
    return []
  }
  // Leads ready in a lane the identity lost (a removed inbox, LinkedIn removed) go back through the
  // runner, which puts them in the matching error: a lead keeps its sender or waits for a person.
  // (Leads still waiting in such a lane are caught when their time comes.)
  const kept = new Set(lanesOf(record))
  const out: EngineEvent[] = []
  const now = context.now()
  // Leads waiting at an email step for the identity's first inbox continue now that it has one.
  if (identity.email.inboxes.length > 0) {
    for (const enrolment of await store.query('enrolments', {
      index: 'ready',
      equals: [identity.id, AWAITING_INBOX_LANE],
    })) {
      out.push(...(await progressLead(context, store, enrolment, now)).events)
    }
  }
  for (const lane of lanesOf(existing)) {
    if (kept.has(lane)) continue
    for (const enrolment of await store.query('enrolments', {
      index: 'ready',
      equals: [identity.id, lane],
    })) {
      out.push(...(await progressLead(context, store, enrolment, now)).events)
    }
  }
  return out
}

export async function getIdentity(context: EngineContext, id: string): Promise<Identity> {
  const record = await inTransaction(context, (store) => store.get('identities', id), { readOnly: true })
  if (record === undefined) throw notFound('identity', id)
  return record.identity
}

export async function listIdentities(context: EngineContext): Promise<Identity[]> {
  const records = await inTransaction(context, (store) => store.query('identities'), { readOnly: true })
  return records.map((record) => record.identity)
}

function campaignRecord(campaign: Campaign): CampaignRecord {
  return {
    id: campaign.id,
    campaign,
    status: campaign.status,
    startAtMs:
      campaign.status === 'scheduled' && campaign.startAt !== undefined ? Date.parse(campaign.startAt) : null,
  }
}

async function requireCampaign(store: Store, id: string): Promise<CampaignRecord> {
  const record = await store.get('campaigns', id)
  if (record === undefined) throw await campaignNotFound(store, id)
  return record
}

/** Validates and stores a new campaign as a draft. Its identity must exist. */
export async function createCampaign(
  context: EngineContext,
  input: CampaignInput,
  origin: { readonly duplicatedFrom?: string } = {},
): Promise<Campaign> {
  const defined: Campaign = {
    ...defineCampaign(input),
    ...origin,
    createdAt: new Date(context.now()).toISOString(),
  }
  return inTransaction(context, async (store) => {
    const identity = await store.get('identities', defined.identityId)
    if (identity === undefined) throw notFound('identity', defined.identityId)
    const campaign: Campaign =
      input.name === undefined ? { ...defined, name: `${identity.identity.name}'s Campaign` } : defined
    if ((await store.get('campaigns', campaign.id)) !== undefined) {
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidCampaign, `Campaign '${campaign.id}'`, [
        issue(
          'already_exists',
          ['id'],
          'is already used by another campaign; pick another id or update that campaign',
        ),
      ])
    }
    const deleted = await deletedCampaign(store, campaign.id)
    if (deleted !== undefined) {
      // Its action log entries and its sends' idempotency keys (the emails' Message-IDs) stay: a new
      // campaign under the same id would inherit that history and collide with those keys.
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidCampaign, `Campaign '${campaign.id}'`, [
        issue(
          'deleted_id',
          ['id'],
          `was used by a campaign deleted on ${new Date(deleted.deletedAt).toISOString()}; pick another id`,
        ),
      ])
    }
    await store.put('campaigns', campaign.id, campaignRecord(campaign))
    return campaign
  })
}

export async function getCampaign(context: EngineContext, id: string): Promise<Campaign> {
  return inTransaction(context, async (store) => (await requireCampaign(store, id)).campaign, {
    readOnly: true,
  })
}

export async function listCampaigns(context: EngineContext): Promise<Campaign[]> {
  const records = await inTransaction(context, (store) => store.query('campaigns'), { readOnly: true })
  return records.map((record) => record.campaign)
}

/** Edits a campaign (see `updateCampaign` of the model for what a launched campaign may change). */
export async function editCampaign(
  context: EngineContext,
  id: string,
  changes: CampaignChanges,
): Promise<Campaign> {
  return inTransaction(context, async (store) => {
    const record = await requireCampaign(store, id)
    const updated = unwrapOrThrow(updateModel(record.campaign, changes))
    await store.put('campaigns', id, campaignRecord(updated))
    if (updated.priority !== record.campaign.priority) {
      for await (const enrolment of store.all('enrolments', { index: 'byCampaign', equals: [id] })) {
        const next = withPriority(enrolment, updated.priority)
        await store.put('enrolments', next.key, next)
      }
    }
    context.wake(updated.identityId)
    return updated
  })
}

/** A campaign just launched or scheduled, with what a person should know about it (never stored). */
export type LaunchedCampaign = Campaign & { readonly warnings: readonly CampaignWarning[] }

/** Launches a draft or scheduled campaign now and starts its leads. */
export async function launch(context: EngineContext, id: string): Promise<LaunchedCampaign> {
  let warnings: readonly CampaignWarning[] = []
  const campaign = await transition(
    context,
    id,
    (campaign, store) =>
      store.get('identities', campaign.identityId).then((identity) => {
        unwrapOrThrow(identityGone(campaign, 'launch'))
        if (identity === undefined) throw notFound('identity', campaign.identityId)
        warnings = campaignWarnings(campaign, identity.identity)
        return launchModel(campaign, { identity: identity.identity, at: context.now() })
      }),
    'start',
  )
  return { ...campaign, warnings }
}

/** Schedules a draft campaign to start at `startAt`. */
export async function schedule(
  context: EngineContext,
  id: string,
  startAt: InstantInput,
): Promise<LaunchedCampaign> {
  let warnings: readonly CampaignWarning[] = []
  const campaign = await transition(context, id, (campaign, store) =>
    store.get('identities', campaign.identityId).then((identity) => {
      unwrapOrThrow(identityGone(campaign, 'schedule'))
      if (identity === undefined) throw notFound('identity', campaign.identityId)
      warnings = campaignWarnings(campaign, identity.identity)
      return scheduleModel(campaign, { identity: identity.identity, at: context.now(), startAt })
    }),
  )
  return { ...campaign, warnings }
}

export async function pause(context: EngineContext, id: string): Promise<Campaign> {
  return transition(context, id, async (current) => pauseModel(current, { at: context.now() }), 'park')
}

export async function resume(context: EngineContext, id: string): Promise<Campaign> {
  return transition(context, id, async (current) => resumeModel(current), 'start')
}

export async function archive(context: EngineContext, id: string): Promise<Campaign> {
  return transition(context, id, async (current) => archiveModel(current, { at: context.now() }), 'park')
}

export async function duplicate(
  context: EngineContext,
  id: string,
  copy: { id: string; name?: string; identityId?: string },
): Promise<Campaign> {
  const source = await getCampaign(context, id)
  const draft = duplicateModel(source, copy)
  return createCampaign(
    context,
    {
      id: draft.id,
      name: draft.name,
      identityId: draft.identityId,
      priority: draft.priority,
      sequence: draft.sequence,
      settings: draft.settings,
      tags: draft.tags,
      ...(draft.folder === undefined ? {} : { folder: draft.folder }),
    },
    { duplicatedFrom: source.id },
  )
}

async function transition(
  context: EngineContext,
  id: string,
  change: (campaign: Campaign, store: Store) => Promise<Result<Campaign>>,
  sweep?: SweepKind,
): Promise<Campaign> {
  const campaign = await inTransaction(context, async (store) => {
    const record = await requireCampaign(store, id)
    const next = unwrapOrThrow(await change(record.campaign, store))
    await store.put('campaigns', id, campaignRecord(next))
    if (sweep !== undefined) await recordSweep(store, id, sweep)
    return next
  })
  context.wake(campaign.identityId)
  // The sweep is recorded with the status: if this process dies during it, the next tick finishes it.
  if (sweep !== undefined) context.emit(await runSweep(context, id))
  return campaign
}

export interface AddLeadsResult {
  readonly added: readonly string[]
  /** Leads already in the campaign, removed from it before (they can never come back), or blocklisted. */
  readonly skipped: readonly { readonly leadId: string; readonly code: string; readonly message: string }[]
  /**
   * Profile fields that look like a standard field under another name (`email` for `professionalEmail`):
   * kept as custom fields, but probably a mistake.
   */
  readonly warnings: readonly { readonly leadId: string; readonly field: string; readonly message: string }[]
}

export const LEAD_BATCH = 500

/** Validates leads; one invalid lead rejects them all, naming it by its place in the input. */
export function validateLeads(inputs: readonly LeadInput[]): Lead[] {
  const leads: Lead[] = []
  const problems: ValidationIssue[] = []
  inputs.forEach((input, index) => {
    const result = validateLead(input)
    if (result.ok) leads.push(result.value)
    else
      for (const each of result.error.issues)
        problems.push(issue(each.rule, [index, ...each.path], each.message))
  })
  if (problems.length > 0) throw PacelineError.fromIssues(PacelineErrorCodes.invalidLead, 'Leads', problems)
  return leads
}

/** The warnings of `addLeads` about profile fields that look misnamed. */
export function leadWarnings(leads: readonly Lead[]): AddLeadsResult['warnings'] {
  return leads.flatMap((lead) =>
    profileWarnings(lead.profile).map((each) => ({
      leadId: lead.id,
      field: each.field,
      message: each.message,
    })),
  )
}

/**
 * Stores leads (creating or updating their profiles) and adds them to a campaign. Every lead is
 * validated first: one invalid lead rejects the whole call, naming it, and nothing is written. Leads of
 * a running campaign start at once; those of a draft or scheduled campaign start when it launches.
 */
export async function addLeads(
  context: EngineContext,
  campaignId: string,
  inputs: readonly LeadInput[],
): Promise<AddLeadsResult> {
  const leads = validateLeads(inputs)
  const added: string[] = []
  const skipped: { leadId: string; code: string; message: string }[] = []
  const warnings = leadWarnings(leads)
  const events: EngineEvent[] = []
  for (let offset = 0; offset < leads.length; offset += LEAD_BATCH) {
    // What a batch did comes back as its result: a store may run the callback again after a conflict.
    const batch = await inTransaction(context, async (store) => {
      const record = await requireCampaign(store, campaignId)
      const campaign = record.campaign
      const now = context.now()
      const added: string[] = []
      const skipped: { leadId: string; code: string; message: string }[] = []
      const events: EngineEvent[] = []
      for (const lead of leads.slice(offset, offset + LEAD_BATCH)) {
        const outcome = await enrolOne(context, store, campaign, lead, now, { storeLead: true })
        if (outcome.added) {
          added.push(lead.id)
          events.push(...outcome.events)
        } else skipped.push(outcome.skip)
      }
      context.wake(campaign.identityId)
      return { added, skipped, events }
    })
    added.push(...batch.added)
    skipped.push(...batch.skipped)
    events.push(...batch.events)
  }
  context.emit(events)
  return { added, skipped, warnings }
}

export { leadRecord, toModel } from './enrol-lead'

/**
 * Applies a host command to one lead of a campaign (`lead-removed`, `lead-paused`, `lead-resumed`,
 * `lead-blocked`), through the lead state machine: an illegal command throws `illegal_transition`.
 */
export async function commandLead(
  context: EngineContext,
  campaignId: string,
  leadId: string,
  event: Extract<LeadEvent, { type: 'lead-removed' | 'lead-paused' | 'lead-resumed' | 'lead-blocked' }>,
): Promise<void> {
  const events = await inTransaction(context, async (store) => {
    const enrolment = await store.get('enrolments', enrolmentKey(campaignId, leadId))
    if (enrolment === undefined) throw await missingEnrolment(store, campaignId, leadId)
    const now = context.now()
    const moved = unwrapOrThrow(applyLeadEvent(toModel(enrolment), event, { at: now }))
    const out: EngineEvent[] = []
    let next: EnrolmentRecord
    if (event.type === 'lead-resumed') {
      next = (await progressLead(context, store, { ...enrolment, state: moved.state }, now)).enrolment
    } else {
      next = { ...parked(enrolment, now, moved.state), stepId: moved.stepId }
      await store.put('enrolments', next.key, next)
    }
    out.push(
      ...(await logActions(context, store, now, [
        {
          type: 'lead-status-changed',
          identityId: enrolment.identityId,
          campaignId,
          leadId,
          detail: { from: enrolment.state, to: next.state, command: event.type },
        },
      ])),
    )
    context.wake(enrolment.identityId)
    return out
  })
  context.emit(events)
}

/**
 * Resumes leads in error once the cause is fixed (reconnected account, enriched data, edited message):
 * the "retry errors" action of a campaign's lead list. A send whose delivery was unknown is tried again
 * with the same idempotency key. Returns the leads retried; leads not in error are left alone.
 */
export async function retryErrors(
  context: EngineContext,
  leadIds: readonly string[],
  campaignId?: string,
): Promise<{ readonly retried: readonly { campaignId: string; leadId: string }[] }> {
  // The leads retried come back as the result: a store may run the callback again after a conflict.
  const { events, retried } = await inTransaction(context, async (store) => {
    const out: EngineEvent[] = []
    const retried: { campaignId: string; leadId: string }[] = []
    const now = context.now()
    for (const leadId of leadIds) {
      const enrolments =
        campaignId === undefined
          ? await store.query('enrolments', { index: 'byLead', equals: [leadId] })
          : [await store.get('enrolments', enrolmentKey(campaignId, leadId))].filter(
              (each) => each !== undefined,
            )
      for (const enrolment of enrolments) {
        if (enrolment.state.status !== 'error') continue
        const moved = applyLeadEvent(toModel(enrolment), { type: 'errors-retried' }, { at: now })
        if (!moved.ok) continue
        const key = idempotencyKey(
          context.settings.workspaceId,
          enrolment.campaignId,
          leadId,
          enrolment.stepId ?? '',
        )
        const claim = await store.get('claims', key)
        if (claim !== undefined && claim.status === 'unknown')
          await store.put('claims', key, { ...claim, status: 'released' })
        const result = await progressLead(
          context,
          store,
          { ...enrolment, state: moved.value.state, attempts: 0, retryAt: null, claimKey: null },
          now,
        )
        out.push(...result.events)
        retried.push({ campaignId: enrolment.campaignId, leadId })
      }
    }
    return { events: out, retried }
  })
  context.emit(events)
  return { retried }
}

/**
 * Why a (campaign, lead) pair has no enrolment, said precisely: the campaign does not exist, the lead does
 * not exist, or both exist and the lead was never added to that campaign.
 */
export async function missingEnrolment(
  store: Store,
  campaignId: string,
  leadId: string,
): Promise<PacelineError> {
  if ((await store.get('campaigns', campaignId)) === undefined) return notFound('campaign', campaignId)
  if ((await store.get('leads', leadId)) === undefined) return notFound('lead', leadId)
  return new PacelineError(
    PacelineErrorCodes.notFound,
    `Lead '${leadId}' is not in campaign '${campaignId}': add it with engine.leads.add('${campaignId}', [...]).`,
    { details: { what: 'lead in campaign', id: leadId, campaignId } },
  )
}

function unwrapOrThrow<T>(result: Result<T>): T {
  if (!result.ok) throw result.error
  return result.value
}

export { notFound }
