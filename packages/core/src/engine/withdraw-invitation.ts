import type { LinkedInFailureReason } from '../ports/linkedin-channel'
import { logActions } from './action-log'
import { chargeAction, mayActNow } from './charge-action'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { disconnect } from './execute-action'
import type { IdentityRecord, RelationRecord, WithdrawalFailure } from './records'
import { wakeRelationDependents } from './relation-dependents'

const DAY = 86_400_000
const HOUR = 3_600_000

/** Who decided a withdrawal: the identity's auto-withdraw setting, or a person (`engine.invitations.withdraw`). */
export type WithdrawalTrigger = 'automatic' | 'manual'

/**
 * Failures after which trying again can succeed. Any other answer (the provider cannot withdraw, the
 * profile is gone, it may already have been done) gives a requested withdrawal up: a person looks at it.
 */
const RETRYABLE: ReadonlySet<LinkedInFailureReason | 'timeout' | 'threw'> = new Set([
  'transient',
  'rate_limited',
  'timeout',
  'threw',
])

/** The request fields of a relation once its requested withdrawal is done or no longer applies. */
const requestCleared = { withdrawDueAt: null, withdrawRequestedAt: null } as const

/**
 * Withdraws one pending invitation through the channel, in the identity's withdrawal lane (its gap, the
 * LinkedIn queue's gap, working hours, this worker's lease). On success the invitation is withdrawn for
 * good: LinkedIn refuses a new one to the same person for 3 weeks, and leads waiting for this acceptance
 * take their "not accepted" branch. A failure leaves it pending: an automatic withdrawal is tried again in
 * an hour; a requested one too when the failure may pass, otherwise the request is given up with its reason.
 * Returns no events when nothing was done (the lane is closed, or the invitation is no longer pending).
 */
export async function withdrawInvitation(
  context: EngineContext,
  identity: IdentityRecord,
  relation: RelationRecord,
  token: number,
  trigger: WithdrawalTrigger,
): Promise<EngineEvent[]> {
  const linkedin = context.linkedin
  const account = identity.identity.linkedin
  const start = context.now()
  const charged = await inTransaction(context, async (store) => {
    const current = await store.get('relations', relation.key)
    if (current === undefined || current.connection !== 'pending') {
      // Accepted or withdrawn meanwhile: a request for it has nothing left to do.
      if (current !== undefined && current.withdrawDueAt != null)
        await store.put('relations', current.key, { ...current, ...requestCleared })
      return false
    }
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
      // One key per invitation, whoever asked: a retried or repeated withdrawal names the same attempt.
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
      // A request stays queued: it is carried out once the account is reconnected.
      return disconnect(context, store, identity.id, 'linkedin', null, now)
    }
    if (!call.ok || !call.value.ok) {
      if (trigger === 'automatic') {
        // Try again in an hour rather than at every gap of the lane.
        const days = identity.identity.linkedin?.autoWithdrawAfterDays ?? 0
        await store.put('relations', current.key, { ...current, pendingSince: now - days * DAY + HOUR })
        return []
      }
      const reason = call.ok ? (call.value as { reason: LinkedInFailureReason }).reason : call.failure
      const message = call.ok ? (call.value as { message: string }).message : call.message
      const retrying = RETRYABLE.has(reason)
      const retryAfterMs = call.ok ? ((call.value as { retryAfterMs?: number }).retryAfterMs ?? 0) : 0
      const failure: WithdrawalFailure = { at: now, reason, message, retrying }
      await store.put('relations', current.key, {
        ...current,
        ...(retrying ? { withdrawDueAt: now + Math.max(HOUR, retryAfterMs) } : requestCleared),
        withdrawFailure: failure,
      })
      return []
    }
    const withdrawn: RelationRecord = {
      ...current,
      connection: 'withdrawn',
      withdrawnAt: now,
      pendingSince: null,
      ...requestCleared,
      withdrawFailure: null,
    }
    await store.put('relations', withdrawn.key, withdrawn)
    const events = await logActions(context, store, now, [
      {
        type: 'invitation-withdrawn',
        identityId: identity.id,
        leadId: relation.leadId,
        action: 'withdraw_invitation',
        channel: 'linkedin',
        detail: {
          pendingSinceDays: Math.floor((now - (relation.invitedAt ?? now)) / DAY),
          trigger,
          ...(relation.invitedAt === null ? {} : { invitedAt: new Date(relation.invitedAt).toISOString() }),
        },
      },
    ])
    return [...events, ...(await wakeRelationDependents(context, store, withdrawn, now))]
  })
}
