/**
 * A pg-boss worker process of the dispatch comparison: says `ready`, waits for `{ t0 }` on stdin, then
 * fetches jobs of the queue in batches and completes each by its id until the queue is empty, and prints
 * its report (jobs completed, first fetch and last completion in real ms) as its last line.
 */
import { createInterface } from 'node:readline'
import PgBoss from 'pg-boss'
import { PGBOSS, type PgBossWorkerReport } from '../pgboss.bench'

const env = (name: string) => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}
const workerId = env('WORKER_ID')
const boss = new PgBoss({
  connectionString: env('DATABASE_URL'),
  schema: env('SCHEMA'),
  max: PGBOSS.poolSize,
  supervise: false,
  schedule: false,
  migrate: false,
})
boss.on('error', (error) => process.stderr.write(`pg-boss: ${error.message}\n`))
await boss.start()

const lines = createInterface({ input: process.stdin })
process.stdout.write('ready\n')
const go = await new Promise<string>((resolve) => lines.once('line', resolve))
lines.close()
const { t0 } = JSON.parse(go) as { t0: number }
await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 - Date.now())))

let jobs = 0
let firstAt: number | undefined
let lastAt: number | undefined
for (;;) {
  const at = Date.now()
  const batch = await boss.fetch<{ identityId: string }>(PGBOSS.queue, { batchSize: PGBOSS.batchSize })
  if (batch.length === 0) {
    // pg-boss's fetch answers [] on an error too: stop only when nothing is left to fetch.
    if ((await boss.getQueueSize(PGBOSS.queue)) === 0) break
    continue
  }
  firstAt ??= at
  for (const job of batch) {
    await boss.complete(PGBOSS.queue, job.id)
    jobs++
  }
  lastAt = Date.now()
}
await boss.stop({ graceful: false, wait: true })
const report: PgBossWorkerReport = { workerId, jobs, firstAt, lastAt }
process.stdout.write(`${JSON.stringify(report)}\n`)
