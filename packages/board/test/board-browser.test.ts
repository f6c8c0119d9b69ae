/// <reference lib="dom" />
// The page callbacks below run inside Chromium, so this file alone sees the DOM types.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import AxeBuilder from '@axe-core/playwright'
import chromium from '@sparticuz/chromium'
import { type Browser, type BrowserContext, type Page, chromium as playwright } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type DemoWorkspace, demoWorkspace } from '../src/demo/index'
import type { BoardActionType } from '../src/index'
import { type ServedBoard, serveBoard } from './support/serve-board'

// Headless Chromium from the @sparticuz/chromium npm package (unpacked to the temp folder on first use),
// driven by playwright-core, against the board served by Node's http server on a simulated workspace.
// Nothing to install by hand, and no skipping: if Chromium cannot start, this fails.
const artifacts = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-artifacts')

const UNWANTED_FLAGS = ['--single-process', '--disable-web-security', '--allow-running-insecure-content']

let workspace: DemoWorkspace
let served: ServedBoard
let browser: Browser
let context: BrowserContext
let page: Page
/** Actions the host's `authorize` refuses; tests change it. */
const denied = new Set<BoardActionType>()
const asked: string[] = []
let problems: string[] = []

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true })
  workspace = await demoWorkspace()
  served = await serveBoard({
    engine: workspace.engine,
    basePath: '/board',
    clock: workspace.clock,
    timeZone: 'Europe/Madrid',
    authorize: (_request, action) => {
      asked.push(action.type)
      return !denied.has(action.type)
    },
  })
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    // The package's flags are made for one page in a serverless function; this test wants several contexts
    // (one without JavaScript) and the browser's usual same-origin rules, so those three flags go.
    args: chromium.args.filter((flag) => !UNWANTED_FLAGS.includes(flag)),
    headless: true,
  })
  context = await browser.newContext({ viewport: { width: 1366, height: 900 } })
  page = await context.newPage()
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
  page.on('request', (request) => {
    if (!request.url().startsWith(served.origin) && !request.url().startsWith('data:'))
      problems.push(`request to another origin: ${request.url()}`)
  })
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
  })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await served?.close()
  await workspace?.close()
})

beforeEach(() => {
  problems = []
  denied.clear()
})

/** Opens a page of the board and waits until it and its assets have loaded. */
async function open(path: string): Promise<void> {
  await page.goto(`${served.url}${path}`, { waitUntil: 'load' })
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifacts, `board-${name}.png`), fullPage: true })
}

/** axe's serious and critical findings on the open page (WCAG 2.1 A and AA rules and best practices). */
async function accessibilityProblems(): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes
          .slice(0, 3)
          .map((node) => node.target.join(' '))
          .join(', ')}`,
    )
}

async function ids() {
  const engine = workspace.engine
  const campaigns = (await engine.campaigns.list({ limit: 100 })).items
  const withErrors = []
  for (const campaign of campaigns) {
    const errors = await engine.leads.list(campaign.id, { status: 'error', limit: 1 })
    if (errors.items.length > 0) withErrors.push({ campaign, lead: errors.items[0] })
  }
  const waiting = (await engine.conversations.list({ needsAnswer: true, limit: 500 })).items
  const suggested = waiting.find((conversation) => conversation.agent.hasSuggestion)
  const running = campaigns.find((campaign) => campaign.status === 'running')
  if (withErrors[0] === undefined || suggested === undefined || running === undefined)
    throw new Error('the demo workspace needs a lead in error, a suggestion and a running campaign')
  return { campaigns, withErrors: withErrors[0], suggested, running }
}

describe('every page in headless Chromium', () => {
  const pages = [
    ['identities', async () => '/identities'],
    ['campaigns', async () => '/campaigns'],
    ['campaign', async () => `/campaigns/${(await ids()).withErrors.campaign.id}`],
    [
      'lead',
      async () => {
        const { withErrors } = await ids()
        return `/campaigns/${withErrors.campaign.id}/leads/${encodeURIComponent(withErrors.lead?.leadId ?? '')}`
      },
    ],
    ['conversations', async () => '/conversations'],
    ['conversation', async () => `/conversations/${(await ids()).suggested.id}`],
  ] as const

  for (const [name, path] of pages) {
    it(`${name}: loads with no console error, nothing from elsewhere, and no serious accessibility problem`, async () => {
      await open(await path())
      expect(await page.locator('h1').count()).toBe(1)
      expect(await page.locator('main#content').isVisible()).toBe(true)
      await screenshot(name)
      // The top of the page as a laptop shows it, for the README.
      if (name === 'campaign') await page.screenshot({ path: join(artifacts, 'board-campaign-top.png') })
      expect(problems).toEqual([])
      expect(await accessibilityProblems()).toEqual([])
    }, 60_000)
  }

  it('draws the charts: the campaign overview, the daily activity and each identity’s use against its limits', async () => {
    const { withErrors } = await ids()
    await open(`/campaigns/${withErrors.campaign.id}`)
    const kinds = await page.$$eval('svg.chart', (charts) =>
      charts
        .filter(
          (chart) => chart.getBoundingClientRect().width > 100 && chart.getBoundingClientRect().height > 20,
        )
        .map((chart) => chart.dataset.chart ?? ''),
    )
    expect(kinds.filter((kind) => kind === 'funnel').length).toBe(4)
    expect(kinds).toContain('daily-actions')
    expect(await page.locator('svg[data-chart="daily-actions"] g.day').count()).toBeGreaterThan(10)
    await open('/identities')
    const identities = (await workspace.engine.identities.list()).length
    expect(await page.locator('svg.chart[data-chart="identity"]').count()).toBe(identities)
    expect(await page.locator('#billing').isVisible()).toBe(true)
    expect(problems).toEqual([])
  }, 60_000)
})

describe('the audience table', () => {
  it('filters by status with the select alone (the script submits it), and pages through the leads', async () => {
    const { withErrors } = await ids()
    const campaignId = withErrors.campaign.id
    await open(`/campaigns/${campaignId}`)
    const all = await page.locator('table.audience tbody tr').count()
    expect(all).toBeGreaterThan(0)
    await Promise.all([page.waitForURL(/status=error/), page.selectOption('#filter-status', 'error')])
    const statuses = await page.$$eval('table.audience tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-status')),
    )
    const errors = await workspace.engine.leads.list(campaignId, { status: 'error', limit: 500 })
    expect(statuses.length).toBe(Math.min(errors.items.length, 25))
    expect(new Set(statuses)).toEqual(new Set(['error']))
    expect(await page.locator('#filter-status').inputValue()).toBe('error')
    expect(problems).toEqual([])
  }, 60_000)

  it('pages: the next page shows other leads, and the first page comes back', async () => {
    const engine = workspace.engine
    const campaigns = (await engine.campaigns.list({ limit: 100 })).items
    let target: string | undefined
    for (const campaign of campaigns)
      if ((await engine.leads.list(campaign.id, { limit: 25 })).next !== undefined) target = campaign.id
    expect(target, 'the demo needs a campaign with more than 25 leads').toBeDefined()
    await open(`/campaigns/${target}`)
    const first = await page.$$eval('table.audience tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-lead')),
    )
    expect(first.length).toBe(25)
    await Promise.all([page.waitForURL(/after=/), page.getByRole('link', { name: 'Next page' }).click()])
    const second = await page.$$eval('table.audience tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-lead')),
    )
    expect(second.length).toBeGreaterThan(0)
    expect(second.filter((lead) => first.includes(lead))).toEqual([])
    await Promise.all([
      page.waitForURL((url) => !url.search.includes('after=')),
      page.getByRole('link', { name: 'First page' }).click(),
    ])
    expect(
      await page.$$eval('table.audience tbody tr', (rows) =>
        rows.map((row) => row.getAttribute('data-lead')),
      ),
    ).toEqual(first)
    expect(problems).toEqual([])
  }, 60_000)

  it('works without JavaScript: the Apply button filters', async () => {
    const { withErrors } = await ids()
    const plain = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 1280, height: 900 },
    })
    const noScript = await plain.newPage()
    await noScript.goto(`${served.url}/campaigns/${withErrors.campaign.id}`)
    await noScript.selectOption('#filter-status', 'error')
    await Promise.all([
      noScript.waitForURL(/status=error/),
      noScript.getByRole('button', { name: 'Apply' }).click(),
    ])
    const statuses = await noScript.$$eval('table.audience tbody tr', (rows) =>
      rows.map((row) => row.getAttribute('data-status')),
    )
    expect(statuses.length).toBeGreaterThan(0)
    expect(new Set(statuses)).toEqual(new Set(['error']))
    await plain.close()
  }, 60_000)

  it('downloads the filtered leads as CSV', async () => {
    const { withErrors } = await ids()
    await open(`/campaigns/${withErrors.campaign.id}?status=error`)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /CSV/ }).click(),
    ])
    const path = join(artifacts, 'audience.csv')
    await download.saveAs(path)
    const { readFileSync } = await import('node:fs')
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/)
    const errors = await workspace.engine.leads.list(withErrors.campaign.id, { status: 'error', limit: 500 })
    expect(lines.length - 1).toBe(errors.items.length)
  }, 60_000)
})

describe('answering with the copilot', () => {
  it('edits the suggested answer, sends it, and the conversation shows it', async () => {
    const { suggested } = await ids()
    await open('/conversations')
    const row = page.locator(`tr[data-conversation="${suggested.id}"]`)
    expect(await row.locator('text=Suggestion ready').count()).toBe(1)
    await Promise.all([
      page.waitForURL(new RegExp(`/conversations/${suggested.id}$`)),
      row.getByRole('link').click(),
    ])
    const box = page.getByLabel('Answer (edit it before sending if you like)')
    const draft = await box.inputValue()
    expect(draft.length).toBeGreaterThan(0)
    const edited = `${draft}\n\nP.S. Edited in the board before sending.`
    await box.fill(edited)
    await Promise.all([
      page.waitForURL(/done=suggestion-sent/),
      page.getByRole('button', { name: 'Send this answer' }).click(),
    ])
    expect(await page.getByRole('status').textContent()).toContain('on its way')
    const last = page.locator('ol.messages li.message').last()
    expect(await last.getAttribute('data-direction')).toBe('outbound')
    expect(await last.textContent()).toContain('P.S. Edited in the board before sending.')
    const conversation = await workspace.engine.conversations.get(suggested.id)
    const sent = conversation.messages.at(-1)
    expect(sent?.author).toBe('person')
    expect(sent?.text.trim()).toBe(edited.trim())
    expect(conversation.needsAnswer).toBe(false)
    expect(await workspace.engine.conversations.suggestion(suggested.id)).toBeUndefined()
    expect(asked).toContain('approve-suggestion')
    expect(problems).toEqual([])
    await screenshot('conversation-sent')
  }, 60_000)
})

describe('actions', () => {
  it('pauses and resumes a campaign through its buttons', async () => {
    const { running } = await ids()
    page.once('dialog', (dialog) => dialog.accept())
    await open(`/campaigns/${running.id}`)
    await Promise.all([
      page.waitForURL(/done=campaign-paused/),
      page.getByRole('button', { name: 'Pause campaign' }).click(),
    ])
    expect((await workspace.engine.campaigns.get(running.id)).status).toBe('paused')
    await Promise.all([
      page.waitForURL(/done=campaign-resumed/),
      page.getByRole('button', { name: 'Resume campaign' }).click(),
    ])
    expect((await workspace.engine.campaigns.get(running.id)).status).toBe('running')
    expect(problems).toEqual([])
  }, 60_000)

  it('honours authorize: a denied action has no button, and posting it anyway is refused', async () => {
    const { running } = await ids()
    denied.add('pause-campaign')
    await open(`/campaigns/${running.id}`)
    expect(await page.getByRole('button', { name: 'Pause campaign' }).count()).toBe(0)
    const token = await page.locator('input[name="_csrf"]').first().inputValue()
    const response = await page.request.post(`${served.url}/campaigns/${running.id}/pause`, {
      form: { _csrf: token, back: '/board/campaigns' },
      headers: { origin: served.origin },
    })
    expect(response.status()).toBe(403)
    expect(await response.text()).toContain('not allowed to pause this campaign')
    expect((await workspace.engine.campaigns.get(running.id)).status).toBe('running')
  }, 60_000)

  it('refuses a POST without the CSRF token, and one from another site', async () => {
    const { running } = await ids()
    await open(`/campaigns/${running.id}`)
    const withoutToken = await page.request.post(`${served.url}/campaigns/${running.id}/pause`, {
      form: { back: '/board/campaigns' },
    })
    expect(withoutToken.status()).toBe(403)
    expect(await withoutToken.text()).toContain('security token')
    const token = await page.locator('input[name="_csrf"]').first().inputValue()
    const crossSite = await page.request.post(`${served.url}/campaigns/${running.id}/pause`, {
      form: { _csrf: token },
      headers: { origin: 'https://evil.example' },
    })
    expect(crossSite.status()).toBe(403)
    expect((await workspace.engine.campaigns.get(running.id)).status).toBe('running')
  }, 60_000)
})

describe('answering by hand and tagging', () => {
  it('adds a tag, removes it, and sends an answer written by hand', async () => {
    const waiting = (await workspace.engine.conversations.list({ needsAnswer: true, limit: 500 })).items
    const target = waiting.find((conversation) => !conversation.agent.hasSuggestion)
    if (target === undefined) throw new Error('the demo needs a conversation waiting without a suggestion')
    await open(`/conversations/${target.id}`)
    await page.getByLabel('New tag').fill('Call next week')
    await page.getByLabel('Counts as').selectOption('positive')
    await Promise.all([
      page.waitForURL(/done=tags-saved/),
      page.getByRole('button', { name: 'Add tag' }).click(),
    ])
    let tags = (await workspace.engine.conversations.get(target.id)).tags
    expect(tags).toContainEqual({ name: 'Call next week', category: 'positive', source: 'manual' })
    await Promise.all([
      page.waitForURL(/done=tags-saved/),
      page.getByRole('button', { name: 'Remove the tag Call next week' }).click(),
    ])
    tags = (await workspace.engine.conversations.get(target.id)).tags
    expect(tags.map((tag) => tag.name)).not.toContain('Call next week')

    const answer = 'Thanks for getting back to me.\nWould Thursday at 10:00 suit you?'
    await page.getByLabel('Your answer').fill(answer)
    await Promise.all([
      page.waitForURL(/done=reply-sent/),
      page.getByRole('button', { name: 'Send', exact: true }).click(),
    ])
    const conversation = await workspace.engine.conversations.get(target.id)
    expect(conversation.messages.at(-1)).toMatchObject({
      author: 'person',
      direction: 'outbound',
      text: answer,
    })
    expect(await page.locator('ol.messages li.message').last().textContent()).toContain(
      'Would Thursday at 10:00 suit you?',
    )
    expect(problems).toEqual([])
  }, 60_000)
})

describe('a lead', () => {
  it('shows why it waits, and is paused and resumed through its buttons', async () => {
    const campaigns = (await workspace.engine.campaigns.list({ status: 'running', limit: 100 })).items
    let waiting: { campaignId: string; leadId: string; reason: string } | undefined
    for (const campaign of campaigns) {
      const lead = (
        await workspace.engine.leads.list(campaign.id, { status: 'in_progress', limit: 100 })
      ).items.find((each) => each.reason !== undefined)
      if (lead?.reason !== undefined)
        waiting = { campaignId: campaign.id, leadId: lead.leadId, reason: lead.reason }
    }
    if (waiting === undefined) throw new Error('the demo needs a waiting lead')
    await open(`/campaigns/${waiting.campaignId}/leads/${encodeURIComponent(waiting.leadId)}`)
    const { WAIT_REASONS } = await import('@paceline/core')
    expect(await page.locator('.why-waiting').textContent()).toContain(
      WAIT_REASONS[waiting.reason as keyof typeof WAIT_REASONS].sentence,
    )
    expect(await page.locator('ol.timeline li').count()).toBeGreaterThan(1)
    await Promise.all([
      page.waitForURL(/done=lead-paused/),
      page.getByRole('button', { name: 'Pause lead' }).click(),
    ])
    expect((await workspace.engine.leads.get(waiting.campaignId, waiting.leadId)).status).toBe('paused')
    await Promise.all([
      page.waitForURL(/done=lead-resumed/),
      page.getByRole('button', { name: 'Resume lead' }).click(),
    ])
    expect((await workspace.engine.leads.get(waiting.campaignId, waiting.leadId)).status).toBe('in_progress')
    expect(problems).toEqual([])
  }, 60_000)

  it('retries a campaign’s leads in error through its button, and says when they fail again at once', async () => {
    const { withErrors } = await ids()
    const campaignId = withErrors.campaign.id
    const before = (await workspace.engine.leads.list(campaignId, { status: 'error', limit: 500 })).items
    const logged = async () =>
      (await workspace.engine.actions({ campaignId, types: ['lead-status-changed'] })).length
    const changes = await logged()
    await open(`/campaigns/${campaignId}`)
    // The demo's errors are missing data (no LinkedIn profile, no email): retried, they fail again at once.
    await Promise.all([
      page.waitForURL(/done=errors-again/),
      page.getByRole('button', { name: `Retry ${before.length} in error` }).click(),
    ])
    expect(await page.getByRole('status').textContent()).toContain('in error again')
    // Each retried lead ran its step again and is logged with its new error.
    expect(await logged()).toBe(changes + before.length)
    expect(problems).toEqual([])
  }, 60_000)
})

describe('your data is text', () => {
  it('shows a tag and a lead’s message written as markup as text, and runs nothing', async () => {
    const { suggested } = await ids()
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'
    await workspace.engine.conversations.tag(suggested.id, [{ name: hostile, category: 'neutral' }])
    for (const path of [`/conversations/${suggested.id}`, '/conversations']) {
      await open(path)
      expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
      expect(await page.locator('img[src="x"]').count()).toBe(0)
      expect(await page.getByText(hostile).first().isVisible()).toBe(true)
    }
    await workspace.engine.conversations.untag(suggested.id, [hostile])
    expect(problems).toEqual([])
  }, 60_000)
})

describe('keyboard', () => {
  it('the first Tab reaches "Skip to content", which moves focus to the page', async () => {
    await open('/campaigns')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content')
    await page.keyboard.press('Enter')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('content')
  }, 30_000)
})
