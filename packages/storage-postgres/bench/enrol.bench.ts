import { performance } from 'node:perf_hooks'
import { createEngine, sequence } from '@paceline/core'
import pg from 'pg'
import { medianOf, round } from '../../../bench/measure'
import { enrolmentDocument, leadDocument } from '../../storage-sqlite/bench/documents'
import { dropSchema, migratedSchema, openStorage, WORKSPACE } from './database'
import { RAW_BATCH, type Row, rawInserter } from './raw-rows'

/** The rows to write: made before the clock starts, so both sides time only the writing. */
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

/** Leads and their enrolments through the Storage port, in one transaction (the store batches the writes). */
export async function enrolThroughPort(url: string, rows: Rows): Promise<number> {
  const schema = await migratedSchema(url, 'enrol_port')
  const storage = openStorage(url, schema)
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
  await dropSchema(url, schema)
  return elapsed
}

/** The same rows with plain `pg` multi-row inserts of 1,000 rows in one transaction: the baseline. */
export async function enrolRaw(url: string, rows: Rows): Promise<number> {
  const schema = await migratedSchema(url, 'enrol_raw')
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const insertLeads = await rawInserter(client, schema, 'paceline_leads')
  const insertEnrolments = await rawInserter(client, schema, 'paceline_enrolments')
  const start = performance.now()
  await client.query('begin')
  for (let from = 0; from < rows.leads.length; from += RAW_BATCH) {
    await insertLeads(WORKSPACE, rows.leads.slice(from, from + RAW_BATCH))
    await insertEnrolments(WORKSPACE, rows.enrolments.slice(from, from + RAW_BATCH))
  }
  await client.query('commit')
  const elapsed = performance.now() - start
  await client.end()
  await dropSchema(url, schema)
  return elapsed
}

/** What a host does: `engine.leads.add` (validation, prior-enrolment checks, transactions of 500). */
export async function enrolThroughEngine(url: string, count: number): Promise<number> {
  const schema = await migratedSchema(url, 'enrol_engine')
  const storage = openStorage(url, schema)
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
  await dropSchema(url, schema)
  return elapsed
}

/** Raw and port alternate round by round in this process, so both see the same machine and server. */
export async function enrolBenchmark(
  url: string,
  count = 100_000,
  rounds = 3,
  log: (line: string) => void = () => {},
) {
  const port: number[] = []
  const baseline: number[] = []
  const rows = rowsOf(count)
  for (let round = 0; round < rounds; round++) {
    log(`  round ${round + 1}/${rounds}: raw pg multi-row inserts, then the Storage port`)
    baseline.push(await enrolRaw(url, rows))
    port.push(await enrolThroughPort(url, rows))
    log(`    raw ${Math.round(baseline[round] as number)} ms, port ${Math.round(port[round] as number)} ms`)
  }
  log('  engine.leads.add')
  const engineMs = await enrolThroughEngine(url, count)
  log(`    ${Math.round(engineMs)} ms`)
  const portMs = medianOf(port)
  const rawMs = medianOf(baseline)
  return {
    leads: count,
    rowsPerRun: count * 2,
    rounds,
    rawPgMultiRowInsertMs: round(rawMs, 1),
    storagePortMs: round(portMs, 1),
    ratio: round(rawMs / portMs),
    goal: 'at least 0.5 (raw time / port time)',
    reached: rawMs / portMs >= 0.5,
    baseline: `plain pg, one transaction, multi-row insert ... values statements of ${RAW_BATCH} rows into the migrated tables (workspace_id, key, doc, f_<field> bytea from encodeIndexValue)`,
    engineLeadsAdd: {
      ms: round(engineMs, 1),
      ratio: round(rawMs / engineMs),
      note: 'engine.leads.add validates every lead and checks prior enrolments, in transactions of 500',
    },
  }
}
