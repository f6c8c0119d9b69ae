import { randomBytes } from 'node:crypto'
import PgBoss from 'pg-boss'
import { round } from '../../../bench/measure'
import { dropSchema } from './database'
import { startWorkers } from './processes'

export const PGBOSS = {
  queue: 'bench',
  /** Jobs per fetch. */
  batchSize: 10,
  /** Connections in each worker's pool (as for the paceline workers). */
  poolSize: 4,
} as const

/** What a pg-boss worker process reports when the queue is empty. */
export interface PgBossWorkerReport {
  readonly workerId: string
  readonly jobs: number
  readonly firstAt: number | undefined
  readonly lastAt: number | undefined
}

export interface PgBossRun {
  readonly workers: number
  readonly jobs: number
  readonly seconds: number
  readonly jobsPerSecond: number
  readonly byWorker: Record<string, number>
}

/** Enqueues `jobs` jobs in a fresh pg-boss schema, then `workers` processes fetch and complete them all. */
async function pgBossRun(
  url: string,
  workers: number,
  jobs: number,
  log: (line: string) => void,
): Promise<PgBossRun> {
  const schema = `bench_pgboss_${workers}_${randomBytes(4).toString('hex')}`
  try {
    const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false, max: 2 })
    boss.on('error', (error) => log(`    pg-boss: ${error.message}`))
    await boss.start()
    await boss.createQueue(PGBOSS.queue)
    for (let from = 0; from < jobs; from += 1000) {
      await boss.insert(
        Array.from({ length: Math.min(1000, jobs - from) }, (_, n) => ({
          name: PGBOSS.queue,
          data: { identityId: `id-${(from + n) % 300}`, leadId: `lead-${from + n}`, step: 'mail' },
        })),
      )
    }
    await boss.stop({ graceful: false, wait: true })
    log(
      `    enqueued ${jobs.toLocaleString('en')} jobs; starting ${workers} worker process${workers === 1 ? '' : 'es'}`,
    )
    const group = startWorkers<PgBossWorkerReport>(
      'pgboss-worker.ts',
      Array.from({ length: workers }, (_, n) => ({
        DATABASE_URL: url,
        SCHEMA: schema,
        WORKER_ID: `b${n + 1}`,
      })),
    )
    let reports: PgBossWorkerReport[]
    try {
      await Promise.race([group.ready, group.reports])
      group.go(JSON.stringify({ t0: Date.now() + 200 }))
      reports = await group.reports
    } finally {
      group.kill()
    }
    const done = reports.reduce((sum, each) => sum + each.jobs, 0)
    if (done !== jobs) throw new Error(`pg-boss workers completed ${done} of ${jobs} jobs`)
    const first = Math.min(...reports.flatMap((each) => (each.firstAt === undefined ? [] : [each.firstAt])))
    const last = Math.max(...reports.flatMap((each) => (each.lastAt === undefined ? [] : [each.lastAt])))
    const seconds = (last - first) / 1000
    const run: PgBossRun = {
      workers,
      jobs,
      seconds: round(seconds, 2),
      jobsPerSecond: round(jobs / seconds, 1),
      byWorker: Object.fromEntries(reports.map((each) => [each.workerId, each.jobs])),
    }
    log(`    ${jobs.toLocaleString('en')} jobs in ${run.seconds} s: ${run.jobsPerSecond} jobs/s`)
    return run
  } finally {
    await dropSchema(url, schema)
  }
}

/** pg-boss on the same server: as many jobs as paceline executed actions with each worker count. */
export async function pgBossBenchmark(
  url: string,
  jobsByWorkers: readonly { readonly workers: number; readonly jobs: number }[],
  log: (line: string) => void = () => {},
) {
  const runs: PgBossRun[] = []
  for (const { workers, jobs } of jobsByWorkers) {
    log(`  pg-boss, ${workers} worker${workers === 1 ? '' : 's'}`)
    runs.push(await pgBossRun(url, workers, jobs, log))
  }
  return runs
}
