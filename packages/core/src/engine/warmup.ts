import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { parseInput } from '../errors/parse-input'
import type { WarmupProviderV1, WarmupState, WarmupStatus } from '../ports/warmup-provider'
import { type EngineContext, inTransaction } from './engine-context'
import { notFound } from './not-found'
import type { IdentityRecord } from './records'
import type { Store } from './store'

/** What the engine keeps of an inbox's warm-up, on the identity: the provider's last answer. */
export interface InboxWarmup {
  readonly state: WarmupState
  readonly startedAt?: string
  readonly campaignEmailsPerDay?: number
  readonly warmupEmailsPerDay?: number
  readonly message?: string
  /** When the provider was last asked (epoch ms). */
  readonly checkedAt: number
}

/**
 * What to do with campaign mail from an inbox in warm-up: `exclude` sends none (what warm-up services ask:
 * pause campaigns while the inbox warms), `limit` sends up to the provider's daily allowance.
 */
export type WarmupPolicy = 'exclude' | 'limit'

/** An inbox's warm-up as the engine applies it. */
export interface InboxWarmupView {
  readonly identityId: string
  readonly address: string
  readonly state: WarmupState
  readonly provider: string
  readonly startedAt?: string
  /** The provider's daily allowance of campaign emails while warming. */
  readonly campaignEmailsPerDay?: number
  readonly warmupEmailsPerDay?: number
  readonly message?: string
  /** When the provider was last asked. */
  readonly checkedAt?: string
  /**
   * What campaign mail from the inbox may do now: `not_held` (off or ready), `excluded` (none: policy
   * `exclude`, an allowance of 0, or a provider error), or `limited` to `campaignEmailsPerDay` a day.
   */
  readonly campaignMail: 'not_held' | 'excluded' | 'limited'
}

/** How often a warming inbox's status is read from the provider while the engine runs. */
export const WARMUP_REFRESH_MS = 30 * 60_000

const WARMING_KEY = 'warmup-inboxes'
type WarmingIndex = Readonly<Record<string, readonly string[]>>

const inboxInput = z.strictObject({
  identityId: z.string().min(1).max(200),
  address: z.email(),
})

/** Whether the warm-up holds campaign mail back: while warming, and when the provider reports an error. */
export function holdsCampaignMail(warmup: InboxWarmup | undefined): boolean {
  return warmup !== undefined && (warmup.state === 'warming' || warmup.state === 'error')
}

/** The most campaign emails a day the warm-up lets the inbox send, or undefined when it holds nothing. */
export function warmupAllowance(warmup: InboxWarmup | undefined, policy: WarmupPolicy): number | undefined {
  if (!holdsCampaignMail(warmup)) return undefined
  if (policy === 'exclude' || warmup?.state === 'error') return 0
  return warmup?.campaignEmailsPerDay ?? 0
}

function requireProvider(context: EngineContext): WarmupProviderV1 {
  if (context.warmup !== undefined) return context.warmup
  throw new PacelineError(
    PacelineErrorCodes.warmupNotConfigured,
    'This engine has no warm-up provider: pass one to createEngine({ warmup }) (a WarmupProviderV1, e.g. createMemoryWarmupProvider() in tests).',
  )
}

async function requireInbox(store: Store, identityId: string, address: string): Promise<IdentityRecord> {
  const record = await store.get('identities', identityId)
  if (record === undefined) throw notFound('identity', identityId)
  if (!record.identity.email.inboxes.some((inbox) => inbox.address.toLowerCase() === address))
    throw new PacelineError(
      PacelineErrorCodes.notFound,
      `Identity '${identityId}' has no inbox ${address}; add it to the identity's email inboxes first.`,
      { details: { what: 'inbox', id: address } },
    )
  return record
}

function warmupOf(status: WarmupStatus, at: number): InboxWarmup {
  return {
    state: status.state,
    ...(status.startedAt === undefined ? {} : { startedAt: status.startedAt }),
    ...(status.campaignEmailsPerDay === undefined
      ? {}
      : { campaignEmailsPerDay: Math.max(0, Math.floor(status.campaignEmailsPerDay)) }),
    ...(status.warmupEmailsPerDay === undefined ? {} : { warmupEmailsPerDay: status.warmupEmailsPerDay }),
    ...(status.message === undefined ? {} : { message: status.message }),
    checkedAt: at,
  }
}

/** Writes an inbox's warm-up on its identity and in the list of inboxes to keep reading. */
async function saveWarmup(
  store: Store,
  record: IdentityRecord,
  address: string,
  warmup: InboxWarmup,
): Promise<void> {
  const { [address]: _previous, ...others } = record.warmup ?? {}
  const kept = warmup.state === 'off' ? others : { ...others, [address]: warmup }
  await store.put('identities', record.id, { ...record, warmup: kept })
  const index = ((await store.get('state', WARMING_KEY))?.value ?? {}) as WarmingIndex
  const addresses = (index[record.id] ?? []).filter((each) => each !== address)
  // Only inboxes whose warm-up holds mail are read again; a ready or stopped one is left alone.
  if (holdsCampaignMail(warmup)) addresses.push(address)
  const { [record.id]: _identity, ...rest } = index
  const next = addresses.length === 0 ? rest : { ...rest, [record.id]: addresses }
  await store.put('state', WARMING_KEY, { key: WARMING_KEY, value: next })
}

function viewOf(
  identityId: string,
  address: string,
  warmup: InboxWarmup | undefined,
  provider: string,
  policy: WarmupPolicy,
): InboxWarmupView {
  const allowance = warmupAllowance(warmup, policy)
  return {
    identityId,
    address,
    state: warmup?.state ?? 'off',
    provider,
    ...(warmup?.startedAt === undefined ? {} : { startedAt: warmup.startedAt }),
    ...(warmup?.campaignEmailsPerDay === undefined
      ? {}
      : { campaignEmailsPerDay: warmup.campaignEmailsPerDay }),
    ...(warmup?.warmupEmailsPerDay === undefined ? {} : { warmupEmailsPerDay: warmup.warmupEmailsPerDay }),
    ...(warmup?.message === undefined ? {} : { message: warmup.message }),
    ...(warmup === undefined ? {} : { checkedAt: new Date(warmup.checkedAt).toISOString() }),
    campaignMail: allowance === undefined ? 'not_held' : allowance === 0 ? 'excluded' : 'limited',
  }
}

async function callProvider(
  context: EngineContext,
  call: () => Promise<WarmupStatus>,
  what: string,
): Promise<WarmupStatus> {
  const result = await context.callChannel(call)
  if (result.ok) return result.value
  throw new PacelineError(
    PacelineErrorCodes.channelFailed,
    `The warm-up provider could not ${what}: ${result.message}. Nothing changed; try again.`,
    { isRetryable: true },
  )
}

/** Starts warming an inbox of an identity at the provider, and holds its campaign mail from now. */
export async function startWarmup(
  context: EngineContext,
  identityId: string,
  address: string,
): Promise<InboxWarmupView> {
  return changeWarmup(context, identityId, address, 'start')
}

/** Stops an inbox's warm-up at the provider; its campaign mail is no longer held. */
export async function stopWarmup(
  context: EngineContext,
  identityId: string,
  address: string,
): Promise<InboxWarmupView> {
  return changeWarmup(context, identityId, address, 'stop')
}

async function changeWarmup(
  context: EngineContext,
  identityId: string,
  address: string,
  action: 'start' | 'stop',
): Promise<InboxWarmupView> {
  const provider = requireProvider(context)
  const input = parseInput(
    inboxInput,
    { identityId, address },
    `engine.warmup.${action}`,
    PacelineErrorCodes.invalidOptions,
  )
  const inbox = input.address.toLowerCase()
  await inTransaction(context, (store) => requireInbox(store, input.identityId, inbox), { readOnly: true })
  const status = await callProvider(
    context,
    () => provider[action]({ address: inbox }),
    `${action} warming ${inbox}`,
  )
  const now = context.now()
  const view = await inTransaction(context, async (store) => {
    const record = await requireInbox(store, input.identityId, inbox)
    const warmup = warmupOf(status, now)
    await saveWarmup(store, record, inbox, warmup)
    return viewOf(record.id, inbox, warmup, provider.provider, context.settings.warmupPolicy)
  })
  context.wake(input.identityId)
  return view
}

/** Every inbox of an identity with its warm-up as the engine applies it (no provider call). */
export async function warmupStatus(context: EngineContext, identityId: string): Promise<InboxWarmupView[]> {
  const provider = context.warmup?.provider ?? 'none'
  return inTransaction(
    context,
    async (store) => {
      const record = await store.get('identities', identityId)
      if (record === undefined) throw notFound('identity', identityId)
      return record.identity.email.inboxes.map((inbox) => {
        const address = inbox.address.toLowerCase()
        return viewOf(record.id, address, record.warmup?.[address], provider, context.settings.warmupPolicy)
      })
    },
    { readOnly: true },
  )
}

/**
 * Reads again, from the provider, the warm-ups that hold campaign mail and were last read more than
 * `WARMUP_REFRESH_MS` ago (all of them with `force`). The running engine does this before each tick, so
 * a send decision never waits on the provider. A provider that fails keeps the last known allowance (and
 * is asked again after the same interval): an unknown allowance never becomes a larger one.
 */
export async function refreshWarmups(
  context: EngineContext,
  options: { readonly force?: boolean } = {},
): Promise<WarmupRefresh> {
  const provider = context.warmup
  if (provider === undefined) return { read: 0, nextAt: undefined }
  const now = context.now()
  const { due, later } = await inTransaction(
    context,
    async (store) => {
      const index = ((await store.get('state', WARMING_KEY))?.value ?? {}) as WarmingIndex
      const out: { identityId: string; address: string }[] = []
      let next = Number.POSITIVE_INFINITY
      for (const [identityId, addresses] of Object.entries(index)) {
        const record = await store.get('identities', identityId)
        for (const address of addresses) {
          const nextRead = (record?.warmup?.[address]?.checkedAt ?? 0) + WARMUP_REFRESH_MS
          if (options.force === true || nextRead <= now) out.push({ identityId, address })
          else next = Math.min(next, nextRead)
        }
      }
      return { due: out, later: next }
    },
    { readOnly: true },
  )
  for (const { identityId, address } of due) {
    const result = await context.callChannel(() => provider.status({ address }))
    await inTransaction(context, async (store) => {
      const record = await store.get('identities', identityId)
      const previous = record?.warmup?.[address]
      if (record === undefined || previous === undefined) return
      const warmup = result.ok
        ? warmupOf(result.value, now)
        : { ...previous, checkedAt: now, message: `The provider could not be read: ${result.message}` }
      await saveWarmup(store, record, address, warmup)
    })
    context.wake(identityId)
  }
  // Read again in WARMUP_REFRESH_MS: the engine wakes for it even when no lead is due before then.
  const nextAt = due.length > 0 ? now + WARMUP_REFRESH_MS : later
  return { read: due.length, nextAt: Number.isFinite(nextAt) ? nextAt : undefined }
}

/** What a refresh did: how many warm-ups it read, and when the next is due (undefined: none held). */
export interface WarmupRefresh {
  readonly read: number
  readonly nextAt: number | undefined
}
