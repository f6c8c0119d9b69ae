import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createEngine, type LeadView } from '@paceline/core'
import { createMemoryEmailChannel, createMemoryLinkedInChannel } from '@paceline/core/testing'
import { createPostgresStorage } from '../../src/index'
import {
  FLEET,
  fleetSequence,
  identity,
  identityId,
  LIMITS,
  leadsOf,
  type SendRecord,
} from '../workers/fleet-scenario'

const here = dirname(fileURLToPath(import.meta.url))
const packageRoot = join(here, '..', '..')

/** A run of the fleet: its schema, sends file, and the worker processes alive now. */
export interface FleetRun {
  readonly url: string
  readonly schema: string
  readonly sendsFile: string
  readonly t0: number
  readonly workers: Map<string, ChildProcess>
  /** Exit reports of workers that finished (not killed). */
  readonly reports: { workerId: string; ticks: number; executed: number; failures: number }[]
  /** Starts a worker process under a new id. */
  spawnWorker(workerId: string): ChildProcess
  /** Resolves when every worker alive now has exited. */
  finished(): Promise<void>
  dispose(): void
}

/** Seeds the fleet (identities, a launched campaign each, their leads) into a fresh schema. */
export async function seedFleet(url: string, schema: string): Promise<void> {
  const storage = createPostgresStorage({ connectionString: url, schema, poolSize: 4, onWarning: () => {} })
  const engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    clock: { now: () => FLEET.start },
  })
  try {
    for (let n = 0; n < FLEET.identities; n++) {
      await engine.identities.put(identity(n))
      await engine.campaigns.create({ id: `c-${n}`, identityId: identityId(n), sequence: fleetSequence })
      await engine.leads.add(`c-${n}`, leadsOf(n))
      await engine.campaigns.launch(`c-${n}`)
    }
  } finally {
    await engine.close()
    await storage.close()
  }
}

export function startFleet(url: string, schema: string, workerIds: readonly string[]): FleetRun {
  const folder = mkdtempSync(join(tmpdir(), 'paceline-fleet-'))
  const sendsFile = join(folder, 'sends.jsonl')
  // Workers take about a second to start; virtual time begins once they are up.
  const t0 = Date.now() + 1500
  const workers = new Map<string, ChildProcess>()
  const exits = new Map<string, Promise<void>>()
  const reports: FleetRun['reports'] = []
  const run: FleetRun = {
    url,
    schema,
    sendsFile,
    t0,
    workers,
    reports,
    spawnWorker(workerId) {
      const child = spawn(
        process.execPath,
        ['--conditions=@paceline/source', '--import', 'tsx', join(here, '..', 'workers', 'fleet-worker.ts')],
        {
          cwd: packageRoot,
          env: {
            ...process.env,
            DATABASE_URL: url,
            SCHEMA: schema,
            SENDS_FILE: sendsFile,
            WORKER_ID: workerId,
            T0: String(t0),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      )
      let out = ''
      let err = ''
      child.stdout?.on('data', (chunk) => {
        out += chunk
      })
      child.stderr?.on('data', (chunk) => {
        err += chunk
      })
      workers.set(workerId, child)
      exits.set(
        workerId,
        new Promise((resolve, reject) => {
          child.on('exit', (code, signal) => {
            workers.delete(workerId)
            if (signal === 'SIGKILL') return resolve()
            if (code !== 0) return reject(new Error(`worker ${workerId} exited with ${code}: ${err}`))
            reports.push(JSON.parse(out.trim().split('\n').pop() as string))
            resolve()
          })
        }),
      )
      return child
    },
    async finished() {
      await Promise.all(exits.values())
    },
    dispose() {
      for (const child of workers.values()) child.kill('SIGKILL')
      rmSync(folder, { recursive: true, force: true })
    },
  }
  for (const workerId of workerIds) run.spawnWorker(workerId)
  return run
}

/** Every send the channels received, from the sends file. */
export function readSends(run: FleetRun): SendRecord[] {
  if (!existsSync(run.sendsFile)) return []
  return readFileSync(run.sendsFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SendRecord)
}

export interface FleetAudit {
  readonly sends: number
  /** Identity-days on which a kind of send reached its cap exactly: the caps were put to the test. */
  readonly atCap: number
  readonly duplicates: string[]
  /** "identity kind local-day: count > limit" for every day cap exceeded. */
  readonly dayViolations: string[]
  /** "identity email hour-from: count > limit" for every sliding hour over the inbox's hourly cap. */
  readonly hourViolations: string[]
  /** Sends claimed outside the identity's working hours. */
  readonly outsideHours: string[]
  /** Sends without a claim, or that reached the channel before their claim or long after it. */
  readonly late: string[]
  readonly byWorker: Map<string, number>
}

const KIND_LIMIT = {
  sendInvitation: LIMITS.send_connection,
  sendMessage: LIMITS.linkedin_message,
  email: LIMITS.email,
} as const

/**
 * The channel is called once the claim has committed, a few real milliseconds after the engine's decision,
 * which compressed time (an hour a real second) stretches to virtual seconds or, on a loaded machine, to
 * minutes. So caps and working hours are judged at the claim (`claimedAt`, the moment the engine committed
 * to the send, stored under the send's idempotency key), and the channel must have received each send at
 * most this long after its claim.
 */
const DELIVERY_LAG_MS = 3_600_000

/** Checks the sends against the account-safety properties: once each, within every cap, within hours. */
export async function auditSends(run: FleetRun, sends: readonly SendRecord[]): Promise<FleetAudit> {
  const claimed = await claimTimes(run, sends)
  const seen = new Set<string>()
  const duplicates: string[] = []
  const perDay = new Map<string, number>()
  const emails = new Map<string, number[]>()
  const byWorker = new Map<string, number>()
  const outsideHours: string[] = []
  const late: string[] = []
  for (const send of sends) {
    if (seen.has(send.key)) duplicates.push(send.key)
    seen.add(send.key)
    byWorker.set(send.worker, (byWorker.get(send.worker) ?? 0) + 1)
    const at = claimed.get(send.key)
    if (at === undefined || send.at < at || send.at > at + DELIVERY_LAG_MS) {
      late.push(`${send.key} reached the channel at ${send.at}, claimed at ${at}`)
      continue
    }
    const zone = identity(Number(send.identityId.slice(3))).workingHours.timezone
    if (!withinHours(at, zone))
      outsideHours.push(`${send.identityId} ${send.kind} claimed at ${new Date(at).toISOString()}`)
    const key = `${send.identityId} ${send.kind} ${localTime(at, zone).day}`
    perDay.set(key, (perDay.get(key) ?? 0) + 1)
    if (send.kind === 'email') emails.set(send.identityId, [...(emails.get(send.identityId) ?? []), at])
  }
  const atCap = [...perDay].filter(
    ([key, count]) => count === KIND_LIMIT[key.split(' ')[1] as keyof typeof KIND_LIMIT],
  ).length
  const dayViolations = [...perDay]
    .filter(([key, count]) => count > KIND_LIMIT[key.split(' ')[1] as keyof typeof KIND_LIMIT])
    .map(([key, count]) => `${key}: ${count}`)
  const hourViolations: string[] = []
  for (const [id, times] of emails) {
    const sorted = [...times].sort((a, b) => a - b)
    for (const from of sorted) {
      const within = sorted.filter((at) => at >= from && at < from + 3_600_000)
      if (within.length > LIMITS.emailPerHour)
        hourViolations.push(`${id} email from ${new Date(from).toISOString()}: ${within.length}`)
    }
  }
  return {
    sends: sends.length,
    atCap,
    duplicates,
    dayViolations,
    hourViolations,
    outsideHours,
    late,
    byWorker,
  }
}

/** Working hours are 06:00 to 20:00 every day, in the identity's zone. */
export function withinHours(at: number, timeZone: string): boolean {
  const { minutes } = localTime(at, timeZone)
  return minutes >= 6 * 60 && minutes < 20 * 60
}

/** When the engine claimed each send (its claim is stored under the send's idempotency key). */
async function claimTimes(run: FleetRun, sends: readonly SendRecord[]): Promise<Map<string, number>> {
  const storage = createPostgresStorage({
    connectionString: run.url,
    schema: run.schema,
    onWarning: () => {},
  })
  try {
    const claims = await storage.transaction(
      'default',
      (tx) => tx.getMany('claims', [...new Set(sends.map((send) => send.key))]),
      { readOnly: true },
    )
    return new Map(claims.map((claim) => [String(claim.key), Number(claim.claimedAt)]))
  } finally {
    await storage.close()
  }
}

/** The local date and minute of the day of an instant, by Intl (independent of the engine's calendar). */
function localTime(at: number, timeZone: string): { day: string; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(at))
      .map((part) => [part.type, part.value]),
  )
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

/**
 * Every lead of every campaign after the run, read by an engine at the end of virtual time (which first
 * resolves the claims killed workers left open, as any surviving worker would).
 */
export async function fleetLeads(url: string, schema: string): Promise<LeadView[]> {
  const storage = createPostgresStorage({ connectionString: url, schema, poolSize: 4, onWarning: () => {} })
  const engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel({
      respond: () => ({ ok: false, reason: 'rate_limited' }) as never,
    }),
    email: createMemoryEmailChannel(),
    clock: { now: () => FLEET.end + 7 * 3_600_000 },
    workerId: 'auditor',
  })
  try {
    const leads: LeadView[] = []
    for (let n = 0; n < FLEET.identities; n++) {
      let after: string | undefined
      do {
        const page = await engine.leads.list(`c-${n}`, {
          limit: 100,
          ...(after === undefined ? {} : { after }),
        })
        leads.push(...page.items)
        after = page.next
      } while (after !== undefined)
    }
    return leads
  } finally {
    await engine.close()
    await storage.close()
  }
}
