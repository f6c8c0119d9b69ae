import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { StorageV1 } from '@paceline/core/ports'
import { z } from 'zod'
import type { LinkedInProviderV1 } from '../provider/linkedin-provider'

/** A LinkedIn account at the provider, and the paceline identity it belongs to (`identity.linkedin.accountId`). */
export interface LinkedInAccount {
  readonly accountId: string
  readonly identityId: string
}

export interface LinkedInPollingSettings {
  /**
   * Read conversations and new connections on a timer, for providers or hosts without webhooks. Default:
   * on when the provider has no webhooks, off otherwise.
   */
  readonly enabled?: boolean
  /** Default 10 minutes: each poll costs a few provider requests per account. */
  readonly intervalMs?: number
  /** On the first poll, look back this many days. Default 2. */
  readonly lookbackDays?: number
}

export interface CreateLinkedInChannelOptions {
  readonly provider: LinkedInProviderV1
  /** The accounts whose replies and acceptances become engine events. */
  readonly accounts?: readonly LinkedInAccount[]
  /** Where polling keeps its place (recommended: the engine's storage). Without it, it lives in memory. */
  readonly storage?: StorageV1
  readonly workspaceId?: string
  readonly polling?: LinkedInPollingSettings
  /** Pause between the chunks of one message, like a person typing. Default 1,500 ms. */
  readonly chunkPauseMs?: number
  /** The clock polling windows are measured on. Default `Date.now`; pass the engine's clock in simulations. */
  readonly now?: () => number
  /**
   * Problems the channel handles itself: a failed poll (`channel_failed`, retried), a webhook it could not
   * read (`channel_failed`, answered 400) or apply (answered 503), an event the engine refused for good
   * (`invalid_event`, with `details.deadLetterId`; the channel moved past it). Default console.warn.
   */
  readonly onError?: (error: PacelineError) => void
}

const isFunction = (value: unknown) => typeof value === 'function'

const accountSchema = z.strictObject({
  accountId: z.string().min(1),
  // The engine's limit for identity ids: a longer one would make every event of the account refused.
  identityId: z.string().min(1).max(200),
})

/** Checks an account given to `channel.addAccount`, naming the field that is wrong. */
export function parseLinkedInAccount(account: unknown): LinkedInAccount {
  const result = accountSchema.safeParse(account, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'channel.addAccount account', result.error)
  return result.data
}

const optionsSchema = z.strictObject({
  provider: z.custom<LinkedInProviderV1>(
    (value) =>
      (value as LinkedInProviderV1 | undefined)?.specificationVersion === 'v1' &&
      isFunction((value as LinkedInProviderV1).sendMessage),
    { message: 'must be a LinkedIn provider (specificationVersion v1), e.g. createEdgesProvider(...)' },
  ),
  accounts: z.array(accountSchema).optional(),
  storage: z
    .custom<StorageV1>((value) => isFunction((value as StorageV1 | undefined)?.transaction), {
      message: 'must be a paceline Storage (for example the engine storage)',
    })
    .optional(),
  workspaceId: z.string().min(1).optional(),
  polling: z
    .strictObject({
      enabled: z.boolean().optional(),
      intervalMs: z.number().int().min(60_000).optional(),
      lookbackDays: z.number().min(0).max(30).optional(),
    })
    .optional(),
  chunkPauseMs: z.number().int().min(0).max(60_000).optional(),
  now: z
    .custom<() => number>(isFunction, { message: 'must be a function returning epoch milliseconds' })
    .optional(),
  onError: z.custom<(error: PacelineError) => void>(isFunction, { message: 'must be a function' }).optional(),
})

/** Checks `createLinkedInChannel` options, naming each field that is wrong and the rule. */
export function parseLinkedInChannelOptions(options: unknown): CreateLinkedInChannelOptions {
  const result = optionsSchema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createLinkedInChannel options',
      result.error,
    )
  return options as CreateLinkedInChannelOptions
}
