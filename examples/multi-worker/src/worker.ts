/**
 * One worker process: an engine on the shared PostgreSQL schema. In production a worker is just
 * `createEngine({ storage, linkedin, email, workerId })` and `engine.start()`; here virtual time runs much
 * faster than real time, so the worker ticks in a loop instead of sleeping until the next due work.
 * It reports what it executed on stdout, one JSON line a second.
 */
import { createEngine } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryLinkedInChannel } from '@paceline/core/testing'
import { createPostgresStorage } from '@paceline/storage-postgres'
import { compressedClock } from './fleet'

const workerId = process.env.WORKER_ID ?? `worker-${process.pid}`
const clock = compressedClock(Number(process.env.T0), Number(process.env.SPEED))
const end = Number(process.env.END)

const storage = createPostgresStorage({
  connectionString: process.env.DATABASE_URL as string,
  schema: process.env.SCHEMA as string,
  poolSize: 4,
  onWarning: () => {},
})
const engine = createEngine({
  storage,
  // In-memory channels: the example measures the engine and the database, not LinkedIn or SMTP.
  linkedin: createMemoryLinkedInChannel(),
  email: createMemoryEmailChannel(),
  clock,
  workerId,
  settings: { identityLeaseMs: 10_000, claimLeaseMs: 6 * 3_600_000 },
})

let executed = 0
let reported = Date.now()
const report = () => process.stdout.write(`${JSON.stringify({ workerId, executed })}\n`)
while (clock.now() < end) {
  executed += (await engine.tick()).executed
  if (Date.now() - reported >= 1000) {
    report()
    reported = Date.now()
  }
  await new Promise((resolve) => setTimeout(resolve, 10))
}
report()
await engine.close()
await storage.close()
