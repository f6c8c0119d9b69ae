import { chart, paint, rect } from './chart-frame'
import { coordinate, formatCount, formatShare } from './format'
import { type Html, html } from './html'
import { COLORS } from './palette'
import type { ReportCampaign } from './report-input'

interface FunnelRow {
  readonly label: string
  readonly value: number
  /** What the value is out of, for its percentage ("of leads"); none for counts of actions. */
  readonly of?: { readonly whole: number; readonly what: string }
  readonly color: string
}

interface Funnel {
  readonly id: string
  readonly title: string
  /** One line under the heading: what the numbers count. */
  readonly note: string
  readonly rows: readonly FunnelRow[]
  /** The value a full bar stands for. */
  readonly scale: number
}

const WIDTH = 560
const LABEL = 132
const BAR = 300
const ROW = 32
const BAR_HEIGHT = 18

/** The four funnels of the Overview (all channels, LinkedIn, email, tasks), as horizontal bars. */
export function funnelCharts(campaign: ReportCampaign): Html {
  const leads = campaign.all.total
  const ofLeads = { whole: leads, what: 'of leads' }
  const email = campaign.email
  const funnels: Funnel[] = [
    {
      id: 'funnel-all',
      title: 'All channels',
      note: 'Leads, each counted once when it first got there.',
      scale: leads,
      rows: [
        { label: 'Leads', value: leads, of: ofLeads, color: COLORS.grey },
        { label: 'Started', value: campaign.all.started, of: ofLeads, color: COLORS.sky },
        { label: 'Contacted', value: campaign.all.contacted, of: ofLeads, color: COLORS.blue },
        { label: 'Replied', value: campaign.all.replied, of: ofLeads, color: COLORS.vermillion },
        { label: 'Positive', value: campaign.all.positive, of: ofLeads, color: COLORS.green },
      ],
    },
    {
      id: 'funnel-linkedin',
      title: 'LinkedIn',
      note: 'Leads, each counted once.',
      scale: leads,
      rows: [
        { label: 'Engaged', value: campaign.linkedin.engaged, of: ofLeads, color: COLORS.sky },
        { label: 'Invited', value: campaign.linkedin.invited, of: ofLeads, color: COLORS.blue },
        {
          label: 'Accepted',
          value: campaign.linkedin.accepted,
          of: { whole: campaign.linkedin.invited, what: 'of invited' },
          color: COLORS.blue,
        },
        { label: 'Messaged', value: campaign.linkedin.contacted, of: ofLeads, color: COLORS.green },
        { label: 'Replied', value: campaign.linkedin.replied, of: ofLeads, color: COLORS.vermillion },
        { label: 'Positive', value: campaign.linkedin.positive, of: ofLeads, color: COLORS.green },
      ],
    },
    {
      id: 'funnel-email',
      title: 'Email',
      note: 'Emails sent and bounced are emails; opened, clicked, replied and positive are leads.',
      scale: Math.max(email.sent, email.opened, email.clicked, email.replied, email.bounced, 1),
      rows: [
        { label: 'Sent', value: email.sent, color: COLORS.orange },
        { label: 'Opened', value: email.opened, of: ofLeads, color: COLORS.orange },
        { label: 'Clicked', value: email.clicked, of: ofLeads, color: COLORS.pink },
        { label: 'Replied', value: email.replied, of: ofLeads, color: COLORS.vermillion },
        { label: 'Positive', value: email.positive, of: ofLeads, color: COLORS.green },
        {
          label: 'Bounced',
          value: email.bounced,
          of: { whole: email.sent, what: 'of sent' },
          color: COLORS.ink,
        },
      ],
    },
    {
      id: 'funnel-tasks',
      title: 'Tasks',
      note: 'Open tasks now, and tasks marked done in the period.',
      scale: Math.max(campaign.tasks.pending, campaign.tasks.completed, 1),
      rows: [
        { label: 'Open', value: campaign.tasks.pending, color: COLORS.grey },
        { label: 'Completed', value: campaign.tasks.completed, color: COLORS.green },
      ],
    },
  ]
  return html`${funnels.map(funnelPanel)}`
}

function funnelPanel(funnel: Funnel): Html {
  const height = funnel.rows.length * ROW + 8
  const scale = Math.max(funnel.scale, ...funnel.rows.map((row) => row.value), 1)
  const rows = funnel.rows.map((row, index) => {
    const y = 4 + index * ROW
    const width = (row.value / scale) * BAR
    const share = row.of === undefined ? '' : ` · ${formatShare(row.value, row.of.whole)} ${row.of.what}`
    return html`<g class="funnel-row" data-value="${row.value}"><text class="label" x="0" y="${coordinate(y + BAR_HEIGHT / 2 + 4)}">${row.label}</text>${rect(LABEL, y, BAR, BAR_HEIGHT, html` class="track"`)}${rect(LABEL, y, width, BAR_HEIGHT, html` class="bar"${paint('fill', row.color)}`)}<text class="value" x="${LABEL + BAR + 10}" y="${coordinate(y + BAR_HEIGHT / 2 + 4)}">${formatCount(row.value)}<tspan class="muted">${share}</tspan></text></g>`
  })
  const description = funnel.rows
    .map(
      (row) =>
        `${row.label}: ${formatCount(row.value)}${row.of === undefined ? '' : ` (${formatShare(row.value, row.of.whole)} ${row.of.what})`}`,
    )
    .join('; ')
  return html`<figure class="panel funnel"><figcaption><h3>${funnel.title}</h3><p class="muted">${funnel.note}</p></figcaption>${chart(
    {
      id: funnel.id,
      kind: 'funnel',
      width: WIDTH,
      height,
      title: `${funnel.title} funnel`,
      description,
      body: html`${rows}`,
    },
  )}</figure>`
}
