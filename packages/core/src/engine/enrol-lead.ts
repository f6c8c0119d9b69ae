import { PacelineErrorCodes } from '../errors/error-codes'
import type { Campaign } from '../model/campaign/campaign'
import { type Enrolment, enrolLead } from '../model/lead/enrolment'
import type { Lead } from '../model/lead/lead'
import type { CustomRuleGroup } from '../model/sequence/condition-schema'
import { matchesCustomRules } from '../model/sequence/custom-condition'
import { blockedMessage, blocklisted } from './blocklist'
import type { EngineContext } from './engine-context'
import type { EngineEvent } from './engine-events'
import { progressLead } from './progress'
import { enrolmentKey, newEnrolment } from './record-factory'
import type { EnrolmentRecord, LeadRecord } from './records'
import type { Store } from './store'

export interface EnrolSkip {
  readonly leadId: string
  readonly code: string
  readonly message: string
}

/** Where a lead comes from when it comes from a contact list: the list's rules apply. */
export interface ListSource {
  readonly listId: string
  readonly filters: CustomRuleGroup | undefined
}

export type EnrolOutcome =
  | { readonly added: true; readonly events: readonly EngineEvent[] }
  | { readonly added: false; readonly skip: EnrolSkip }

/**
 * Adds one lead to one campaign, inside the caller's transaction: refused when the lead is blocklisted, when
 * the campaign's rules refuse it (already in, removed before), and, from a contact list, when it does not
 * match the list's filters or is already in another campaign of the same identity. A lead of a running
 * campaign starts at once; one of a draft or scheduled campaign starts when it launches.
 */
export async function enrolOne(
  context: EngineContext,
  store: Store,
  campaign: Campaign,
  lead: Lead,
  now: number,
  options: { readonly storeLead: boolean; readonly list?: ListSource },
): Promise<EnrolOutcome> {
  const blocked = await blocklisted(store, lead)
  if (blocked !== undefined)
    return {
      added: false,
      skip: {
        leadId: lead.id,
        code: PacelineErrorCodes.leadBlocklisted,
        message: blockedMessage(lead.id, blocked),
      },
    }
  if (options.storeLead) await store.put('leads', lead.id, leadRecord(lead))
  const existing = await store.get('enrolments', enrolmentKey(campaign.id, lead.id))
  const allowed = enrolLead(campaign, lead.id, {
    at: now,
    ...(existing === undefined ? {} : { existing: toModel(existing) }),
  })
  if (!allowed.ok) {
    if (allowed.error.code === 'illegal_transition') throw allowed.error
    return {
      added: false,
      skip: { leadId: lead.id, code: allowed.error.code, message: allowed.error.message },
    }
  }
  if (options.list !== undefined) {
    const skip = await listSkip(store, campaign, lead, options.list)
    if (skip !== undefined) return { added: false, skip }
  }
  const enrolment = newEnrolment({
    campaignId: campaign.id,
    leadId: lead.id,
    identityId: campaign.identityId,
    priority: campaign.priority,
    seed: context.settings.seed,
    at: now,
  })
  if (campaign.status === 'running')
    return { added: true, events: (await progressLead(context, store, enrolment, now)).events }
  await store.put('enrolments', enrolment.key, enrolment)
  return { added: true, events: [] }
}

/** Why a contact list's lead stays out of this campaign: its filters, or the same sender reaching it twice. */
async function listSkip(
  store: Store,
  campaign: Campaign,
  lead: Lead,
  list: ListSource,
): Promise<EnrolSkip | undefined> {
  if (list.filters !== undefined && !matchesCustomRules(list.filters, lead))
    return {
      leadId: lead.id,
      code: PacelineErrorCodes.leadFilteredOut,
      message: `Lead '${lead.id}' does not match the filters of list '${list.listId}'; it stays in the list and is enrolled if it matches later (add it to the list again with its new fields).`,
    }
  for (const other of await store.query('enrolments', { index: 'byLead', equals: [lead.id] })) {
    if (other.campaignId === campaign.id || other.identityId !== campaign.identityId) continue
    // A lead taken out of a campaign by hand was not contacted there for good: it may go elsewhere.
    if (other.state.status === 'finished' && other.state.substatus === 'deleted') continue
    return {
      leadId: lead.id,
      code: PacelineErrorCodes.leadInOtherCampaign,
      message: `Lead '${lead.id}' is already in campaign '${other.campaignId}' of identity '${campaign.identityId}'; a list does not enrol it twice with the same sender. Add it with engine.leads.add to enrol it anyway.`,
    }
  }
  return undefined
}

export function leadRecord(lead: Lead): LeadRecord {
  return {
    id: lead.id,
    lead,
    emailKey: lead.profile.professionalEmail?.toLowerCase() ?? null,
    linkedinProfileId: lead.profile.linkedinProfileId ?? null,
  }
}

/** The model's view of an enrolment, for its state machine. */
export function toModel(record: EnrolmentRecord): Enrolment {
  return {
    campaignId: record.campaignId,
    leadId: record.leadId,
    state: record.state,
    stepId: record.stepId,
    enrolledAt: new Date(record.enrolledAt).toISOString(),
    updatedAt: new Date(record.updatedAt).toISOString(),
  }
}
