import type { ActionRecord, TagCategory } from '../records'
import { compoundKey, type Store } from '../store'
import { applyChanges, type CounterChange, timedChanges } from './analytics-counters'

/**
 * What one lead of one campaign has done so far, so each "leads who ..." metric counts a lead once: the
 * first time it was contacted, replied, clicked. And what its conversations count as on each channel, so a
 * lead moving in or out of "positive" (a later reply, a person's tag) moves the count.
 */
export interface Engagement {
  readonly flags: readonly string[]
  readonly categories: Readonly<Partial<Record<'linkedin' | 'email', TagCategory>>>
}

/** Where a lead's engagement in a campaign is kept (in `state`). */
export const engagementKey = (campaignId: string, leadId: string) =>
  compoundKey('engagement', campaignId, leadId)

const ACTIONS = new Set([
  'profile-visited',
  'post-reacted',
  'invitation-sent',
  'message-sent',
  'task-created',
  'lead-moved',
])

/** The event counter names an action adds to: its type, by channel, with what tells similar events apart. */
export function eventNames(record: ActionRecord): string[] {
  const detail = record.detail ?? {}
  let type = record.type
  if (type === 'reply-received' && detail.outOfOffice === true) type = 'out-of-office'
  if (type === 'email-bounced' && detail.bounce === 'soft') type = 'email-bounced-soft'
  if ((type === 'email-opened' || type === 'link-clicked') && detail.automated === true)
    type = `${type}-automated`
  if (type === 'condition-evaluated')
    return [`condition:${record.stepId}:${detail.result === true ? 'yes' : 'no'}`]
  return record.channel === null ? [`event:${type}`] : [`event:${type}`, `event:${type}:${record.channel}`]
}

/** The "leads who ..." flags an action sets. */
function flagsOf(record: ActionRecord): string[] {
  const detail = record.detail ?? {}
  const channel = record.channel
  const flags: string[] = []
  // A task a person made by hand is not a step of the sequence: the lead has not started because of it.
  const ranStep = ACTIONS.has(record.type) && detail.origin !== 'manual'
  if (ranStep) flags.push('started')
  if (channel === 'linkedin' && ranStep) flags.push('engaged')
  switch (record.type) {
    case 'invitation-sent':
      flags.push('invited')
      break
    case 'connection-accepted':
      flags.push('accepted')
      break
    case 'message-sent':
      flags.push('contacted', `contacted:${channel}`)
      break
    case 'reply-received':
      if (detail.outOfOffice !== true) flags.push('replied', `replied:${channel}`)
      break
    case 'email-opened':
      if (detail.automated !== true) flags.push('opened')
      break
    case 'link-clicked':
      if (detail.automated !== true) flags.push('clicked')
      break
    case 'email-bounced':
      if (detail.bounce === 'hard') flags.push('bounced')
      break
  }
  return flags
}

/** The category an action sets for its lead's conversation on its channel, if any. */
function categoryOf(record: ActionRecord): TagCategory | undefined {
  const detail = record.detail ?? {}
  const value =
    record.type === 'reply-received' && detail.outOfOffice !== true
      ? detail.sentiment
      : record.type === 'conversation-tagged'
        ? detail.category
        : undefined
  return value === 'positive' || value === 'neutral' || value === 'negative' ? value : undefined
}

/**
 * Counts one action as it is logged, in the same transaction: the event (for daily series, per campaign and
 * per identity), the lead's first time for each "leads who ..." metric, and the lead moving in or out of
 * "positive".
 */
export async function countAction(store: Store, record: ActionRecord): Promise<void> {
  const events = Object.fromEntries(eventNames(record).map((name) => [name, 1]))
  const changes: CounterChange[] = []
  if (record.identityId !== null)
    changes.push({ scope: 'identity', scopeId: record.identityId, counts: events })
  if (record.campaignId === null) return applyChanges(store, timedChanges(record.at, changes))
  const counts: Record<string, number> = { ...events }
  if (record.leadId !== null) {
    const key = engagementKey(record.campaignId, record.leadId)
    const current = ((await store.get('state', key))?.value as Engagement | undefined) ?? {
      flags: [],
      categories: {},
    }
    const fresh = flagsOf(record).filter((flag) => !current.flags.includes(flag))
    for (const flag of fresh) counts[`leads:${flag}`] = 1
    let categories = current.categories
    const category = categoryOf(record)
    if (category !== undefined && (record.channel === 'linkedin' || record.channel === 'email')) {
      categories = { ...categories, [record.channel]: category }
      const was = current.categories[record.channel] === 'positive'
      const is = category === 'positive'
      if (was !== is) counts[`leads:positive:${record.channel}`] = is ? 1 : -1
      const anyBefore = Object.values(current.categories).includes('positive')
      const anyAfter = Object.values(categories).includes('positive')
      if (anyBefore !== anyAfter) counts['leads:positive'] = anyAfter ? 1 : -1
    }
    if (fresh.length > 0 || categories !== current.categories)
      await store.put('state', key, { key, value: { flags: [...current.flags, ...fresh], categories } })
  }
  changes.push({ scope: 'campaign', scopeId: record.campaignId, counts })
  await applyChanges(store, timedChanges(record.at, changes))
}
