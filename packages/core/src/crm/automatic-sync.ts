import type { EngineContext } from '../engine/engine-context'
import { inTransaction } from '../engine/engine-context'
import type { Store } from '../engine/store'
import { PacelineError } from '../errors/paceline-error'
import { ledgerKeys, readState, writeState } from './crm-ledger'
import type { CrmSyncReport } from './crm-sync'

/**
 * The schedule of the automatic CRM sync, shared by every worker on the store (in `state`): when it next
 * runs, who runs it now (a lease, so workers sharing a store run each interval once), and how the last run
 * went. Times are epoch ms on the store's clock when it has one, else the engine's.
 */
interface SyncSchedule {
  readonly crm: string
  readonly nextRunAt: number
  /** The worker holding the turn, its fencing token, and until when (0 once the run ended). */
  readonly owner: string | null
  readonly token: number
  readonly leaseUntil: number
  readonly lastStartedAt: number | null
  readonly lastFinishedAt: number | null
  readonly lastSucceededAt: number | null
  readonly lastError: { readonly at: number; readonly code: string; readonly message: string } | null
  readonly lastReport: { readonly records: number; readonly failed: number } | null
}

const SCHEDULE_KEY = 'crm-sync-schedule'

/** Where the automatic sync stands, for a host's settings page or health check. */
export interface CrmSyncStatus {
  readonly crm: string
  /** False until `engine.crm.configure`: the automatic sync waits for it without failing. */
  readonly configured: boolean
  readonly intervalMs: number
  /** A run (automatic, by any worker on the store) is under way. */
  readonly running: boolean
  readonly lastStartedAt?: string
  readonly lastFinishedAt?: string
  readonly lastSucceededAt?: string
  /** The failure of the last run, if it failed (it is tried again at `nextRunAt`). */
  readonly lastError?: { readonly at: string; readonly code: string; readonly message: string }
  /** Leads handled by the last run that succeeded, and how many of them failed. */
  readonly lastReport?: { readonly records: number; readonly failed: number }
  /** When the next automatic run is due (absent before the first). */
  readonly nextRunAt?: string
}

export type SyncTurn =
  | { readonly kind: 'run'; readonly token: number; readonly startedAt: number }
  | { readonly kind: 'wait'; readonly until: number }
  | { readonly kind: 'not_configured' }

async function configuredFor(store: Store, crm: string): Promise<boolean> {
  const active = await readState<{ name: string }>(store, ledgerKeys.active())
  return active?.name === crm && (await store.get('state', ledgerKeys.config())) !== undefined
}

const readSchedule = (store: Store) => readState<SyncSchedule>(store, SCHEDULE_KEY)

/**
 * Takes the turn to run the automatic sync when it is due and no other worker holds it. Otherwise says
 * until when to wait (the next run, or the end of another worker's lease).
 */
export async function takeSyncTurn(
  context: EngineContext,
  crm: string,
  engineNow: number,
): Promise<SyncTurn> {
  return inTransaction(context, async (store) => {
    if (!(await configuredFor(store, crm))) return { kind: 'not_configured' }
    const now = (await store.storeClock()) ?? engineNow
    const leaseMs = context.settings.identityLeaseMs
    // Another worker taking the turn right now: look again shortly rather than queue behind it.
    if (!(await store.tryLock('state', SCHEDULE_KEY)))
      return { kind: 'wait', until: engineNow + leaseMs / 10 }
    const schedule = await readSchedule(store)
    const me = context.settings.workerId
    if (schedule !== undefined) {
      if (schedule.leaseUntil > now && schedule.owner !== me)
        return { kind: 'wait', until: schedule.leaseUntil }
      if (schedule.crm === crm && schedule.nextRunAt > now) return { kind: 'wait', until: schedule.nextRunAt }
    }
    const token = (schedule?.token ?? 0) + 1
    const next: SyncSchedule = {
      crm,
      nextRunAt: schedule?.crm === crm ? schedule.nextRunAt : now,
      owner: me,
      token,
      leaseUntil: now + leaseMs,
      lastStartedAt: now,
      lastFinishedAt: schedule?.lastFinishedAt ?? null,
      lastSucceededAt: schedule?.lastSucceededAt ?? null,
      lastError: schedule?.lastError ?? null,
      lastReport: schedule?.lastReport ?? null,
    }
    await writeState(store, SCHEDULE_KEY, next)
    return { kind: 'run', token, startedAt: now }
  })
}

/** Extends the lease of a run still going; false if this worker lost the turn. */
export async function renewSyncTurn(
  context: EngineContext,
  token: number,
  engineNow: number,
): Promise<boolean> {
  return inTransaction(context, async (store) => {
    const schedule = await readSchedule(store)
    if (schedule?.owner !== context.settings.workerId || schedule.token !== token) return false
    const now = (await store.storeClock()) ?? engineNow
    await writeState(store, SCHEDULE_KEY, { ...schedule, leaseUntil: now + context.settings.identityLeaseMs })
    return true
  })
}

export type SyncOutcome =
  | { readonly ok: true; readonly report: CrmSyncReport }
  | { readonly ok: false; readonly error: unknown }

/**
 * Records how a run went and when the next one is due: an interval after this one started, or after it
 * ended if it took longer than that. A failed run is tried again at the next interval like any other.
 */
export async function finishSyncTurn(
  context: EngineContext,
  turn: Extract<SyncTurn, { kind: 'run' }>,
  intervalMs: number,
  outcome: SyncOutcome,
  engineNow: number,
): Promise<void> {
  await inTransaction(context, async (store) => {
    const schedule = await readSchedule(store)
    if (schedule?.owner !== context.settings.workerId || schedule.token !== turn.token) return
    const now = (await store.storeClock()) ?? engineNow
    const due = turn.startedAt + intervalMs
    const next: SyncSchedule = {
      ...schedule,
      nextRunAt: due > now ? due : now + intervalMs,
      leaseUntil: 0,
      lastFinishedAt: now,
      ...(outcome.ok
        ? {
            lastSucceededAt: now,
            lastError: null,
            lastReport: {
              records: outcome.report.records.length,
              failed: outcome.report.records.filter((record) => record.outcome === 'failed').length,
            },
          }
        : { lastError: { at: now, ...describe(outcome.error) } }),
    }
    await writeState(store, SCHEDULE_KEY, next)
  })
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof PacelineError) return { code: error.code, message: error.message }
  return { code: 'crm_failed', message: error instanceof Error ? error.message : String(error) }
}

export async function readSyncStatus(
  context: EngineContext,
  crm: string,
  intervalMs: number,
): Promise<CrmSyncStatus> {
  return inTransaction(
    context,
    async (store) => {
      const configured = await configuredFor(store, crm)
      const schedule = await readSchedule(store)
      const now = (await store.storeClock()) ?? context.now()
      const iso = (at: number | null | undefined) => (at == null ? undefined : new Date(at).toISOString())
      const mine = schedule?.crm === crm ? schedule : undefined
      const status: Record<string, unknown> = {
        crm,
        configured,
        intervalMs,
        running: mine !== undefined && mine.leaseUntil > now,
        lastStartedAt: iso(mine?.lastStartedAt),
        lastFinishedAt: iso(mine?.lastFinishedAt),
        lastSucceededAt: iso(mine?.lastSucceededAt),
        lastError:
          mine?.lastError == null
            ? undefined
            : { at: iso(mine.lastError.at), code: mine.lastError.code, message: mine.lastError.message },
        lastReport: mine?.lastReport ?? undefined,
        nextRunAt: iso(mine?.nextRunAt),
      }
      for (const key of Object.keys(status)) if (status[key] === undefined) delete status[key]
      return status as unknown as CrmSyncStatus
    },
    { readOnly: true },
  )
}
