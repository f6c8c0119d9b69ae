/**
 * A worker process of the crash test: runs the engine on a SQLite file until END, recording every send
 * the channels receive in a separate file. With CRASH_AT=n it kills itself with SIGKILL at its n-th
 * storage operation or channel call, wherever that falls (even inside a transaction).
 */
import { appendFileSync } from 'node:fs'
import { createEngine } from '@paceline/core'
import type { StorageTransaction, StorageV1 } from '@paceline/core/ports'
import { createMemoryEmailChannel, createMemoryLinkedInChannel, VirtualClock } from '@paceline/core/testing'
import { createSqliteStorage } from '../../src/index'
import { crashSequence, END, identity, leads, START } from './crash-scenario'

const [database, sends] = process.argv.slice(2) as [string, string]
const crashAt = Number(process.env.CRASH_AT ?? 0)
let operations = 0
const step = () => {
  operations++
  if (crashAt > 0 && operations >= crashAt) process.kill(process.pid, 'SIGKILL')
}

/** Counts the operation (perhaps dying there), then does it. */
const counting = <T>(operation: () => T): T => {
  step()
  return operation()
}

const sqlite = createSqliteStorage({ filename: database, onWarning: () => {} })
const storage: StorageV1 = {
  specificationVersion: 'v1',
  transaction(workspace, work, options) {
    step()
    return sqlite.transaction(
      workspace,
      (tx) => {
        const counted: StorageTransaction = {
          get: (...args) => counting(() => tx.get(...args)),
          getMany: (...args) => counting(() => tx.getMany(...args)),
          put: (...args) => counting(() => tx.put(...args)),
          delete: (...args) => counting(() => tx.delete(...args)),
          query: (...args) => counting(() => tx.query(...args)),
        }
        return work(counted)
      },
      options,
    )
  },
}

const record = (kind: string, key: string, leadId: string, at: number) => {
  step()
  // The provider has the message once this line is written: a kill after it must not lead to a resend.
  appendFileSync(sends, `${JSON.stringify({ kind, key, leadId, at: new Date(at).toISOString() })}\n`)
}
const clock = new VirtualClock(START)
const linkedin = createMemoryLinkedInChannel({
  respond: (call) => {
    if (call.method !== 'checkConnection')
      record(call.method, String(call.request.idempotencyKey), call.target.leadId, clock.now())
    return undefined
  },
})
const email = createMemoryEmailChannel({
  respond: (message) => {
    record(
      'email',
      message.idempotencyKey,
      message.to.address.split('@')[0]?.replace(/^l/, 'lead-') ?? '',
      clock.now(),
    )
    return undefined
  },
})

const engine = createEngine({ storage, linkedin, email, clock, random: 5 })
const saved = await sqlite.transaction('default', (tx) => tx.get('state', 'crash:clock'))
if (saved !== undefined) clock.set(Number(saved.value))
// Set-up is idempotent because a kill can land between any two of its steps.
await engine.identities.put(identity)
const existing = (await engine.campaigns.list({ limit: 500 })).items.find((campaign) => campaign.id === 'c')
if (existing === undefined)
  await engine.campaigns.create({ id: 'c', identityId: 'ana', sequence: crashSequence })
await engine.leads.add('c', leads)
if ((existing?.status ?? 'draft') === 'draft') await engine.campaigns.launch('c')

const end = Date.parse(END)
while (clock.now() < end) {
  const report = await engine.tick()
  const next = report.nextWakeAt === undefined ? end : Date.parse(report.nextWakeAt)
  clock.set(Math.min(Math.max(next, clock.now() + 1_000), end))
  await sqlite.transaction('default', (tx) =>
    tx.put('state', 'crash:clock', { key: 'crash:clock', value: clock.now() }),
  )
}
await engine.close()
await sqlite.close()
process.stdout.write(JSON.stringify({ finished: true, operations }))
