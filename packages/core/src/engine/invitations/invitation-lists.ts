import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { notFound } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import { scanIndex } from '../lists/index-scan'
import { type ListPosition, type Page, queryId, readCursor, writeCursor } from '../lists/list-cursor'
import type { ActionRecord, RelationRecord } from '../records'
import type { Store } from '../store'

/** An invitation of an identity still waiting for an answer on LinkedIn. */
export interface PendingInvitation {
  readonly identityId: string
  readonly leadId: string
  /** When it was sent (ISO 8601). */
  readonly invitedAt: string
  /** Whole days it has been pending. */
  readonly pendingDays: number
  /** Set while a withdrawal a person asked for waits for its turn (`dueAt`: its next attempt). */
  readonly withdrawal?: { readonly requestedAt: string; readonly dueAt: string }
  /** The last failed attempt at a withdrawal a person asked for; `retrying: false` means it was given up. */
  readonly withdrawalFailure?: {
    readonly at: string
    readonly reason: string
    readonly message: string
    readonly retrying: boolean
  }
}

/** One withdrawn invitation, from the identity's log. */
export interface Withdrawal {
  /** When it was withdrawn (ISO 8601). */
  readonly at: string
  readonly identityId: string
  readonly leadId: string
  /**
   * `manual`: a person asked (`engine.invitations.withdraw`); `automatic`: the identity's auto-withdraw
   * setting; `external`: withdrawn outside paceline (on LinkedIn itself) and reported by the channel.
   */
  readonly reason: 'manual' | 'automatic' | 'external'
  /** When the invitation had been sent, when known (ISO 8601). */
  readonly invitedAt?: string
  /** The campaign whose invitation it was, when known. */
  readonly campaignId?: string
}

export interface InvitationListOptions {
  readonly identityId: string
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

const DAY = 86_400_000

const listSchema = z.strictObject({
  identityId: z.string().trim().min(1).max(200),
  after: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

const iso = (at: number) => new Date(at).toISOString()

async function requireIdentity(store: Store, identityId: string): Promise<void> {
  if ((await store.get('identities', identityId)) === undefined) throw notFound('identity', identityId)
}

/** A page of whatever `scanIndex` reads, shaped by `view`. */
async function pageOf<T, V>(
  context: EngineContext,
  options: InvitationListOptions,
  list: string,
  read: (
    store: Store,
    identityId: string,
    start: ListPosition | undefined,
    limit: number,
  ) => AsyncGenerator<{ readonly document: T; readonly position: ListPosition }>,
  view: (document: T, now: number) => V,
): Promise<Page<V>> {
  const subject = `engine.invitations.${list} options`
  const filter = parseInput(listSchema, options, subject, PacelineErrorCodes.invalidQuery)
  const query = queryId(`invitations.${list}`, filter)
  const start = filter.after === undefined ? undefined : readCursor(filter.after, query, subject)
  const limit = filter.limit ?? 50
  const now = context.now()
  return inTransaction(
    context,
    async (store) => {
      await requireIdentity(store, filter.identityId)
      const items: V[] = []
      let last: ListPosition | undefined
      for await (const { document, position } of read(store, filter.identityId, start, limit)) {
        if (items.length === limit) return { items, next: writeCursor(query, last as ListPosition) }
        items.push(view(document, now))
        last = position
      }
      return { items }
    },
    { readOnly: true },
  )
}

/** The identity's pending invitations, oldest first, a page at a time: what a person may choose to withdraw. */
export function listPendingInvitations(
  context: EngineContext,
  options: InvitationListOptions,
): Promise<Page<PendingInvitation>> {
  return pageOf<RelationRecord, PendingInvitation>(
    context,
    options,
    'pending',
    (store, identityId, start, limit) =>
      scanIndex<RelationRecord>(store, {
        collection: 'relations',
        index: 'pendingInvitations',
        equals: [identityId],
        order: 'asc',
        ...(start === undefined ? {} : { start }),
        value: (relation) => relation.pendingSince ?? 0,
        key: (relation) => relation.key,
        batch: limit + 1,
      }),
    (relation, now) => {
      const invitedAt = relation.invitedAt ?? relation.pendingSince ?? now
      const failure = relation.withdrawFailure
      return {
        identityId: relation.identityId,
        leadId: relation.leadId,
        invitedAt: iso(invitedAt),
        pendingDays: Math.max(0, Math.floor((now - invitedAt) / DAY)),
        ...(relation.withdrawDueAt == null
          ? {}
          : {
              withdrawal: {
                requestedAt: iso(relation.withdrawRequestedAt ?? relation.withdrawDueAt),
                dueAt: iso(relation.withdrawDueAt),
              },
            }),
        ...(failure == null
          ? {}
          : {
              withdrawalFailure: {
                at: iso(failure.at),
                reason: failure.reason,
                message: failure.message,
                retrying: failure.retrying,
              },
            }),
      }
    },
  )
}

/** Why a logged withdrawal happened: entries written before the reason was logged are the automatic ones. */
function reasonOf(action: ActionRecord): Withdrawal['reason'] {
  const trigger = action.detail?.trigger
  if (trigger === 'manual' || trigger === 'automatic') return trigger
  return action.action === 'withdraw_invitation' ? 'automatic' : 'external'
}

/** The identity's withdrawn invitations (manual, automatic and external), newest first, a page at a time. */
export function listWithdrawals(
  context: EngineContext,
  options: InvitationListOptions,
): Promise<Page<Withdrawal>> {
  return pageOf<ActionRecord, Withdrawal>(
    context,
    options,
    'history',
    (store, identityId, start, limit) =>
      scanIndex<ActionRecord>(store, {
        collection: 'actions',
        index: 'byIdentityType',
        equals: [identityId, 'invitation-withdrawn'],
        order: 'desc',
        ...(start === undefined ? {} : { start }),
        value: (action) => action.at,
        key: (action) => action.key,
        batch: limit + 1,
      }),
    (action) => {
      const invitedAt = action.detail?.invitedAt
      return {
        at: iso(action.at),
        identityId: action.identityId ?? '',
        leadId: action.leadId ?? '',
        reason: reasonOf(action),
        ...(typeof invitedAt === 'string' ? { invitedAt } : {}),
        ...(action.campaignId === null ? {} : { campaignId: action.campaignId }),
      }
    },
  )
}
