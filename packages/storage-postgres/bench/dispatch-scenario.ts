import { sequence, WEEKDAYS } from '@paceline/core'
import { leadsOf as fleetLeads } from '../test/workers/fleet-scenario'

/**
 * The dispatch-throughput workload: a few hundred identities, each with a LinkedIn account and two inboxes
 * at the largest caps paceline allows, working around the clock, and a launched campaign of leads whose
 * sequence is all channel work (visit, message, email, follow-up). Run in compressed virtual time (ten
 * virtual minutes a real second), the caps and pacing let each identity act far more often than the
 * engine can keep up with, so the figure measures the engine and the store, not the caps (which are still
 * checked on every action).
 */
export const DISPATCH = {
  identities: 300,
  leadsPerIdentity: 20,
  /** Virtual Monday 00:00 UTC. */
  start: Date.parse('2026-03-02T00:00:00Z'),
  /** Virtual milliseconds per real millisecond. */
  speed: 600,
  /** Real milliseconds each run dispatches for. */
  runMs: 20_000,
  /** Connections in each worker's pool. */
  poolSize: 4,
} as const

export const identityId = (n: number) => `id-${String(n).padStart(3, '0')}`

export function identity(n: number) {
  return {
    id: identityId(n),
    name: `Sender ${n}`,
    workingHours: {
      timezone: 'UTC',
      days: [...WEEKDAYS],
      windows: [{ start: '00:00', end: '24:00' }],
    },
    linkedin: {
      accountId: `li-${n}`,
      premium: true,
      limits: { connectionsPerDay: 100, messagesPerDay: 250, profileVisitsPerDay: 150 },
    },
    email: {
      inboxes: [0, 1].map((k) => ({
        address: `sender${n}x${k}@acme.example`,
        limits: { perDay: 80, perHour: 10 },
      })),
    },
  }
}

export const dispatchSequence = sequence()
  .visitProfile({ id: 'visit' })
  .linkedinMessage({ id: 'hello', body: 'Hello {{firstName}}' })
  .email({ id: 'mail', subject: 'Hi {{firstName}}', body: 'A note' })
  .email({ id: 'bump', body: 'Bump' })
  .build()

/** The leads of identity `n` (the multi-worker tests' leads, as many as the workload has). */
export const leadsOf = (n: number) => fleetLeads(n, DISPATCH.leadsPerIdentity)

/** What a worker process reports when it stops (its last stdout line). */
export interface WorkerReport {
  readonly workerId: string
  readonly ticks: number
  /** Sum of the `executed` of every tick report. */
  readonly executed: number
  /** Channel calls made between the go signal and the deadline, with the first and last one's real time. */
  readonly actions: number
  readonly firstAt: number | undefined
  readonly lastAt: number | undefined
  /** Idempotency keys of the sends in the window (to check that nothing was sent twice). */
  readonly keys: readonly string[]
  readonly failures: number
  /** The first few messages of ticks that failed (each tick is simply run again). */
  readonly failureMessages: readonly string[]
}
