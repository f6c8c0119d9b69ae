import { applyLeadEvent } from '../model/lead/enrolment'
import type { ActionInput } from './action-log'
import { toModel } from './admin'
import { blocklist } from './blocklist'
import type { EnrolmentRecord } from './records'
import { parked } from './sequence-runner'
import type { Store } from './store'

/**
 * Blocklists a lead for the workspace (a spam complaint, a request not to be contacted again) and finishes
 * it as blocked on every campaign where it is still active: no channel contacts it again.
 */
export async function blockEverywhere(
  store: Store,
  leadId: string,
  reason: 'complaint' | 'opt_out',
  email: string | undefined,
  now: number,
): Promise<{
  readonly enrolments: readonly EnrolmentRecord[]
  readonly affected: { campaignId: string; leadId: string }[]
  readonly entries: ActionInput[]
}> {
  const lead = await store.get('leads', leadId)
  await blocklist(store, { leadId, email: lead?.emailKey ?? email?.toLowerCase() ?? null, reason, at: now })
  const affected: { campaignId: string; leadId: string }[] = []
  const entries: ActionInput[] = []
  const enrolments = await store.query('enrolments', { index: 'byLead', equals: [leadId] })
  for (const enrolment of enrolments)
    await applyFact(store, enrolment, { type: 'lead-blocked' }, now, { affected, entries })
  return { enrolments, affected, entries }
}

/**
 * Applies a fact (a reply, a bounce) to one lead in a campaign through the lead state machine; when its
 * state changes, records the lead as affected and logs the change.
 */
export async function applyFact(
  store: Store,
  enrolment: EnrolmentRecord,
  fact: Parameters<typeof applyLeadEvent>[1],
  now: number,
  into: { affected: { campaignId: string; leadId: string }[]; entries: ActionInput[] },
): Promise<void> {
  const moved = applyLeadEvent(toModel(enrolment), fact, { at: now })
  if (!moved.ok || moved.value.state === enrolment.state) return
  const next = { ...parked(enrolment, now, moved.value.state), stepId: moved.value.stepId }
  await store.put('enrolments', next.key, next)
  into.affected.push({ campaignId: enrolment.campaignId, leadId: enrolment.leadId })
  into.entries.push({
    type: 'lead-status-changed',
    identityId: enrolment.identityId,
    campaignId: enrolment.campaignId,
    leadId: enrolment.leadId,
    detail: { from: enrolment.state, to: next.state },
  })
}
