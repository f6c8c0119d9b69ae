import { performance } from 'node:perf_hooks'
import type { StoredDocument } from '@paceline/core/ports'
import pg from 'pg'
import { medianOf, round } from '../../../bench/measure'
import { type EnrolmentState, enrolmentDocument, START } from '../../storage-sqlite/bench/documents'
import type { PostgresStorage } from '../src/index'
import { dropSchema, migratedSchema, openStorage, WORKSPACE } from './database'
import { type Row, rawInserter } from './raw-rows'

/** Due actions of the identity being served; the same in both schemas (as in the SQLite benchmark). */
const DUE = 2_000
const CLAIMS = 1_000
/** Rows per set-up transaction. */
const CHUNK = 50_000

/**
 * A schema of `total` enrolments: `DUE` due actions for identity `ana`, and the rest the way a store that has
 * run for a while looks: mostly finished leads, leads waiting weeks ahead, and due work of 97 other
 * identities (the same rows as the SQLite benchmark). Written with raw multi-row inserts because it is
 * set-up, not what is measured; then ANALYZEd.
 */
async function populate(url: string, total: number, log: (line: string) => void): Promise<string> {
  const schema = await migratedSchema(url, `claims_${total}`)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const insert = await rawInserter(client, schema, 'paceline_enrolments')
    const started = performance.now()
    for (let from = 0; from < total; from += CHUNK) {
      const rows: Row[] = []
      for (let n = from; n < Math.min(total, from + CHUNK); n++) {
        const hot = n < DUE
        const bucket = n % 10
        const state: EnrolmentState = hot
          ? 'ready'
          : bucket < 6
            ? 'finished'
            : bucket < 8
              ? 'waiting'
              : 'ready'
        const identityId = hot || (state !== 'ready' && n % 4 === 0) ? 'ana' : `other-${n % 97}`
        const document = enrolmentDocument(n, { campaignId: `c-${identityId}`, identityId, state })
        rows.push({ key: String(document.key), document })
      }
      await client.query('begin')
      await insert(WORKSPACE, rows)
      await client.query('commit')
      const done = Math.min(total, from + CHUNK)
      if (total > CHUNK && (done % 200_000 === 0 || done === total))
        log(
          `    ${done.toLocaleString('en')} of ${total.toLocaleString('en')} enrolments written (${Math.round((performance.now() - started) / 1000)} s)`,
        )
    }
    await client.query(`vacuum analyze "${schema}"."paceline_enrolments"`)
  } finally {
    await client.end()
  }
  return schema
}

/**
 * Claims the next `CLAIMS` due actions one by one, each in its own transaction, the way the engine does:
 * read the lane counters and the identity lease, take the head of the ready index, write the claim, the
 * counter and the enrolment together. Returns the elapsed time and what to restore.
 */
async function claimNext(storage: PostgresStorage): Promise<{ ms: number; claimed: StoredDocument[] }> {
  const claimed: StoredDocument[] = []
  const start = performance.now()
  for (let n = 0; n < CLAIMS; n++) {
    await storage.transaction(WORKSPACE, async (tx) => {
      const counters = await tx.query('counters', { index: 'byIdentity', equals: ['ana'] })
      await tx.get('leases', 'identity:ana')
      const [head] = await tx.query('enrolments', {
        index: 'ready',
        equals: ['ana', 'linkedin:message'],
        limit: 1,
      })
      if (head === undefined) throw new Error('the benchmark ran out of due actions')
      const key = String(head.key)
      const claimKey = `claim:${key}`
      const counter = counters.find((each) => each.key === 'ana|linkedin:message|2026-03-02')
      await tx.put('claims', claimKey, {
        key: claimKey,
        campaignId: head.campaignId,
        leadId: head.leadId,
        stepId: head.stepId,
        identityId: 'ana',
        lane: 'linkedin:message',
        status: 'claimed',
        owner: 'bench',
        token: 1,
        claimedAt: START,
        leaseUntil: START + 600_000,
        openUntil: START + 600_000,
        charged: ['ana|linkedin:message|2026-03-02'],
      })
      await tx.put('counters', 'ana|linkedin:message|2026-03-02', {
        key: 'ana|linkedin:message|2026-03-02',
        identityId: 'ana',
        date: '2026-03-02',
        count: Number(counter?.count ?? 0) + 1,
        lastAt: START,
        recent: [],
      })
      await tx.put('enrolments', key, { ...head, readyLane: null, claimKey })
      claimed.push(head)
    })
  }
  return { ms: performance.now() - start, claimed }
}

/** Puts the claimed actions back, so every round claims the same 1,000 (not timed). */
async function restore(storage: PostgresStorage, claimed: readonly StoredDocument[]): Promise<void> {
  await storage.transaction(WORKSPACE, async (tx) => {
    for (const document of claimed) {
      await tx.put('enrolments', String(document.key), document)
      await tx.delete('claims', `claim:${String(document.key)}`)
    }
    await tx.delete('counters', 'ana|linkedin:message|2026-03-02')
  })
}

export interface ClaimSchema {
  readonly total: number
  readonly schema: string
}

/** Writes the schemas the claim benchmark reads (drop them with `dropSchema` when done). */
export async function prepareClaimSchemas(
  url: string,
  sizes: readonly number[],
  log: (line: string) => void = () => {},
): Promise<ClaimSchema[]> {
  const schemas: ClaimSchema[] = []
  for (const total of sizes) {
    log(
      `  preparing ${total.toLocaleString('en')} enrolled leads (raw multi-row inserts, then VACUUM ANALYZE)`,
    )
    schemas.push({ total, schema: await populate(url, total, log) })
  }
  return schemas
}

/** Times the claims in each schema; rounds alternate between them so drift affects both alike. */
export async function claimBenchmark(
  url: string,
  schemas: readonly [ClaimSchema, ClaimSchema],
  rounds = 5,
  log: (line: string) => void = () => {},
) {
  const cases = []
  for (const { total, schema } of schemas) {
    const storage = openStorage(url, schema)
    await storage.ready
    cases.push({ total, storage, times: [] as number[] })
  }
  try {
    for (let round = -1; round < rounds; round++) {
      for (const each of cases) {
        const { ms, claimed } = await claimNext(each.storage)
        if (round >= 0) each.times.push(ms)
        await restore(each.storage, claimed)
      }
      log(
        round < 0
          ? '  warm-up round done'
          : `  round ${round + 1}/${rounds}: ${cases.map((each) => `${each.total.toLocaleString('en')} enrolled ${Math.round(each.times[round] as number)} ms`).join(', ')}`,
      )
    }
  } finally {
    for (const each of cases) await each.storage.close()
  }
  const results = cases.map((each) => {
    const ms = medianOf(each.times)
    return { enrolledLeads: each.total, claimMs: round(ms, 1), perClaimMs: round(ms / CLAIMS, 3) }
  })
  const [small, large] = results as [(typeof results)[0], (typeof results)[0]]
  const ratio = large.claimMs / small.claimMs
  return {
    claims: CLAIMS,
    dueActions: DUE,
    rounds,
    cases: results,
    ratio: round(ratio),
    goal: 'at most 1.5 (1,000,000 enrolled / 10,000 enrolled)',
    reached: ratio <= 1.5,
    note: 'claimMs is the time of 1,000 claims, one transaction each (median of the rounds); the claimed actions are restored between rounds',
  }
}

export async function dropClaimSchemas(url: string, schemas: readonly ClaimSchema[]): Promise<void> {
  for (const { schema } of schemas) await dropSchema(url, schema)
}
