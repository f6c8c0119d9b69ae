import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine, hash32 } from '@paceline/core'
import { expect, it } from 'vitest'
import { createSqliteStorage } from '../src/index'
import { temporaryFolder } from './helpers'
import { LIMITS, leads } from './workers/crash-scenario'

const here = dirname(fileURLToPath(import.meta.url))
const path = temporaryFolder()

function runWorker(database: string, sends: string, crashAt: number) {
  return spawnSync(
    process.execPath,
    [
      '--conditions=@paceline/source',
      '--import',
      'tsx',
      join(here, 'workers', 'crash-worker.ts'),
      database,
      sends,
    ],
    { env: { ...process.env, CRASH_AT: String(crashAt) }, encoding: 'utf8', cwd: join(here, '..') },
  )
}

it('survives SIGKILL at 20 random moments: nothing sent twice, no lead lost, no limit exceeded', {
  timeout: 180_000,
}, () => {
  const database = path('crash.sqlite')
  const sends = path('sends.jsonl')
  const kills: number[] = []
  /** Sends recorded before each kill: the kills must land while the engine sends, not only in set-up. */
  const sentAtKill: number[] = []
  for (let run = 0; run < 20; run++) {
    // Seeded "random" moments: somewhere in the next 1,500 storage operations or channel calls (set-up alone takes about 1,000).
    const crashAt = 1 + (hash32(2026, 'crash', run) % 1500)
    const result = runWorker(database, sends, crashAt)
    if (result.signal === 'SIGKILL') {
      kills.push(crashAt)
      sentAtKill.push(sendCount(sends))
    } else expect(result.status, result.stderr).toBe(0)
  }
  expect(kills.length).toBeGreaterThanOrEqual(15)
  expect(new Set(sentAtKill).size).toBeGreaterThanOrEqual(10)
  const final = runWorker(database, sends, 0)
  expect(final.status, final.stderr).toBe(0)
  expect(JSON.parse(final.stdout)).toMatchObject({ finished: true })

  const records = readFileSync(sends, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { kind: string; key: string; leadId: string; at: string })
  // Nothing a person receives was sent twice: one send per (lead, step) idempotency key.
  const keys = records.map((record) => record.key)
  expect(new Set(keys).size).toBe(keys.length)
  expect(records.length).toBeGreaterThan(100)
  // No daily limit was exceeded, across all the restarts.
  const perDay = new Map<string, number>()
  for (const record of records) {
    const kind = { sendInvitation: 'send_connection', sendMessage: 'linkedin_message', email: 'email' }[
      record.kind
    ]
    if (kind === undefined) continue
    const key = `${kind}|${record.at.slice(0, 10)}`
    perDay.set(key, (perDay.get(key) ?? 0) + 1)
  }
  for (const [key, count] of perDay)
    expect(count, key).toBeLessThanOrEqual(LIMITS[key.split('|')[0] as keyof typeof LIMITS])
  return checkLeads(database, records.length)
})

function sendCount(sends: string): number {
  return existsSync(sends) ? readFileSync(sends, 'utf8').split('\n').length - 1 : 0
}

async function checkLeads(database: string, sent: number) {
  const storage = createSqliteStorage({ filename: database, onWarning: () => {} })
  const engine = createEngine({ storage, clock: { now: () => Date.parse('2026-03-08T00:00:00Z') } })
  const views = (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items
  // No lead lost: every lead is there, and every one still running says why it waits and until when.
  expect(views.map((view) => view.leadId).sort()).toEqual(leads.map((lead) => lead.id).sort())
  for (const view of views) {
    expect(view.status, view.leadId).not.toBe('not_started')
    if (view.status === 'in_progress') {
      expect(view.reason, view.leadId).toBeDefined()
      expect(view.nextEligibleAt, view.leadId).toBeDefined()
    }
    if (view.status === 'error') expect(view.substatus, view.leadId).toBe('delivery_unknown')
  }
  // Every send the engine recorded is one the channels received (the converse can differ only by
  // sends whose outcome was lost in a kill, which are parked as "delivery unknown").
  const recorded = await engine.actions({ types: ['profile-visited', 'invitation-sent', 'message-sent'] })
  const unknown = views.filter((view) => view.substatus === 'delivery_unknown').length
  expect(recorded.length + unknown).toBeGreaterThanOrEqual(sent)
  expect(recorded.length).toBeLessThanOrEqual(sent)
  await engine.close()
  await storage.close()
}
