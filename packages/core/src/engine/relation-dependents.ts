import type { EngineContext } from './engine-context'
import type { EngineEvent } from './engine-events'
import { progressLead } from './progress'
import type { RelationRecord } from './records'
import type { Store } from './store'

/**
 * After what an identity knows of a lead changed (accepted, withdrawn, replied...), re-runs every active
 * lead of that identity and person, so waits on that knowledge end at once.
 */
export async function wakeRelationDependents(
  context: EngineContext,
  store: Store,
  relation: RelationRecord,
  now: number,
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = []
  for (const enrolment of await store.query('enrolments', { index: 'byLead', equals: [relation.leadId] })) {
    if (enrolment.identityId !== relation.identityId) continue
    if (enrolment.state.status !== 'in_progress' || enrolment.claimKey !== null) continue
    if (
      enrolment.lane !== 'internal' &&
      enrolment.lane !== 'linkedin:check' &&
      enrolment.lane !== 'linkedin:connection'
    )
      continue
    const progressed = await progressLead(context, store, enrolment, now)
    events.push(...progressed.events)
  }
  return events
}
