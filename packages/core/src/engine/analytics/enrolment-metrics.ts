import { substatusForWait } from '../../scheduler/wait-reason'
import type { EnrolmentRecord } from '../records'
import { compoundKey, type Store } from '../store'
import { applyChanges, type DocumentChange, timedChanges } from './analytics-counters'

/** The document of where a campaign's leads are now. */
export const audienceKey = (campaignId: string) => compoundKey('analytics', 'campaign', campaignId, 'now')

/** Where each lead of a campaign is now: counts by status, substatus and step. */
export interface AudienceCounts {
  readonly [name: string]: number
}

/** The step a lead has reached: none before it starts (a lead not started has not reached its first step). */
function stepAt(enrolment: EnrolmentRecord | undefined): string | null {
  if (enrolment === undefined || enrolment.state.status === 'not_started') return null
  if (enrolment.state.status === 'paused' && enrolment.state.resumeTo.status === 'not_started') return null
  return enrolment.stepId
}

/**
 * The names a lead's place adds to: `status:<status>`, `status:<status>:<substatus>`, and the same under
 * `step:<id>:` for the step it is at. An in-progress lead's substatus is its recorded wait.
 */
function placeNames(enrolment: EnrolmentRecord): string[] {
  const state = enrolment.state
  const substatus =
    state.status === 'in_progress'
      ? substatusForWait(enrolment.wait ?? 'queued')
      : 'substatus' in state && state.substatus !== undefined
        ? state.substatus
        : '-'
  const place = [state.status, `${state.status}:${substatus}`]
  const names = place.map((name) => `status:${name}`)
  if (enrolment.stepId !== null) names.push(...place.map((name) => `step:${enrolment.stepId}:${name}`))
  return names
}

/**
 * Keeps a campaign's audience counts in step with each change of a lead's place, in the same transaction:
 * where leads are now (by status, substatus and step) for the audience summary and progress by action, and
 * when leads reach, pass or fail at a step, counted in the hour it happened.
 */
export async function countEnrolmentChange(
  store: Store,
  before: EnrolmentRecord | undefined,
  after: EnrolmentRecord,
): Promise<void> {
  const now: Record<string, number> = {}
  for (const name of before === undefined ? [] : placeNames(before)) now[name] = (now[name] ?? 0) - 1
  for (const name of placeNames(after)) now[name] = (now[name] ?? 0) + 1
  if (before === undefined) now.total = 1
  const scope = { scope: 'campaign', scopeId: after.campaignId } as const
  const changes: DocumentChange[] = [
    { ...scope, bucket: null, key: audienceKey(after.campaignId), counts: now },
  ]
  const moves: Record<string, number> = {}
  const left = stepAt(before)
  const reached = stepAt(after)
  if (reached !== null && reached !== left) moves[`step-reached:${reached}`] = 1
  const dropped =
    after.state.status === 'finished' &&
    (after.state.substatus === 'deleted' || after.state.substatus === 'blocked')
  if (left !== null && reached !== left && after.state.status !== 'error' && !dropped)
    moves[`step-passed:${left}`] = 1
  if (after.state.status === 'error' && before?.state.status !== 'error' && after.stepId !== null)
    moves[`step-errored:${after.stepId}`] = 1
  changes.push(...timedChanges(after.updatedAt, [{ ...scope, counts: moves }]))
  await applyChanges(store, changes)
}

/** Where a campaign's leads are now. */
export async function audienceCounts(store: Store, campaignId: string): Promise<AudienceCounts> {
  return (await store.get('analytics', audienceKey(campaignId)))?.counts ?? {}
}
