import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { createEngine } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryLinkedInChannel } from '@paceline/core/testing'
import { round } from '../../../bench/measure'
import { copiedSchema, dropSchema, migratedSchema, openStorage, withClient } from './database'
import {
  DISPATCH,
  dispatchSequence,
  identity,
  identityId,
  leadsOf,
  type WorkerReport,
} from './dispatch-scenario'
import { startWorkers } from './processes'

/** Seeds the identities, a launched campaign each and its leads into a fresh schema (not timed). */
async function seed(url: string, schema: string): Promise<void> {
  const storage = openStorage(url, schema)
  const engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    clock: { now: () => DISPATCH.start },
  })
  try {
    for (let n = 0; n < DISPATCH.identities; n++) {
      await engine.identities.put(identity(n))
      await engine.campaigns.create({ id: `c-${n}`, identityId: identityId(n), sequence: dispatchSequence })
      await engine.leads.add(`c-${n}`, leadsOf(n))
      await engine.campaigns.launch(`c-${n}`)
    }
  } finally {
    await engine.close()
    await storage.close()
  }
}

export interface DispatchRun {
  readonly workers: number
  readonly actions: number
  readonly seconds: number
  readonly actionsPerSecond: number
  readonly byWorker: Record<string, number>
  readonly ticks: number
  readonly duplicates: number
  readonly tickFailures: number
  readonly tickFailureMessages: readonly string[]
  /** Transactions committed and rolled back on the server during the run (pg_stat_database). */
  readonly serverTransactions: { readonly committed: number; readonly rolledBack: number }
}

/** The database's committed and rolled-back transaction counts so far. */
async function transactionCounts(url: string): Promise<{ committed: number; rolledBack: number }> {
  return withClient(url, async (client) => {
    await client.query('select pg_stat_force_next_flush()').catch(() => undefined)
    const { rows } = await client.query(
      'select xact_commit::float8 as committed, xact_rollback::float8 as rolled_back from pg_stat_database where datname = current_database()',
    )
    return { committed: Number(rows[0].committed), rolledBack: Number(rows[0].rolled_back) }
  })
}

/** One run: `workers` engine processes on a fresh copy of the seeded schema, dispatching for `runMs` real ms. */
async function dispatchRun(
  url: string,
  template: string,
  workers: number,
  log: (line: string) => void,
): Promise<DispatchRun> {
  const schema = await copiedSchema(url, template, `dispatch_${workers}`)
  try {
    log(
      `    fresh schema copied from the seeded one; starting ${workers} worker process${workers === 1 ? '' : 'es'}`,
    )
    const group = startWorkers<WorkerReport>(
      'dispatch-worker.ts',
      Array.from({ length: workers }, (_, n) => ({
        DATABASE_URL: url,
        SCHEMA: schema,
        WORKER_ID: `w${n + 1}`,
      })),
    )
    let reports: WorkerReport[]
    let before: { committed: number; rolledBack: number }
    try {
      await Promise.race([group.ready, group.reports])
      before = await transactionCounts(url)
      const t0 = Date.now() + 200
      group.go(JSON.stringify({ t0, until: t0 + DISPATCH.runMs }))
      log(`    dispatching for ${DISPATCH.runMs / 1000} s`)
      reports = await group.reports
    } finally {
      group.kill()
    }
    // Let the workers' last statistics reach the server's counters.
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const after = await transactionCounts(url)
    const actions = reports.reduce((sum, each) => sum + each.actions, 0)
    const first = Math.min(...reports.flatMap((each) => (each.firstAt === undefined ? [] : [each.firstAt])))
    const last = Math.max(...reports.flatMap((each) => (each.lastAt === undefined ? [] : [each.lastAt])))
    const keys = reports.flatMap((each) => each.keys)
    const seconds = (last - first) / 1000
    const run: DispatchRun = {
      workers,
      actions,
      seconds: round(seconds, 2),
      actionsPerSecond: round(actions / seconds, 1),
      byWorker: Object.fromEntries(reports.map((each) => [each.workerId, each.actions])),
      ticks: reports.reduce((sum, each) => sum + each.ticks, 0),
      duplicates: keys.length - new Set(keys).size,
      tickFailures: reports.reduce((sum, each) => sum + each.failures, 0),
      tickFailureMessages: [...new Set(reports.flatMap((each) => each.failureMessages))],
      serverTransactions: {
        committed: after.committed - before.committed,
        rolledBack: after.rolledBack - before.rolledBack,
      },
    }
    log(
      `    ${actions.toLocaleString('en')} actions in ${run.seconds} s: ${run.actionsPerSecond} actions/s (by worker ${JSON.stringify(run.byWorker)}; ${run.serverTransactions.rolledBack} transactions rolled back)`,
    )
    return run
  } finally {
    await dropSchema(url, schema)
  }
}

/** Dispatch throughput with 1, 2 and 4 worker processes, each run on a fresh schema. */
export async function dispatchBenchmark(
  url: string,
  counts: readonly number[] = [1, 2, 4],
  log: (line: string) => void = () => {},
) {
  const template = await migratedSchema(url, 'dispatch_seed')
  const runs: DispatchRun[] = []
  try {
    const seeding = performance.now()
    log(
      `  seeding ${DISPATCH.identities} identities with a launched campaign and ${DISPATCH.leadsPerIdentity} leads each through the engine`,
    )
    await seed(url, template)
    log(`    seeded in ${Math.round((performance.now() - seeding) / 1000)} s`)
    for (const workers of counts) {
      log(`  ${workers} worker${workers === 1 ? '' : 's'}`)
      runs.push(await dispatchRun(url, template, workers, log))
    }
  } finally {
    await dropSchema(url, template)
  }
  const one = runs.find((run) => run.workers === 1)
  const scaling = Object.fromEntries(
    runs
      .filter((run) => run.workers !== 1)
      .map((run) => [
        `${run.workers}/1`,
        one === undefined ? null : round(run.actionsPerSecond / one.actionsPerSecond),
      ]),
  )
  return {
    workload: {
      identities: DISPATCH.identities,
      leads: DISPATCH.identities * DISPATCH.leadsPerIdentity,
      sequence: 'visit_profile, linkedin_message, email, email',
      caps: 'LinkedIn Premium at the largest caps (150 visits, 250 messages a day), two inboxes of 80/day and 10/hour each, working hours 00:00-24:00 every day; caps, pacing and gaps are checked on every action',
      virtualSpeed: `${DISPATCH.speed} virtual ms per real ms`,
      runSeconds: DISPATCH.runMs / 1000,
      poolSizePerWorker: DISPATCH.poolSize,
    },
    runs,
    scaling,
    cores: cpus().length,
    note: `actions = channel calls (visits, messages, emails) made between the go signal and the deadline by createEngine workers (one Node process each, workerId per process) on one PostgreSQL; actions/s = actions / (last action - first action). The machine has ${cpus().length} cores, shared by the workers and the PostgreSQL server, which bounds the scaling. serverTransactions.rolledBack counts transactions the store rolled back, nearly all serialization failures (40001) between workers, each run again whole; tickFailures are ticks that failed (storage_busy after the store's retries) and were run again.`,
  }
}
