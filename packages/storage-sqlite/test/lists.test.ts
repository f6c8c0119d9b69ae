import {
  createEngine,
  type Engine,
  LEAD_ENGAGEMENTS,
  LEAD_STATUSES,
  type LeadEngagement,
  type Page,
  templates,
} from '@paceline/core'
import type { StorageV1 } from '@paceline/core/ports'
import { createMemoryStorage, type SimulationInput, simulate, VirtualClock } from '@paceline/core/testing'
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../src/index'
import { migrateToLatest } from '../src/migrations/migrations'
import { fixtureCopy, quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()
const HOUR = 3_600_000

/** Three campaigns on two senders: replies, bounces, out of office, tasks, a lead in error, leads still running. */
const input = (): SimulationInput => ({
  start: '2026-03-02T06:00:00Z',
  days: 16,
  seed: 5,
  identities: [
    {
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      linkedin: { accountId: 'li-ana' },
      email: { inboxes: [{ address: 'ana@acme.example' }] },
    },
    {
      id: 'cy',
      name: 'Cy',
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: 'cy@acme.example', limits: { perDay: 3, perHour: 2 } }] },
    },
  ],
  campaigns: [
    { id: 'c', identityId: 'ana', sequence: templates.linkedinEmailCall.sequence },
    { id: 'p', identityId: 'cy', sequence: templates.emailOnly.sequence },
    { id: 't', identityId: 'ana', sequence: templates.emailCall.sequence },
  ],
  leads: [
    ...Array.from({ length: 30 }, (_, n) => n).flatMap((n) => {
      const id = `l${String(n).padStart(2, '0')}`
      const profile = {
        firstName: n === 3 ? 'José' : `Lead ${n}`,
        lastName: n === 3 ? 'Muñoz' : 'Smith',
        company: `Company ${n % 4}`,
        linkedinProfileId: `p-${n}`,
        professionalEmail: `${id}@corp.example`,
        ...(n % 3 === 0 ? { mobilePhone: '+34600000000' } : {}),
      }
      const behavior =
        n % 6 === 0
          ? { acceptsAfterHours: 5, repliesAfterStep: 'thanks' }
          : n % 6 === 1
            ? { acceptsAfterHours: 30 }
            : n % 6 === 2
              ? { repliesAfterStep: 'intro_email', replyText: 'No thanks' }
              : n % 6 === 3
                ? { outOfOffice: true }
                : n % 6 === 4
                  ? { bounces: true }
                  : {}
      return [
        { id, campaignId: 'c', profile, behavior },
        ...(n < 15 ? [{ id, campaignId: 'p', profile, behavior }] : []),
      ]
    }),
    ...Array.from({ length: 6 }, (_, n) => ({
      id: `t${n}`,
      campaignId: 't',
      profile: {
        firstName: `Task ${n}`,
        mobilePhone: '+34600000001',
        ...(n === 5 ? {} : { professionalEmail: `t${n}@corp.example` }),
      },
    })),
  ],
})

/** What a host does after the simulation: opens and clicks, tags, done tasks, a paused lead and campaign. */
async function afterwards(engine: Engine, clock: VirtualClock, end: number): Promise<void> {
  const sent = (await engine.actions({ campaignId: 'c', types: ['message-sent'] })).filter(
    (event) => event.channel === 'email',
  )
  for (const [n, event] of sent.slice(0, 10).entries()) {
    clock.set(Date.parse(event.at) + HOUR)
    await engine.ingest({
      type: n % 3 === 0 ? 'link-clicked' : 'email-opened',
      lead: { leadId: event.leadId ?? '' },
      campaignId: 'c',
      ...(n % 4 === 3 ? { automated: true } : {}),
    })
  }
  clock.set(end - HOUR)
  const conversations = (await engine.conversations.list({ campaignId: 'c', limit: 500 })).items
  for (const conversation of conversations.slice(0, 4))
    await engine.conversations.tag(conversation.id, [{ name: 'Meeting booked', category: 'positive' }])
  const tasks = (await engine.tasks.list('t', { order: 'oldest', limit: 500 })).items
  for (const task of tasks.slice(1, 3)) await engine.ingest({ type: 'task-completed', taskId: task.taskId })
  const running = (await engine.leads.list('c', { status: 'in_progress', limit: 3 })).items
  await engine.leads.pause('c', running[2]?.leadId ?? '')
  await engine.campaigns.pause('p')
  clock.set(end)
  await engine.ingest({ type: 'task-completed', taskId: tasks[0]?.taskId ?? '' })
}

async function everyPage<T>(
  read: (page: { after?: string; limit: number }) => Promise<Page<T>>,
  limit: number,
): Promise<T[]> {
  const items: T[] = []
  let after: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const page = await read(after === undefined ? { limit } : { after, limit })
    items.push(...page.items)
    if (page.next === undefined) return items
    after = page.next
  }
  throw new Error('more pages than items')
}

/** Every list of the workspace, read a few items a page so that cursors are used throughout. */
async function listsOf(engine: Engine): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const campaignId of ['c', 'p', 't']) {
    const leads = (options: Parameters<Engine['leads']['list']>[1], limit = 3) =>
      everyPage((page) => engine.leads.list(campaignId, { ...options, ...page }), limit)
    const all = await leads({})
    out[`${campaignId} leads`] = all
    out[`${campaignId} leads, oldest`] = await leads({ order: 'oldest' }, 4)
    for (const status of LEAD_STATUSES) out[`${campaignId} ${status}`] = await leads({ status }, 2)
    for (const stepId of new Set(all.map((view) => view.stepId)))
      if (stepId !== null) out[`${campaignId} at ${stepId}`] = await leads({ stepId }, 2)
    for (const substatus of new Set(all.map((view) => view.substatus)))
      if (substatus !== null) out[`${campaignId} ${substatus}`] = await leads({ substatus }, 2)
    for (const engagement of Object.keys(LEAD_ENGAGEMENTS) as LeadEngagement[])
      out[`${campaignId} ${engagement}`] = await leads({ engagement }, 2)
    out[`${campaignId} tagged`] = await leads({ tag: 'meeting BOOKED' }, 1)
    out[`${campaignId} search`] = await leads({ search: 'jose munoz' })
    out[`${campaignId} search company`] = await leads({ search: 'company 2', order: 'oldest' }, 2)
    out[`${campaignId} tasks`] = await everyPage((page) => engine.tasks.list(campaignId, page), 2)
    out[`${campaignId} tasks, oldest, pending`] = await everyPage(
      (page) => engine.tasks.list(campaignId, { ...page, order: 'oldest', status: 'pending' }),
      1,
    )
  }
  out['find l03'] = await engine.leads.find('l03')
  out['find l20'] = await engine.leads.find('l20')
  const activity = (options: Parameters<Engine['activity']['list']>[0], limit = 23) =>
    everyPage((page) => engine.activity.list({ ...options, ...page }), limit)
  out.activity = await activity({})
  out['activity, oldest'] = await activity({ order: 'oldest' }, 41)
  out['activity of p'] = await activity({ campaignId: 'p' })
  out['activity of l07'] = await activity({ leadId: 'l07' }, 3)
  out['activity of cy'] = await activity({ identityId: 'cy' })
  out['replies and bounces'] = await activity({ types: ['reply-received', 'email-bounced'] }, 2)
  out['activity at intro'] = await activity({ stepId: 'intro', order: 'oldest' }, 5)
  out['activity, days'] = await activity({ since: '2026-03-04', until: '2026-03-06', timeZone: 'Asia/Tokyo' })
  out['activity, instants'] = await activity({
    from: '2026-03-05T10:00:00Z',
    to: new Date('2026-03-09T00:00:00Z'),
  })
  out['activity, since'] = await activity({ since: '2026-03-17' }, 2)
  out.actions = await engine.actions()
  const campaigns = (options: Parameters<Engine['campaigns']['list']>[0]) =>
    everyPage((page) => engine.campaigns.list({ ...options, ...page }), 1)
  for (const order of ['newest', 'oldest', 'name', 'priority'] as const)
    out[`campaigns by ${order}`] = await campaigns({ order })
  out['running campaigns'] = await campaigns({ status: 'running', channel: 'email' })
  return out
}

/** Runs the scenario on a store and reads every list. */
async function scenarioOn(storage: StorageV1) {
  const run = await simulate({ ...input(), storage })
  const end = Date.parse(run.simulatedUntil)
  const clock = new VirtualClock(end)
  const engine = createEngine({ storage, clock })
  await afterwards(engine, clock, end)
  return { run, lists: await listsOf(engine) }
}

describe('lists on SQLite', () => {
  it('give exactly the in-memory result, page by page, for leads, tasks, activity and campaigns', async () => {
    const storage = createSqliteStorage({ filename: path('lists.sqlite'), ...quiet })
    const onFile = await scenarioOn(storage)
    await storage.close()
    const inMemory = await scenarioOn(createMemoryStorage())
    expect(onFile.run.events).toEqual(inMemory.run.events)
    expect(onFile.lists).toEqual(inMemory.lists)
    // The scenario is rich enough for the comparison to mean something.
    const lists = onFile.lists as Record<string, unknown[]>
    for (const name of [
      'c replied',
      'c finished',
      'c in_progress',
      'c paused',
      'p paused',
      'p finished',
      't error',
      'c opened',
      'c tagged',
      'c search',
      't tasks',
      'activity, since',
      'activity, days',
    ])
      expect(lists[name]?.length, name).toBeGreaterThan(0)
    expect(lists['p in_progress']).toEqual([])
    expect(lists['c leads']).toHaveLength(30)
    expect(lists.activity).toEqual((lists.actions ?? []).toReversed())
  })

  it('lists the leads of a database written before the list indexes by status and step once migrated', async () => {
    // A workspace written by this version, copied into a database at schema 005 (before the list indexes)
    // the way that version stored it: no status at the top of the enrolment documents.
    const current = path('current.sqlite')
    const storage = createSqliteStorage({ filename: current, ...quiet })
    const { run, lists: want } = await scenarioOn(storage)
    await storage.close()

    const old = path('before-006.sqlite')
    const database = new Database(old)
    await migrateToLatest(
      new Kysely<unknown>({ dialect: new SqliteDialect({ database }) }),
      database,
      '005_analytics',
    )
    database.prepare('attach database ? as current').run(current)
    const tables = database
      .prepare(
        "select name from main.sqlite_master where type = 'table' and name like 'paceline_%' and name not like 'paceline_migration%'",
      )
      .pluck()
      .all() as string[]
    expect(tables).toContain('paceline_enrolments')
    for (const table of tables) {
      const columns = (
        database.prepare(`pragma main.table_info("${table}")`).all() as { name: string }[]
      ).map((column) => `"${column.name}"`)
      if (table === 'paceline_enrolments') expect(columns).not.toContain('"f_status"')
      const select = columns.map((column) =>
        table === 'paceline_enrolments' && column === '"doc"' ? `json_remove("doc", '$.status')` : column,
      )
      database
        .prepare(
          `insert into main."${table}" (${columns.join(', ')}) select ${select.join(', ')} from current."${table}"`,
        )
        .run()
    }
    const copied = database.prepare('select count(*) from main.paceline_enrolments').pluck().get()
    expect(copied).toBe(30 + 15 + 6)
    expect(
      database
        .prepare("select count(*) from main.paceline_enrolments where json_type(doc, '$.status') is not null")
        .pluck()
        .get(),
    ).toBe(0)
    database.prepare('detach database current').run()
    database.close()

    const migrated = createSqliteStorage({ filename: old, ...quiet })
    await migrated.ready
    expect(migrated.database.prepare('select max(name) from paceline_migration').pluck().get()).toBe(
      '007_withdrawals',
    )
    // Entries logged before 007 are in the index by identity and type, filled from their documents.
    const logged = migrated.database
      .prepare("select count(*) from paceline_actions where json_extract(doc, '$.identityId') is not null")
      .pluck()
      .get()
    const indexed = await migrated.transaction('default', async (tx) => {
      const identities = await tx.query('identities')
      let count = 0
      for (const identity of identities) {
        const types = new Set(
          (await tx.query('actions', { index: 'byIdentity', equals: [identity.id as string] })).map(
            (action) => action.type as string,
          ),
        )
        for (const type of types)
          count += (
            await tx.query('actions', { index: 'byIdentityType', equals: [identity.id as string, type] })
          ).length
      }
      return count
    })
    expect(indexed).toBeGreaterThan(0)
    expect(indexed).toBe(logged)
    const clock = new VirtualClock(run.simulatedUntil)
    const engine = createEngine({ storage: migrated, clock })
    const got = await listsOf(engine)
    for (const campaignId of ['c', 'p', 't']) {
      for (const status of LEAD_STATUSES)
        expect(got[`${campaignId} ${status}`], `${campaignId} ${status}`).toEqual(
          want[`${campaignId} ${status}`],
        )
    }
    expect(got).toEqual(want)
    // Lead changes after the migration keep the index up to date.
    const replied = (await engine.leads.list('c', { status: 'in_progress', limit: 1 })).items[0]?.leadId ?? ''
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      lead: { leadId: replied },
      campaignId: 'c',
    })
    expect(
      (await engine.leads.list('c', { status: 'replied', limit: 500 })).items.map((view) => view.leadId),
    ).toContain(replied)
    expect(
      (await engine.leads.list('c', { status: 'in_progress', limit: 500 })).items.map((view) => view.leadId),
    ).not.toContain(replied)
    await migrated.close()
  })

  it('lists by status the leads of a database written before the rename, then as they change', async () => {
    const storage = createSqliteStorage({
      filename: fixtureCopy('pre-rename.sqlite', path),
      encryptionKey: '11'.repeat(32),
      ...quiet,
    })
    const engine = createEngine({ storage, clock: new VirtualClock('2026-11-23T09:00:00Z') })
    const listed = async (options: Parameters<Engine['leads']['list']>[1]) =>
      (await engine.leads.list('q4', { order: 'oldest', ...options })).items.map((view) => view.leadId)
    expect(await listed({ status: 'in_progress' })).toEqual(['ada', 'bob'])
    expect(await listed({ status: 'in_progress', limit: 1 })).toEqual(['ada'])
    expect(await listed({ stepId: 'e2' })).toEqual(['ada', 'bob'])
    expect(await listed({ status: 'finished' })).toEqual([])
    expect(await listed({ stepId: 'e1' })).toEqual([])
    await engine.leads.block('q4', 'bob')
    expect(await listed({ status: 'in_progress' })).toEqual(['ada'])
    expect(await listed({ status: 'finished' })).toEqual(['bob'])
    await engine.close()
  })
})
