import type { Readable } from 'node:stream'
import { Clock, type Duration, Effect, Fiber, Layer, ManagedRuntime } from 'effect'
import type { CrmSyncStatus } from '../crm/automatic-sync'
import type { CrmConfig, CrmConfigInput } from '../crm/crm-config'
import type { CrmExportOptions, CrmSyncOptions, CrmSyncReport } from '../crm/crm-sync'
import type { MappingCheck } from '../crm/mapping-check'
import type { Campaign } from '../model/campaign/campaign'
import type { CampaignInput } from '../model/campaign/define-campaign'
import type { CampaignChanges } from '../model/campaign/update-campaign'
import type { Identity, IdentityInput } from '../model/identity/identity-schema'
import type { ShareLinkOptions, ShareLinkRedemption } from '../model/identity/share-link'
import type { InstantInput } from '../model/instant'
import type { ContactList, ContactListChanges, ContactListInput } from '../model/lead/contact-list'
import type { Lead, LeadInput } from '../model/lead/lead'
import type { AiProviderV1 } from '../ports/ai-provider'
import type { CrmV1 } from '../ports/crm'
import type { EmailChannelV1 } from '../ports/email-channel'
import type { InboundEvent } from '../ports/inbound-event'
import type { LinkedInChannelV1 } from '../ports/linkedin-channel'
import type { StorageV1 } from '../ports/storage'
import type { WarmupProviderV1 } from '../ports/warmup-provider'
import type { AddLeadsResult, LaunchedCampaign } from './admin'
import type { AiUsageDay, AiUsageQuery } from './ai-usage'
import type {
  CampaignAnalytics,
  CampaignDailyActivity,
  IdentityDashboard,
  IdentityDashboardOptions,
} from './analytics/analytics-queries'
import type { PeriodOptions } from './analytics/period'
import type { BlocklistEntry } from './blocklist'
import type { DeleteCampaignOptions } from './campaign-deletion'
import type {
  AddContactsResult,
  ContactListContactsOptions,
  ContactListListOptions,
  ListEnrolmentResult,
} from './contact-lists'
import type {
  ConversationListOptions,
  ConversationMessage,
  ConversationPage,
  ConversationView,
  ConversationWithMessages,
} from './conversations/conversation-queries'
import type { ManualTag } from './conversations/conversation-tags'
import type { ReplyInput } from './conversations/manual-reply'
import type { Preview, PreviewInput } from './conversations/preview'
import type { Suggestion } from './conversations/suggestions'
import type { DeadLetter, DeadLetterListOptions, DeadLetterPage, DeadLetterSource } from './dead-letters'
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
import { checkEngineSettings, type EngineSettings } from './engine-settings'
import type { ActivityExportOptions } from './exports/activity-export'
import type { AudienceExportOptions } from './exports/audience-export'
import type { CampaignsExportOptions } from './exports/campaigns-export'
import type { IdentitiesExportOptions, IdentityExportOptions } from './exports/identity-export'
import type { MetricsExportOptions } from './exports/metrics-export'
import type { DeletedIdentity } from './identities/delete-identity'
import type { RedeemedShareLink, ShareLink } from './identities/share-links'
import type { InboxComplaints } from './inbox-complaints'
import type { IngestResult } from './ingest'
import type { InvitationListOptions, PendingInvitation, Withdrawal } from './invitations/invitation-lists'
import type { WithdrawInvitationsInput, WithdrawInvitationsResult } from './invitations/withdraw-invitations'
import type { ActivityListOptions } from './lists/activity-list'
import type { CampaignListOptions } from './lists/campaign-list'
import type { LeadListOptions } from './lists/lead-list'
import type { Page } from './lists/list-cursor'
import type { TaskListOptions } from './lists/task-list'
import { PacelineEngine, type PacelineEngineApi } from './paceline-engine'
import type { ActionFilter, CampaignStats, LeadView } from './queries'
import type { TaskRecord } from './records'
import type { ManualTaskInput } from './task-commands'
import type { TickReport } from './tick'
import type { InboxWarmupView, WarmupRefresh } from './warmup'
import type { BlocklistAddResult, BlocklistEntryInput, BlocklistListOptions } from './workspace-blocklist'
import type { SaveTemplateInput, TemplateEntry, WorkspaceTemplate } from './workspace-templates'

/** A host's clock, for tests and simulations; the engine reads time only through it. */
export interface EngineClock {
  now(): Date | number
}

export interface CreateEngineOptions {
  readonly storage: StorageV1
  readonly linkedin?: LinkedInChannelV1
  readonly email?: EmailChannelV1
  readonly ai?: AiProviderV1
  /** The workspace's CRM (one at a time): `createHubspotCrm(...)`, `createSalesforceCrm(...)`, or your own `CrmV1`. */
  readonly crm?: CrmV1
  /** An email warm-up service (`WarmupProviderV1`): `engine.warmup` starts and stops inboxes' warm-ups. */
  readonly warmup?: WarmupProviderV1
  /** Default: the system clock. */
  readonly clock?: EngineClock
  /** Seed of tie-breaks and pacing jitter (a number, or `{ seed }`). Default 0. */
  readonly random?: number | { readonly seed: number }
  readonly workspaceId?: string
  readonly workerId?: string
  readonly settings?: Partial<Omit<EngineSettings, 'workspaceId' | 'workerId' | 'seed'>>
}

/** The Promise API of the engine. Effect users can take `engine.effect` or build `PacelineEngine.layer`. */
export interface Engine {
  readonly identities: {
    put(input: IdentityInput | Identity): Promise<Identity>
    get(id: string): Promise<Identity>
    list(): Promise<Identity[]>
    /** Spam complaints per inbox of the identity (mailbox providers throttle senders that collect them). */
    complaints(id: string): Promise<InboxComplaints[]>
    /**
     * Deletes an identity, in one transaction: its campaigns stop (running ones pause, scheduled ones go
     * back to draft) and are detached for good (`identityDeletedAt`; putting an identity with the same id
     * again does not reattach them), its secrets (`identitySecretName`) are deleted, and its campaigns'
     * leads stop in error `identity_deleted`. Nothing is sent from it afterwards.
     */
    delete(id: string): Promise<DeletedIdentity>
    /**
     * Issues a link for someone outside the workspace: `create` lets them add their own identity,
     * `reconnect` (with `identityId`) lets them refresh an identity's LinkedIn account and inboxes and hand
     * over credentials. It works once, for `validForHours` (24 at most, and by default). The token is
     * returned this once; only its SHA-256 hash is stored.
     */
    createShareLink(options: ShareLinkOptions): Promise<ShareLink>
    /**
     * Uses a share link with what the person brought. Exactly one of any number of concurrent redemptions
     * succeeds; a link that is unknown, expired or used is refused with `share_link_unknown`,
     * `share_link_expired` or `share_link_used`; input refused with `invalid_share_link` leaves it usable.
     */
    redeemShareLink(token: string, input: ShareLinkRedemption): Promise<RedeemedShareLink>
  }
  readonly campaigns: {
    create(input: CampaignInput): Promise<Campaign>
    get(id: string): Promise<Campaign>
    /** Filtered and ordered (newest, oldest, name, or the order campaigns get capacity), a page at a time. */
    list(options?: CampaignListOptions): Promise<Page<Campaign>>
    update(id: string, changes: CampaignChanges): Promise<Campaign>
    /**
     * Starts the campaign now. `warnings` says what a person should know, e.g. that its email steps wait
     * for the identity's first inbox.
     */
    launch(id: string): Promise<LaunchedCampaign>
    schedule(id: string, startAt: InstantInput): Promise<LaunchedCampaign>
    pause(id: string): Promise<Campaign>
    resume(id: string): Promise<Campaign>
    archive(id: string): Promise<Campaign>
    /** A new draft with the same sequence, priority and settings; on `copy.identityId` when given. */
    duplicate(id: string, copy: { id: string; name?: string; identityId?: string }): Promise<Campaign>
    /**
     * Deletes a campaign for good and returns it as it was. Drafts, scheduled and archived campaigns go at
     * once; a running or paused one only when none of its leads is unfinished (not started, in progress,
     * paused), else `campaign_has_active_leads`, unless `{ force: true }` stops them. Its leads' places,
     * tasks and analytics go; the action log, conversations and the identity's counters (daily caps) stay,
     * and its id cannot be used again.
     */
    delete(id: string, options?: DeleteCampaignOptions): Promise<Campaign>
    stats(id: string): Promise<CampaignStats>
    /**
     * Makes a contact list the campaign's audience: its contacts are enrolled now and those added to the list
     * later as they are added, through the list's filters, skipping blocklisted leads and leads already in
     * another campaign of the same identity (`lead_in_other_campaign`). A campaign may use several lists.
     */
    useList(campaignId: string, listId: string): Promise<ListEnrolmentResult>
    /** The campaign stops taking contacts added to the list from now on; the leads it took stay. */
    dropList(campaignId: string, listId: string): Promise<void>
  }
  /**
   * Campaign templates: the built-in ones and those saved in this workspace. Create a campaign from any of
   * them with `campaigns.create({ id, identityId, ...template.campaign })`.
   */
  readonly templates: {
    /** Saves a campaign's sequence and settings (never its leads) as a template of this workspace. */
    save(input: SaveTemplateInput): Promise<WorkspaceTemplate>
    /** The built-in templates (`source: 'built-in'`), then the workspace's (`source: 'workspace'`) by name. */
    list(): Promise<TemplateEntry[]>
    get(id: string): Promise<TemplateEntry>
    /** Deletes a saved template (built-in ones cannot be); campaigns made from it are unchanged. */
    delete(id: string): Promise<void>
  }
  readonly leads: {
    add(campaignId: string, leads: readonly LeadInput[]): Promise<AddLeadsResult>
    get(campaignId: string, leadId: string): Promise<LeadView>
    /**
     * A campaign's leads, a page at a time (pass `next` back as `after`): by status, substatus, step,
     * conversation tag, engagement or text in name, company and email; newest or oldest first.
     */
    list(campaignId: string, options?: LeadListOptions): Promise<Page<LeadView>>
    /** The lead's place in every campaign it was added to. */
    find(leadId: string): Promise<LeadView[]>
    remove(campaignId: string, leadId: string): Promise<void>
    pause(campaignId: string, leadId: string): Promise<void>
    resume(campaignId: string, leadId: string): Promise<void>
    block(campaignId: string, leadId: string): Promise<void>
    retryErrors(
      leadIds: readonly string[],
      campaignId?: string,
    ): Promise<{ readonly retried: readonly { campaignId: string; leadId: string }[] }>
  }
  readonly tasks: {
    /**
     * A campaign's tasks (from task steps and made by hand), a page at a time: open or completed, of a lead,
     * newest or oldest first.
     */
    list(campaignId: string, options?: TaskListOptions): Promise<Page<TaskRecord>>
    /**
     * Creates a task by hand on a lead of the campaign, beside those its task steps create (`origin:
     * 'manual'`): listed, counted and synced to the CRM like them; the lead's sequence is not touched.
     */
    create(campaignId: string, leadId: string, input: ManualTaskInput): Promise<TaskRecord>
    /** Marks a task done (and, through the CRM sync, the CRM's task); one done already is returned as it is. */
    complete(taskId: string): Promise<TaskRecord>
  }
  /**
   * The workspace blocklist: leads (by email, LinkedIn profile id or URL, lead id) and whole companies (by
   * domain, any extension: `acme.com` blocks `acme.fr`) that no campaign contacts. Matching leads are refused
   * by `leads.add` and lists (`lead_blocklisted`), and a lead already in a campaign is finished as "blocked"
   * before the engine's next action for it. Spam complaints and opt-outs are entries too.
   */
  readonly blocklist: {
    add(entries: readonly BlocklistEntryInput[]): Promise<BlocklistAddResult>
    /** Removes entries, given as they were added. Leads finished as blocked stay finished. */
    remove(entries: readonly BlocklistEntryInput[]): Promise<BlocklistEntry[]>
    /** By kind then value, a page at a time. */
    list(options?: BlocklistListOptions): Promise<Page<BlocklistEntry>>
  }
  /** Contact lists of the workspace: audiences for campaigns, with filters, to which contacts are added any time. */
  readonly lists: {
    create(input: ContactListInput): Promise<ContactList>
    get(id: string): Promise<ContactList>
    /** By id, a page at a time; `search` finds lists by name. */
    list(options?: ContactListListOptions): Promise<Page<ContactList>>
    /** Renames it, or changes its tags or filters (`filters: null` removes them). */
    update(id: string, changes: ContactListChanges): Promise<ContactList>
    /** Deletes the list; its leads and their places in campaigns stay. */
    remove(id: string): Promise<void>
    /**
     * Adds leads to the list (creating or updating their profiles) and enrols them at once in the campaigns
     * that use it.
     */
    addContacts(listId: string, leads: readonly LeadInput[]): Promise<AddContactsResult>
    removeContacts(
      listId: string,
      leadIds: readonly string[],
    ): Promise<{ readonly removed: readonly string[] }>
    /** The list's contacts by lead id, a page at a time. */
    contacts(listId: string, options?: ContactListContactsOptions): Promise<Page<Lead>>
  }
  /** The activity log, a page at a time: by campaign, lead, identity, type, step and period. */
  readonly activity: {
    list(options?: ActivityListOptions): Promise<Page<EngineEvent>>
  }
  /** The CRM sync: configure matching, field, campaign and user mapping once, then sync and export. */
  /**
   * Email warm-up per inbox, through the warm-up provider. While an inbox warms, campaign mail from it
   * waits (`settings.warmupPolicy: 'exclude'`, the default) or stays within the provider's daily allowance
   * (`'limit'`); answers by hand are not held. The running engine reads the provider every 30 minutes.
   */
  readonly warmup: {
    start(identityId: string, address: string): Promise<InboxWarmupView>
    stop(identityId: string, address: string): Promise<InboxWarmupView>
    /** Every inbox of the identity with its warm-up as the engine applies it (the provider is not asked). */
    status(identityId: string): Promise<InboxWarmupView[]>
    /** Reads every warm-up that holds mail from the provider now: how many, and when the next read is due. */
    refresh(): Promise<WarmupRefresh>
  }
  readonly crm: {
    /** Checks the configuration against the CRM's fields and saves it; mappings that cannot work are an error. */
    configure(
      input: CrmConfigInput,
    ): Promise<{ readonly config: CrmConfig; readonly warnings: MappingCheck[] }>
    /** The verdict of each mapping (ok, warning, error) without saving. */
    checkMappings(input: CrmConfigInput): Promise<MappingCheck[]>
    config(): Promise<CrmConfig>
    /** Deactivates this CRM for the workspace, so another can be configured. */
    disconnect(): Promise<void>
    /**
     * Syncs the campaigns' contacts, conversations and tasks now; safe to run again. A started engine also
     * does it by itself every `settings.crmSyncIntervalMs` (see `status`).
     */
    sync(options?: CrmSyncOptions): Promise<CrmSyncReport>
    /** Where the automatic sync stands: configured or waiting, running, last run and error, next run. */
    status(): Promise<CrmSyncStatus>
    /** A manual export of leads, with the export modal's choices. */
    export(options: CrmExportOptions): Promise<CrmSyncReport>
  }
  /**
   * Conversations: everything sent to and received from a lead on a channel, one per (identity, lead,
   * channel), for a host's inbox.
   */
  readonly conversations: {
    /** Newest activity first, a page at a time: pass `next` back as `after`. */
    list(options?: ConversationListOptions): Promise<ConversationPage>
    /** A conversation with its messages, oldest first. */
    get(id: string): Promise<ConversationWithMessages>
    /** Tags it by hand; the latest manual tag's category is what it counts as. */
    tag(id: string, tags: readonly ManualTag[]): Promise<ConversationView>
    /** Removes tags by name (manual or the AI's). */
    untag(id: string, names: readonly string[]): Promise<ConversationView>
    /**
     * Answers by hand, at once, through the channel: inside the identity's caps (`limit_reached` says when
     * they reopen), threaded on the lead's email thread, at most once per `idempotencyKey`. The AI agent
     * stands down in this conversation for good.
     */
    reply(id: string, input: ReplyInput): Promise<ConversationMessage>
    /** The copilot's draft for the lead's latest message, if there is one. */
    suggestion(id: string): Promise<Suggestion | undefined>
    discardSuggestion(id: string): Promise<void>
  }
  /**
   * An identity's pending LinkedIn invitations. Withdrawing one means LinkedIn refuses a new invitation to
   * the same person for 3 weeks (the engine waits that out before inviting again).
   */
  readonly invitations: {
    /**
     * Queues the pending invitations chosen by `leadIds`, `sentBefore` or `olderThanDays` for withdrawal.
     * The worker withdraws them paced like automatic withdrawals (and before them); an invitation already
     * queued or no longer pending is left alone, so none is withdrawn twice.
     */
    withdraw(input: WithdrawInvitationsInput): Promise<WithdrawInvitationsResult>
    /** Pending invitations, oldest first, with any withdrawal asked for them; a page at a time. */
    pending(options: InvitationListOptions): Promise<Page<PendingInvitation>>
    /** Withdrawn invitations, newest first: when, which lead, and why (manual, automatic, external). */
    history(options: InvitationListOptions): Promise<Page<Withdrawal>>
  }
  /**
   * Inbound events a channel delivered that the engine refused for good (a malformed webhook payload, a
   * message whose ids break the rules): kept for a person to look at while the channel moves on.
   */
  readonly deadLetters: {
    /** Newest first, a page at a time: pass `next` back as `before`. */
    list(options?: DeadLetterListOptions): Promise<DeadLetterPage>
    get(id: string): Promise<DeadLetter | undefined>
    /** Forgets one once it has been dealt with. */
    discard(id: string): Promise<void>
  }
  /**
   * Dashboards, read from counters the engine keeps as it works (never a scan of the action log). A period is
   * `{ from, to }` (instants) or `{ since, until, timeZone }` (calendar days); without one, all time, except
   * the identity dashboard, which defaults to today in the identity's time zone.
   */
  readonly analytics: {
    /** A campaign's Overview: funnels (all, LinkedIn, email, tasks), tagged conversations, audience, progress by action. */
    campaign(campaignId: string, options?: PeriodOptions): Promise<CampaignAnalytics>
    /** A campaign's activity per local day, for charts. */
    daily(campaignId: string, options?: PeriodOptions): Promise<CampaignDailyActivity>
    /** An identity's connections, messages and emails sent against its limits, replies and bounce rate. */
    identity(identityId: string, options?: PeriodOptions): Promise<IdentityDashboard>
    /** Every identity's dashboard, or those whose name contains `search`. */
    identities(options?: IdentityDashboardOptions): Promise<IdentityDashboard[]>
  }
  /**
   * CSV exports, streamed as they are read (an export of any size holds a few pages at a time): RFC 4180,
   * UTF-8 (`bom: true` for spreadsheet applications), with cells a spreadsheet would run as formulas
   * defused. Each resolves to a Node.js `Readable` of the CSV text once its input is checked, e.g.
   * `await pipeline(await engine.csv.audience('q2'), createWriteStream('q2.csv'))`.
   */
  readonly csv: {
    /** A campaign's leads: contact, status, substatus and its reason, current step, last activity, tags. */
    audience(campaignId: string, options?: AudienceExportOptions): Promise<Readable>
    /** A campaign's metrics for a period, one number per row: funnels, tags, progress by action, audience. */
    metrics(campaignId: string, options?: MetricsExportOptions): Promise<Readable>
    /** The campaigns table: one row per campaign with every funnel metric of the period. */
    campaigns(options?: CampaignsExportOptions): Promise<Readable>
    /** The activity log, filtered like `activity.list`. */
    activity(options?: ActivityExportOptions): Promise<Readable>
    /** One identity's dashboard, a row per day of the period and a total row. */
    identity(identityId: string, options?: IdentityExportOptions): Promise<Readable>
    /** Every identity's dashboard (or those whose name contains `search`), a row each. */
    identities(options?: IdentitiesExportOptions): Promise<Readable>
  }
  /**
   * The campaign as one lead would see it: every message rendered for that lead (AI messages and variables
   * included), then the agent's answers to the replies you give, under the campaign's current mode and
   * prompt. Nothing is sent and the lead is not added.
   */
  preview(campaignId: string, input: PreviewInput): Promise<Preview>
  /** AI calls and the tokens providers reported, per campaign and day (UTC), oldest first: to meter cost. */
  aiUsage(query?: AiUsageQuery): Promise<AiUsageDay[]>
  /** Credentials kept in storage (encrypted at rest by stores that support it). */
  readonly secrets: {
    put(name: string, value: string): Promise<void>
    get(name: string): Promise<string | undefined>
    delete(name: string): Promise<void>
  }
  /** The action log (activity timeline). */
  actions(filter?: ActionFilter): Promise<EngineEvent[]>
  /** Runs everything due now; returns what ran and when there is more to do. */
  tick(): Promise<TickReport>
  /** Applies an inbound event (reply, acceptance, bounce, ...). */
  ingest(event: InboundEvent): Promise<IngestResult>
  /**
   * Runs the engine in the background: ticks when work is due, listens to the channels' events, and syncs
   * the CRM (when there is one, once configured) every `settings.crmSyncIntervalMs`.
   */
  start(): void
  /** Stops the background loop and waits for the current tick to finish. */
  stop(): Promise<void>
  /** Listens to events of one type, or `'*'` for all; returns a function that stops listening. */
  on(type: EngineEventType | '*', listener: EngineEventListener): () => void
  /** The same operations as Effects. */
  readonly effect: PacelineEngineApi
  /**
   * Stops the engine, gives up its identity leases (so other workers on the store take them at once) and
   * releases its runtime (not the storage: close that yourself, after).
   */
  close(): Promise<void>
}

/**
 * Creates an engine on your storage and channels.
 *
 * ```ts
 * const engine = createEngine({ storage: createMemoryStorage(), linkedin, email })
 * await engine.identities.put(ana)
 * await engine.campaigns.create({ id: 'q2', identityId: 'ana', sequence: templates.linkedinEmail.sequence })
 * await engine.leads.add('q2', leads)
 * await engine.campaigns.launch('q2')
 * engine.start()
 * ```
 */
export function createEngine(options: CreateEngineOptions): Engine {
  checkEngineSettings(options.settings ?? {})
  const seed = typeof options.random === 'number' ? options.random : (options.random?.seed ?? 0)
  let layer = Layer.provide(
    PacelineEngine.layer,
    Layer.mergeAll(
      Layer.succeed(StorageService, options.storage),
      Layer.succeed(LinkedInService, options.linkedin),
      Layer.succeed(EmailService, options.email),
      Layer.succeed(AiService, options.ai),
      Layer.succeed(CrmService, options.crm),
      Layer.succeed(WarmupService, options.warmup),
      Layer.succeed(EngineSettingsService, {
        ...options.settings,
        seed,
        ...(options.workspaceId === undefined ? {} : { workspaceId: options.workspaceId }),
        ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
      }),
    ),
  )
  if (options.clock !== undefined)
    layer = Layer.provide(layer, Layer.succeed(Clock.Clock, hostClock(options.clock)))
  const runtime = ManagedRuntime.make(layer)
  // The engine service is built once; every call below uses the same instance.
  const api = runtime.runSync(
    Effect.gen(function* () {
      return yield* PacelineEngine
    }),
  )
  const run = <A, E>(effect: Effect.Effect<A, E>): Promise<A> => runtime.runPromise(effect)
  let loop: Fiber.Fiber<never, never> | undefined
  let unsubscribe: (() => void)[] = []

  const engine: Engine = {
    identities: {
      put: (input) => run(api.putIdentity(input)),
      get: (id) => run(api.getIdentity(id)),
      complaints: (id) => run(api.identityComplaints(id)),
      list: () => run(api.listIdentities),
      delete: (id) => run(api.deleteIdentity(id)),
      createShareLink: (shareOptions) => run(api.createShareLink(shareOptions)),
      redeemShareLink: (token, input) => run(api.redeemShareLink(token, input)),
    },
    campaigns: {
      create: (input) => run(api.createCampaign(input)),
      get: (id) => run(api.getCampaign(id)),
      list: (listOptions) => run(api.listCampaigns(listOptions)),
      update: (id, changes) => run(api.updateCampaign(id, changes)),
      launch: (id) => run(api.launchCampaign(id)),
      schedule: (id, startAt) => run(api.scheduleCampaign(id, startAt)),
      pause: (id) => run(api.pauseCampaign(id)),
      resume: (id) => run(api.resumeCampaign(id)),
      archive: (id) => run(api.archiveCampaign(id)),
      duplicate: (id, copy) => run(api.duplicateCampaign(id, copy)),
      delete: (id, deleteOptions) => run(api.deleteCampaign(id, deleteOptions)),
      stats: (id) => run(api.campaignStats(id)),
      useList: (campaignId, listId) => run(api.useList(campaignId, listId)),
      dropList: (campaignId, listId) => run(api.dropList(campaignId, listId)),
    },
    leads: {
      add: (campaignId, leads) => run(api.addLeads(campaignId, leads)),
      get: (campaignId, leadId) => run(api.lead(campaignId, leadId)),
      list: (campaignId, listOptions) => run(api.leads(campaignId, listOptions)),
      find: (leadId) => run(api.findLead(leadId)),
      remove: (campaignId, leadId) => run(api.removeLead(campaignId, leadId)),
      pause: (campaignId, leadId) => run(api.pauseLead(campaignId, leadId)),
      resume: (campaignId, leadId) => run(api.resumeLead(campaignId, leadId)),
      block: (campaignId, leadId) => run(api.blockLead(campaignId, leadId)),
      retryErrors: (leadIds, campaignId) => run(api.retryErrors(leadIds, campaignId)),
    },
    tasks: {
      list: (campaignId, listOptions) => run(api.tasks(campaignId, listOptions)),
      create: (campaignId, leadId, input) => run(api.createTask(campaignId, leadId, input)),
      complete: (taskId) => run(api.completeTask(taskId)),
    },
    blocklist: {
      add: (entries) => run(api.blocklist.add(entries)),
      remove: (entries) => run(api.blocklist.remove(entries)),
      list: (listOptions) => run(api.blocklist.list(listOptions)),
    },
    lists: {
      create: (input) => run(api.lists.create(input)),
      get: (id) => run(api.lists.get(id)),
      list: (listOptions) => run(api.lists.list(listOptions)),
      update: (id, changes) => run(api.lists.update(id, changes)),
      remove: (id) => run(api.lists.remove(id)),
      addContacts: (listId, leads) => run(api.lists.addContacts(listId, leads)),
      removeContacts: (listId, leadIds) => run(api.lists.removeContacts(listId, leadIds)),
      contacts: (listId, listOptions) => run(api.lists.contacts(listId, listOptions)),
    },
    activity: { list: (listOptions) => run(api.activity(listOptions)) },
    warmup: {
      start: (identityId, address) => run(api.warmup.start(identityId, address)),
      stop: (identityId, address) => run(api.warmup.stop(identityId, address)),
      status: (identityId) => run(api.warmup.status(identityId)),
      refresh: () => run(api.warmup.refresh),
    },
    crm: {
      configure: (input) => run(api.crm.configure(input)),
      checkMappings: (input) => run(api.crm.checkMappings(input)),
      config: () => run(api.crm.config),
      disconnect: () => run(api.crm.disconnect),
      sync: (options) => run(api.crm.sync(options)),
      export: (options) => run(api.crm.export(options)),
      status: () => run(api.crm.status),
    },
    templates: {
      save: (input) => run(api.templates.save(input)),
      list: () => run(api.templates.list),
      get: (id) => run(api.templates.get(id)),
      delete: (id) => run(api.templates.delete(id)),
    },
    conversations: {
      list: (listOptions) => run(api.conversations.list(listOptions)),
      get: (id) => run(api.conversations.get(id)),
      tag: (id, tags) => run(api.conversations.tag(id, tags)),
      untag: (id, names) => run(api.conversations.untag(id, names)),
      reply: (id, input) => run(api.conversations.reply(id, input)),
      suggestion: (id) => run(api.conversations.suggestion(id)),
      discardSuggestion: (id) => run(api.conversations.discardSuggestion(id)),
    },
    analytics: {
      campaign: (campaignId, periodOptions) => run(api.analytics.campaign(campaignId, periodOptions)),
      daily: (campaignId, periodOptions) => run(api.analytics.daily(campaignId, periodOptions)),
      identity: (identityId, periodOptions) => run(api.analytics.identity(identityId, periodOptions)),
      identities: (dashboardOptions) => run(api.analytics.identities(dashboardOptions)),
    },
    csv: {
      audience: (campaignId, csvOptions) => run(api.csv.audience(campaignId, csvOptions)),
      metrics: (campaignId, csvOptions) => run(api.csv.metrics(campaignId, csvOptions)),
      campaigns: (csvOptions) => run(api.csv.campaigns(csvOptions)),
      activity: (csvOptions) => run(api.csv.activity(csvOptions)),
      identity: (identityId, csvOptions) => run(api.csv.identity(identityId, csvOptions)),
      identities: (csvOptions) => run(api.csv.identities(csvOptions)),
    },
    aiUsage: (query) => run(api.aiUsage(query)),
    preview: (campaignId, input) => run(api.preview(campaignId, input)),
    invitations: {
      withdraw: (input) => run(api.invitations.withdraw(input)),
      pending: (listOptions) => run(api.invitations.pending(listOptions)),
      history: (listOptions) => run(api.invitations.history(listOptions)),
    },
    deadLetters: {
      list: (listOptions) => run(api.deadLetters.list(listOptions)),
      get: (id) => run(api.deadLetters.get(id)),
      discard: (id) => run(api.deadLetters.discard(id)),
    },
    secrets: {
      put: (name, value) => run(api.putSecret(name, value)),
      get: (name) => run(api.getSecret(name)),
      delete: (name) => run(api.deleteSecret(name)),
    },
    actions: (filter) => run(api.actions(filter)),
    tick: () => run(api.tick),
    ingest: (event) => run(api.ingest(event)),
    start() {
      if (loop !== undefined) return
      const deliverFrom = (source: DeadLetterSource) => async (event: InboundEvent) => {
        await run(api.deliver(source, event))
      }
      unsubscribe = [
        options.linkedin?.subscribe?.(deliverFrom('linkedin')),
        options.email?.subscribe?.(deliverFrom('email')),
      ].filter((stop): stop is () => void => stop !== undefined)
      loop = runtime.runFork(api.run)
    },
    async stop() {
      for (const stop of unsubscribe) stop()
      unsubscribe = []
      const running = loop
      loop = undefined
      if (running !== undefined) await runtime.runPromise(Fiber.interrupt(running))
    },
    on: (type, listener) => api.on(type, listener),
    effect: api,
    async close() {
      await engine.stop()
      // Other workers on the store take this one's identities at once. A store already closed (or gone)
      // cannot be told; the leases then simply run out.
      await run(api.retire).catch(() => undefined)
      await runtime.dispose()
    },
  }
  return engine
}

/** An Effect Clock reading the host's clock; sleeping still waits in real time. */
function hostClock(source: EngineClock): Clock.Clock {
  const millis = () => {
    const value = source.now()
    return typeof value === 'number' ? value : value.getTime()
  }
  const live = Effect.runSync(Clock.clockWith(Effect.succeed))
  return {
    currentTimeMillisUnsafe: millis,
    currentTimeMillis: Effect.sync(millis),
    currentTimeNanosUnsafe: () => BigInt(millis()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(millis()) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => live.monotonicTimeNanosUnsafe(),
    monotonicTimeNanos: live.monotonicTimeNanos,
    sleep: (duration: Duration.Duration) => live.sleep(duration),
  }
}
