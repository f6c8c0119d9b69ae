import { type Campaign, pausesLeads } from '../../model/campaign/campaign'
import { LEAD_STATUSES, type LeadStatus, type LeadSubstatus } from '../../model/lead/lead-status'

/**
 * Where a campaign's leads are now, as the lead views show them: the active leads of a paused campaign count
 * as paused. In-progress substatuses are each lead's last recorded wait; a lead view may show a due lead as
 * held by the identity's limits or working hours at the moment it is read.
 */
export interface AudienceSummary {
  readonly total: number
  readonly statuses: Readonly<Record<LeadStatus, number>>
  readonly substatuses: Readonly<Partial<Record<LeadSubstatus, number>>>
}

/** Statuses a campaign pause freezes (shown as paused while the campaign is paused). */
const FROZEN_BY_PAUSE = new Set<LeadStatus>(['not_started', 'in_progress', 'error'])

/** The audience summary from the campaign's "where leads are now" counters, with prefix `prefix`. */
export function audienceFrom(
  counts: Readonly<Record<string, number>>,
  campaign: Campaign,
  prefix = 'status:',
): AudienceSummary {
  const paused = pausesLeads(campaign)
  const statuses = Object.fromEntries(LEAD_STATUSES.map((status) => [status, 0])) as Record<
    LeadStatus,
    number
  >
  const substatuses: Partial<Record<LeadSubstatus, number>> = {}
  let total = 0
  for (const [name, value] of Object.entries(counts)) {
    if (!name.startsWith(prefix) || value <= 0) continue
    const [status, substatus] = name.slice(prefix.length).split(':') as [LeadStatus, string | undefined]
    if (!(status in statuses)) continue
    const shown: LeadStatus = paused && FROZEN_BY_PAUSE.has(status) ? 'paused' : status
    if (substatus === undefined) {
      statuses[shown] += value
      total += value
    } else if (substatus !== '-' && shown === status) {
      const key = substatus as LeadSubstatus
      substatuses[key] = (substatuses[key] ?? 0) + value
    }
  }
  return { total, statuses, substatuses }
}
