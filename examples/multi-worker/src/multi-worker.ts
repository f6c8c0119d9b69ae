import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryLinkedInChannel } from '@paceline/core/testing'
import { createPostgresStorage } from '@paceline/storage-postgres'
import Table from 'cli-table3'
import { database } from './database'
import { type FleetSize, fleetSequence, identity, identityId, LIMITS, leadsOf, START } from './fleet'

const here = dirname(fileURLToPath(import.meta.url))
const DAY = 86_400_000

export interface MultiWorkerOptions extends FleetSize {
  readonly workers: number
  /** Virtual days to run. */
  readonly days: number
  /** Virtual milliseconds per real millisecond. Default 3600: an hour a second. */
  readonly speed?: number
  readonly write: (line: string) => void
}

export interface MultiWorkerResult {
  /** Channel actions each worker executed. */
  readonly executedByWorker: Readonly<Record<string, number>>
  readonly actionsPerSecond: number
  /** The most any identity sent in one of its local days, per kind, and the cap. */
  readonly busiestDay: Readonly<Record<'connections' | 'messages' | 'emails', { sent: number; cap: number }>>
  /** Identity-days over a cap (none, unless something is wrong). */
  readonly overCap: readonly string[]
}

/**
 * Seeds a fleet of identities into a fresh schema, runs `workers` engine processes on it in compressed
 * virtual time, printing progress, then checks every identity's sends per local day against its caps.
 */
export async function runMultiWorker(options: MultiWorkerOptions): Promise<MultiWorkerResult> {
  const { write } = options
  const speed = options.speed ?? 3600
  const db = await database(write)
  const schema = `multi_worker_${Date.now().toString(36)}`
  try {
    write(
      `Seeding ${options.identities} identities, ${options.identities * options.leadsPerIdentity} leads (schema ${schema})`,
    )
    await seed(db.url, schema, options)
    const end = START + options.days * DAY
    const t0 = Date.now() + 1500
    write(
      `Running ${options.workers} worker processes for ${options.days} virtual days (${(options.days * DAY) / speed / 1000} s)`,
    )
    const executed = await runWorkers(db.url, schema, options.workers, t0, end, speed, write)
    const seconds = (Date.now() - t0) / 1000
    const total = Object.values(executed).reduce((sum, each) => sum + each, 0)
    const table = new Table({ head: ['Worker', 'Actions', 'Share'] })
    for (const [worker, count] of Object.entries(executed).sort())
      table.push([worker, count, `${Math.round((100 * count) / Math.max(1, total))}%`])
    write(table.toString())
    write(`Throughput ${Math.round(total / seconds)} actions a second (${total} in ${seconds.toFixed(1)} s)`)
    const caps = await checkCaps(db.url, schema, options, end)
    write(
      `Caps       busiest identity-day: ${caps.busiestDay.connections.sent}/${caps.busiestDay.connections.cap} invitations, ${caps.busiestDay.messages.sent}/${caps.busiestDay.messages.cap} LinkedIn messages, ${caps.busiestDay.emails.sent}/${caps.busiestDay.emails.cap} emails`,
    )
    write(
      caps.overCap.length === 0
        ? `           every identity stayed within its daily caps on every day`
        : `           OVER CAP: ${caps.overCap.join('; ')}`,
    )
    return { executedByWorker: executed, actionsPerSecond: total / seconds, ...caps }
  } finally {
    await dropSchema(db.url, schema)
    await db.stop()
  }
}

async function seed(url: string, schema: string, size: FleetSize): Promise<void> {
  const storage = createPostgresStorage({ connectionString: url, schema, onWarning: () => {} })
  const engine = createEngine({ storage, clock: { now: () => START } })
  try {
    for (let n = 0; n < size.identities; n++) {
      await engine.identities.put(identity(n))
      await engine.campaigns.create({
        id: `campaign-${n}`,
        identityId: identityId(n),
        sequence: fleetSequence,
      })
      await engine.leads.add(`campaign-${n}`, leadsOf(n, size))
      await engine.campaigns.launch(`campaign-${n}`)
    }
  } finally {
    await engine.close()
    await storage.close()
  }
}

/** Starts the worker processes and prints progress each second until they finish. */
async function runWorkers(
  url: string,
  schema: string,
  workers: number,
  t0: number,
  end: number,
  speed: number,
  write: (line: string) => void,
): Promise<Record<string, number>> {
  const executed: Record<string, number> = {}
  const exits = Array.from({ length: workers }, (_, n) => {
    const workerId = `worker-${n + 1}`
    executed[workerId] = 0
    const child = spawn(
      process.execPath,
      ['--conditions=@paceline/source', '--import', 'tsx', join(here, 'worker.ts')],
      {
        env: {
          ...process.env,
          DATABASE_URL: url,
          SCHEMA: schema,
          WORKER_ID: workerId,
          T0: String(t0),
          SPEED: String(speed),
          END: String(end),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) executed[workerId] = (JSON.parse(line) as { executed: number }).executed
    })
    return new Promise<void>((resolve, reject) =>
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`${workerId} exited with ${code}`)),
      ),
    )
  })
  const progress = setInterval(() => {
    const virtual = new Date(Math.min(end, START + Math.max(0, Date.now() - t0) * speed))
    const total = Object.values(executed).reduce((sum, each) => sum + each, 0)
    write(
      `  ${virtual.toISOString().slice(0, 16).replace('T', ' ')} UTC  ${total} actions  ${JSON.stringify(executed)}`,
    )
  }, 2000)
  try {
    await Promise.all(exits)
  } finally {
    clearInterval(progress)
  }
  return executed
}

/** Every identity's sends per local day, from the engine's own analytics, against the caps. */
async function checkCaps(
  url: string,
  schema: string,
  size: FleetSize,
  end: number,
): Promise<Pick<MultiWorkerResult, 'busiestDay' | 'overCap'>> {
  const storage = createPostgresStorage({ connectionString: url, schema, onWarning: () => {} })
  const engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    clock: { now: () => end + DAY },
  })
  const busiestDay = {
    connections: { sent: 0, cap: LIMITS.connectionsPerDay },
    messages: { sent: 0, cap: LIMITS.messagesPerDay },
    emails: { sent: 0, cap: LIMITS.emailsPerDay },
  }
  const overCap: string[] = []
  try {
    for (let n = 0; n < size.identities; n++) {
      for (let day = START - DAY; day <= end; day += DAY) {
        const date = new Date(day).toISOString().slice(0, 10)
        const usage = await engine.analytics.identity(identityId(n), { since: date, until: date })
        const sent = {
          connections: usage.connections.sent,
          messages: usage.linkedinMessages.sent,
          emails: usage.emails.sent,
        }
        for (const kind of ['connections', 'messages', 'emails'] as const) {
          busiestDay[kind].sent = Math.max(busiestDay[kind].sent, sent[kind])
          if (sent[kind] > busiestDay[kind].cap)
            overCap.push(`${identityId(n)} ${date} ${kind} ${sent[kind]}`)
        }
      }
    }
  } finally {
    await engine.close()
    await storage.close()
  }
  return { busiestDay, overCap }
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const storage = createPostgresStorage({
    connectionString: url,
    schema,
    migrate: false,
    onWarning: () => {},
  })
  try {
    await storage.pool.query(`drop schema if exists "${schema}" cascade`)
  } finally {
    await storage.close()
  }
}
