import type { AiProviderV1 } from '../ports/ai-provider'
import type { EmailChannelV1 } from '../ports/email-channel'
import type { LinkedInChannelV1 } from '../ports/linkedin-channel'
import type { StorageV1 } from '../ports/storage'
import type { WarmupProviderV1 } from '../ports/warmup-provider'
import type { EngineEvent } from './engine-events'
import type { EngineSettings } from './engine-settings'
import { Store } from './store'

/** What every part of the engine works with: the ports, the settings, the clock and the event sink. */
export interface EngineContext {
  readonly storage: StorageV1
  readonly linkedin: LinkedInChannelV1 | undefined
  readonly email: EmailChannelV1 | undefined
  readonly ai: AiProviderV1 | undefined
  readonly settings: EngineSettings
  /** The current time in epoch milliseconds (the engine's Clock). */
  readonly now: () => number
  /** Hands events to listeners once their transaction has committed. */
  readonly emit: (events: readonly EngineEvent[]) => void
  /** Marks an identity as having work to look at, so the next tick does not skip it. */
  readonly wake: (identityId: string) => void
  /** Makes unique action-log keys, with `bootId` (the start time of this engine instance). */
  readonly nextSequence: () => number
  readonly bootId: string
  /**
   * Calls a channel with the engine's timeout. A call that throws or times out has an unknown outcome:
   * it may have reached the provider.
   */
  readonly callChannel: <T>(call: () => Promise<T>) => Promise<GuardedCall<T>>
  /** The email warm-up provider, when the host gave one. */
  readonly warmup?: WarmupProviderV1
}

export type GuardedCall<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: 'timeout' | 'threw'; readonly message: string }

/** Runs `work` in a storage transaction of the engine's workspace. */
export function inTransaction<T>(
  context: EngineContext,
  work: (store: Store) => Promise<T>,
  options?: { readonly readOnly?: boolean },
): Promise<T> {
  return context.storage.transaction(context.settings.workspaceId, (tx) => work(new Store(tx)), options)
}
