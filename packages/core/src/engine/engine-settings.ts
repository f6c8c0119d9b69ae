import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { issue } from '../errors/validation-issue'
import { DEFAULT_TEXT_LIMITS, type TextLimits } from '../model/sequence/text-limits'
import type { WarmupPolicy } from './warmup'

/** Tunables of the engine; every one has a default that suits production. */
export interface EngineSettings {
  /** The tenant all data belongs to. Default `default`. */
  readonly workspaceId: string
  /** Names this engine process in leases and claims. Default `worker`. */
  readonly workerId: string
  /** Seed of the deterministic tie-breaks and pacing jitter. Default 0. */
  readonly seed: number
  /** How long a send may take before its claim counts as abandoned (then "delivery unknown"). */
  readonly claimLeaseMs: number
  /** How long one worker owns an identity's queues without renewing. */
  readonly identityLeaseMs: number
  /** A channel call slower than this counts as "delivery unknown". */
  readonly channelTimeoutMs: number
  /** Attempts of a step that failed without sending before the lead goes to error. */
  readonly maxAttempts: number
  /** First backoff after such a failure; doubles each attempt. */
  readonly retryBaseMs: number
  /** How often a pending invitation is checked when the channel does not push acceptances. */
  readonly acceptanceCheckIntervalMs: number
  /** Text limits checked on rendered messages. */
  readonly textLimits: TextLimits
  /**
   * How often the running engine syncs the CRM by itself (with a CRM given and configured): at least a
   * minute. Workers sharing a store run each interval's sync once between them.
   */
  readonly crmSyncIntervalMs: number
  /**
   * Campaign mail from an inbox in warm-up: `exclude` (default) sends none, as warm-up services ask;
   * `limit` sends up to the provider's daily allowance (`campaignEmailsPerDay`).
   */
  readonly warmupPolicy: WarmupPolicy
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  workspaceId: 'default',
  workerId: 'worker',
  seed: 0,
  claimLeaseMs: 10 * 60_000,
  identityLeaseMs: 5 * 60_000,
  channelTimeoutMs: 2 * 60_000,
  maxAttempts: 5,
  retryBaseMs: 5 * 60_000,
  acceptanceCheckIntervalMs: 24 * 3_600_000,
  textLimits: DEFAULT_TEXT_LIMITS,
  crmSyncIntervalMs: 15 * 60_000,
  warmupPolicy: 'exclude',
}

/** Settings whose values the engine cannot run with are refused when it is created. */
export function checkEngineSettings(settings: Partial<EngineSettings>): void {
  const policy = settings.warmupPolicy
  if (policy !== undefined && policy !== 'exclude' && policy !== 'limit')
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidOptions, 'The engine settings', [
      issue('invalid_value', ['warmupPolicy'], `must be 'exclude' or 'limit', got ${JSON.stringify(policy)}`),
    ])
  const interval = settings.crmSyncIntervalMs
  if (interval !== undefined && !(Number.isInteger(interval) && interval >= 60_000))
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidOptions, 'The engine settings', [
      issue(
        'too_small',
        ['crmSyncIntervalMs'],
        `must be a whole number of milliseconds, at least 60000 (a minute), got ${String(interval)}`,
      ),
    ])
}
