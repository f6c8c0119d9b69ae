import { isLinkedInLane, type Lane } from '../scheduler/lanes'
import { charge, chargeLane, counterKeys } from './counters'
import type { EngineContext } from './engine-context'
import { calendarOf, gateOf } from './lane-gates'
import { holdsLease, identityLeaseKey } from './leases'
import type { IdentityRecord } from './records'
import type { Store } from './store'

/**
 * Whether this worker may act in a lane now: it still holds the identity's lease (fencing) and the lane
 * is open under the counters as they are in this transaction.
 */
export async function mayActNow(
  context: EngineContext,
  store: Store,
  identity: IdentityRecord,
  lane: Lane,
  token: number,
  at: number,
): Promise<boolean> {
  if (!(await holdsLease(context, store, identityLeaseKey(identity.id), token, at))) return false
  // The identity as it is now, in this transaction: a limit lowered or a warm-up started since the
  // action was prepared holds this claim back.
  const current = (await store.get('identities', identity.id)) ?? identity
  return (await gateOf(context, store, current, lane, at)).opensAt <= at
}

/** Charges one action to its lane (and, for LinkedIn, to the queue); returns the counter keys charged. */
export async function chargeAction(
  store: Store,
  identity: IdentityRecord,
  lane: Lane,
  at: number,
): Promise<string[]> {
  const charged = [await chargeLane(store, identity.identity, lane, calendarOf(identity), at)]
  if (isLinkedInLane(lane))
    charged.push(await charge(store, identity.id, counterKeys.queue(identity.id, 'linkedin'), 'all', at, 1))
  return charged
}
