/**
 * A worker process of the multi-worker tests: runs one engine on the shared PostgreSQL schema until the
 * virtual end, recording every send the in-memory channels receive in the sends file (one JSON line per
 * send, appended: lines this short are written whole). The virtual clock is shared by all workers: it is
 * computed from the real one, `start + (Date.now() - T0) * speed`.
 */
import { appendFileSync } from 'node:fs'
import { createEngine } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryLinkedInChannel } from '@paceline/core/testing'
import { createPostgresStorage } from '../../src/index'
import { FLEET, identityId, type SendRecord } from './fleet-scenario'

const env = (name: string) => {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}
const workerId = env('WORKER_ID')
const sends = env('SENDS_FILE')
const t0 = Number(env('T0'))
const now = () => FLEET.start + Math.max(0, Date.now() - t0) * FLEET.speed

const record = (kind: SendRecord['kind'], key: string, identity: string) => {
  const line: SendRecord = { kind, key, identityId: identity, at: now(), worker: workerId }
  appendFileSync(sends, `${JSON.stringify(line)}\n`)
}
const linkedin = createMemoryLinkedInChannel({
  respond: (call) => {
    if (call.method === 'sendInvitation' || call.method === 'sendMessage')
      record(call.method, String(call.request.idempotencyKey), identityId(Number(call.accountId.slice(3))))
    return undefined
  },
})
const email = createMemoryEmailChannel({
  respond: (message) => {
    record('email', message.idempotencyKey, identityId(Number(message.from.address.match(/\d+/)?.[0])))
    return undefined
  },
})

const storage = createPostgresStorage({
  connectionString: env('DATABASE_URL'),
  schema: env('SCHEMA'),
  poolSize: 4,
  retryForMs: 60_000,
  onWarning: () => {},
})
const engine = createEngine({
  storage,
  linkedin,
  email,
  clock: { now },
  workerId,
  settings: {
    identityLeaseMs: FLEET.identityLeaseMs,
    // A send is "abandoned" only after six virtual hours (six real seconds) without an outcome.
    claimLeaseMs: 6 * 3_600_000,
  },
})

let stopping = false
process.on('SIGTERM', () => {
  stopping = true
})
let ticks = 0
let executed = 0
let failures = 0
while (!stopping && now() < FLEET.end) {
  try {
    const report = await engine.tick()
    executed += report.executed
    ticks++
  } catch (error) {
    // A tick that failed (a database restart outlasting the retries) is simply run again: every step of
    // the engine is safe to repeat.
    failures++
    if (failures > 1000) throw error
  }
  await new Promise((resolve) => setTimeout(resolve, 10))
}
await engine.close()
await storage.close()
process.stdout.write(`${JSON.stringify({ workerId, ticks, executed, failures })}\n`)
