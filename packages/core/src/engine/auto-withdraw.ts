import { logActions } from './action-log'
import { chargeAction, mayActNow } from './charge-action'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { disconnect } from './execute-action'
import type { IdentityRecord, RelationRecord } from './records'
import { wakeRelationDependents } from './relation-dependents'
import type { Store } from './store'

const DAY = 86_400_000
const HOUR = 3_600_000

/** The oldest invitation pending longer than the identity's auto-withdraw setting, if any. */
export async function nextWithdrawal(
  store: Store,
  identity: IdentityRecord,
  now: number,
): Promise<RelationRecord | undefined> {
  const days = identity.identity.linkedin?.autoWithdrawAfterDays
  if (days === undefined) return undefined
  const [oldest] = await store.query('relations', {
    index: 'pendingInvitations',
    equals: [identity.id],
    range: { lte: now - days * DAY },
    limit: 1,
  })
  return oldest
}

/** When the next invitation becomes old enough to withdraw. */
export async function nextWithdrawalAt(store: Store, identity: IdentityRecord): Promise<number | undefined> {
  const days = identity.identity.linkedin?.autoWithdrawAfterDays
  if (days === undefined) return undefined
  const [oldest] = await store.query('relations', {
    index: 'pendingInvitations',
    equals: [identity.id],
    limit: 1,
  })
  return oldest?.pendingSince === null || oldest === undefined ? undefined : oldest.pendingSince + days * DAY
}

/**
 * Withdraws one stale invitation (identity setting "automatically withdraw pending invitations"). LinkedIn
 * then refuses a new invitation to the same person for 3 weeks; leads waiting for this acceptance take
 * their "not accepted" branch.
 */
export async function withdrawInvitation(
  context: EngineContext,
  identity: IdentityRecord,
  relation: RelationRecord,
  token: number,
): Promise<EngineEvent[]> {
  const linkedin = context.linkedin
  const account = identity.identity.linkedin
  const start = context.now()
  const charged = await inTransaction(context, async (store) => {
    if (!(await mayActNow(context, store, identity, 'linkedin:withdraw', token, start))) return false
    await chargeAction(store, identity, 'linkedin:withdraw', start)
    return true
  })
  if (!charged || linkedin === undefined || account === undefined) return []
  const lead = await inTransaction(context, (store) => store.get('leads', relation.leadId), {
    readOnly: true,
  })
  const profile = lead?.lead.profile ?? {}
  const call = await context.callChannel(() =>
    linkedin.withdrawInvitation({
      accountId: account.accountId,
      target: {
        leadId: relation.leadId,
        ...(profile.linkedinProfileId === undefined ? {} : { profileId: profile.linkedinProfileId }),
        ...(profile.linkedinUrl === undefined ? {} : { profileUrl: profile.linkedinUrl }),
      },
      idempotencyKey: `withdraw-${relation.key}-${relation.invitedAt ?? 0}`,
    }),
  )
  return inTransaction(context, async (store) => {
    const now = context.now()
    const current = (await store.get('relations', relation.key)) ?? relation
    if (
      call.ok &&
      !call.value.ok &&
      (call.value.reason === 'disconnected' || call.value.reason === 'restricted')
    ) {
      return disconnect(context, store, identity.id, 'linkedin', null, now)
    }
    if (!call.ok || !call.value.ok) {
      // Try again in an hour rather than at every gap of the lane.
      const days = identity.identity.linkedin?.autoWithdrawAfterDays ?? 0
      await store.put('relations', current.key, { ...current, pendingSince: now - days * DAY + HOUR })
      return []
    }
    const withdrawn: RelationRecord = {
      ...current,
      connection: 'withdrawn',
      withdrawnAt: now,
      pendingSince: null,
    }
    await store.put('relations', withdrawn.key, withdrawn)
    const events = await logActions(context, store, now, [
      {
        type: 'invitation-withdrawn',
        identityId: identity.id,
        leadId: relation.leadId,
        action: 'withdraw_invitation',
        channel: 'linkedin',
        detail: { pendingSinceDays: Math.floor((now - (relation.invitedAt ?? now)) / DAY) },
      },
    ])
    return [...events, ...(await wakeRelationDependents(context, store, withdrawn, now))]
  })
}
