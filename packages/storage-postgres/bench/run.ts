import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { round, writeBenchResults } from '../../../bench/measure'
import { claimBenchmark, dropClaimSchemas, prepareClaimSchemas } from './claim.bench'
import { benchServer } from './database'
import { dispatchBenchmark } from './dispatch.bench'
import { enrolBenchmark } from './enrol.bench'
import { PGBOSS, pgBossBenchmark } from './pgboss.bench'

const started = performance.now()
const log = (line: string) =>
  process.stderr.write(
    `[${String(Math.round((performance.now() - started) / 1000)).padStart(3)} s] ${line}\n`,
  )
const LEADS = 100_000
const load = () => loadavg().map((each) => round(each, 2))
const loadAtStart = load()

const server = await benchServer(log)
try {
  log(`enrolling ${LEADS.toLocaleString('en')} leads: Storage port vs raw pg multi-row inserts`)
  const enrol = await enrolBenchmark(server.url, LEADS, 3, log)

  log('claiming the next 1,000 due actions: 10,000 vs 1,000,000 enrolled leads')
  const schemas = await prepareClaimSchemas(server.url, [10_000, 1_000_000], log)
  let claim: Awaited<ReturnType<typeof claimBenchmark>>
  try {
    claim = await claimBenchmark(server.url, schemas as [(typeof schemas)[0], (typeof schemas)[0]], 7, log)
  } finally {
    await dropClaimSchemas(server.url, schemas)
  }

  log('dispatch throughput: engine worker processes on one server')
  const paceline = await dispatchBenchmark(server.url, [1, 2, 4], log)

  log('the same number of jobs through pg-boss, fetched in batches and completed by id')
  const pgBoss = await pgBossBenchmark(
    server.url,
    paceline.runs.map((run) => ({ workers: run.workers, jobs: run.actions })),
    log,
  )
  const one = pgBoss.find((run) => run.workers === 1)
  const dispatch = {
    ...paceline,
    pgBoss: {
      version: '10.4.2',
      fetchBatchSize: PGBOSS.batchSize,
      completion: 'complete(queue, id) per job',
      runs: pgBoss,
      scaling: Object.fromEntries(
        pgBoss
          .filter((run) => run.workers !== 1)
          .map((run) => [
            `${run.workers}/1`,
            one === undefined ? null : round(run.jobsPerSecond / one.jobsPerSecond),
          ]),
      ),
      note: 'pg-boss does no per-key caps, pacing or fencing: a worker takes any job and marks it done. paceline checks each identity’s daily caps, sliding windows, pacing and working hours, holds an identity lease and fences every claim, and records the action, counters and analytics in the same transactions.',
    },
    pacelineToPgBoss: Object.fromEntries(
      paceline.runs.map((run) => {
        const boss = pgBoss.find((each) => each.workers === run.workers)
        return [
          `${run.workers} worker${run.workers === 1 ? '' : 's'}`,
          boss === undefined ? null : round(run.actionsPerSecond / boss.jobsPerSecond),
        ]
      }),
    ),
  }

  log(`done in ${Math.round((performance.now() - started) / 1000)} s`)
  writeBenchResults('storage-postgres', '@paceline/storage-postgres', {
    machine: {
      cores: cpus().length,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: load(),
      server: server.source,
      note: `${cpus().length} cores shared by the benchmark, its worker processes and PostgreSQL`,
    },
    enrol,
    claim,
    dispatch,
    totalSeconds: Math.round((performance.now() - started) / 1000),
  })
} finally {
  await server.stop()
}
