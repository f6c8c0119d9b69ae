import { engagementKey } from './analytics/action-metrics'
import { keyOf as analyticsKeyOf, DAY, dayKeyOf } from './analytics/analytics-counters'
import { audienceKey } from './analytics/enrolment-metrics'
import type { EngineContext } from './engine-context'
import { idempotencyKey } from './idempotency-key'
import { compoundKey, type Store } from './store'

/**
 * What is left to remove of a deleted campaign, in order: its leads' places (with their send claims and
 * engagement), its tasks, its analytics counters, then what it kept in `state` (AI variables written for its
 * leads). Each phase takes the first page of what remains, so a batch run twice (a store retrying a
 * transaction, or a worker finishing another's sweep) removes nothing it should not and misses nothing.
 */
export type DeletionPhase = 'enrolments' | 'tasks' | 'analytics' | 'state'

const PHASES: readonly DeletionPhase[] = ['enrolments', 'tasks', 'analytics', 'state']

export interface DeletionSweep {
  readonly phase: DeletionPhase
  /** The sequence's step ids: a lead's send claims are keyed by (campaign, lead, step). */
  readonly stepIds: readonly string[]
}

const BATCH = 100

/** Prefixes of the `state` documents a campaign owns, each followed by a lead id. */
const statePrefixes = (campaignId: string) => [
  compoundKey('ai-variable', campaignId, ''),
  compoundKey('engagement', campaignId, ''),
]

/**
 * Removes one batch of a deleted campaign's records. Returns the sweep to continue with, or undefined when
 * nothing is left.
 */
export async function deleteCampaignBatch(
  context: EngineContext,
  store: Store,
  campaignId: string,
  sweep: DeletionSweep,
): Promise<DeletionSweep | undefined> {
  const removed = await removeBatch(context, store, campaignId, sweep)
  if (removed === BATCH) return sweep
  const next = PHASES[PHASES.indexOf(sweep.phase) + 1]
  return next === undefined ? undefined : { ...sweep, phase: next }
}

async function removeBatch(
  context: EngineContext,
  store: Store,
  campaignId: string,
  sweep: DeletionSweep,
): Promise<number> {
  switch (sweep.phase) {
    case 'enrolments': {
      const batch = await store.query('enrolments', {
        index: 'byCampaign',
        equals: [campaignId],
        limit: BATCH,
      })
      const claimKeys = batch.flatMap((enrolment) =>
        sweep.stepIds.map((stepId) =>
          idempotencyKey(context.settings.workspaceId, campaignId, enrolment.leadId, stepId),
        ),
      )
      // A send already handed to its channel cannot be recalled; its claim goes, so its outcome finds
      // nothing to update, while the identity's counters keep what it was charged.
      for (const claim of await store.getMany('claims', claimKeys)) await store.delete('claims', claim.key)
      for (const enrolment of batch) {
        await store.delete('enrolments', enrolment.key)
        await store.delete('state', engagementKey(campaignId, enrolment.leadId))
        context.wake(enrolment.identityId)
      }
      return batch.length
    }
    case 'tasks': {
      const batch = await store.query('tasks', { index: 'byCampaign', equals: [campaignId], limit: BATCH })
      for (const task of batch) await store.delete('tasks', task.key)
      return batch.length
    }
    case 'analytics': {
      const batch = await store.query('analytics', {
        index: 'byScope',
        equals: ['campaign', campaignId],
        limit: BATCH,
      })
      // Day documents sit outside the index: every day with counts has at least one hour with counts.
      const days = new Set(batch.map((hour) => Math.floor((hour.bucket ?? 0) / DAY) * DAY))
      for (const hour of batch) await store.delete('analytics', hour.key)
      for (const day of days) await store.delete('analytics', dayKeyOf('campaign', campaignId, day))
      if (batch.length < BATCH) {
        await store.delete('analytics', analyticsKeyOf('campaign', campaignId, null))
        await store.delete('analytics', audienceKey(campaignId))
      }
      return batch.length
    }
    case 'state': {
      let removed = 0
      for (const prefix of statePrefixes(campaignId)) {
        const page = await store.query('state', { after: prefix, limit: BATCH - removed })
        for (const document of page) {
          if (!document.key.startsWith(prefix)) break
          await store.delete('state', document.key)
          removed++
        }
        if (removed === BATCH) break
      }
      return removed
    }
  }
}
