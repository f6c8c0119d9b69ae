import { audienceChart } from './audience-chart'
import { dailyActivityCharts } from './daily-activity-chart'
import { formatCount, formatInstant, formatShare } from './format'
import { funnelCharts } from './funnel-chart'
import { type Html, html, raw } from './html'
import { identityUsageChart } from './identity-usage-chart'
import { progressTable } from './progress-table'
import {
  type CampaignReportInput,
  parseReportInput,
  type ReportData,
  type ReportPeriod,
} from './report-input'
import { REPORT_STYLE } from './report-style'
import { tagsTable } from './tags-table'

/**
 * The campaign report as one self-contained HTML document: the funnels, the daily activity, progress by
 * action, the audience summary and, when `identity` is given, the sender's sent vs allowed. Charts are inline
 * SVG with titles and descriptions, styles are inline, and the file loads nothing (no script, font or image
 * from elsewhere), so it opens from disk without a server or the internet, and prints.
 *
 * Pure: the same input gives the same string (it reads no clock; `generatedAt` is printed only when given).
 * Every text from the campaign (its name, step descriptions, tag names) is escaped.
 * Throws a `PacelineError` (`invalid_options`) naming the field when the input is not the engine's analytics.
 */
export function renderCampaignReport(input: CampaignReportInput): string {
  const data = parseReportInput(input)
  const title = data.title ?? data.campaign.campaignId
  const sections = sectionsOf(data)

  const document = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="@paceline/report">
<link rel="icon" href="data:,">
<title>${title} · campaign report</title>
<style>${raw(REPORT_STYLE)}</style>
</head>
<body>
<main>
<header class="report-header"><div><p class="eyebrow">Campaign report</p><h1>${title}</h1></div>${meta(data)}</header>
${sections.map((section) => html`${section}\n`)}<footer>Made with paceline · every number comes from the engine's analytics for the period above.</footer>
</main>
</body>
</html>
`
  return document.value
}

/**
 * The report's sections (summary, funnels, daily activity, progress by action, audience, the sender's sent
 * vs allowed when `identity` is given, tagged conversations) without the document around them, for a page
 * of your own that includes `REPORT_STYLE`. Validated and escaped like `renderCampaignReport`.
 */
export function renderCampaignSections(input: CampaignReportInput): string {
  return html`${sectionsOf(parseReportInput(input, 'renderCampaignSections input')).map((section) => html`${section}\n`)}`
    .value
}

function sectionsOf(data: ReportData): Html[] {
  const { campaign, daily, identity } = data
  return [
    html`<section class="kpis" id="summary" aria-label="Summary">${kpis(data)}</section>`,
    html`<section id="funnels"><h2>Funnels</h2><div class="grid-2">${funnelCharts(campaign)}</div></section>`,
    html`<section id="daily"><h2>Daily activity</h2>${dailyActivityCharts(daily)}</section>`,
    html`<section id="progress"><h2>Progress by action</h2><p class="muted">Each step of the sequence in order: leads that reached it, went on from it and failed at it in the period, and the leads waiting there now.</p>${progressTable(campaign)}</section>`,
    html`<section id="audience"><h2>Audience</h2><p class="muted">Where the campaign's ${formatCount(campaign.audience.total)} leads are now.</p>${audienceChart(campaign.audience)}</section>`,
    identity === undefined
      ? null
      : html`<section id="identity"><h2>Sender: sent vs allowed</h2>${identityUsageChart(identity)}</section>`,
    html`<section id="tags"><h2>Tagged conversations</h2>${tagsTable(campaign)}</section>`,
  ].filter((section): section is Html => section !== null)
}

function kpis(data: ReportData): Html {
  const { all, email } = data.campaign
  const cards: [string, number, string][] = [
    ['Leads', all.total, 'in the campaign'],
    ['Started', all.started, `${formatShare(all.started, all.total)} of leads`],
    ['Contacted', all.contacted, `${formatShare(all.contacted, all.total)} of leads`],
    ['Replied', all.replied, `${formatShare(all.replied, all.contacted)} of contacted`],
    ['Positive', all.positive, `${formatShare(all.positive, all.replied)} of replied`],
    ['Emails sent', email.sent, `${formatCount(email.bounced)} bounced`],
  ]
  return html`${cards.map(
    ([label, value, share]) =>
      html`<div class="kpi"><div class="label">${label}</div><div class="number">${formatCount(value)}</div><div class="share">${share}</div></div>`,
  )}`
}

function meta(data: ReportData): Html {
  const generatedAt =
    data.generatedAt === undefined
      ? null
      : html`<dt>Generated</dt><dd>${formatInstant(new Date(data.generatedAt).toISOString(), 'UTC')} UTC</dd>`
  return html`<dl class="meta"><dt>Campaign</dt><dd>${data.campaign.campaignId}</dd><dt>Period</dt><dd>${periodText(data.campaign.period)}</dd><dt>Time zone</dt><dd>${data.campaign.period.timeZone}</dd>${generatedAt}</dl>`
}

function periodText(period: ReportPeriod): string {
  const to = formatInstant(period.to, period.timeZone)
  return period.from === null
    ? `All time, until ${to}`
    : `${formatInstant(period.from, period.timeZone)} to ${to}`
}
