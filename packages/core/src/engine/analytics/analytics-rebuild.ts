import { tagCounterName } from '../conversations/conversation-log'
import { type EngineContext, inTransaction } from '../engine-context'
import type { Store } from '../store'
import { countAction, engagementKey } from './action-metrics'
import { applyChanges, timedChanges } from './analytics-counters'
import { countEnrolmentChange } from './enrolment-metrics'

/**
 * Marks a workspace whose counters cover all of its history. Raise it when counters gain a new meaning or
 * new documents. 2: UTC day documents beside the hours.
 */
const MARKER = 'analytics:version'
const VERSION = 2

/**
 * Makes sure a workspace's counters cover its whole history before they are read: a workspace written by
 * a version of paceline without counters (or with older ones) gets them rebuilt from the action log, lead
 * places and conversations, once, in one transaction.
 */
export async function ensureAnalytics(context: EngineContext): Promise<void> {
  const current = await inTransaction(context, (store) => store.get('state', MARKER), { readOnly: true })
  if (current?.value === VERSION) return
  await inTransaction(context, async (store) => {
    if ((await store.get('state', MARKER))?.value === VERSION) return
    await rebuild(store)
    await store.put('state', MARKER, { key: MARKER, value: VERSION })
  })
}

/**
 * Marks a workspace that has no history yet as counted from its start: called when the first identity is
 * stored, so a new workspace never pays for a rebuild.
 */
export async function markFreshWorkspace(store: Store): Promise<void> {
  if ((await store.get('state', MARKER)) !== undefined) return
  if ((await store.query('actions', { limit: 1 })).length > 0) return
  if ((await store.query('enrolments', { limit: 1 })).length > 0) return
  await store.put('state', MARKER, { key: MARKER, value: VERSION })
}

async function rebuild(outer: Store): Promise<void> {
  for (const record of await outer.query('analytics')) await outer.delete('analytics', record.key)
  // Counters and engagement records are added to once per entry of the log: kept in memory and written
  // once each at the end, a long log is recounted in a fraction of the time.
  const { store, flush } = outer.writeBack(['analytics', 'state'])
  for await (const enrolment of store.all('enrolments')) {
    // Documents written before enrolments carried their status as an index field get it now.
    if (enrolment.status === undefined) await store.put('enrolments', enrolment.key, enrolment)
    await store.delete('state', engagementKey(enrolment.campaignId, enrolment.leadId))
    await countEnrolmentChange(store, undefined, enrolment)
  }
  // Per campaign in time order, so each lead's "first time" flags fall where they first happened.
  for await (const action of store.all('actions', { index: 'byCampaign' })) await countAction(store, action)
  for await (const action of store.all('actions', { index: 'byIdentity' }))
    if (action.campaignId === null) await countAction(store, action)
  for await (const conversation of store.all('conversations')) {
    if (conversation.campaignId === null || conversation.tags.length === 0) continue
    const counts = Object.fromEntries(
      conversation.tags.map((tag) => [tagCounterName(conversation.channel, tag), 1]),
    )
    await applyChanges(
      store,
      timedChanges(conversation.lastActivityAt, [
        { scope: 'campaign', scopeId: conversation.campaignId, counts },
      ]),
    )
  }
  await flush()
}
