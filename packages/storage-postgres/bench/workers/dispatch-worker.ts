/**
 * A worker process of the dispatch benchmark: one engine on the shared schema. It says `ready` on stdout,
 * waits for `{ t0, until }` on stdin (real milliseconds), ticks from t0 to until on the virtual clock
 * `start + (Date.now() - t0) * speed` shared by every worker, and prints its report as its last line.
 */
import { createInterface } from 'node:readline'
import { createEngine } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryLinkedInChannel } from '@paceline/core/testing'
import { createPostgresStorage } from '../../src/index'
import { DISPATCH, type WorkerReport } from '../dispatch-scenario'

const env = (name: string) => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}
const workerId = env('WORKER_ID')
let t0 = Number.POSITIVE_INFINITY
let until = Number.POSITIVE_INFINITY
const now = () => DISPATCH.start + Math.max(0, Date.now() - t0) * DISPATCH.speed

let actions = 0
let firstAt: number | undefined
let lastAt: number | undefined
const keys: string[] = []
const record = (key: unknown) => {
  const at = Date.now()
  if (at < t0 || at > until) return
  actions++
  firstAt ??= at
  lastAt = at
  if (typeof key === 'string') keys.push(key)
}
const linkedin = createMemoryLinkedInChannel({
  respond: (call) => {
    if (call.method !== 'checkConnection') record(call.request.idempotencyKey)
    return undefined
  },
})
const email = createMemoryEmailChannel({
  respond: (message) => {
    record(message.idempotencyKey)
    return undefined
  },
})

const storage = createPostgresStorage({
  connectionString: env('DATABASE_URL'),
  schema: env('SCHEMA'),
  poolSize: DISPATCH.poolSize,
  retryForMs: 60_000,
  onWarning: () => {},
})
const engine = createEngine({
  storage,
  linkedin,
  email,
  clock: { now },
  workerId,
  // A send counts as abandoned only after six virtual hours (36 real seconds) without an outcome.
  settings: { claimLeaseMs: 6 * 3_600_000 },
})
await storage.ready

const lines = createInterface({ input: process.stdin })
process.stdout.write('ready\n')
const go = await new Promise<string>((resolve) => lines.once('line', resolve))
lines.close()
;({ t0, until } = JSON.parse(go) as { t0: number; until: number })
await new Promise((resolve) => setTimeout(resolve, Math.max(0, t0 - Date.now())))

let ticks = 0
let executed = 0
let failures = 0
const failureMessages: string[] = []
while (Date.now() < until) {
  try {
    const report = await engine.tick()
    executed += report.executed
    ticks++
    // Nothing was due: wait for the next wake-up (in real time), a little at most.
    if (report.executed === 0 && report.nextWakeAt !== undefined) {
      const wait = (Date.parse(report.nextWakeAt) - now()) / DISPATCH.speed
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, wait))))
    }
  } catch (error) {
    failures++
    if (failureMessages.length < 3) failureMessages.push(String((error as Error).message).slice(0, 300))
    if (failures > 100) throw error
  }
}
await engine.close()
await storage.close()
const report: WorkerReport = {
  workerId,
  ticks,
  executed,
  actions,
  firstAt,
  lastAt,
  keys,
  failures,
  failureMessages,
}
process.stdout.write(`${JSON.stringify(report)}\n`)
