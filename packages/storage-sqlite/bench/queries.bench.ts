import { statSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { createEngine, type Engine } from '@paceline/core'
import Database from 'better-sqlite3'
import { medianOf, round } from '../../../bench/measure'
import { createSqliteStorage } from '../src/index'
import { WORKSPACE } from './files'
import { CAMPAIGNS, MAIN_CAMPAIGN, MAIN_IDENTITY, NOW, type QueryDataset } from './query-dataset'

const DAY = 86_400_000
const PAGE = 50
const BASELINE = 'rawFiftyEnrolments'

/** What a query does, and how to ask it. */
interface QueryCase {
  readonly name: string
  readonly reads: string
  readonly run: () => unknown
}

/** The baseline: the first 50 enrolments of the campaign, newest first, with a hand-written statement. */
function rawRead(database: InstanceType<typeof Database>): () => unknown[] {
  const statement = database.prepare<[string, string], { doc: string }>(
    `select doc from paceline_enrolments
      where workspace_id = ? and f_campaignId = ? and f_enrolledAt is not null
      order by f_enrolledAt desc, key desc limit ${PAGE}`,
  )
  return () => statement.all(WORKSPACE, MAIN_CAMPAIGN).map((row) => JSON.parse(row.doc) as unknown)
}

/** The cursors of pages 2 and 10 of the campaign's leads, found by paging (not timed). */
async function cursors(engine: Engine): Promise<{ second: string; tenth: string }> {
  const found: string[] = []
  let after: string | undefined
  for (let page = 1; page < 10; page++) {
    const read = await engine.leads.list(MAIN_CAMPAIGN, {
      limit: PAGE,
      ...(after === undefined ? {} : { after }),
    })
    if (read.next === undefined || read.items.length !== PAGE)
      throw new Error(`page ${page} of leads is short`)
    after = read.next
    found.push(after)
  }
  return { second: found[0] as string, tenth: found[8] as string }
}

function casesOf(
  engine: Engine,
  database: InstanceType<typeof Database>,
  pages: { second: string; tenth: string },
) {
  const cases: QueryCase[] = [
    {
      name: BASELINE,
      reads: `better-sqlite3, one prepared select of ${PAGE} enrolment rows by the byCampaignEnrolled index, JSON.parse of each (the baseline)`,
      run: rawRead(database),
    },
    {
      name: 'campaignOverview',
      reads:
        'engine.analytics.campaign(id): all-time counters, the "where leads are now" counters, the campaign',
      run: () => engine.analytics.campaign(MAIN_CAMPAIGN),
    },
    ...[7, 30, 180].map((days) => ({
      name: `campaignOverviewLast${days}Days`,
      reads: `engine.analytics.campaign(id, { from: ${days} days ago }): the ${days - 1} whole UTC days of the period from their day counter documents (one read by key), the hours before and after them from the hourly ones`,
      run: () => engine.analytics.campaign(MAIN_CAMPAIGN, { from: new Date(NOW - days * DAY) }),
    })),
    {
      name: 'leadsFirstPage',
      reads: `engine.leads.list(id, { limit: ${PAGE} }): newest first`,
      run: () => engine.leads.list(MAIN_CAMPAIGN, { limit: PAGE }),
    },
    {
      name: 'leadsSecondPage',
      reads: "engine.leads.list(id, { limit: 50, after: page 1's next })",
      run: () => engine.leads.list(MAIN_CAMPAIGN, { limit: PAGE, after: pages.second }),
    },
    {
      name: 'leadsTenthPage',
      reads:
        "engine.leads.list(id, { limit: 50, after: page 9's next }): leads 451-500, all added in one 500-lead transaction of engine.leads.add, so with one enrolledAt",
      run: () => engine.leads.list(MAIN_CAMPAIGN, { limit: PAGE, after: pages.tenth }),
    },
    {
      name: 'leadsInProgress',
      reads: "engine.leads.list(id, { status: 'in_progress', limit: 50 })",
      run: () => engine.leads.list(MAIN_CAMPAIGN, { status: 'in_progress', limit: PAGE }),
    },
    {
      name: 'leadsReplied',
      reads: "engine.leads.list(id, { status: 'replied', limit: 50 })",
      run: () => engine.leads.list(MAIN_CAMPAIGN, { status: 'replied', limit: PAGE }),
    },
    {
      name: 'activityFirstPage',
      reads: `engine.activity.list({ campaignId: id, limit: ${PAGE} }): the campaign's log, newest first`,
      run: () => engine.activity.list({ campaignId: MAIN_CAMPAIGN, limit: PAGE }),
    },
    {
      name: 'identityDashboard',
      reads: "engine.analytics.identity(id): today in the identity's time zone, from hourly counters",
      run: () => engine.analytics.identity(MAIN_IDENTITY),
    },
    {
      name: 'identityDashboardLast180Days',
      reads:
        'engine.analytics.identity(id, { from: 180 days ago }): whole UTC days from day counter documents, the hours at both ends from hourly ones',
      run: () => engine.analytics.identity(MAIN_IDENTITY, { from: new Date(NOW - 180 * DAY) }),
    },
  ]
  return cases
}

/** Checks that every query answers what it should on this dataset (not timed). */
async function checkAnswers(engine: Engine, pages: { second: string; tenth: string }): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`query benchmark: ${what}`)
  }
  const main = CAMPAIGNS.find((campaign) => campaign.id === MAIN_CAMPAIGN)
  const overview = await engine.analytics.campaign(MAIN_CAMPAIGN)
  if (overview.audience.total !== main?.leads) fail(`the overview counts ${overview.audience.total} leads`)
  const first = await engine.leads.list(MAIN_CAMPAIGN, { limit: PAGE })
  const second = await engine.leads.list(MAIN_CAMPAIGN, { limit: PAGE, after: pages.second })
  const tenth = await engine.leads.list(MAIN_CAMPAIGN, { limit: PAGE, after: pages.tenth })
  const seen = new Set(first.items.map((lead) => lead.leadId))
  for (const page of [first, second, tenth])
    if (page.items.length !== PAGE || page.next === undefined) fail('a page of leads is short')
  if (second.items.some((lead) => seen.has(lead.leadId))) fail('page 2 repeats leads of page 1')
  for (const status of ['in_progress', 'replied'] as const) {
    const page = await engine.leads.list(MAIN_CAMPAIGN, { status, limit: PAGE })
    if (page.items.length !== PAGE || page.items.some((lead) => lead.status !== status))
      fail(`the ${status} page holds other leads`)
  }
  const activity = await engine.activity.list({ campaignId: MAIN_CAMPAIGN, limit: PAGE })
  if (activity.items.length !== PAGE || activity.items.some((event) => event.campaignId !== MAIN_CAMPAIGN))
    fail('the activity page holds other entries')
  const dashboard = await engine.analytics.identity(MAIN_IDENTITY)
  if (dashboard.identityId !== MAIN_IDENTITY) fail('the identity dashboard is of another identity')
}

/**
 * Every SQL statement each query runs (better-sqlite3's `verbose` hook on a connection of its own), and
 * the query plan of each: how many statements, and any step that scans a table or index instead of
 * searching it.
 */
async function auditStatements(file: string, pages: { second: string; tenth: string }) {
  let statements: string[] = []
  const database = new Database(file, { verbose: (sql) => statements.push(String(sql)) })
  const storage = createSqliteStorage({ database, onWarning: () => {} })
  await storage.ready
  const engine = createEngine({ storage, clock: { now: () => NOW } })
  const audit: Record<string, { statements: number; scans: string[] }> = {}
  for (const each of casesOf(engine, database, pages)) {
    await each.run()
    statements = []
    await each.run()
    const ran = statements.filter((sql) => !/^(begin|commit|rollback)/i.test(sql))
    const scans = new Set<string>()
    for (const sql of new Set(ran)) {
      const plan = database.prepare(`explain query plan ${sql}`).all() as { detail: string }[]
      for (const step of plan)
        if (/^SCAN /.test(step.detail) || /TEMP B-TREE/.test(step.detail))
          scans.add(`${step.detail} (in: ${sql.replace(/\s+/g, ' ').slice(0, 160)})`)
    }
    audit[each.name] = { statements: ran.length, scans: [...scans] }
  }
  await engine.close()
  await storage.close()
  database.close()
  return audit
}

const p95 = (times: readonly number[]) => {
  const sorted = [...times].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] as number
}

/**
 * Times the dashboard and list queries on the 100,000-lead, 1,000,000-action database, each against
 * reading the page's 50 enrolment rows directly with better-sqlite3 in the same process: rounds run every
 * query once in turn (after warm-up rounds), so drift affects them all alike.
 */
export async function queryBenchmark(
  dataset: QueryDataset,
  rounds = 300,
  log: (line: string) => void = () => {},
) {
  const storage = createSqliteStorage({ filename: dataset.file, onWarning: () => {} })
  await storage.ready
  const engine = createEngine({ storage, clock: { now: () => NOW } })
  const pages = await cursors(engine)
  await checkAnswers(engine, pages)
  const cases = casesOf(engine, storage.database, pages)
  const times = new Map(cases.map((each) => [each.name, [] as number[]]))
  const warmup = 20
  for (let round = -warmup; round < rounds; round++) {
    for (const each of cases) {
      const start = performance.now()
      await each.run()
      const elapsed = performance.now() - start
      if (round >= 0) times.get(each.name)?.push(elapsed)
    }
    if (round >= 0 && (round + 1) % 100 === 0) log(`  round ${round + 1}/${rounds}`)
  }
  const overview = await engine.analytics.campaign(MAIN_CAMPAIGN)
  const mainActions = (
    storage.database
      .prepare(
        'select count(*) as n from paceline_actions where workspace_id = ? and f_campaignId = ? and f_at is not null',
      )
      .get(WORKSPACE, MAIN_CAMPAIGN) as { n: number }
  ).n
  await engine.close()
  await storage.close()
  log('  statements and query plans of each query')
  const audit = await auditStatements(dataset.file, pages)

  const raw = medianOf(times.get(BASELINE) ?? [])
  const figure = (each: QueryCase) => {
    const measured = times.get(each.name) ?? []
    const median = medianOf(measured)
    return {
      medianMs: round(median, 3),
      p95Ms: round(p95(measured), 3),
      ...(each.name === BASELINE ? {} : { ratio: round(median / raw, 1) }),
      sqlStatements: audit[each.name]?.statements,
      scans: audit[each.name]?.scans,
      reads: each.reads,
    }
  }
  const results = Object.fromEntries(
    cases.filter((each) => each.name !== BASELINE).map((each) => [each.name, figure(each)]),
  )
  const short = (name: string, label: string) => {
    const { medianMs, ratio } = results[name] as { medianMs: number; ratio: number }
    return `${label} ${medianMs} ms (x${ratio})`
  }
  const summary = [
    `raw read of 50 enrolment rows ${round(raw, 3)} ms`,
    short('campaignOverview', 'campaign overview'),
    short('campaignOverviewLast7Days', 'last 7 days'),
    short('campaignOverviewLast30Days', 'last 30 days'),
    short('campaignOverviewLast180Days', 'last 180 days'),
    short('leadsFirstPage', '50 leads'),
    short('leadsSecondPage', 'page 2'),
    short('leadsTenthPage', 'page 10'),
    short('leadsInProgress', 'in progress'),
    short('leadsReplied', 'replied'),
    short('activityFirstPage', 'activity'),
    short('identityDashboard', 'identity dashboard'),
    short('identityDashboardLast180Days', 'identity, last 180 days'),
  ].join('; ')
  const baseline = cases.find((each) => each.name === BASELINE) as QueryCase
  return {
    dataset: {
      leads: dataset.leads,
      actions: dataset.actions,
      campaigns: CAMPAIGNS.map((campaign) => ({ id: campaign.id, leads: campaign.leads })),
      measuredCampaign: {
        id: MAIN_CAMPAIGN,
        leads: overview.audience.total,
        actions: mainActions,
        statuses: overview.audience.statuses,
      },
      fileMb: round(statSync(dataset.file).size / 1_048_576, 0),
      reused: dataset.reused,
      ...(dataset.writeSeconds === undefined ? {} : { writeSeconds: round(dataset.writeSeconds, 1) }),
      ...(dataset.counterRebuildSeconds === undefined
        ? {}
        : { counterRebuildSeconds: round(dataset.counterRebuildSeconds, 1) }),
    },
    rounds,
    ratio:
      'median time of the query / median time of the baseline (the raw read of the same 50 enrolment rows as the first page of leads), same process, same connection, rounds interleaved',
    goal: 'the overview and a page of 50 leads each at most a few milliseconds; indexed reads or maintained counters, never a scan of all actions',
    baseline: figure(baseline),
    results,
    summary,
  }
}
