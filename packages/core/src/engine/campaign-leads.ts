import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { progressLead } from './progress'
import type { EnrolmentRecord } from './records'
import { parked } from './sequence-runner'
import type { Store } from './store'

const BATCH = 200

/** Starts (or resumes) every active lead of a campaign that has just begun running. */
export async function startCampaignLeads(context: EngineContext, campaignId: string): Promise<EngineEvent[]> {
  return forEachActiveLead(context, campaignId, async (store, enrolment, now) => {
    if (enrolment.claimKey !== null) return []
    return (await progressLead(context, store, enrolment, now)).events
  })
}

/** Takes every active lead of a campaign out of the queues (the campaign paused or was archived). */
export async function parkCampaignLeads(context: EngineContext, campaignId: string): Promise<EngineEvent[]> {
  return forEachActiveLead(context, campaignId, async (store, enrolment, now) => {
    if (enrolment.lane === null) return []
    const next = parked(enrolment, now)
    await store.put('enrolments', next.key, next)
    return []
  })
}

/** Visits the not-started and in-progress leads of a campaign, a batch per transaction. */
async function forEachActiveLead(
  context: EngineContext,
  campaignId: string,
  visit: (store: Store, enrolment: EnrolmentRecord, now: number) => Promise<EngineEvent[]>,
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = []
  let after: string | undefined
  for (;;) {
    const now = context.now()
    const page = await inTransaction(context, async (store) => {
      const batch = await store.query('enrolments', {
        index: 'byCampaign',
        equals: [campaignId],
        limit: BATCH,
        ...(after === undefined ? {} : { after }),
      })
      for (const enrolment of batch) {
        const status = enrolment.state.status
        if (status === 'not_started' || status === 'in_progress')
          events.push(...(await visit(store, enrolment, now)))
      }
      return batch
    })
    const last = page[page.length - 1]
    if (last === undefined || page.length < BATCH) break
    after = last.key
  }
  return events
}
