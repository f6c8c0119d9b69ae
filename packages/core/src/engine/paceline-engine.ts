import type { Readable } from 'node:stream'
import { Cause, Clock, Context, Effect, Layer } from 'effect'
import {
  type CrmSyncStatus,
  finishSyncTurn,
  readSyncStatus,
  renewSyncTurn,
  type SyncOutcome,
  takeSyncTurn,
} from '../crm/automatic-sync'
import type { CrmConfig, CrmConfigInput } from '../crm/crm-config'
import { type CrmExportOptions, CrmSync, type CrmSyncOptions, type CrmSyncReport } from '../crm/crm-sync'
import type { MappingCheck } from '../crm/mapping-check'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { Campaign } from '../model/campaign/campaign'
import type { CampaignInput } from '../model/campaign/define-campaign'
import type { CampaignChanges } from '../model/campaign/update-campaign'
import type { Identity, IdentityInput } from '../model/identity/identity-schema'
import type { ShareLinkOptions, ShareLinkRedemption } from '../model/identity/share-link'
import type { InstantInput } from '../model/instant'
import type { ContactList, ContactListChanges, ContactListInput } from '../model/lead/contact-list'
import type { Lead, LeadInput } from '../model/lead/lead'
import type { InboundEvent } from '../ports/inbound-event'
import * as admin from './admin'
import { type AiUsageDay, type AiUsageQuery, listAiUsage } from './ai-usage'
import * as analytics from './analytics/analytics-queries'
import type { PeriodOptions } from './analytics/period'
import type { BlocklistEntry } from './blocklist'
import { type DeleteCampaignOptions, deleteCampaign } from './campaign-deletion'
import * as contactLists from './contact-lists'
import {
  type ConversationListOptions,
  type ConversationMessage,
  type ConversationPage,
  type ConversationView,
  type ConversationWithMessages,
  getConversation,
  listConversations,
} from './conversations/conversation-queries'
import { type ManualTag, tagConversation, untagConversation } from './conversations/conversation-tags'
import { type ReplyInput, replyInConversation } from './conversations/manual-reply'
import { type Preview, type PreviewInput, previewCampaign } from './conversations/preview'
import { discardSuggestion, readSuggestion, type Suggestion } from './conversations/suggestions'
import type { DeadLetter, DeadLetterListOptions, DeadLetterPage, DeadLetterSource } from './dead-letters'
import * as deadLetters from './dead-letters'
import type { EngineContext, GuardedCall } from './engine-context'
import type { EngineEvent, EngineEventListener, EngineEventType } from './engine-events'
import {
  AiService,
  CrmService,
  EmailService,
  EngineSettingsService,
  LinkedInService,
  StorageService,
  WarmupService,
} from './engine-services'
import { checkEngineSettings, DEFAULT_ENGINE_SETTINGS, type EngineSettings } from './engine-settings'
import { type ActivityExportOptions, exportActivity } from './exports/activity-export'
import { type AudienceExportOptions, exportAudience } from './exports/audience-export'
import { type CampaignsExportOptions, exportCampaigns } from './exports/campaigns-export'
import {
  exportIdentities,
  exportIdentity,
  type IdentitiesExportOptions,
  type IdentityExportOptions,
} from './exports/identity-export'
import { exportMetrics, type MetricsExportOptions } from './exports/metrics-export'
import { type FairShareState, retireWorker } from './fair-share'
import { type DeletedIdentity, deleteIdentity } from './identities/delete-identity'
import {
  createShareLink,
  type RedeemedShareLink,
  redeemShareLink,
  type ShareLink,
} from './identities/share-links'
import { type InboxComplaints, identityComplaints } from './inbox-complaints'
import { type IngestResult, ingest } from './ingest'
import {
  type InvitationListOptions,
  listPendingInvitations,
  listWithdrawals,
  type PendingInvitation,
  type Withdrawal,
} from './invitations/invitation-lists'
import {
  type WithdrawInvitationsInput,
  type WithdrawInvitationsResult,
  withdrawInvitations,
} from './invitations/withdraw-invitations'
import { identityLeaseKey } from './leases'
import { type ActivityListOptions, listActivity } from './lists/activity-list'
import { type CampaignListOptions, listCampaigns } from './lists/campaign-list'
import { findLead, type LeadListOptions, listLeads } from './lists/lead-list'
import type { Page } from './lists/list-cursor'
import { listTasks, type TaskListOptions } from './lists/task-list'
import * as queries from './queries'
import type { TaskRecord } from './records'
import * as secrets from './secrets'
import { completeTask, createManualTask, type ManualTaskInput } from './task-commands'
import { type HeldLeases, type TickReport, tick, type WakeTable } from './tick'
import {
  type InboxWarmupView,
  refreshWarmups,
  startWarmup,
  stopWarmup,
  type WarmupRefresh,
  warmupStatus,
} from './warmup'

/** A tick's report, waking no later than the next read of the warm-ups that hold mail. */
function wakeForWarmups(report: TickReport, nextAt: number): TickReport {
  const current = report.nextWakeAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(report.nextWakeAt)
  return nextAt >= current ? report : { ...report, nextWakeAt: new Date(nextAt).toISOString() }
}

import {
  addToBlocklist,
  type BlocklistAddResult,
  type BlocklistEntryInput,
  type BlocklistListOptions,
  listBlocklist,
  removeFromBlocklist,
} from './workspace-blocklist'
import {
  deleteTemplate,
  getTemplate,
  listTemplates,
  type SaveTemplateInput,
  saveTemplate,
  type TemplateEntry,
  type WorkspaceTemplate,
} from './workspace-templates'

/** Effect-returning operations of the engine, for hosts that use Effect. */
export interface PacelineEngineApi {
  readonly settings: EngineSettings
  /** One pass at the current time: runs everything due and reports when there is more to do. */
  readonly tick: Effect.Effect<TickReport, PacelineError>
  /**
   * Ticks forever, sleeping (on the Clock, so TestClock drives it) until the next work or an inbound event;
   * with a CRM, also syncs it every `settings.crmSyncIntervalMs` once it is configured.
   */
  readonly run: Effect.Effect<never, never>
  /**
   * Gives up this worker's identity leases and heartbeat, so other workers on the store take its identities
   * at once instead of when the leases run out. `close()` does it; the engine serves again on its next tick.
   */
  readonly retire: Effect.Effect<void, PacelineError>
  readonly ingest: (event: InboundEvent) => Effect.Effect<IngestResult, PacelineError>
  /**
   * What a channel's subscription delivers through: `ingest`, except that an event refused for good is first
   * recorded as a dead letter (the refusal still fails, so the channel moves past it).
   */
  readonly deliver: (
    source: DeadLetterSource,
    event: InboundEvent,
  ) => Effect.Effect<IngestResult, PacelineError>
  /** Conversations after the first message: list, read, tag. */
  readonly conversations: {
    readonly list: (options?: ConversationListOptions) => Effect.Effect<ConversationPage, PacelineError>
    readonly get: (id: string) => Effect.Effect<ConversationWithMessages, PacelineError>
    readonly tag: (id: string, tags: readonly ManualTag[]) => Effect.Effect<ConversationView, PacelineError>
    readonly untag: (id: string, names: readonly string[]) => Effect.Effect<ConversationView, PacelineError>
    readonly reply: (id: string, input: ReplyInput) => Effect.Effect<ConversationMessage, PacelineError>
    readonly suggestion: (id: string) => Effect.Effect<Suggestion | undefined, PacelineError>
    readonly discardSuggestion: (id: string) => Effect.Effect<void, PacelineError>
  }
  /** Dashboards from counters kept as things happen: campaigns' overview and daily activity, identities. */
  readonly analytics: {
    readonly campaign: (
      campaignId: string,
      options?: PeriodOptions,
    ) => Effect.Effect<analytics.CampaignAnalytics, PacelineError>
    readonly daily: (
      campaignId: string,
      options?: PeriodOptions,
    ) => Effect.Effect<analytics.CampaignDailyActivity, PacelineError>
    readonly identity: (
      identityId: string,
      options?: PeriodOptions,
    ) => Effect.Effect<analytics.IdentityDashboard, PacelineError>
    readonly identities: (
      options?: analytics.IdentityDashboardOptions,
    ) => Effect.Effect<analytics.IdentityDashboard[], PacelineError>
  }
  /** CSV exports, streamed: audience, metrics, campaigns, activity log, identity dashboards. */
  readonly csv: {
    readonly audience: (
      campaignId: string,
      options?: AudienceExportOptions,
    ) => Effect.Effect<Readable, PacelineError>
    readonly metrics: (
      campaignId: string,
      options?: MetricsExportOptions,
    ) => Effect.Effect<Readable, PacelineError>
    readonly campaigns: (options?: CampaignsExportOptions) => Effect.Effect<Readable, PacelineError>
    readonly activity: (options?: ActivityExportOptions) => Effect.Effect<Readable, PacelineError>
    readonly identity: (
      identityId: string,
      options?: IdentityExportOptions,
    ) => Effect.Effect<Readable, PacelineError>
    readonly identities: (options?: IdentitiesExportOptions) => Effect.Effect<Readable, PacelineError>
  }
  /** A campaign as one lead would see it, and the agent's answers to replies: nothing sent or stored. */
  readonly preview: (campaignId: string, input: PreviewInput) => Effect.Effect<Preview, PacelineError>
  /** AI calls and tokens per campaign and day (UTC), to meter cost. */
  readonly aiUsage: (query?: AiUsageQuery) => Effect.Effect<AiUsageDay[], PacelineError>
  /** An identity's pending LinkedIn invitations: withdraw some by hand, list them, and the withdrawal history. */
  readonly invitations: {
    readonly withdraw: (
      input: WithdrawInvitationsInput,
    ) => Effect.Effect<WithdrawInvitationsResult, PacelineError>
    readonly pending: (
      options: InvitationListOptions,
    ) => Effect.Effect<Page<PendingInvitation>, PacelineError>
    readonly history: (options: InvitationListOptions) => Effect.Effect<Page<Withdrawal>, PacelineError>
  }
  /** Inbound events refused for good, newest first, for a person to look at. */
  readonly deadLetters: {
    readonly list: (options?: DeadLetterListOptions) => Effect.Effect<DeadLetterPage, PacelineError>
    readonly get: (id: string) => Effect.Effect<DeadLetter | undefined, PacelineError>
    readonly discard: (id: string) => Effect.Effect<void, PacelineError>
  }
  readonly putIdentity: (input: IdentityInput | Identity) => Effect.Effect<Identity, PacelineError>
  readonly getIdentity: (id: string) => Effect.Effect<Identity, PacelineError>
  readonly listIdentities: Effect.Effect<Identity[], PacelineError>
  readonly identityComplaints: (id: string) => Effect.Effect<InboxComplaints[], PacelineError>
  /** Deletes an identity: its campaigns stop and are detached for good, its secrets are deleted. */
  readonly deleteIdentity: (id: string) => Effect.Effect<DeletedIdentity, PacelineError>
  /** Issues a single-use link (24 hours at most) for someone outside the workspace to connect an identity. */
  readonly createShareLink: (options: ShareLinkOptions) => Effect.Effect<ShareLink, PacelineError>
  /** Uses a share link; of concurrent redemptions exactly one succeeds. */
  readonly redeemShareLink: (
    token: string,
    input: ShareLinkRedemption,
  ) => Effect.Effect<RedeemedShareLink, PacelineError>
  readonly createCampaign: (input: CampaignInput) => Effect.Effect<Campaign, PacelineError>
  readonly getCampaign: (id: string) => Effect.Effect<Campaign, PacelineError>
  readonly listCampaigns: (options?: CampaignListOptions) => Effect.Effect<Page<Campaign>, PacelineError>
  readonly updateCampaign: (id: string, changes: CampaignChanges) => Effect.Effect<Campaign, PacelineError>
  /** Launches now; `warnings` says what to know (e.g. email steps on an identity without an inbox yet). */
  readonly launchCampaign: (id: string) => Effect.Effect<admin.LaunchedCampaign, PacelineError>
  readonly scheduleCampaign: (
    id: string,
    startAt: InstantInput,
  ) => Effect.Effect<admin.LaunchedCampaign, PacelineError>
  readonly pauseCampaign: (id: string) => Effect.Effect<Campaign, PacelineError>
  readonly resumeCampaign: (id: string) => Effect.Effect<Campaign, PacelineError>
  readonly archiveCampaign: (id: string) => Effect.Effect<Campaign, PacelineError>
  /** Deletes a campaign (see `engine.campaigns.delete`); returns it as it was. */
  readonly deleteCampaign: (
    id: string,
    options?: DeleteCampaignOptions,
  ) => Effect.Effect<Campaign, PacelineError>
  /** The built-in campaign templates and the ones this workspace saved from its campaigns. */
  readonly templates: {
    readonly save: (input: SaveTemplateInput) => Effect.Effect<WorkspaceTemplate, PacelineError>
    readonly list: Effect.Effect<TemplateEntry[], PacelineError>
    readonly get: (id: string) => Effect.Effect<TemplateEntry, PacelineError>
    readonly delete: (id: string) => Effect.Effect<void, PacelineError>
  }
  readonly duplicateCampaign: (
    id: string,
    copy: { id: string; name?: string; identityId?: string },
  ) => Effect.Effect<Campaign, PacelineError>
  readonly campaignStats: (id: string) => Effect.Effect<queries.CampaignStats, PacelineError>
  readonly addLeads: (
    campaignId: string,
    leads: readonly LeadInput[],
  ) => Effect.Effect<admin.AddLeadsResult, PacelineError>
  readonly lead: (campaignId: string, leadId: string) => Effect.Effect<queries.LeadView, PacelineError>
  readonly leads: (
    campaignId: string,
    options?: LeadListOptions,
  ) => Effect.Effect<Page<queries.LeadView>, PacelineError>
  readonly findLead: (leadId: string) => Effect.Effect<queries.LeadView[], PacelineError>
  readonly activity: (options?: ActivityListOptions) => Effect.Effect<Page<EngineEvent>, PacelineError>
  readonly removeLead: (campaignId: string, leadId: string) => Effect.Effect<void, PacelineError>
  readonly pauseLead: (campaignId: string, leadId: string) => Effect.Effect<void, PacelineError>
  readonly resumeLead: (campaignId: string, leadId: string) => Effect.Effect<void, PacelineError>
  readonly blockLead: (campaignId: string, leadId: string) => Effect.Effect<void, PacelineError>
  readonly retryErrors: (
    leadIds: readonly string[],
    campaignId?: string,
  ) => Effect.Effect<{ readonly retried: readonly { campaignId: string; leadId: string }[] }, PacelineError>
  readonly actions: (filter?: queries.ActionFilter) => Effect.Effect<EngineEvent[], PacelineError>
  readonly tasks: (
    campaignId: string,
    options?: TaskListOptions,
  ) => Effect.Effect<Page<TaskRecord>, PacelineError>
  /** Creates a task by hand on a lead of a campaign (`origin: 'manual'`). */
  readonly createTask: (
    campaignId: string,
    leadId: string,
    input: ManualTaskInput,
  ) => Effect.Effect<TaskRecord, PacelineError>
  /** Marks a task done; one done already is returned as it is. */
  readonly completeTask: (taskId: string) => Effect.Effect<TaskRecord, PacelineError>
  /** The workspace blocklist: leads (by email, LinkedIn profile, id) and companies (by domain) never contacted. */
  readonly blocklist: {
    readonly add: (
      entries: readonly BlocklistEntryInput[],
    ) => Effect.Effect<BlocklistAddResult, PacelineError>
    readonly remove: (
      entries: readonly BlocklistEntryInput[],
    ) => Effect.Effect<BlocklistEntry[], PacelineError>
    readonly list: (options?: BlocklistListOptions) => Effect.Effect<Page<BlocklistEntry>, PacelineError>
  }
  /** Contact lists of the workspace, to be campaigns' audiences. */
  readonly lists: {
    readonly create: (input: ContactListInput) => Effect.Effect<ContactList, PacelineError>
    readonly get: (id: string) => Effect.Effect<ContactList, PacelineError>
    readonly list: (
      options?: contactLists.ContactListListOptions,
    ) => Effect.Effect<Page<ContactList>, PacelineError>
    readonly update: (id: string, changes: ContactListChanges) => Effect.Effect<ContactList, PacelineError>
    readonly remove: (id: string) => Effect.Effect<void, PacelineError>
    readonly addContacts: (
      listId: string,
      leads: readonly LeadInput[],
    ) => Effect.Effect<contactLists.AddContactsResult, PacelineError>
    readonly removeContacts: (
      listId: string,
      leadIds: readonly string[],
    ) => Effect.Effect<{ readonly removed: readonly string[] }, PacelineError>
    readonly contacts: (
      listId: string,
      options?: contactLists.ContactListContactsOptions,
    ) => Effect.Effect<Page<Lead>, PacelineError>
  }
  /** Makes a contact list a campaign's audience (its contacts now, and those added later). */
  readonly useList: (
    campaignId: string,
    listId: string,
  ) => Effect.Effect<contactLists.ListEnrolmentResult, PacelineError>
  /** The campaign stops taking the list's new contacts. */
  readonly dropList: (campaignId: string, listId: string) => Effect.Effect<void, PacelineError>
  /** Stores a credential; stores that can encrypt at rest do. */
  readonly putSecret: (name: string, value: string) => Effect.Effect<void, PacelineError>
  readonly getSecret: (name: string) => Effect.Effect<string | undefined, PacelineError>
  readonly deleteSecret: (name: string) => Effect.Effect<void, PacelineError>
  /** The CRM sync; fails with `crm_not_configured` when the engine has no CRM. */
  /** Email warm-up per inbox, through the engine's warm-up provider (`warmup_not_configured` without one). */
  readonly warmup: {
    readonly start: (identityId: string, address: string) => Effect.Effect<InboxWarmupView, PacelineError>
    readonly stop: (identityId: string, address: string) => Effect.Effect<InboxWarmupView, PacelineError>
    readonly status: (identityId: string) => Effect.Effect<InboxWarmupView[], PacelineError>
    readonly refresh: Effect.Effect<WarmupRefresh, PacelineError>
  }
  readonly crm: {
    readonly configure: (
      input: CrmConfigInput,
    ) => Effect.Effect<{ readonly config: CrmConfig; readonly warnings: MappingCheck[] }, PacelineError>
    readonly checkMappings: (input: CrmConfigInput) => Effect.Effect<MappingCheck[], PacelineError>
    readonly config: Effect.Effect<CrmConfig, PacelineError>
    readonly disconnect: Effect.Effect<void, PacelineError>
    readonly sync: (options?: CrmSyncOptions) => Effect.Effect<CrmSyncReport, PacelineError>
    readonly export: (options: CrmExportOptions) => Effect.Effect<CrmSyncReport, PacelineError>
    /** Where the automatic sync stands: last run, last error, next run. */
    readonly status: Effect.Effect<CrmSyncStatus, PacelineError>
  }
  /** Listens to events of one type, or of every type with `'*'`; returns a function that stops listening. */
  readonly on: (type: EngineEventType | '*', listener: EngineEventListener) => () => void
}

/** The engine as an Effect service. Build it with `PacelineEngine.layer`, providing `StorageService`. */
export class PacelineEngine extends Context.Service<PacelineEngine, PacelineEngineApi>()(
  '@paceline/core/Engine',
) {
  static readonly layer: Layer.Layer<PacelineEngine, never, StorageService> = Layer.effect(
    PacelineEngine,
    makeEngineEffect(),
  )
}

/** Any failure from a port or a listener that is not already a PacelineError becomes `storage_failed`. */
function asPacelineError(error: unknown): PacelineError {
  if (error instanceof PacelineError) return error
  return new PacelineError(
    PacelineErrorCodes.storageFailed,
    `The engine could not complete the operation: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error, isRetryable: true },
  )
}

/** The error inside a failed Effect's cause (the first failure or defect). */
function causeError(cause: Cause.Cause<unknown>): unknown {
  const [reason] = cause.reasons
  if (reason === undefined) return new Error('interrupted')
  return Cause.isFailReason(reason)
    ? reason.error
    : Cause.isDieReason(reason)
      ? reason.defect
      : new Error('interrupted')
}

function makeEngineEffect(): Effect.Effect<PacelineEngineApi, never, StorageService> {
  return Effect.gen(function* () {
    const storage = yield* StorageService
    const linkedin = yield* LinkedInService
    const email = yield* EmailService
    const ai = yield* AiService
    const crmAdapter = yield* CrmService
    const warmupProvider = yield* WarmupService
    const overrides = yield* EngineSettingsService
    const clock = yield* Clock.Clock
    const services = yield* Effect.context<never>()
    const runWithServices = Effect.runPromiseWith(services)
    checkEngineSettings(overrides)
    const settings: EngineSettings = { ...DEFAULT_ENGINE_SETTINGS, ...overrides }
    const listeners = new Map<EngineEventType | '*', Set<EngineEventListener>>()
    const wakes: WakeTable = new Map()
    const leases: HeldLeases = new Map()
    const fairness: FairShareState = { checkedAt: undefined, live: 1 }
    let signal: (() => void) | undefined
    let sequence = 0

    const context: EngineContext = {
      storage,
      linkedin,
      email,
      ai,
      ...(warmupProvider === undefined ? {} : { warmup: warmupProvider }),
      settings,
      now: () => clock.currentTimeMillisUnsafe(),
      emit: (events) => {
        for (const event of events) {
          for (const key of [event.type, '*'] as const) {
            for (const listener of listeners.get(key) ?? []) listener(event)
          }
        }
      },
      wake: (identityId) => {
        wakes.set(identityId, 0)
        signal?.()
      },
      nextSequence: () => sequence++,
      bootId: clock.currentTimeMillisUnsafe().toString(36),
      callChannel: <T>(call: () => Promise<T>): Promise<GuardedCall<T>> =>
        runWithServices(
          Effect.tryPromise({ try: call, catch: (error) => error }).pipe(
            Effect.timeout(settings.channelTimeoutMs),
            Effect.map((value): GuardedCall<T> => ({ ok: true, value })),
            Effect.catchCause((cause) =>
              Effect.succeed<GuardedCall<T>>({
                ok: false,
                failure: String(cause).includes('TimeoutError') ? 'timeout' : 'threw',
                message: String(cause).split('\n')[0] ?? 'unknown failure',
              }),
            ),
          ),
        ),
    }

    const lift = <A>(work: () => Promise<A>): Effect.Effect<A, PacelineError> =>
      Effect.tryPromise({ try: work, catch: asPacelineError })

    const tickEffect = lift(async () => {
      // Warm-up allowances are read before the tick, so no send decision waits on the provider.
      const warmups = await refreshWarmups(context)
      const { report, events } = await tick(context, wakes, leases, fairness)
      context.emit(events)
      return warmups.nextAt === undefined ? report : wakeForWarmups(report, warmups.nextAt)
    })

    const MAX_IDLE_MS = 60_000
    const tickLoop: Effect.Effect<never, never> = Effect.forever(
      Effect.gen(function* () {
        const report = yield* tickEffect.pipe(
          Effect.catchCause(() => Effect.succeed<TickReport | undefined>(undefined)),
        )
        const now = clock.currentTimeMillisUnsafe()
        const next = report?.nextWakeAt === undefined ? now + MAX_IDLE_MS : Date.parse(report.nextWakeAt)
        const wait = report === undefined ? 5_000 : Math.min(Math.max(next - now, 0), MAX_IDLE_MS)
        const woken = new Promise<void>((resolve) => {
          signal = resolve
        })
        yield* Effect.race(
          Effect.sleep(wait),
          Effect.promise(() => woken),
        )
        signal = undefined
      }),
    )

    const engineContext = context
    const crmSync = crmAdapter === undefined ? undefined : new CrmSync(engineContext, crmAdapter)

    let crmSignal: (() => void) | undefined
    /**
     * The automatic CRM sync: takes the workspace's turn when a run is due (one worker per interval), runs
     * the sync while renewing the turn's lease, records the outcome, then sleeps on the Clock until the next
     * run. Waits quietly while the CRM is not configured; a failure is recorded, never thrown.
     */
    const crmLoop = (sync: CrmSync): Effect.Effect<never, never> => {
      const interval = settings.crmSyncIntervalMs
      const leaseMs = settings.identityLeaseMs
      const now = () => clock.currentTimeMillisUnsafe()
      const runTurn = (turn: { kind: 'run'; token: number; startedAt: number }) =>
        Effect.gen(function* () {
          const attempt = Effect.tryPromise({ try: () => sync.sync(), catch: (error) => error }).pipe(
            Effect.map((report): SyncOutcome => ({ ok: true, report })),
            Effect.catchCause((cause) =>
              Effect.succeed<SyncOutcome>({ ok: false, error: causeError(cause) }),
            ),
          )
          const heartbeat = Effect.forever(
            Effect.sleep(leaseMs / 3).pipe(
              Effect.andThen(lift(() => renewSyncTurn(context, turn.token, now()))),
              Effect.catchCause(() => Effect.void),
            ),
          )
          const outcome = yield* Effect.raceFirst(attempt, heartbeat)
          yield* lift(() => finishSyncTurn(context, turn, interval, outcome, now())).pipe(
            Effect.catchCause(() => Effect.void),
          )
        })
      return Effect.forever(
        Effect.gen(function* () {
          const turn = yield* lift(() => takeSyncTurn(context, sync.name, now())).pipe(
            Effect.catchCause(() => Effect.succeed(undefined)),
          )
          if (turn?.kind === 'run') return yield* runTurn(turn)
          // At least a second: a store whose clock runs behind the engine's must not make this spin.
          const wait =
            turn?.kind === 'wait' ? Math.min(Math.max(turn.until - now(), 1_000), interval) : interval
          const woken = new Promise<void>((resolve) => {
            crmSignal = resolve
          })
          yield* Effect.race(
            Effect.sleep(wait),
            Effect.promise(() => woken),
          )
          crmSignal = undefined
        }),
      )
    }
    const run: Effect.Effect<never, never> =
      crmSync === undefined
        ? tickLoop
        : Effect.gen(function* () {
            yield* Effect.forkChild(crmLoop(crmSync))
            return yield* tickLoop
          })
    const withCrm = <A>(work: (sync: CrmSync) => Promise<A>): Effect.Effect<A, PacelineError> =>
      crmSync === undefined
        ? Effect.fail(
            new PacelineError(
              PacelineErrorCodes.crmNotConfigured,
              'This engine has no CRM: pass one to createEngine({ crm: createHubspotCrm({ accessToken }) }) (or createSalesforceCrm, or your own CrmV1).',
            ),
          )
        : lift(() => work(crmSync))
    const retire = lift(async () => {
      const held = new Map(
        [...leases].map(([identityId, lease]) => [identityLeaseKey(identityId), lease.token]),
      )
      leases.clear()
      fairness.checkedAt = undefined
      await retireWorker(context, held)
    })

    const api: PacelineEngineApi = {
      settings,
      tick: tickEffect,
      run,
      retire,
      ingest: (event) => lift(() => ingest(engineContext, event)),
      deliver: (source, event) => lift(() => deadLetters.deliverInbound(engineContext, source, event)),
      conversations: {
        list: (options) => lift(() => listConversations(engineContext, options)),
        get: (id) => lift(() => getConversation(engineContext, id)),
        tag: (id, tags) => lift(() => tagConversation(engineContext, id, tags)),
        untag: (id, names) => lift(() => untagConversation(engineContext, id, names)),
        reply: (id, input) => lift(() => replyInConversation(engineContext, id, input)),
        suggestion: (id) => lift(() => readSuggestion(engineContext, id)),
        discardSuggestion: (id) => lift(() => discardSuggestion(engineContext, id)),
      },
      analytics: {
        campaign: (campaignId, options) =>
          lift(() => analytics.campaignAnalytics(engineContext, campaignId, options)),
        daily: (campaignId, options) =>
          lift(() => analytics.campaignDailyActivity(engineContext, campaignId, options)),
        identity: (identityId, options) =>
          lift(() => analytics.identityAnalytics(engineContext, identityId, options)),
        identities: (options) => lift(() => analytics.identitiesAnalytics(engineContext, options)),
      },
      csv: {
        audience: (campaignId, options) => lift(() => exportAudience(engineContext, campaignId, options)),
        metrics: (campaignId, options) => lift(() => exportMetrics(engineContext, campaignId, options)),
        campaigns: (options) => lift(() => exportCampaigns(engineContext, options)),
        activity: (options) => lift(() => exportActivity(engineContext, options)),
        identity: (identityId, options) => lift(() => exportIdentity(engineContext, identityId, options)),
        identities: (options) => lift(() => exportIdentities(engineContext, options)),
      },
      aiUsage: (query) => lift(() => listAiUsage(engineContext, query)),
      preview: (campaignId, input) => lift(() => previewCampaign(engineContext, campaignId, input)),
      invitations: {
        withdraw: (input) => lift(() => withdrawInvitations(engineContext, input)),
        pending: (options) => lift(() => listPendingInvitations(engineContext, options)),
        history: (options) => lift(() => listWithdrawals(engineContext, options)),
      },
      deadLetters: {
        list: (options) => lift(() => deadLetters.listDeadLetters(engineContext, options)),
        get: (id) => lift(() => deadLetters.getDeadLetter(engineContext, id)),
        discard: (id) => lift(() => deadLetters.discardDeadLetter(engineContext, id)),
      },
      warmup: {
        start: (identityId, address) => lift(() => startWarmup(engineContext, identityId, address)),
        stop: (identityId, address) => lift(() => stopWarmup(engineContext, identityId, address)),
        status: (identityId) => lift(() => warmupStatus(engineContext, identityId)),
        refresh: lift(() => refreshWarmups(engineContext, { force: true })),
      },
      crm: {
        configure: (input) =>
          withCrm(async (sync) => {
            const saved = await sync.configure(input)
            // A running engine waiting for the configuration syncs now rather than at its next look.
            crmSignal?.()
            return saved
          }),
        checkMappings: (input) => withCrm((sync) => sync.checkMappings(input)),
        config: withCrm((sync) => sync.config()),
        disconnect: withCrm((sync) => sync.disconnect()),
        sync: (options) => withCrm((sync) => sync.sync(options)),
        export: (options) => withCrm((sync) => sync.export(options)),
        status: withCrm((sync) => readSyncStatus(engineContext, sync.name, settings.crmSyncIntervalMs)),
      },
      templates: {
        save: (input) => lift(() => saveTemplate(engineContext, input)),
        list: lift(() => listTemplates(engineContext)),
        get: (id) => lift(() => getTemplate(engineContext, id)),
        delete: (id) => lift(() => deleteTemplate(engineContext, id)),
      },
      putIdentity: (input) => lift(() => admin.putIdentity(engineContext, input)),
      getIdentity: (id) => lift(() => admin.getIdentity(engineContext, id)),
      listIdentities: lift(() => admin.listIdentities(engineContext)),
      identityComplaints: (id) => lift(() => identityComplaints(engineContext, id)),
      deleteIdentity: (id) => lift(() => deleteIdentity(engineContext, id)),
      createShareLink: (options) => lift(() => createShareLink(engineContext, options)),
      redeemShareLink: (token, input) => lift(() => redeemShareLink(engineContext, token, input)),
      createCampaign: (input) => lift(() => admin.createCampaign(engineContext, input)),
      getCampaign: (id) => lift(() => admin.getCampaign(engineContext, id)),
      listCampaigns: (options) => lift(() => listCampaigns(engineContext, options)),
      updateCampaign: (id, changes) => lift(() => admin.editCampaign(engineContext, id, changes)),
      launchCampaign: (id) => lift(() => admin.launch(engineContext, id)),
      scheduleCampaign: (id, startAt) => lift(() => admin.schedule(engineContext, id, startAt)),
      pauseCampaign: (id) => lift(() => admin.pause(engineContext, id)),
      resumeCampaign: (id) => lift(() => admin.resume(engineContext, id)),
      archiveCampaign: (id) => lift(() => admin.archive(engineContext, id)),
      deleteCampaign: (id, options) => lift(() => deleteCampaign(engineContext, id, options)),
      duplicateCampaign: (id, copy) => lift(() => admin.duplicate(engineContext, id, copy)),
      campaignStats: (id) => lift(() => queries.campaignStats(engineContext, id)),
      addLeads: (campaignId, leads) => lift(() => admin.addLeads(engineContext, campaignId, leads)),
      lead: (campaignId, leadId) => lift(() => queries.leadView(engineContext, campaignId, leadId)),
      leads: (campaignId, options) => lift(() => listLeads(engineContext, campaignId, options)),
      findLead: (leadId) => lift(() => findLead(engineContext, leadId)),
      activity: (options) => lift(() => listActivity(engineContext, options)),
      removeLead: (campaignId, leadId) =>
        lift(() => admin.commandLead(engineContext, campaignId, leadId, { type: 'lead-removed' })),
      pauseLead: (campaignId, leadId) =>
        lift(() => admin.commandLead(engineContext, campaignId, leadId, { type: 'lead-paused' })),
      resumeLead: (campaignId, leadId) =>
        lift(() => admin.commandLead(engineContext, campaignId, leadId, { type: 'lead-resumed' })),
      blockLead: (campaignId, leadId) =>
        lift(() => admin.commandLead(engineContext, campaignId, leadId, { type: 'lead-blocked' })),
      retryErrors: (leadIds, campaignId) => lift(() => admin.retryErrors(engineContext, leadIds, campaignId)),
      actions: (filter) => lift(() => queries.listActions(engineContext, filter)),
      tasks: (campaignId, options) => lift(() => listTasks(engineContext, campaignId, options)),
      createTask: (campaignId, leadId, input) =>
        lift(() => createManualTask(engineContext, campaignId, leadId, input)),
      completeTask: (taskId) => lift(() => completeTask(engineContext, taskId)),
      blocklist: {
        add: (entries) => lift(() => addToBlocklist(engineContext, entries)),
        remove: (entries) => lift(() => removeFromBlocklist(engineContext, entries)),
        list: (options) => lift(() => listBlocklist(engineContext, options)),
      },
      lists: {
        create: (input) => lift(() => contactLists.createList(engineContext, input)),
        get: (id) => lift(() => contactLists.getList(engineContext, id)),
        list: (options) => lift(() => contactLists.listLists(engineContext, options)),
        update: (id, changes) => lift(() => contactLists.updateList(engineContext, id, changes)),
        remove: (id) => lift(() => contactLists.removeList(engineContext, id)),
        addContacts: (listId, leads) => lift(() => contactLists.addContacts(engineContext, listId, leads)),
        removeContacts: (listId, leadIds) =>
          lift(() => contactLists.removeContacts(engineContext, listId, leadIds)),
        contacts: (listId, options) => lift(() => contactLists.listContacts(engineContext, listId, options)),
      },
      useList: (campaignId, listId) => lift(() => contactLists.useList(engineContext, campaignId, listId)),
      dropList: (campaignId, listId) => lift(() => contactLists.dropList(engineContext, campaignId, listId)),
      putSecret: (name, value) => lift(() => secrets.putSecret(engineContext, name, value)),
      getSecret: (name) => lift(() => secrets.getSecret(engineContext, name)),
      deleteSecret: (name) => lift(() => secrets.deleteSecret(engineContext, name)),
      on: (type, listener) => {
        let set = listeners.get(type)
        if (set === undefined) {
          set = new Set()
          listeners.set(type, set)
        }
        set.add(listener)
        return () => set.delete(listener)
      },
    }
    return api
  })
}
