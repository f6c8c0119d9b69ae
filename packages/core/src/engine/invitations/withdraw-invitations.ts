import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { parseInput } from '../../errors/parse-input'
import { issue } from '../../errors/validation-issue'
import { notFound } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import { epochMs } from '../lists/list-cursor'
import { relationKey } from '../record-factory'
import type { RelationRecord } from '../records'

/** Which of an identity's pending LinkedIn invitations to withdraw. At least one filter; given several, all apply. */
export interface WithdrawInvitationsInput {
  readonly identityId: string
  /** Only the invitations to these leads (at most 1,000 a call). */
  readonly leadIds?: readonly string[]
  /** Only invitations sent before this instant (ISO 8601 with an offset, or a Date). */
  readonly sentBefore?: string | Date
  /** Only invitations pending for at least this many days (1 to 365); not together with `sentBefore`. */
  readonly olderThanDays?: number
}

/** What a request to withdraw did. The withdrawals themselves are carried out by the worker, paced. */
export interface WithdrawInvitationsResult {
  /** Leads whose invitation is now queued for withdrawal, oldest invitation first. */
  readonly queued: readonly string[]
  /** Leads whose invitation was queued by an earlier request: it is withdrawn once, not twice. */
  readonly alreadyQueued: readonly string[]
  /**
   * Of `leadIds`, those left alone: `not_pending` (never invited by this identity, accepted, or already
   * withdrawn) or `too_recent` (pending, but sent after the time filter).
   */
  readonly skipped: readonly { readonly leadId: string; readonly why: 'not_pending' | 'too_recent' }[]
}

const DAY = 86_400_000
const MAX_LEADS = 1_000
const id = z.string().trim().min(1).max(200)

const schema = z
  .strictObject({
    identityId: id,
    leadIds: z
      .array(id)
      .min(1, 'must name at least one lead (leave it out to choose by age)')
      .max(MAX_LEADS, `names at most ${MAX_LEADS} leads a call: split the selection`)
      .optional(),
    sentBefore: z.union([z.iso.datetime({ offset: true }), z.date()]).optional(),
    olderThanDays: z.number().int().min(1).max(365).optional(),
  })
  .superRefine((input, context) => {
    if (input.sentBefore !== undefined && input.olderThanDays !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['olderThanDays'],
        message: 'give either `sentBefore` or `olderThanDays`, not both',
      })
  })

/**
 * Queues the identity's pending invitations chosen by the filter for withdrawal. Nothing is sent here: the
 * worker withdraws them one at a time in the identity's withdrawal lane (its gap between withdrawals,
 * working hours, the LinkedIn queue), ahead of automatic withdrawals. An invitation already queued is not
 * queued again, and one no longer pending when its turn comes is dropped, so no invitation is withdrawn twice.
 */
export async function withdrawInvitations(
  context: EngineContext,
  input: WithdrawInvitationsInput,
): Promise<WithdrawInvitationsResult> {
  const subject = 'engine.invitations.withdraw input'
  const parsed = parseInput(schema, input, subject, PacelineErrorCodes.invalidWithdrawal)
  if (parsed.leadIds === undefined && parsed.sentBefore === undefined && parsed.olderThanDays === undefined)
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidWithdrawal, subject, [
      issue(
        'required',
        ['leadIds'],
        'choose the invitations: give `leadIds`, `sentBefore` or `olderThanDays` (withdrawing every pending invitation takes an explicit filter)',
      ),
    ])
  const now = context.now()
  const cutoff =
    parsed.sentBefore !== undefined
      ? epochMs(parsed.sentBefore)
      : parsed.olderThanDays !== undefined
        ? now - parsed.olderThanDays * DAY
        : undefined
  const result = await inTransaction(context, async (store) => {
    const identity = await store.get('identities', parsed.identityId)
    if (identity === undefined) throw notFound('identity', parsed.identityId)
    if (identity.identity.linkedin === undefined)
      throw new PacelineError(
        PacelineErrorCodes.identityMissingChannel,
        `Identity '${parsed.identityId}' has no LinkedIn account, so it has no invitations to withdraw.`,
        { details: { identityId: parsed.identityId, channel: 'linkedin' } },
      )
    const skipped: { leadId: string; why: 'not_pending' | 'too_recent' }[] = []
    const chosen: RelationRecord[] = []
    const sentInTime = (relation: RelationRecord) =>
      cutoff === undefined || (relation.invitedAt ?? relation.pendingSince ?? now) < cutoff
    if (parsed.leadIds !== undefined) {
      const leadIds = [...new Set(parsed.leadIds)]
      const relations = new Map(
        (
          await store.getMany(
            'relations',
            leadIds.map((leadId) => relationKey(identity.id, leadId)),
          )
        ).map((relation) => [relation.leadId, relation]),
      )
      for (const leadId of leadIds) {
        const relation = relations.get(leadId)
        if (relation?.connection !== 'pending') skipped.push({ leadId, why: 'not_pending' })
        else if (!sentInTime(relation)) skipped.push({ leadId, why: 'too_recent' })
        else chosen.push(relation)
      }
    } else {
      // Every pending invitation, oldest first: `pendingSince` can be later than `invitedAt` (an automatic
      // withdrawal that failed waits by moving it), so the time filter is applied to `invitedAt` itself.
      for await (const relation of store.all('relations', {
        index: 'pendingInvitations',
        equals: [identity.id],
      }))
        if (sentInTime(relation)) chosen.push(relation)
    }
    const queued: RelationRecord[] = []
    const alreadyQueued: string[] = []
    for (const relation of chosen) {
      if (relation.withdrawDueAt != null) {
        alreadyQueued.push(relation.leadId)
        continue
      }
      await store.put('relations', relation.key, {
        ...relation,
        withdrawDueAt: now,
        withdrawRequestedAt: now,
        withdrawFailure: null,
      })
      queued.push(relation)
    }
    queued.sort((a, b) => (a.invitedAt ?? 0) - (b.invitedAt ?? 0))
    return { queued: queued.map((relation) => relation.leadId), alreadyQueued, skipped }
  })
  if (result.queued.length > 0) context.wake(parsed.identityId)
  return result
}
