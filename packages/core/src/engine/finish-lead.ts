import type { FinishedSubstatus } from '../model/lead/lead-status'
import { logActions } from './action-log'
import type { EngineContext } from './engine-context'
import type { EngineEvent } from './engine-events'
import type { EnrolmentRecord } from './records'
import { finished } from './sequence-runner'
import type { Store } from './store'

/**
 * Finishes a lead before its step runs (blocklisted, a prior conversation) and logs the status change with
 * why, so the lead's timeline says what stopped it.
 */
export async function finishLead(
  context: EngineContext,
  store: Store,
  enrolment: EnrolmentRecord,
  substatus: FinishedSubstatus,
  now: number,
  why: Readonly<Record<string, unknown>>,
): Promise<{ readonly enrolment: EnrolmentRecord; readonly events: EngineEvent[] }> {
  const next = finished(enrolment, substatus, now)
  await store.put('enrolments', next.key, next)
  const events = await logActions(context, store, now, [
    {
      type: 'lead-status-changed',
      identityId: enrolment.identityId,
      campaignId: enrolment.campaignId,
      leadId: enrolment.leadId,
      detail: { from: enrolment.state, to: next.state, ...why },
    },
  ])
  return { enrolment: next, events }
}
