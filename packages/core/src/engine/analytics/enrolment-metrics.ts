import type { EnrolmentRecord } from '../records'
import { compoundKey, type Store } from '../store'
import { applyChanges, type DocumentChange, timedChanges } from './analytics-counters'

const stateKey = (campaignId: string) => compoundKey('analytics', 'campaign', campaignId, 'now')

/** Where each lead of a campaign is now: counts by status, substatus and step. */
export interface AudienceCounts {
  readonly [name: string]: number
}

/** The names a lead's place adds to: `status:…`, `status:…:substatus`, `step:<id>:status:substatus`. */
function placeNames(enrolment: EnrolmentRecord): string[] {
  const state = enrolment.state
  const substatus = 'substatus' in state && state.substatus !== undefined ? state.substatus : '-'
  const names = [`status:${state.status}`, `status:${state.status}:${substatus}`]
  if (enrolment.stepId !== null) names.push(`step:${enrolment.stepId}:${state.status}:${substatus}`)
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
  const changes: DocumentChange[] = [{ ...scope, bucket: null, key: stateKey(after.campaignId), counts: now }]
  const moves: Record<string, number> = {}
  const left = before?.stepId ?? null
  if (after.stepId !== null && after.stepId !== left) moves[`step-reached:${after.stepId}`] = 1
  const dropped =
    after.state.status === 'finished' &&
    (after.state.substatus === 'deleted' || after.state.substatus === 'blocked')
  if (left !== null && after.stepId !== left && after.state.status !== 'error' && !dropped)
    moves[`step-passed:${left}`] = 1
  if (after.state.status === 'error' && before?.state.status !== 'error' && after.stepId !== null)
    moves[`step-errored:${after.stepId}`] = 1
  changes.push(...timedChanges(after.updatedAt, [{ ...scope, counts: moves }]))
  await applyChanges(store, changes)
}

/** Where a campaign's leads are now. */
export async function audienceCounts(store: Store, campaignId: string): Promise<AudienceCounts> {
  return (await store.get('analytics', stateKey(campaignId)))?.counts ?? {}
}
