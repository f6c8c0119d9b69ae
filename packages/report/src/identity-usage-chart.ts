import { chart, paint, rect } from './chart-frame'
import { coordinate, formatCount, formatInstant, formatRate, formatShare } from './format'
import { type Html, html } from './html'
import { COLORS } from './palette'
import type { ReportIdentity } from './report-input'

const WIDTH = 1120
const LABEL = 180
const BAR = 640
const ROW = 36
const BAR_HEIGHT = 20

interface UsageRow {
  readonly label: string
  readonly sent: number
  readonly allowed: number
  readonly color: string
}

/** The sender's connection requests, LinkedIn messages and emails against what its daily limits allowed. */
export function identityUsageChart(identity: ReportIdentity, id = 'identity-usage'): Html {
  const rows: UsageRow[] = [
    {
      label: 'Connection requests',
      sent: identity.connections.sent,
      allowed: identity.connections.allowed,
      color: COLORS.blue,
    },
    {
      label: 'LinkedIn messages',
      sent: identity.linkedinMessages.sent,
      allowed: identity.linkedinMessages.allowed,
      color: COLORS.green,
    },
    { label: 'Emails', sent: identity.emails.sent, allowed: identity.emails.allowed, color: COLORS.orange },
  ]
  const height = rows.length * ROW + 4
  const body = rows.map((row, index) => {
    const y = 4 + index * ROW
    const scale = Math.max(row.allowed, row.sent, 1)
    const over = row.allowed > 0 && row.sent > row.allowed
    const words =
      row.allowed === 0 && row.sent === 0
        ? 'no limit set (channel not configured)'
        : `${formatCount(row.sent)} of ${formatCount(row.allowed)} allowed · ${formatShare(row.sent, row.allowed)}`
    return html`<g class="usage-row" data-sent="${row.sent}" data-allowed="${row.allowed}"><text class="label" x="0" y="${coordinate(y + BAR_HEIGHT / 2 + 5)}">${row.label}</text>${rect(LABEL, y, BAR, BAR_HEIGHT, html` class="track"`)}${rect(LABEL, y, (row.sent / scale) * BAR, BAR_HEIGHT, html` class="bar"${paint('fill', over ? COLORS.vermillion : row.color)}`)}${
      row.allowed > 0
        ? html`<line class="limit" x1="${coordinate(LABEL + (row.allowed / scale) * BAR)}" x2="${coordinate(LABEL + (row.allowed / scale) * BAR)}" y1="${y - 3}" y2="${y + BAR_HEIGHT + 3}"/>`
        : null
    }<text class="value" x="${LABEL + BAR + 14}" y="${coordinate(y + BAR_HEIGHT / 2 + 5)}">${words}</text></g>`
  })
  const description = rows.map((row) => `${row.label}: ${row.sent} sent of ${row.allowed} allowed`).join('; ')
  const period = identity.period
  const from = period.from === null ? 'the first activity' : formatInstant(period.from, period.timeZone)
  return html`<p class="muted">${identity.name}, every campaign of this sender, from ${from} to ${formatInstant(period.to, period.timeZone)} (${period.timeZone}). Allowed is the daily limit times the working days.</p>${chart(
    {
      id,
      kind: 'identity',
      width: WIDTH,
      height,
      title: `${identity.name}: sent vs allowed`,
      description,
      body: html`${body}`,
    },
  )}<dl class="facts"><div><dt>Acceptance rate</dt><dd>${formatRate(identity.connections.acceptanceRate)}</dd><dd class="muted">${formatCount(identity.connections.accepted)} of ${formatCount(identity.connections.sent)} accepted</dd></div><div><dt>Replies</dt><dd>${formatCount(identity.replied)}</dd></div><div><dt>Bounced</dt><dd>${formatCount(identity.bounced)}</dd></div><div><dt>Bounce rate</dt><dd>${formatRate(identity.bounceRate)}</dd><dd class="muted">of emails sent</dd></div></dl>`
}
