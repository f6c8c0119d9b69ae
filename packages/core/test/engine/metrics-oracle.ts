import type { EngineEvent } from '../../src/index'
import { localTime } from './harness'

/**
 * The campaign metrics recomputed from the action log alone, by a different route than the engine's
 * counters: each "leads who ..." metric is the set of leads whose first such event falls in the period.
 */
export function expectedCampaignMetrics(events: readonly EngineEvent[], from: number, to: number) {
  const inPeriod = (at: string) => Date.parse(at) >= from && Date.parse(at) < to
  const firsts = new Map<string, Map<string, string>>()
  const first = (flag: string, lead: string, at: string) => {
    const byLead = firsts.get(flag) ?? new Map<string, string>()
    firsts.set(flag, byLead)
    if (!byLead.has(lead)) byLead.set(lead, at)
  }
  let emailsSent = 0
  let bounced = 0
  let outOfOffice = 0
  let completed = 0
  // A lead's conversation per channel counts as positive while its latest reply or manual tag says so.
  const category = new Map<string, string>()
  const positiveChanges: { at: string; key: string; channel: string; lead: string; is: boolean }[] = []
  const sorted = [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  for (const event of sorted) {
    const lead = event.leadId
    const detail = event.detail ?? {}
    if (event.type === 'message-sent' && event.channel === 'email' && inPeriod(event.at)) emailsSent++
    if (event.type === 'email-bounced' && detail.bounce !== 'soft' && inPeriod(event.at)) bounced++
    if (event.type === 'reply-received' && detail.outOfOffice === true && inPeriod(event.at)) outOfOffice++
    if (event.type === 'task-completed' && inPeriod(event.at)) completed++
    if (lead === undefined) continue
    const executed = [
      'profile-visited',
      'post-reacted',
      'invitation-sent',
      'message-sent',
      'task-created',
      'lead-moved',
    ]
    if (executed.includes(event.type)) first('started', lead, event.at)
    if (executed.slice(0, 4).includes(event.type) && event.channel === 'linkedin')
      first('engaged', lead, event.at)
    if (event.type === 'invitation-sent') first('invited', lead, event.at)
    if (event.type === 'connection-accepted') first('accepted', lead, event.at)
    if (event.type === 'message-sent') {
      first('contacted', lead, event.at)
      first(`contacted:${event.channel}`, lead, event.at)
    }
    if (event.type === 'reply-received' && detail.outOfOffice !== true) {
      first('replied', lead, event.at)
      first(`replied:${event.channel}`, lead, event.at)
    }
    if (event.type === 'email-opened' && detail.automated !== true) first('opened', lead, event.at)
    if (event.type === 'link-clicked' && detail.automated !== true) first('clicked', lead, event.at)
    const said =
      event.type === 'reply-received' && detail.outOfOffice !== true
        ? detail.sentiment
        : event.type === 'conversation-tagged'
          ? detail.category
          : undefined
    if (
      (said === 'positive' || said === 'neutral' || said === 'negative') &&
      (event.channel === 'linkedin' || event.channel === 'email')
    ) {
      const key = `${lead}|${event.channel}`
      const was = category.get(key) === 'positive'
      category.set(key, said)
      if (was !== (said === 'positive'))
        positiveChanges.push({ at: event.at, key, channel: event.channel, lead, is: said === 'positive' })
    }
  }
  const count = (flag: string) => [...(firsts.get(flag)?.values() ?? [])].filter(inPeriod).length
  // Positive: leads that became positive in the period, less those that stopped being positive in it.
  const positiveNet = (channel?: string) => {
    const states = new Map<string, Set<string>>()
    let net = 0
    for (const change of positiveChanges) {
      if (channel !== undefined && change.channel !== channel) continue
      const channels = states.get(change.lead) ?? new Set<string>()
      const before = channels.size > 0
      if (change.is) channels.add(change.channel)
      else channels.delete(change.channel)
      states.set(change.lead, channels)
      const after = channels.size > 0
      if (before !== after && inPeriod(change.at)) net += after ? 1 : -1
    }
    return Math.max(0, net)
  }
  return {
    all: {
      started: count('started'),
      contacted: count('contacted'),
      replied: count('replied'),
      positive: positiveNet(),
    },
    linkedin: {
      engaged: count('engaged'),
      invited: count('invited'),
      accepted: count('accepted'),
      contacted: count('contacted:linkedin'),
      replied: count('replied:linkedin'),
      positive: positiveNet('linkedin'),
    },
    email: {
      sent: emailsSent,
      opened: count('opened'),
      clicked: count('clicked'),
      replied: count('replied:email'),
      positive: positiveNet('email'),
      bounced,
    },
    completedTasks: completed,
    outOfOffice,
  }
}

/** Events per local date of `timeZone` for one daily series. */
export function expectedDaily(
  events: readonly EngineEvent[],
  timeZone: string,
  matches: (event: EngineEvent) => boolean,
): Map<string, number> {
  const days = new Map<string, number>()
  for (const event of events) {
    if (!matches(event)) continue
    const date = localTime(event.at, timeZone).date
    days.set(date, (days.get(date) ?? 0) + 1)
  }
  return days
}
