import { isCampaignDue, launchCampaign } from '../model/campaign/campaign-lifecycle'
import { type Lane, LINKEDIN_QUEUE_GAP_MS } from '../scheduler/lanes'
import { pickNext } from '../scheduler/pick-next'
import { nextWithdrawal, nextWithdrawalAt } from './auto-withdraw'
import { hasPendingSweeps, recordSweep, runPendingSweeps, runSweep } from './campaign-leads'
import { runAgentWork } from './conversations/reply-agent'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { executeAction, markUnknown } from './execute-action'
import { type FairShareState, fairShare } from './fair-share'
import { gateFrom, lanesOf, loadCounters } from './lane-gates'
import {
  type AcquiredLease,
  acquireLease,
  identityLeaseKey,
  releaseLease,
  releaseLeases,
  renewLeases,
} from './leases'
import { progressLead } from './progress'
import { enrolmentKey } from './record-factory'
import type { CounterRecord, EnrolmentRecord, IdentityRecord } from './records'
import type { Store } from './store'
import { withdrawInvitation } from './withdraw-invitation'

export interface TickReport {
  /** When the tick ran. */
  readonly at: string
  /** Channel actions carried out (sends, visits, checks, withdrawals). */
  readonly executed: number
  /** When the engine next has something to do, if anything is pending. */
  readonly nextWakeAt: string | undefined
}

const BATCH = 200
/** Safety stop for one identity in one tick; pacing and gaps keep real numbers far below it. */
const MAX_ACTIONS_PER_TICK = 500

/** Per-identity time of the next work, kept between ticks so idle identities cost nothing. */
export type WakeTable = Map<string, number>

/**
 * Leases this worker holds: a fresh one judged by the engine's clock is reused without a write (claims stay
 * fenced regardless), and their number is what the worker serves (see fairShare).
 */
export type HeldLeases = Map<string, AcquiredLease & { readonly renewedAt: number }>

/**
 * Identities with nothing due stay with the worker that serves them: their leases are renewed a third of the
 * way through (so they never lapse while the worker lives), or given up when the worker is over its share.
 */
async function keepIdle(
  context: EngineContext,
  idle: { readonly renew: ReadonlyMap<string, string>; readonly release: ReadonlyMap<string, string> },
  leases: HeldLeases,
  now: number,
): Promise<void> {
  const released = new Map<string, number>()
  for (const [key, identityId] of idle.release) {
    const held = leases.get(identityId)
    if (held !== undefined) released.set(key, held.token)
    leases.delete(identityId)
  }
  const renewed = await inTransaction(context, async (store) => {
    if (released.size > 0) await releaseLeases(context, store, released)
    return idle.renew.size === 0 ? new Map() : renewLeases(context, store, [...idle.renew.keys()], now)
  })
  for (const [key, identityId] of idle.renew) {
    const lease = renewed.get(key)
    // A key missing was taken by another worker while this one was away (a stall longer than the lease).
    if (lease === undefined) leases.delete(identityId)
    else leases.set(identityId, { ...lease, renewedAt: now })
  }
}

/**
 * One pass of the engine at the current time: resolves abandoned claims, starts scheduled campaigns, and
 * for every identity whose next work is due runs internal steps and whatever its queues allow now.
 */
export async function tick(
  context: EngineContext,
  wakes: WakeTable,
  leases: HeldLeases = new Map(),
  fairness: FairShareState = { checkedAt: undefined, live: 1 },
): Promise<{ report: TickReport; events: EngineEvent[] }> {
  const start = context.now()
  const events: EngineEvent[] = []
  const overview = await inTransaction(
    context,
    async (store) => ({
      identities: await store.query('identities'),
      abandoned: await store.query('claims', { index: 'open', range: { lte: start }, limit: 1 }),
      dueCampaigns: await store.query('campaigns', {
        index: 'byStatus',
        equals: ['scheduled'],
        range: { lte: start },
        limit: 1,
      }),
      sweeps: await hasPendingSweeps(store),
      agent: await store.query('conversations', { index: 'agentDue', range: { lte: start }, limit: 1 }),
    }),
    { readOnly: true },
  )
  if (overview.abandoned.length > 0) events.push(...(await recoverAbandonedClaims(context, start)))
  if (overview.sweeps) events.push(...(await runPendingSweeps(context)))
  if (overview.dueCampaigns.length > 0) events.push(...(await startDueCampaigns(context, start)))
  let executed = 0
  if (overview.agent.length > 0) {
    const agent = await runAgentWork(context, start)
    events.push(...agent.events)
    executed += agent.executed
  }
  // Several workers on one store divide the identities among themselves (see fairShare).
  const previousShare = fairness.share
  const share = await fairShare(context, fairness, overview.identities.length, start)
  // A worker left (or identities were added): look at the identities others held again now, not only when
  // their next check was due.
  if (previousShare !== undefined && share > previousShare)
    for (const identity of overview.identities) if (!leases.has(identity.id)) wakes.delete(identity.id)
  let serving = 0
  /** Identities held but idle: leases to renew (all in one transaction) or to give up (over the share). */
  const idle = { renew: new Map<string, string>(), release: new Map<string, string>() }
  for (const identity of overview.identities) {
    const wake = wakes.get(identity.id) ?? 0
    if (wake > start) {
      const held = leases.get(identity.id)
      if (held === undefined) continue
      if (serving >= share) idle.release.set(identityLeaseKey(identity.id), identity.id)
      else {
        serving++
        if (start - held.renewedAt >= context.settings.identityLeaseMs / 3)
          idle.renew.set(identityLeaseKey(identity.id), identity.id)
      }
      continue
    }
    const result = await processIdentity(context, identity, leases, serving < share)
    if (result.served) serving++
    executed += result.executed
    events.push(...result.events)
    wakes.set(identity.id, result.wakeAt ?? Number.POSITIVE_INFINITY)
  }
  if (idle.renew.size > 0 || idle.release.size > 0) await keepIdle(context, idle, leases, start)
  const later = await inTransaction(
    context,
    async (store) => ({
      claim: (await store.query('claims', { index: 'open', limit: 1 }))[0]?.openUntil ?? undefined,
      campaign:
        (await store.query('campaigns', { index: 'byStatus', equals: ['scheduled'], limit: 1 }))[0]
          ?.startAtMs ?? undefined,
      agent:
        (await store.query('conversations', { index: 'agentDue', limit: 1 }))[0]?.agentDueAt ?? undefined,
    }),
    { readOnly: true },
  )
  let next = Math.min(
    later.claim ?? Number.POSITIVE_INFINITY,
    later.campaign ?? Number.POSITIVE_INFINITY,
    later.agent ?? Number.POSITIVE_INFINITY,
  )
  for (const identity of overview.identities) next = Math.min(next, wakes.get(identity.id) ?? 0)
  return {
    report: {
      at: new Date(start).toISOString(),
      executed,
      nextWakeAt: Number.isFinite(next) ? new Date(Math.max(next, start)).toISOString() : undefined,
    },
    events,
  }
}

/** Claims whose lease ran out without an outcome: the send may have happened, so never resend. */
async function recoverAbandonedClaims(context: EngineContext, now: number): Promise<EngineEvent[]> {
  return inTransaction(context, async (store) => {
    const events: EngineEvent[] = []
    for (const claim of await store.query('claims', { index: 'open', range: { lte: now }, limit: BATCH })) {
      await store.put('claims', claim.key, { ...claim, status: 'unknown', openUntil: null })
      const enrolment = await store.get('enrolments', enrolmentKey(claim.campaignId, claim.leadId))
      if (enrolment !== undefined && enrolment.claimKey === claim.key) {
        events.push(
          ...(await markUnknown(
            context,
            store,
            enrolment,
            now,
            'the engine stopped while this send was in flight',
          )),
        )
        context.wake(enrolment.identityId)
      }
    }
    return events
  })
}

/** Scheduled campaigns whose start time has come begin running. */
async function startDueCampaigns(context: EngineContext, now: number): Promise<EngineEvent[]> {
  const due = await inTransaction(
    context,
    (store) => store.query('campaigns', { index: 'byStatus', equals: ['scheduled'], range: { lte: now } }),
    { readOnly: true },
  )
  const events: EngineEvent[] = []
  for (const record of due) {
    if (!isCampaignDue(record.campaign, now)) continue
    const launched = await inTransaction(context, async (store) => {
      const identity = await store.get('identities', record.campaign.identityId)
      if (identity === undefined) return false
      const result = launchCampaign(record.campaign, { identity: identity.identity, at: now })
      const campaign = result.ok ? result.value : { ...record.campaign, status: 'paused' as const }
      await store.put('campaigns', record.id, {
        id: record.id,
        campaign,
        status: campaign.status,
        startAtMs: null,
      })
      if (result.ok) await recordSweep(store, record.id, 'start')
      return result.ok
    })
    if (launched) events.push(...(await runSweep(context, record.id)))
  }
  return events
}

/** Runs everything due for one identity and returns when it next has work. */
export async function processIdentity(
  context: EngineContext,
  identity: IdentityRecord,
  leases: HeldLeases = new Map(),
  mayServe = true,
): Promise<{ executed: number; events: EngineEvent[]; wakeAt: number | undefined; served: boolean }> {
  const events: EngineEvent[] = []
  const now = context.now()
  const leaseMs = context.settings.identityLeaseMs
  const held = leases.get(identity.id)
  if (!mayServe) {
    // Over this worker's share: let the identity go now, for a worker with room to take it.
    if (held !== undefined) {
      leases.delete(identity.id)
      await inTransaction(context, (store) =>
        releaseLease(context, store, identityLeaseKey(identity.id), held.token),
      )
    }
    return { executed: 0, events, wakeAt: now + leaseMs, served: false }
  }
  // A lease judged by the engine's clock is reused while it has half its time left; one judged by the
  // store's clock is renewed each time, since this worker cannot read that clock without asking the store.
  let token =
    held !== undefined && !held.storeClock && held.expiresAt > now + leaseMs / 2 ? held.token : undefined
  if (token === undefined) {
    const lease = await inTransaction(context, (store) =>
      acquireLease(context, store, identityLeaseKey(identity.id), now),
    )
    if (lease === undefined) {
      leases.delete(identity.id)
      return { executed: 0, events, wakeAt: now + leaseMs, served: false }
    }
    token = lease.token
    leases.set(identity.id, { ...lease, renewedAt: now })
  }

  const fresh =
    (await inTransaction(context, (store) => store.get('identities', identity.id), { readOnly: true })) ??
    identity
  const lanes = lanesOf(fresh)
  events.push(...(await runDueWork(context, fresh.id, lanes)))
  const linkedinLanes = lanes.filter((lane) => lane.startsWith('linkedin:') && lane !== 'linkedin:withdraw')
  const emailLanes = lanes.filter((lane) => lane.startsWith('email:'))

  let executed = 0
  const skipped = new Set<Lane>()
  /** When each lane with waiting work opens, as last seen. */
  const opens = new Map<Lane, number>()
  // The LinkedIn queue: one action at a time, the best waiting action among the lanes open now.
  while (executed < MAX_ACTIONS_PER_TICK && fresh.identity.linkedin !== undefined) {
    const at = context.now()
    const { open, withdrawal } = await inTransaction(
      context,
      async (store) => {
        const counters = await loadCounters(store, fresh.id)
        const heads = await openHeads(context, store, fresh, linkedinLanes, at, counters, opens, skipped)
        opens.delete('linkedin:withdraw')
        const stale = skipped.has('linkedin:withdraw') ? undefined : await nextWithdrawal(store, fresh, at)
        let due: Awaited<ReturnType<typeof nextWithdrawal>>
        if (stale !== undefined) {
          const gate = gateFrom(context, fresh, 'linkedin:withdraw', at, counters)
          opens.set('linkedin:withdraw', gate.opensAt)
          if (gate.opensAt <= at) due = stale
        }
        return { open: heads, withdrawal: due }
      },
      { readOnly: true },
    )
    const pick = pickNext(open, () => true)
    if (pick !== undefined) {
      const result = await executeAction(context, fresh, pick, pick.lane, token)
      events.push(...result.events)
      if (result.result === 'skipped') skipped.add(pick.lane)
      else executed++
      continue
    }
    if (withdrawal !== undefined) {
      const out = await withdrawInvitation(context, fresh, withdrawal.relation, token, withdrawal.trigger)
      if (out.length === 0) skipped.add('linkedin:withdraw')
      events.push(...out)
      executed++
      continue
    }
    break
  }
  // The email queue: each inbox is its own lane, with its own limits.
  while (executed < MAX_ACTIONS_PER_TICK && emailLanes.length > 0) {
    const at = context.now()
    const open = await inTransaction(
      context,
      async (store) =>
        openHeads(context, store, fresh, emailLanes, at, await loadCounters(store, fresh.id), opens, skipped),
      { readOnly: true },
    )
    if (open.length === 0) break
    for (const head of open) {
      const result = await executeAction(context, fresh, head, head.lane, token)
      events.push(...result.events)
      if (result.result === 'skipped') skipped.add(head.lane)
      else executed++
    }
  }
  // What just ran may have made more work due now (a condition after a send, a reply check).
  events.push(...(await runDueWork(context, fresh.id, lanes)))
  const wakeAt = await inTransaction(
    context,
    async (store) => {
      let next = Number.POSITIVE_INFINITY
      const [waiting] = await store.query('enrolments', { index: 'waiting', equals: [fresh.id], limit: 1 })
      if (waiting?.waitingDueAt != null) next = waiting.waitingDueAt
      for (const [lane, at] of opens) if (!skipped.has(lane)) next = Math.min(next, at)
      // Lanes that became busy again through the work just done are looked at on the next tick.
      for (const lane of [...linkedinLanes, ...emailLanes]) {
        if (opens.has(lane)) continue
        const [head] = await store.query('enrolments', { index: 'ready', equals: [fresh.id, lane], limit: 1 })
        if (head !== undefined) next = Math.min(next, context.now())
      }
      const withdrawAt = await nextWithdrawalAt(store, fresh)
      // A withdrawal that did nothing this tick (a failure, a closed lane) is looked at again a queue gap
      // later at the soonest, never in a loop at the same instant.
      if (withdrawAt !== undefined && skipped.has('linkedin:withdraw'))
        next = Math.min(next, Math.max(withdrawAt, context.now() + LINKEDIN_QUEUE_GAP_MS))
      else if (withdrawAt !== undefined && !opens.has('linkedin:withdraw')) next = Math.min(next, withdrawAt)
      return Number.isFinite(next) ? Math.max(next, context.now()) : undefined
    },
    { readOnly: true },
  )
  return { executed, events, wakeAt, served: true }
}

/**
 * The best ready action of each lane that is open now. Records when every lane with waiting work opens,
 * for the identity's next wake-up; lanes in `skipped` are left alone for the rest of this tick.
 */
async function openHeads(
  context: EngineContext,
  store: Store,
  identity: IdentityRecord,
  lanes: readonly Lane[],
  at: number,
  counters: ReadonlyMap<string, CounterRecord>,
  opens: Map<Lane, number>,
  skipped: ReadonlySet<Lane>,
): Promise<(EnrolmentRecord & { lane: Lane })[]> {
  const heads: (EnrolmentRecord & { lane: Lane })[] = []
  for (const lane of lanes) {
    opens.delete(lane)
    if (skipped.has(lane)) continue
    const [head] = await store.query('enrolments', { index: 'ready', equals: [identity.id, lane], limit: 1 })
    if (head === undefined) continue
    const gate = gateFrom(context, identity, lane, at, counters)
    opens.set(lane, gate.opensAt)
    if (gate.opensAt <= at) heads.push({ ...head, lane })
  }
  return heads
}

/**
 * Handles every piece of waiting work whose time has come: internal steps (starts, conditions, tasks,
 * timeouts) run now; channel actions move into their lane's ready queue, where priority orders them.
 */
async function runDueWork(
  context: EngineContext,
  identityId: string,
  lanes: readonly Lane[],
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = []
  const known = new Set(lanes)
  for (let round = 0; round < 10_000; round++) {
    const now = context.now()
    // The round's events come back as its result: a store may run the callback again after a conflict.
    const { handled, produced } = await inTransaction(context, async (store) => {
      const out: EngineEvent[] = []
      const due = await store.query('enrolments', {
        index: 'waiting',
        equals: [identityId],
        range: { lte: now },
        limit: BATCH,
      })
      for (const enrolment of due) {
        // Work in a lane the identity no longer has (an inbox removed) goes back through the runner,
        // which puts the lead in the matching error instead of leaving it queued forever.
        if (enrolment.lane === 'internal' || enrolment.lane === null || !known.has(enrolment.lane)) {
          out.push(...(await progressLead(context, store, enrolment, now)).events)
        } else {
          await store.put('enrolments', enrolment.key, {
            ...enrolment,
            waitingDueAt: null,
            readyLane: enrolment.lane,
          })
        }
      }
      return { handled: due.length, produced: out }
    })
    events.push(...produced)
    if (handled < BATCH) break
  }
  return events
}
