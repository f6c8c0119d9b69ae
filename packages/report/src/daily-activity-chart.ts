import type { DailyActivityName } from '@paceline/core'
import { chart, paint, rect } from './chart-frame'
import { coordinate, formatAxisDate, formatCount, formatDate, isWeekend, niceScale } from './format'
import { type Html, html } from './html'
import { SERIES, SERIES_ORDER } from './palette'
import type { ReportDaily } from './report-input'

type Day = ReportDaily['days'][number]

const WIDTH = 1120
const LEFT = 48
const RIGHT = 12
const TOP = 12
const BOTTOM = 30
const PLOT = WIDTH - LEFT - RIGHT

/**
 * The campaign's activity per local day: what the campaign did (stacked bars) and how leads answered
 * (lines), each with its axes and legend, then the numbers as a table.
 */
export function dailyActivityCharts(daily: ReportDaily): Html {
  const days = daily.days
  const total = (name: DailyActivityName) => days.reduce((sum, day) => sum + day[name], 0)
  const shown = SERIES_ORDER.filter((name) => total(name) > 0)
  const actions = shown.filter((name) => SERIES[name].action)
  const responses = shown.filter((name) => !SERIES[name].action)
  const zone = daily.period.timeZone
  return html`<figure class="panel"><figcaption><h3>What the campaign did</h3><p class="muted">Actions per day (${zone} dates).</p></figcaption>${actionsChart(days, actions)}${legend(actions, 'No actions in this period.')}</figure>
<figure class="panel"><figcaption><h3>How leads answered</h3><p class="muted">Events per day (${zone} dates).</p></figcaption>${responsesChart(days, responses)}${legend(responses, 'No answers in this period.')}</figure>
<details class="data-table"><summary>Daily activity as a table</summary>${table(days, shown)}</details>`
}

function actionsChart(days: readonly Day[], series: readonly DailyActivityName[]): Html {
  const height = 280
  const plotHeight = height - TOP - BOTTOM
  const max = Math.max(0, ...days.map((day) => series.reduce((sum, name) => sum + day[name], 0)))
  const scale = niceScale(max)
  const slot = PLOT / Math.max(days.length, 1)
  const barWidth = Math.max(1, Math.min(40, slot * 0.72))
  const y = (value: number) => TOP + plotHeight - (value / scale.max) * plotHeight
  const bars = days.map((day, index) => {
    const x = LEFT + index * slot + (slot - barWidth) / 2
    let stacked = 0
    const parts = series
      .filter((name) => day[name] > 0)
      .map((name) => {
        const top = y(stacked + day[name])
        const bottom = y(stacked)
        stacked += day[name]
        return rect(
          x,
          top,
          barWidth,
          bottom - top,
          html` class="segment" data-series="${name}"${paint('fill', SERIES[name].color)}`,
        )
      })
    const tooltip = `${formatDate(day.date)}: ${series.map((name) => `${SERIES[name].label} ${formatCount(day[name])}`).join(', ') || 'nothing'}`
    // Every day has a group, a bar of zero height on quiet days, so the chart has one bar per day.
    return html`<g class="day" data-date="${day.date}" data-total="${stacked}"><title>${tooltip}</title>${rect(x, y(0), barWidth, 0, html` class="baseline"`)}${parts}</g>`
  })
  const description = days
    .map(
      (day) =>
        `${day.date}: ${series.map((name) => `${SERIES[name].label} ${day[name]}`).join(', ') || 'no actions'}`,
    )
    .join('; ')
  return chart({
    id: 'daily-actions',
    kind: 'daily-actions',
    width: WIDTH,
    height,
    title: 'Actions per day',
    description,
    body: html`${weekends(days, slot, height)}${yAxis(scale, y)}${xAxis(days, slot, height)}${bars}`,
  })
}

function responsesChart(days: readonly Day[], series: readonly DailyActivityName[]): Html {
  const height = 220
  const plotHeight = height - TOP - BOTTOM
  const max = Math.max(0, ...days.flatMap((day) => series.map((name) => day[name])))
  const scale = niceScale(max)
  const slot = PLOT / Math.max(days.length, 1)
  const x = (index: number) => LEFT + index * slot + slot / 2
  const y = (value: number) => TOP + plotHeight - (value / scale.max) * plotHeight
  const lines = series.map((name) => {
    const color = SERIES[name].color
    const points = days.map((day, index) => `${coordinate(x(index))},${coordinate(y(day[name]))}`).join(' ')
    const dots = days.map(
      (day, index) =>
        html`<circle class="point" data-series="${name}" data-date="${day.date}" cx="${coordinate(x(index))}" cy="${coordinate(y(day[name]))}" r="${slot < 8 ? 1.5 : 3}"${paint('fill', color)}><title>${formatDate(day.date)}: ${SERIES[name].label} ${formatCount(day[name])}</title></circle>`,
    )
    return html`<g class="series" data-series="${name}"><polyline class="line" points="${points}" fill="none"${paint('stroke', color)}/>${dots}</g>`
  })
  const description = series
    .map((name) => `${SERIES[name].label}: ${days.map((day) => `${day.date} ${day[name]}`).join(', ')}`)
    .join('; ')
  return chart({
    id: 'daily-responses',
    kind: 'daily-responses',
    width: WIDTH,
    height,
    title: 'Answers per day',
    description: description || 'No answers in this period.',
    body: html`${weekends(days, slot, height)}${yAxis(scale, y)}${xAxis(days, slot, height)}${lines}`,
  })
}

/** Saturdays and Sundays shaded, so a quiet weekend reads as one. */
function weekends(days: readonly Day[], slot: number, height: number): Html {
  return html`${days.map((day, index) =>
    isWeekend(day.date)
      ? rect(LEFT + index * slot, TOP, slot, height - TOP - BOTTOM, html` class="weekend"`)
      : null,
  )}`
}

function yAxis(scale: { max: number; step: number }, y: (value: number) => number): Html {
  const ticks: Html[] = []
  for (let value = 0; value <= scale.max; value += scale.step)
    ticks.push(
      html`<line class="grid" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${coordinate(y(value))}" y2="${coordinate(y(value))}"/><text class="tick" x="${LEFT - 8}" y="${coordinate(y(value) + 4)}" text-anchor="end">${formatCount(value)}</text>`,
    )
  return html`<g class="axis y-axis">${ticks}</g>`
}

function xAxis(days: readonly Day[], slot: number, height: number): Html {
  // A label every `every` days, so labels never overlap (about 56 units each).
  const every = Math.max(1, Math.ceil(56 / slot))
  const base = height - BOTTOM
  const labels = days.map((day, index) =>
    index % every === 0
      ? html`<text class="tick" x="${coordinate(LEFT + index * slot + slot / 2)}" y="${base + 18}" text-anchor="middle">${formatAxisDate(day.date)}</text>`
      : null,
  )
  return html`<g class="axis x-axis"><line class="domain" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${base}" y2="${base}"/>${labels}</g>`
}

function legend(series: readonly DailyActivityName[], empty: string): Html {
  if (series.length === 0) return html`<p class="muted empty">${empty}</p>`
  return html`<ul class="legend">${series.map(
    (name) =>
      html`<li><svg class="swatch" viewBox="0 0 12 12" aria-hidden="true" focusable="false">${rect(0, 0, 12, 12, paint('fill', SERIES[name].color))}</svg>${SERIES[name].label}</li>`,
  )}</ul>`
}

function table(days: readonly Day[], series: readonly DailyActivityName[]): Html {
  return html`<div class="scroll"><table class="numbers"><thead><tr><th scope="col">Date</th>${series.map(
    (name) => html`<th scope="col">${SERIES[name].label}</th>`,
  )}</tr></thead><tbody>${days.map(
    (day) =>
      html`<tr><th scope="row">${formatDate(day.date)}</th>${series.map((name) => html`<td>${formatCount(day[name])}</td>`)}</tr>`,
  )}</tbody></table></div>`
}
