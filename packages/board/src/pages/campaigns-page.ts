import type { Campaign, CampaignAnalytics } from '@paceline/core'
import { formatCount, formatPercent } from '../format'
import { type BoardContext, segment } from '../http/board-context'
import { page } from '../http/layout'
import { html, type Markup } from '../http/markup'
import { pager } from './pager'

const PAGE_SIZE = 25

/** Every campaign with its status, priority, sender and funnel (leads, started, contacted, replied, positive). */
export async function campaignsPage(context: BoardContext): Promise<Markup> {
  const after = context.url.searchParams.get('after') ?? undefined
  const list = await context.engine.campaigns.list({
    limit: PAGE_SIZE,
    order: 'priority',
    ...(after === undefined ? {} : { after }),
  })
  const identities = new Map((await context.engine.identities.list()).map((each) => [each.id, each.name]))
  const funnels = await Promise.all(
    list.items.map((campaign) => context.engine.analytics.campaign(campaign.id)),
  )
  return page(context, {
    title: 'Campaigns',
    section: 'campaigns',
    body: html`<section aria-labelledby="campaigns-title"><h2 id="campaigns-title" class="visually-hidden">All campaigns</h2>
${
  list.items.length === 0
    ? html`<p class="empty">No campaign yet.</p>`
    : html`<div class="scroll"><table class="campaigns"><caption class="visually-hidden">Campaigns, running ones first, by priority</caption><thead><tr><th scope="col">Campaign</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Identity</th><th scope="col" class="num">Leads</th><th scope="col" class="num">Started</th><th scope="col" class="num">Contacted</th><th scope="col" class="num">Replied</th><th scope="col" class="num">Positive</th><th scope="col">Funnel</th></tr></thead><tbody>${list.items.map(
        (campaign, index) => row(context, campaign, funnels[index] as CampaignAnalytics, identities),
      )}</tbody></table></div>`
}
${pager(context, list.next, after)}</section>`,
  })
}

function row(
  context: BoardContext,
  campaign: Campaign,
  analytics: CampaignAnalytics,
  identities: ReadonlyMap<string, string>,
): Markup {
  const all = analytics.all
  return html`<tr data-campaign="${campaign.id}"><th scope="row"><a href="${context.href(`/campaigns/${segment(campaign.id)}`)}">${campaign.name}</a></th><td><span class="badge ${campaign.status}">${campaign.status}</span></td><td>${campaign.priority}</td><td>${campaign.identityDeletedAt === undefined ? (identities.get(campaign.identityId) ?? campaign.identityId) : 'Identity deleted'}</td><td class="num">${formatCount(all.total)}</td><td class="num">${formatCount(all.started)}</td><td class="num">${formatCount(all.contacted)}</td><td class="num">${formatCount(all.replied)} <span class="muted">${formatPercent(all.replied, all.contacted)}</span></td><td class="num">${formatCount(all.positive)} <span class="muted">${formatPercent(all.positive, all.replied)}</span></td><td>${funnelBars(all)}</td></tr>`
}

/** A small funnel: one bar per stage, as wide as its share of the leads. */
function funnelBars(all: CampaignAnalytics['all']): Markup {
  const stages: [string, number, string][] = [
    ['Started', all.started, '#56b4e9'],
    ['Contacted', all.contacted, '#0072b2'],
    ['Replied', all.replied, '#009e73'],
    ['Positive', all.positive, '#d55e00'],
  ]
  const scale = Math.max(all.total, 1)
  const words = stages.map(([label, value]) => `${label} ${value} of ${all.total}`).join(', ')
  return html`<svg class="chart mini-funnel" data-chart="mini-funnel" viewBox="0 0 120 40" width="120" height="40" role="img" aria-label="${words}" xmlns="http://www.w3.org/2000/svg">${stages.map(
    ([, value, color], index) =>
      html`<rect x="0" y="${index * 10}" height="8" width="${Math.round((value / scale) * 1200) / 10}" fill="${color}"/>`,
  )}</svg>`
}
