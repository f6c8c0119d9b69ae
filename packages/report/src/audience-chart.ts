import { LEAD_STATUSES, LEAD_SUBSTATUSES, type LeadStatus, type LeadSubstatus } from '@paceline/core'
import { chart, paint, rect } from './chart-frame'
import { coordinate, formatCount, formatShare } from './format'
import { type Html, html } from './html'
import { STATUS_COLORS, STATUS_LABELS } from './palette'
import type { ReportAudience } from './report-input'

const WIDTH = 1120
const HEIGHT = 40

/** Where the campaign's leads are now: one bar split by status, then each substatus with its meaning. */
export function audienceChart(audience: ReportAudience): Html {
  const total = audience.total
  const statuses = LEAD_STATUSES.filter((status) => (audience.statuses[status] ?? 0) > 0)
  let x = 0
  const segments = statuses.map((status) => {
    const value = audience.statuses[status] ?? 0
    const width = total === 0 ? 0 : (value / total) * WIDTH
    const segment = html`<g class="segment" data-status="${status}" data-value="${value}"><title>${STATUS_LABELS[status]}: ${formatCount(value)} (${formatShare(value, total)})</title>${rect(x, 0, width, HEIGHT, paint('fill', STATUS_COLORS[status]))}${
      width >= 90
        ? html`<text class="inside" x="${coordinate(x + 8)}" y="${HEIGHT / 2 + 5}">${STATUS_LABELS[status]} ${formatCount(value)}</text>`
        : null
    }</g>`
    x += width
    return segment
  })
  const description =
    total === 0
      ? 'No leads in the campaign.'
      : `${formatCount(total)} leads: ${statuses
          .map((status) => `${STATUS_LABELS[status]} ${audience.statuses[status] ?? 0}`)
          .join(', ')}`
  const bar = chart({
    id: 'audience-statuses',
    kind: 'audience',
    width: WIDTH,
    height: HEIGHT,
    title: 'Leads by status',
    description,
    body: total === 0 ? rect(0, 0, WIDTH, HEIGHT, html` class="track"`) : html`${segments}`,
  })
  const legend = html`<ul class="legend">${LEAD_STATUSES.map(
    (status: LeadStatus) =>
      html`<li><svg class="swatch" viewBox="0 0 12 12" aria-hidden="true" focusable="false">${rect(0, 0, 12, 12, paint('fill', STATUS_COLORS[status]))}</svg>${STATUS_LABELS[status]} <strong>${formatCount(audience.statuses[status] ?? 0)}</strong> <span class="muted">${formatShare(audience.statuses[status] ?? 0, total)}</span></li>`,
  )}</ul>`
  return html`${bar}${legend}${substatusTable(audience)}`
}

function substatusTable(audience: ReportAudience): Html {
  const rows = Object.entries(audience.substatuses)
    .filter(([, value]) => value > 0)
    .map(([key, value]) => {
      const info = Object.hasOwn(LEAD_SUBSTATUSES, key) ? LEAD_SUBSTATUSES[key as LeadSubstatus] : undefined
      const status = (info?.status ?? 'unknown') as LeadStatus | 'unknown'
      return { key, value, info, status }
    })
    .sort(
      (a, b) =>
        rank(a.status) - rank(b.status) || b.value - a.value || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
  if (rows.length === 0) return html`<p class="muted empty">No substatuses to show.</p>`
  return html`<table class="substatuses"><thead><tr><th scope="col">Status</th><th scope="col">Substatus</th><th scope="col" class="num">Leads</th><th scope="col">What it means</th></tr></thead><tbody>${rows.map(
    (row) =>
      html`<tr data-substatus="${row.key}"><td>${row.status === 'unknown' ? '' : STATUS_LABELS[row.status]}</td><td>${row.info?.label ?? row.key}</td><td class="num">${formatCount(row.value)}</td><td class="muted">${row.info?.description ?? ''}</td></tr>`,
  )}</tbody></table>`
}

function rank(status: LeadStatus | 'unknown'): number {
  const index = LEAD_STATUSES.indexOf(status as LeadStatus)
  return index === -1 ? LEAD_STATUSES.length : index
}
