import { LEAD_STATUSES, type LeadStatus, STEP_KIND_INFO, type StepKind } from '@paceline/core'
import { chart, paint, rect } from './chart-frame'
import { formatCount, formatShare } from './format'
import { type Html, html } from './html'
import { COLORS, STATUS_LABELS } from './palette'
import type { ReportAudience, ReportCampaign } from './report-input'

type Step = ReportCampaign['progress'][number]

const WIDTH = 260
const HEIGHT = 22

/** Progress by action: each step in sequence order, with reached, passed and errored as a bar. */
export function progressTable(campaign: ReportCampaign): Html {
  const steps = campaign.progress
  if (steps.length === 0) return html`<p class="muted empty">The sequence has no steps.</p>`
  const scale = Math.max(1, ...steps.map((step) => Math.max(step.reached, step.passed + step.errored)))
  return html`<div class="scroll"><table class="progress" data-chart="progress"><thead><tr><th scope="col">#</th><th scope="col">Step</th><th scope="col" class="num">Reached</th><th scope="col" class="num">Passed</th><th scope="col" class="num">Errored</th><th scope="col">Reached, passed and errored</th><th scope="col">Leads there now</th></tr></thead><tbody>${steps.map(
    (step, index) => row(step, index, scale),
  )}</tbody></table></div><ul class="legend"><li>${swatch(COLORS.sky)}Reached</li><li>${swatch(COLORS.blue)}Passed (went on to the next step)</li><li>${swatch(COLORS.vermillion)}Errored</li><li>${swatch(COLORS.green)}${swatch(COLORS.grey)}Condition: Yes and No</li></ul>`
}

function row(step: Step, index: number, scale: number): Html {
  const kind = kindLabel(step.kind)
  const branches =
    step.branches === undefined
      ? null
      : html`<div class="muted">Yes ${formatCount(step.branches.yes)} · No ${formatCount(step.branches.no)}</div>`
  return html`<tr data-step="${step.stepId}"><td class="num">${index + 1}</td><td><span class="kind" data-kind="${step.kind}">${kind}</span> <span class="description">${step.description}</span>${branches}</td><td class="num">${formatCount(step.reached)}</td><td class="num">${formatCount(step.passed)}<span class="muted"> ${formatShare(step.passed, step.reached)}</span></td><td class="num">${formatCount(step.errored)}</td><td class="bar-cell">${stepBar(step, index, scale)}</td><td>${nowText(step.now)}</td></tr>`
}

function stepBar(step: Step, index: number, scale: number): Html {
  const unit = WIDTH / scale
  const reached = rect(
    0,
    3,
    step.reached * unit,
    HEIGHT - 6,
    html` class="reached"${paint('fill', COLORS.sky)}`,
  )
  let passed: Html
  if (step.branches === undefined) {
    passed = rect(0, 6, step.passed * unit, HEIGHT - 12, html` class="passed"${paint('fill', COLORS.blue)}`)
  } else {
    const yes = step.branches.yes * unit
    passed = html`${rect(0, 6, yes, HEIGHT - 12, html` class="passed yes"${paint('fill', COLORS.green)}`)}${rect(yes, 6, step.branches.no * unit, HEIGHT - 12, html` class="passed no"${paint('fill', COLORS.grey)}`)}`
  }
  const errorStart = step.branches === undefined ? step.passed : step.branches.yes + step.branches.no
  const errored = rect(
    errorStart * unit,
    6,
    step.errored * unit,
    HEIGHT - 12,
    html` class="errored"${paint('fill', COLORS.vermillion)}`,
  )
  const words = `Reached ${step.reached}, passed ${step.passed}, errored ${step.errored}${step.branches === undefined ? '' : `, Yes ${step.branches.yes}, No ${step.branches.no}`}`
  return chart({
    id: `progress-${index + 1}`,
    kind: 'progress-step',
    width: WIDTH,
    height: HEIGHT,
    title: `Step ${index + 1}`,
    description: words,
    body: html`${rect(0, 3, WIDTH, HEIGHT - 6, html` class="track"`)}${reached}${passed}${errored}`,
  })
}

function nowText(now: ReportAudience): Html {
  if (now.total === 0) return html`<span class="muted">none</span>`
  const parts = LEAD_STATUSES.filter((status) => (now.statuses[status] ?? 0) > 0).map(
    (status: LeadStatus) =>
      `${formatCount(now.statuses[status] ?? 0)} ${STATUS_LABELS[status].toLowerCase()}`,
  )
  return html`<strong>${formatCount(now.total)}</strong><span class="muted"> · ${parts.join(', ')}</span>`
}

const CHANNEL_LABELS = { linkedin: 'LinkedIn', email: 'Email', tasks: 'Tasks' } as const

/** The step's channel ("LinkedIn"), or "Logic" for conditions and steps that run inside the engine. */
function kindLabel(kind: string): string {
  const info = Object.hasOwn(STEP_KIND_INFO, kind) ? STEP_KIND_INFO[kind as StepKind] : undefined
  if (info === undefined) return kind
  return info.channel === null ? 'Logic' : CHANNEL_LABELS[info.channel]
}

function swatch(color: string): Html {
  return html`<svg class="swatch" viewBox="0 0 12 12" aria-hidden="true" focusable="false">${rect(0, 0, 12, 12, paint('fill', color))}</svg>`
}
