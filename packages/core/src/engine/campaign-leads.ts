import { type DeletionSweep, deleteCampaignBatch } from './campaign-deletion-sweep'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { progressLead, stopForDeletedIdentity } from './progress'
import { parked } from './sequence-runner'
import type { Store } from './store'

const BATCH = 200

/**
 * What a campaign's status change still has to do to its leads: start (or resume) them, or take them out
 * of the queues; or, once the campaign is deleted, remove its records. A campaign can hold more leads than
 * one transaction should touch, so the work goes in batches; the sweep is recorded in the same transaction
 * as the status change (or the deletion) and advanced with every batch, so a process killed half-way leaves
 * a record the next tick (of any worker) finishes from.
 * `detach` stops the leads of a campaign whose identity was deleted (error `identity_deleted`).
 */
export type SweepKind = 'start' | 'park' | 'detach'

type Sweep =
  | {
      readonly kind: SweepKind
      /** The last lead done (the sweep pages the byCampaign index by lead id), or null before the first batch. */
      readonly afterLeadId: string | null
    }
  | ({ readonly kind: 'delete' } & DeletionSweep)

type PendingSweeps = Readonly<Record<string, Sweep>>

const SWEEPS_KEY = 'campaign-sweeps'

async function pendingSweeps(store: Store): Promise<PendingSweeps> {
  return ((await store.get('state', SWEEPS_KEY))?.value ?? {}) as PendingSweeps
}

async function savePendingSweeps(store: Store, sweeps: PendingSweeps): Promise<void> {
  if (Object.keys(sweeps).length === 0) await store.delete('state', SWEEPS_KEY)
  else await store.put('state', SWEEPS_KEY, { key: SWEEPS_KEY, value: sweeps })
}

/** Records, inside the transaction that changes the campaign's status, the sweep that change needs. */
export async function recordSweep(store: Store, campaignId: string, kind: SweepKind): Promise<void> {
  await savePendingSweeps(store, {
    ...(await pendingSweeps(store)),
    [campaignId]: { kind, afterLeadId: null },
  })
}

/**
 * Records, inside the transaction that deletes the campaign, the removal of what it leaves behind (it
 * replaces any start or park sweep of the campaign still pending: there is nothing left to start or park).
 */
export async function recordDeletion(
  store: Store,
  campaignId: string,
  stepIds: readonly string[],
): Promise<void> {
  await savePendingSweeps(store, {
    ...(await pendingSweeps(store)),
    [campaignId]: { kind: 'delete', phase: 'enrolments', stepIds },
  })
}

/** Whether any campaign has a sweep left unfinished (read by every tick, one point read). */
export async function hasPendingSweeps(store: Store): Promise<boolean> {
  return (await store.get('state', SWEEPS_KEY)) !== undefined
}

/** Runs a campaign's pending sweep to the end, a batch per transaction. */
export async function runSweep(context: EngineContext, campaignId: string): Promise<EngineEvent[]> {
  const events: EngineEvent[] = []
  for (;;) {
    const now = context.now()
    // The batch's events come back as its result: a store may run the callback again after a conflict.
    const swept = await inTransaction(context, async (store) => {
      const produced: EngineEvent[] = []
      const sweeps = await pendingSweeps(store)
      const sweep = sweeps[campaignId]
      if (sweep === undefined) return { finished: true, produced }
      const { [campaignId]: _, ...others } = sweeps
      if (sweep.kind === 'delete') {
        const next = await deleteCampaignBatch(context, store, campaignId, sweep)
        await savePendingSweeps(
          store,
          next === undefined ? others : { ...sweeps, [campaignId]: { ...next, kind: 'delete' } },
        )
        return { finished: next === undefined, produced }
      }
      const batch = await store.query('enrolments', {
        index: 'byCampaign',
        equals: [campaignId],
        limit: BATCH,
        ...(sweep.afterLeadId === null ? {} : { range: { gt: sweep.afterLeadId } }),
      })
      for (const enrolment of batch) {
        if (sweep.kind === 'detach') {
          const stopped = stopForDeletedIdentity(enrolment, now)
          if (stopped !== enrolment) await store.put('enrolments', stopped.key, stopped)
          continue
        }
        const status = enrolment.state.status
        if (status !== 'not_started' && status !== 'in_progress') continue
        if (sweep.kind === 'start') {
          // A lead with a send in flight is settled by that send's outcome.
          if (enrolment.claimKey === null)
            produced.push(...(await progressLead(context, store, enrolment, now)).events)
        } else if (enrolment.lane !== null) {
          const next = parked(enrolment, now)
          await store.put('enrolments', next.key, next)
        }
        context.wake(enrolment.identityId)
      }
      const last = batch[batch.length - 1]
      const done = last === undefined || batch.length < BATCH
      await savePendingSweeps(
        store,
        done ? others : { ...sweeps, [campaignId]: { ...sweep, afterLeadId: last.leadId } },
      )
      return { finished: done, produced }
    })
    events.push(...swept.produced)
    if (swept.finished) return events
  }
}

/** Finishes every sweep a stopped process left unfinished. */
export async function runPendingSweeps(context: EngineContext): Promise<EngineEvent[]> {
  const sweeps = await inTransaction(context, pendingSweeps, { readOnly: true })
  const events: EngineEvent[] = []
  for (const campaignId of Object.keys(sweeps)) events.push(...(await runSweep(context, campaignId)))
  return events
}
