/// <reference lib="dom" />
// The page callbacks below run inside Chromium, so this file alone sees the DOM types.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import chromium from '@sparticuz/chromium'
import { type Browser, type Page, chromium as playwright } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeCampaignReport } from '../src/index'
import {
  HOSTILE_NAME,
  HOSTILE_TAG,
  type SimulatedCampaign,
  simulatedCampaign,
} from './support/simulated-campaign'

// A real browser opens the report from disk: headless Chromium from the @sparticuz/chromium npm package
// (unpacked to the temp folder on first use, about 3 s), driven by playwright-core. Nothing to install by
// hand, and no skipping: if Chromium cannot start, this fails.
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts')
const folder = mkdtempSync(join(tmpdir(), 'paceline-report-browser-'))

let run: SimulatedCampaign
let file: string
let browser: Browser
let page: Page
const problems: string[] = []
const requests: string[] = []

beforeAll(async () => {
  run = await simulatedCampaign()
  file = await writeCampaignReport(run.engine, { campaignId: 'q2', path: join(folder, 'report.html') })
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
  page.on('request', (request) => requests.push(request.url()))
  // `load` waits for the document and everything it refers to (there is nothing else to wait for).
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await run?.engine.close()
  rmSync(folder, { recursive: true, force: true })
})

interface Box {
  readonly id: string
  readonly kind: string
  readonly width: number
  readonly height: number
}

describe('the report in headless Chromium', () => {
  it('opens from disk with nothing else loaded and no errors', async () => {
    expect(problems).toEqual([])
    expect(requests).toEqual([pathToFileURL(file).href])
    expect(await page.title()).toBe(`${HOSTILE_NAME} · campaign report`)
  })

  it('draws every chart with a size', async () => {
    const boxes: Box[] = await page.$$eval('svg.chart', (charts) =>
      charts.map((chart) => {
        const box = chart.getBoundingClientRect()
        return { id: chart.id, kind: chart.dataset.chart ?? '', width: box.width, height: box.height }
      }),
    )
    const count = (kind: string) => boxes.filter((box) => box.kind === kind).length
    expect(count('funnel')).toBe(4)
    expect(count('daily-actions')).toBe(1)
    expect(count('daily-responses')).toBe(1)
    expect(count('audience')).toBe(1)
    expect(count('identity')).toBe(1)
    expect(count('progress-step')).toBe(run.campaign.progress.length)
    for (const box of boxes) {
      expect(box.width, box.id).toBeGreaterThan(box.kind === 'progress-step' ? 100 : 300)
      expect(box.height, box.id).toBeGreaterThan(10)
    }
    // The page fits a 1280-pixel window: nothing scrolls sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280)
  })

  it('has one bar per day, each as tall as its actions, and one point per day on each answer line', async () => {
    const days = run.daily.days
    const bars = await page.$$eval('#daily-actions g.day', (groups) =>
      groups.map((group) => ({
        date: group.getAttribute('data-date'),
        total: Number(group.getAttribute('data-total')),
        height: (group as SVGGElement).getBBox().height,
      })),
    )
    expect(bars.map((bar) => bar.date)).toEqual(days.map((day) => day.date))
    const actions = days.map(
      (day) =>
        day.profileVisits +
        day.postReactions +
        day.invitationsSent +
        day.linkedinMessagesSent +
        day.emailsSent +
        day.tasksCreated,
    )
    expect(bars.map((bar) => bar.total)).toEqual(actions)
    for (const [index, bar] of bars.entries()) {
      if ((actions[index] ?? 0) > 0) expect(bar.height, bar.date ?? '').toBeGreaterThan(0)
    }
    // Taller bar, more actions.
    const tallest = bars.reduce((best, bar) => (bar.height > best.height ? bar : best))
    expect(tallest.total).toBe(Math.max(...actions))

    const lines = await page.$$eval('#daily-responses g.series', (series) =>
      series.map((each) => ({
        name: each.getAttribute('data-series'),
        points: each.querySelectorAll('circle.point').length,
      })),
    )
    expect(lines.map((line) => line.name)).toEqual(
      expect.arrayContaining(['invitationsAccepted', 'replies', 'emailsBounced', 'outOfOffice']),
    )
    for (const line of lines) expect(line.points, line.name ?? '').toBe(days.length)
  })

  it('shows the funnel values as text', async () => {
    // SVG text has no innerText: its text content, once each label is known to be visible.
    const values = async (id: string) => {
      const labels = page.locator(`#${id} text.value`)
      for (const label of await labels.all()) expect(await label.isVisible()).toBe(true)
      return (await labels.allTextContents()).map((text) => text.split(' ')[0])
    }
    const { all, linkedin, email, tasks } = run.campaign
    expect(await values('funnel-all')).toEqual(
      [all.total, all.started, all.contacted, all.replied, all.positive].map(String),
    )
    expect(await values('funnel-linkedin')).toEqual(
      [
        linkedin.engaged,
        linkedin.invited,
        linkedin.accepted,
        linkedin.contacted,
        linkedin.replied,
        linkedin.positive,
      ].map(String),
    )
    expect(await values('funnel-email')).toEqual(
      [email.sent, email.opened, email.clicked, email.replied, email.positive, email.bounced].map(String),
    )
    expect(await values('funnel-tasks')).toEqual([tasks.pending, tasks.completed].map(String))
    expect(await page.locator('#identity-usage text.value').first().textContent()).toContain(
      `${run.identity.connections.sent} of`,
    )
  })

  it('shows names made of markup as text, and runs none of it', async () => {
    const heading = page.locator('h1')
    expect(await heading.isVisible()).toBe(true)
    expect(await heading.textContent()).toBe(HOSTILE_NAME)
    expect(await page.locator('#tags td.tag').allTextContents()).toContain(HOSTILE_TAG.toLowerCase())
    expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined()
    expect(await page.locator('script, img').count()).toBe(0)
  })

  it('saves a screenshot and a printed PDF as test artifacts', async () => {
    mkdirSync(artifacts, { recursive: true })
    const png = join(artifacts, 'report.png')
    await page.screenshot({ path: png, fullPage: true })
    expect(statSync(png).size).toBeGreaterThan(0)
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG')
    const pdf = join(artifacts, 'report.pdf')
    await page.emulateMedia({ media: 'print' })
    await page.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true })
    await page.emulateMedia({ media: 'screen' })
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(problems).toEqual([])
  })
})
