import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { createEngine, PacelineError, templates } from '@paceline/core'
import { createMemoryStorage, VirtualClock } from '@paceline/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderCampaignReport, writeCampaignReport } from '../src/index'
import {
  HOSTILE_NAME,
  HOSTILE_TAG,
  type SimulatedCampaign,
  simulatedCampaign,
} from './support/simulated-campaign'

let run: SimulatedCampaign
const folder = mkdtempSync(join(tmpdir(), 'paceline-report-'))

beforeAll(async () => {
  run = await simulatedCampaign()
}, 120_000)

afterAll(async () => {
  await run?.engine.close()
  rmSync(folder, { recursive: true, force: true })
})

const input = () => ({
  campaign: run.campaign,
  daily: run.daily,
  identity: run.identity,
  title: HOSTILE_NAME,
})

/** `text` is in the report (a failure quotes `text`, not the whole report). */
function expectIn(report: string, text: string) {
  expect(report.includes(text), `the report should contain ${text}`).toBe(true)
}

function expectNotIn(report: string, text: string) {
  expect(report.includes(text), `the report should not contain ${text}`).toBe(false)
}

/** Every tag name of the markup, lower case. */
const tagsOf = (markup: string) =>
  new Set([...markup.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]?.toLowerCase()))

describe('renderCampaignReport', () => {
  it('draws every section of a simulated campaign, one bar per day', () => {
    const report = renderCampaignReport(input())
    expect(report.startsWith('<!doctype html>')).toBe(true)
    for (const id of ['summary', 'funnels', 'daily', 'progress', 'audience', 'identity', 'tags'])
      expectIn(report, `id="${id}"`)
    for (const chart of ['funnel-all', 'funnel-linkedin', 'funnel-email', 'funnel-tasks'])
      expectIn(report, `id="${chart}"`)
    expect(report.match(/<g class="day" /g)?.length).toBe(run.daily.days.length)
    expect(report.match(/<tr data-step="/g)?.length).toBe(run.campaign.progress.length)
    // The numbers are in the file as text.
    expectIn(report, `data-value="${run.campaign.all.total}"`)
    expectIn(report, `${run.identity.connections.sent} of ${run.identity.connections.allowed} allowed`)
    expectIn(report, 'No response')
    // The scenario is rich enough for every chart to show something.
    expect(run.campaign.all.replied).toBeGreaterThan(0)
    expect(run.campaign.email.sent).toBeGreaterThan(0)
    expect(run.campaign.tags.length).toBeGreaterThan(1)
    expect(run.campaign.tasks.completed).toBe(1)
  })

  it('is self-contained: no script, no external stylesheet, font, image or link', () => {
    const report = renderCampaignReport(input())
    const tags = tagsOf(report)
    for (const tag of ['script', 'img', 'iframe', 'object', 'embed', 'image', 'use', 'foreignobject'])
      expect(tags.has(tag), tag).toBe(false)
    expect(/@import|url\(|@font-face/.test(report)).toBe(false)
    // The only URL is the SVG namespace; the only link is the empty data: icon.
    expect([...new Set(report.match(/https?:\/\/[^"'\s)]+/g))]).toEqual(['http://www.w3.org/2000/svg'])
    expect(report.match(/\b(?:src|href)="[^"]*"/g)).toEqual(['href="data:,"'])
  })

  it('escapes every text from the campaign: a name or tag made of markup renders as text', () => {
    const report = renderCampaignReport(input())
    expect(run.campaign.tags.some((tag) => tag.tag === HOSTILE_TAG.toLowerCase())).toBe(true)
    expectNotIn(report, '<script')
    expectNotIn(report, '<img')
    expectIn(report, 'Q2 &lt;script&gt;window.__pwned = 1&lt;/script&gt; outbound &amp; &quot;co&quot;')
    expectIn(report, '&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;')
    // Step descriptions quote the messages, placeholders and quotes included.
    expectIn(report, '{{firstName | &quot;there&quot;}}')
  })

  it('is deterministic and reads no clock: the time it was generated is printed only when given', () => {
    const first = renderCampaignReport(input())
    expect(renderCampaignReport(input())).toBe(first)
    expectNotIn(first, 'Generated')
    const dated = renderCampaignReport({ ...input(), generatedAt: new Date('2026-03-26T07:30:00Z') })
    expectIn(dated, '<dt>Generated</dt><dd>Thu, 26 Mar 2026, 07:30 UTC</dd>')
    expect(renderCampaignReport({ ...input(), generatedAt: '2026-03-26T08:30:00+01:00' })).toBe(dated)
  })

  it('leaves the sender out without an identity dashboard, and titles the report with the campaign id by default', () => {
    const report = renderCampaignReport({ campaign: run.campaign, daily: run.daily })
    expectNotIn(report, 'id="identity"')
    expectIn(report, '<h1>q2</h1>')
  })

  it('names the field when the input is not the engine analytics', () => {
    const broken = { ...run.campaign, all: { ...run.campaign.all, total: -1 } }
    const failure = (value: unknown) => {
      try {
        renderCampaignReport(value as Parameters<typeof renderCampaignReport>[0])
      } catch (error) {
        return error
      }
      throw new Error('expected a PacelineError')
    }
    const negative = failure({ ...input(), campaign: broken })
    expect(PacelineError.is(negative, 'invalid_options')).toBe(true)
    expect((negative as PacelineError).issues.map((issue) => issue.field)).toEqual(['campaign.all.total'])
    expect((negative as PacelineError).message).toContain('renderCampaignReport input')

    const otherCampaign = failure({ ...input(), daily: { ...run.daily, campaignId: 'other' } })
    expect((otherCampaign as PacelineError).issues.map((issue) => issue.field)).toEqual(['daily.campaignId'])

    const unknown = failure({ ...input(), titel: 'x' })
    expect((unknown as PacelineError).issues[0]).toMatchObject({ field: 'titel', rule: 'unknown_field' })

    const missing = failure({ campaign: run.campaign })
    expect((missing as PacelineError).issues.map((issue) => issue.field)).toEqual(['daily'])

    const badDate = failure({ ...input(), generatedAt: 'yesterday' })
    expect((badDate as PacelineError).issues.map((issue) => issue.field)).toEqual(['generatedAt'])
  })

  it('draws a campaign with no activity yet (nothing divides by zero)', async () => {
    const storage = createMemoryStorage()
    const engine = createEngine({ storage, clock: new VirtualClock('2026-03-02T09:00:00Z') })
    await engine.identities.put({
      id: 'bo',
      name: 'Bo',
      workingHours: { timezone: 'UTC' },
      email: { inboxes: [{ address: 'bo@acme.example' }] },
    })
    await engine.campaigns.create({ id: 'new', identityId: 'bo', sequence: templates.emailOnly.sequence })
    const report = renderCampaignReport({
      campaign: await engine.analytics.campaign('new'),
      daily: await engine.analytics.daily('new'),
      identity: await engine.analytics.identity('bo'),
    })
    expectIn(report, 'No actions in this period.')
    expectIn(report, 'No answers in this period.')
    expectIn(report, 'No conversation was tagged in this period.')
    expect(report.match(/NaN|Infinity|undefined/)).toBeNull()
    expect(report.match(/<g class="day" /g)?.length).toBe(1)
    await engine.close()
  })
})

describe('writeCampaignReport', () => {
  it("reads the engine's analytics, writes the file (folder included) and returns its absolute path", async () => {
    const path = await writeCampaignReport(run.engine, {
      campaignId: 'q2',
      path: join(folder, 'nested', 'report.html'),
    })
    expect(isAbsolute(path)).toBe(true)
    const written = readFileSync(path, 'utf8')
    // Titled with the campaign's name, escaped; the sender covers the campaign's days.
    expectIn(written, '<h1>Q2 &lt;script&gt;window.__pwned = 1&lt;/script&gt; outbound')
    expectIn(written, 'id="identity"')
    expectIn(written, `${run.identity.connections.sent} of `)
    const days = (await run.engine.analytics.daily('q2')).days.length
    expect(written.match(/<g class="day" /g)?.length).toBe(days)
    expect(days).toBeGreaterThan(20)
  })

  it('passes a period to every query', async () => {
    const period = { since: '2026-03-09', until: '2026-03-15', timeZone: 'Europe/Madrid' }
    const path = await writeCampaignReport(run.engine, {
      campaignId: 'q2',
      path: join(folder, 'week.html'),
      period,
      title: 'Week 2',
      generatedAt: '2026-03-16T08:00:00Z',
    })
    const written = readFileSync(path, 'utf8')
    expectIn(written, '<h1>Week 2</h1>')
    expect(written.match(/<g class="day" /g)?.length).toBe(7)
    expectIn(written, 'Mon, 9 Mar 2026, 00:00 to Mon, 16 Mar 2026, 00:00')
    const identity = await run.engine.analytics.identity('ana', period)
    expectIn(written, `${identity.connections.sent} of ${identity.connections.allowed} allowed`)
  })

  it('names the field of bad options, and lets the engine name a bad period', async () => {
    await expect(writeCampaignReport(run.engine, { campaignId: ' ', path: 'x.html' })).rejects.toMatchObject({
      code: 'invalid_options',
      issues: [expect.objectContaining({ field: 'campaignId' })],
    })
    await expect(
      writeCampaignReport(run.engine, {
        campaignId: 'q2',
        path: join(folder, 'x.html'),
        period: { since: 'March' },
      }),
    ).rejects.toMatchObject({ code: 'invalid_query' })
    await expect(
      writeCampaignReport(run.engine, { campaignId: 'nope', path: join(folder, 'x.html') }),
    ).rejects.toMatchObject({ code: 'not_found' })
  })
})
