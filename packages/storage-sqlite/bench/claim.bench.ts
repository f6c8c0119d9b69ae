import { performance } from 'node:perf_hooks'
import type { StoredDocument } from '@paceline/core/ports'
import Database from 'better-sqlite3'
import { medianOf, round } from '../../../bench/measure'
import { createSqliteStorage, type SqliteStorage } from '../src/index'
import { type EnrolmentState, enrolmentDocument, START } from './documents'
import { migratedFile, WORKSPACE } from './files'
import { rawInserter } from './raw-rows'

/** Due actions of the identity being served; the same in both databases. */
const DUE = 2_000
const CLAIMS = 1_000

/**
 * A database of `total` enrolments: `DUE` due actions for identity `ana`, and the rest the way a store
 * that has run for a while looks: mostly finished leads, leads waiting weeks ahead, and due work of 97
 * other identities. Written with raw statements because it is set-up, not what is measured.
 */
async function populate(total: number, log: (line: string) => void): Promise<string> {
  const file = await migratedFile(`claims-${total}`)
  const database = new Database(file)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = NORMAL')
  const insert = rawInserter(database, 'paceline_enrolments')
  const write = database.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const hot = n < DUE
      const bucket = n % 10
      const state: EnrolmentState = hot ? 'ready' : bucket < 6 ? 'finished' : bucket < 8 ? 'waiting' : 'ready'
      const identityId = hot || (state !== 'ready' && n % 4 === 0) ? 'ana' : `other-${n % 97}`
      const document = enrolmentDocument(n, { campaignId: `c-${identityId}`, identityId, state })
      insert(WORKSPACE, String(document.key), document)
    }
  })
  const chunk = 100_000
  for (let from = 0; from < total; from += chunk) {
    write(from, Math.min(total, from + chunk))
    if (total > chunk)
      log(
        `  writing ${total.toLocaleString('en')} enrolments: ${Math.min(total, from + chunk).toLocaleString('en')}`,
      )
  }
  database.pragma('wal_checkpoint(TRUNCATE)')
  database.close()
  return file
}

/**
 * Claims the next `CLAIMS` due actions one by one, each in its own transaction, the way the engine does:
 * read the lane counters and the identity lease, take the head of the ready index, write the claim, the
 * counter and the enrolment together. Returns the elapsed time and what to restore.
 */
async function claimNext(storage: SqliteStorage): Promise<{ ms: number; claimed: StoredDocument[] }> {
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
async function restore(storage: SqliteStorage, claimed: readonly StoredDocument[]): Promise<void> {
  await storage.transaction(WORKSPACE, async (tx) => {
    for (const document of claimed) {
      await tx.put('enrolments', String(document.key), document)
      await tx.delete('claims', `claim:${String(document.key)}`)
    }
    await tx.delete('counters', 'ana|linkedin:message|2026-03-02')
  })
}

export interface ClaimDatabase {
  readonly total: number
  readonly file: string
}

/** Writes the databases the claim benchmark reads (remove them with `removeDatabase` when done). */
export async function prepareClaimDatabases(
  sizes: readonly number[],
  log: (line: string) => void = () => {},
): Promise<ClaimDatabase[]> {
  const databases: ClaimDatabase[] = []
  for (const total of sizes) {
    log(`  preparing ${total.toLocaleString('en')} enrolled leads`)
    databases.push({ total, file: await populate(total, log) })
  }
  return databases
}

/** Opens a prepared database and claims the next 1,000 due actions once (for the memory probe). */
export async function claimOnce(file: string): Promise<number> {
  const storage = createSqliteStorage({ filename: file, onWarning: () => {} })
  await storage.ready
  const { ms, claimed } = await claimNext(storage)
  await restore(storage, claimed)
  await storage.close()
  return ms
}

/** Times the claims on each database; rounds alternate between them so drift affects both alike. */
export async function claimBenchmark(
  databases: readonly [ClaimDatabase, ClaimDatabase],
  rounds = 5,
  log: (line: string) => void = () => {},
) {
  const cases = []
  for (const { total, file } of databases) {
    const storage = createSqliteStorage({ filename: file, onWarning: () => {} })
    await storage.ready
    cases.push({ total, storage, times: [] as number[] })
  }
  for (let round = -1; round < rounds; round++) {
    for (const each of cases) {
      const { ms, claimed } = await claimNext(each.storage)
      if (round >= 0) each.times.push(ms)
      await restore(each.storage, claimed)
    }
    if (round >= 0) log(`  round ${round + 1}/${rounds} done`)
  }
  const results = []
  for (const each of cases) {
    await each.storage.close()
    results.push({ enrolledLeads: each.total, claimMs: round(medianOf(each.times), 1) })
  }
  const [small, large] = results as [(typeof results)[0], (typeof results)[0]]
  return {
    claims: CLAIMS,
    dueActions: DUE,
    cases: results,
    ratio: round(large.claimMs / small.claimMs),
    goal: 'at most 1.5 (1,000,000 enrolled / 10,000 enrolled)',
  }
}
