import { type Campaign, describeStep } from '@paceline/core'
import { renderCampaignSections } from '@paceline/report'
import type { BoardContext } from '../http/board-context'
import { segment } from '../http/board-context'
import { actionForm, page } from '../http/layout'
import { html, type Markup, raw } from '../http/markup'
import type { AudienceFilters } from './audience-filters'
import { audienceTable } from './audience-table'

/**
 * One campaign: its overview metrics and funnels, daily activity, progress by action and audience summary
 * (drawn as the campaign report draws them), then the audience itself, filtered and paged, with a CSV
 * download; and the actions the person may take.
 */
export async function campaignPage(
  context: BoardContext,
  campaignId: string,
  filters: AudienceFilters,
): Promise<Markup> {
  const campaign = await context.engine.campaigns.get(campaignId)
  const identity = await context.engine.identities.get(campaign.identityId).catch(() => undefined)
  const timeZone = identity?.workingHours.timezone ?? context.settings.timeZone
  const [analytics, daily] = await Promise.all([
    context.engine.analytics.campaign(campaignId, { timeZone }),
    context.engine.analytics.daily(campaignId, { timeZone }),
  ])
  const sections = renderCampaignSections({ campaign: analytics, daily, title: campaign.name })
  const steps = Object.entries(campaign.sequence.steps).map(([id, step]) => ({
    id,
    label: describeStep(step),
  }))
  return page(context, {
    title: campaign.name,
    section: 'campaigns',
    breadcrumbs: [['Campaigns', '/campaigns']],
    aside: html`<div class="actions"><span class="badge ${campaign.status}">${campaign.status}</span> <span class="badge">priority ${campaign.priority}</span>${await campaignActions(context, campaign, analytics.audience.statuses.error ?? 0)}</div>`,
    body: html`<p class="muted">Sender: ${identity?.name ?? campaign.identityId} · dates in ${timeZone}.</p>
${raw(sections)}
${await audienceTable(context, campaign, filters, steps)}`,
  })
}

async function campaignActions(context: BoardContext, campaign: Campaign, errors: number): Promise<Markup> {
  const base = `/campaigns/${segment(campaign.id)}`
  const forms: Markup[] = []
  if (
    campaign.status === 'running' &&
    (await context.can({ type: 'pause-campaign', campaignId: campaign.id }))
  )
    forms.push(
      actionForm(context, {
        path: `${base}/pause`,
        label: 'Pause campaign',
        variant: 'danger',
        confirm: 'Pause this campaign? Nothing more is sent until it is resumed.',
      }),
    )
  if (
    campaign.status === 'paused' &&
    (await context.can({ type: 'resume-campaign', campaignId: campaign.id }))
  )
    forms.push(actionForm(context, { path: `${base}/resume`, label: 'Resume campaign' }))
  if (errors > 0 && (await context.can({ type: 'retry-errors', campaignId: campaign.id })))
    forms.push(
      actionForm(context, {
        path: `${base}/retry-errors`,
        label: `Retry ${errors} in error`,
        variant: 'secondary',
      }),
    )
  return html`${forms}`
}
