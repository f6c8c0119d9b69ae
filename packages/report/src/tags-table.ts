import { formatCount } from './format'
import { type Html, html } from './html'
import type { ReportCampaign } from './report-input'

const CHANNELS = { linkedin: 'LinkedIn', email: 'Email' } as const

/** Conversations tagged in the period, by tag, category and channel (most tagged first, as the engine sorts them). */
export function tagsTable(campaign: ReportCampaign): Html {
  const note = html`<p class="muted">Out-of-office answers: <strong>${formatCount(campaign.outOfOffice)}</strong> (not counted as replies).</p>`
  if (campaign.tags.length === 0)
    return html`<p class="muted empty">No conversation was tagged in this period.</p>${note}`
  return html`<table class="tags"><thead><tr><th scope="col">Tag</th><th scope="col">Category</th><th scope="col">Channel</th><th scope="col" class="num">Conversations</th></tr></thead><tbody>${campaign.tags.map(
    (tag) =>
      html`<tr><td class="tag">${tag.tag}</td><td>${tag.category}</td><td>${CHANNELS[tag.channel]}</td><td class="num">${formatCount(tag.conversations)}</td></tr>`,
  )}</tbody></table>${note}`
}
