import {
  type Campaign,
  describeLeadState,
  LEAD_STATUSES,
  LEAD_SUBSTATUSES,
  type LeadView,
} from '@paceline/core'
import { formatInstant, formatRelative } from '../format'
import { type BoardContext, segment } from '../http/board-context'
import { html, type Markup, time } from '../http/markup'
import { type AudienceFilters, leadListOptions } from './audience-filters'
import { leadName, leadReason } from './lead-words'
import { pager } from './pager'

const PAGE_SIZE = 25

/** The campaign's leads: status, the reason in words, the next action's time; filters, paging and CSV. */
export async function audienceTable(
  context: BoardContext,
  campaign: Campaign,
  filters: AudienceFilters,
  steps: readonly { readonly id: string; readonly label: string }[],
): Promise<Markup> {
  const list = await context.engine.leads.list(campaign.id, {
    ...leadListOptions(filters),
    limit: PAGE_SIZE,
    ...(filters.after === undefined ? {} : { after: filters.after }),
  })
  const base = `/campaigns/${segment(campaign.id)}`
  const csv = new URLSearchParams()
  for (const [name, value] of Object.entries(filters))
    if (name !== 'after' && value !== undefined) csv.set(name, String(value))
  const csvQuery = csv.toString()
  const zone = context.settings.timeZone
  const option = (value: string, label: string, selected: string | undefined) =>
    html`<option value="${value}"${selected === value ? html` selected` : ''}>${label}</option>`
  return html`<section id="leads" aria-labelledby="leads-title"><h2 id="leads-title">Leads</h2>
<form class="filters" method="get" action="${context.href(base)}#leads" role="search" aria-label="Filter the leads">
<div><label for="filter-status">Status</label><select id="filter-status" name="status">${option('', 'Any status', filters.status ?? '')}${LEAD_STATUSES.map((status) => option(status, status.replace('_', ' '), filters.status))}</select></div>
<div><label for="filter-substatus">Substatus</label><select id="filter-substatus" name="substatus">${option('', 'Any substatus', filters.substatus ?? '')}${Object.entries(LEAD_SUBSTATUSES).map(([name, info]) => option(name, info.label, filters.substatus))}</select></div>
<div><label for="filter-step">Step</label><select id="filter-step" name="step">${option('', 'Any step', filters.step ?? '')}${steps.map((step) => option(step.id, `${step.id}: ${step.label}`, filters.step))}</select></div>
<div><label for="filter-search">Name, company or email</label><input type="search" id="filter-search" name="search" value="${filters.search ?? ''}"></div>
<div><button type="submit">Apply</button> <a class="button secondary" href="${context.href(base)}#leads">Clear</a></div>
</form>
<p><a class="button secondary" href="${context.href(`${base}/audience.csv${csvQuery === '' ? '' : `?${csvQuery}`}`)}" download>Download these leads as CSV</a></p>
${list.items.length === 0 ? html`<p class="empty" role="status">No lead matches these filters.</p>` : html`<div class="scroll"><table class="audience"><caption class="visually-hidden">Leads of the campaign</caption><thead><tr><th scope="col">Lead</th><th scope="col">Status</th><th scope="col">Why</th><th scope="col">Step</th><th scope="col">Next action</th></tr></thead><tbody>${list.items.map((lead) => leadRow(context, base, lead, zone))}</tbody></table></div>`}
${pager(context, list.next, filters.after)}</section>`
}

function leadRow(context: BoardContext, base: string, lead: LeadView, zone: string): Markup {
  const { waiting, meaning, detail } = leadReason(lead)
  const reason =
    waiting ?? (meaning === undefined ? '' : `${meaning}${detail === undefined ? '' : ` (${detail})`}`)
  return html`<tr data-lead="${lead.leadId}" data-status="${lead.status}"><th scope="row"><a href="${context.href(`${base}/leads/${segment(lead.leadId)}`)}">${leadName(lead)}</a></th><td><span class="badge ${lead.status}">${describeLeadState(lead.state)}</span></td><td class="reason">${reason}</td><td>${lead.stepId ?? '–'}</td><td>${lead.nextEligibleAt === undefined ? '–' : html`${time(lead.nextEligibleAt, formatInstant(lead.nextEligibleAt, zone))} <span class="muted">(${formatRelative(lead.nextEligibleAt, context.now)})</span>`}</td></tr>`
}
