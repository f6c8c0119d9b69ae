import { performance } from 'node:perf_hooks'
import { createEngine, sequence } from '@paceline/core'
import type { StoredDocument } from '@paceline/core/ports'
import Database from 'better-sqlite3'
import { medianOf, round } from '../../../bench/measure'
import { createSqliteStorage } from '../src/index'
import { enrolmentDocument, leadDocument } from './documents'
import { migratedFile, removeDatabase, WORKSPACE } from './files'
import { rawInserter } from './raw-rows'

/** The rows to write: made before the clock starts, so both sides time only the writing. */
interface Row {
  readonly key: string
  readonly document: StoredDocument
}
interface Rows {
  readonly leads: readonly Row[]
  readonly enrolments: readonly Row[]
}

export function rowsOf(count: number): Rows {
  const leads: Row[] = []
  const enrolments: Row[] = []
  for (let n = 0; n < count; n++) {
    const enrolment = enrolmentDocument(n, { campaignId: 'c', identityId: 'ana', state: 'not_started' })
    leads.push({ key: `lead-${n}`, document: leadDocument(n) })
    enrolments.push({ key: String(enrolment.key), document: enrolment })
  }
  return { leads, enrolments }
}

/** Leads and their enrolments through the Storage port, in one transaction. */
export async function enrolThroughPort(rows: Rows): Promise<number> {
  const file = await migratedFile('port')
  const storage = createSqliteStorage({ filename: file, onWarning: () => {} })
  await storage.ready
  const start = performance.now()
  await storage.transaction(WORKSPACE, async (tx) => {
    for (let n = 0; n < rows.leads.length; n++) {
      const lead = rows.leads[n] as Row
      const enrolment = rows.enrolments[n] as Row
      await tx.put('leads', lead.key, lead.document)
      await tx.put('enrolments', enrolment.key, enrolment.document)
    }
  })
  const elapsed = performance.now() - start
  await storage.close()
  removeDatabase(file)
  return elapsed
}

/** The same rows with raw better-sqlite3 prepared statements in one transaction: the baseline. */
export async function enrolRaw(rows: Rows): Promise<number> {
  const file = await migratedFile('raw')
  const database = new Database(file)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  const insertLead = rawInserter(database, 'paceline_leads')
  const insertEnrolment = rawInserter(database, 'paceline_enrolments')
  const start = performance.now()
  database.transaction(() => {
    for (let n = 0; n < rows.leads.length; n++) {
      const lead = rows.leads[n] as Row
      const enrolment = rows.enrolments[n] as Row
      insertLead(WORKSPACE, lead.key, lead.document)
      insertEnrolment(WORKSPACE, enrolment.key, enrolment.document)
    }
  })()
  const elapsed = performance.now() - start
  database.close()
  removeDatabase(file)
  return elapsed
}

/** What a host does: `engine.leads.add` (validation, prior-enrolment checks, transactions of 500). */
export async function enrolThroughEngine(count: number): Promise<number> {
  const file = await migratedFile('engine')
  const storage = createSqliteStorage({ filename: file, onWarning: () => {} })
  const engine = createEngine({ storage, clock: { now: () => Date.parse('2026-03-02T08:00:00Z') } })
  await engine.identities.put({
    id: 'ana',
    name: 'Ana',
    workingHours: {
      timezone: 'Europe/Madrid',
      days: ['mon', 'tue'],
      windows: [{ start: '09:00', end: '18:00' }],
    },
    linkedin: { accountId: 'li-ana' },
  })
  await engine.campaigns.create({
    id: 'c',
    identityId: 'ana',
    sequence: sequence().linkedinMessage({ id: 'hello', body: 'Hi {{firstName}}' }).build(),
  })
  const leads = Array.from({ length: count }, (_, n) => {
    const { lead } = leadDocument(n) as { lead: { id: string; profile: Record<string, string> } }
    return { id: lead.id, profile: lead.profile }
  })
  const start = performance.now()
  const result = await engine.leads.add('c', leads)
  const elapsed = performance.now() - start
  if (result.added.length !== count)
    throw new Error(`the engine added ${result.added.length} of ${count} leads`)
  await engine.close()
  await storage.close()
  removeDatabase(file)
  return elapsed
}

/** Raw and port alternate round by round in this process, so both see the same machine. */
export async function enrolBenchmark(count = 100_000, rounds = 3, log: (line: string) => void = () => {}) {
  const port: number[] = []
  const baseline: number[] = []
  const rows = rowsOf(count)
  for (let round = 0; round < rounds; round++) {
    log(`  round ${round + 1}/${rounds}: raw better-sqlite3, then the Storage port`)
    baseline.push(await enrolRaw(rows))
    port.push(await enrolThroughPort(rows))
  }
  log('  engine.leads.add')
  const engineMs = await enrolThroughEngine(count)
  const portMs = medianOf(port)
  const rawMs = medianOf(baseline)
  return {
    leads: count,
    rowsPerRun: count * 2,
    rawBetterSqlite3Ms: round(rawMs, 1),
    storagePortMs: round(portMs, 1),
    ratio: round(rawMs / portMs),
    goal: 'at least 0.5 (raw time / port time)',
    engineLeadsAdd: {
      ms: round(engineMs, 1),
      ratio: round(rawMs / engineMs),
      note: 'engine.leads.add validates every lead and checks prior enrolments, in transactions of 500',
    },
  }
}
