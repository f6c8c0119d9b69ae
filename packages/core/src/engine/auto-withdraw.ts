import type { IdentityRecord, RelationRecord } from './records'
import type { Store } from './store'
import type { WithdrawalTrigger } from './withdraw-invitation'

const DAY = 86_400_000

/**
 * The invitation to withdraw next, if one is due: first those a person asked to withdraw (in the order
 * asked), then the oldest one pending longer than the identity's auto-withdraw setting.
 */
export async function nextWithdrawal(
  store: Store,
  identity: IdentityRecord,
  now: number,
): Promise<{ readonly relation: RelationRecord; readonly trigger: WithdrawalTrigger } | undefined> {
  const [requested] = await store.query('relations', {
    index: 'withdrawalsDue',
    equals: [identity.id],
    range: { lte: now },
    limit: 1,
  })
  if (requested !== undefined) return { relation: requested, trigger: 'manual' }
  const days = identity.identity.linkedin?.autoWithdrawAfterDays
  if (days === undefined) return undefined
  const [oldest] = await store.query('relations', {
    index: 'pendingInvitations',
    equals: [identity.id],
    range: { lte: now - days * DAY },
    limit: 1,
  })
  return oldest === undefined ? undefined : { relation: oldest, trigger: 'automatic' }
}

/** When the next withdrawal becomes due: a requested one's next attempt, or an invitation growing old enough. */
export async function nextWithdrawalAt(store: Store, identity: IdentityRecord): Promise<number | undefined> {
  const [requested] = await store.query('relations', {
    index: 'withdrawalsDue',
    equals: [identity.id],
    limit: 1,
  })
  let next = requested?.withdrawDueAt ?? undefined
  const days = identity.identity.linkedin?.autoWithdrawAfterDays
  if (days !== undefined) {
    const [oldest] = await store.query('relations', {
      index: 'pendingInvitations',
      equals: [identity.id],
      limit: 1,
    })
    if (oldest?.pendingSince != null) {
      const at = oldest.pendingSince + days * DAY
      next = next === undefined ? at : Math.min(next, at)
    }
  }
  return next
}
