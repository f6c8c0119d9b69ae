import { type EngineContext, inTransaction } from '../engine/engine-context'
import { ingest } from '../engine/ingest'
import type { ActionRecord, CampaignRecord, EnrolmentRecord, LeadRecord, TaskRecord } from '../engine/records'
import type { Store } from '../engine/store'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { type LeadProfile, validateLead } from '../model/lead/lead'
import { valueAt } from '../model/lead/lead-field'
import type { CrmActivityKind, CrmField, CrmObjectType, CrmRecord, CrmV1, CrmValue } from '../ports/crm'
import { campaignProperties } from './campaign-properties'
import { type CrmConfig, type CrmConfigInput, type CrmObjectMapping, parseCrmConfig } from './crm-config'
import { type ContactLedger, ledgerKeys, readState, type TaskLedger, writeState } from './crm-ledger'
import {
  type CrmExportOptions,
  type CrmSyncOptions,
  parseCrmExportOptions,
  parseCrmSyncOptions,
} from './crm-sync-options'
import { decideExport, decideField, type FieldDecision, isEmpty } from './field-sync'
import { checkMappings, type MappingCheck } from './mapping-check'
import { companyGroups, contactGroups, matches, searchFor } from './record-matching'

export type { CrmExportOptions, CrmSyncOptions } from './crm-sync-options'

/** What became of one lead in a sync or export. */
export interface CrmRecordOutcome {
  readonly leadId: string
  readonly outcome: 'created' | 'updated' | 'unchanged' | 'failed'
  readonly contactId?: string
  readonly companyId?: string
  /** CRM fields written, and paceline fields taken from the CRM. */
  readonly pushed: readonly string[]
  readonly pulled: readonly string[]
  /** Bidirectional fields changed on both sides (the CRM's value was kept). */
  readonly conflicts: readonly string[]
  readonly activitiesLogged: number
  readonly tasksCreated: number
  /** Why it failed (`failed`), or what was left out (a pulled value paceline refused). */
  readonly problems: ReadonlyArray<{
    readonly message: string
    readonly retryable: boolean
    readonly rule?: string
  }>
}

export interface CrmSyncReport {
  readonly crm: string
  readonly records: readonly CrmRecordOutcome[]
  /** Task completions carried across: done in the CRM (applied here) and done here (applied in the CRM). */
  readonly tasksCompleted: { readonly fromCrm: number; readonly toCrm: number }
  /** The mapping checks at the time of the sync (warnings and errors only). */
  readonly checks: readonly MappingCheck[]
}

interface Work {
  readonly lead: LeadRecord
  readonly campaigns: Set<string>
  readonly activityCampaigns: Set<string>
}

type Mode = { readonly kind: 'sync' } | { readonly kind: 'export'; readonly options: CrmExportOptions }

const ACTIVITY_OF: Readonly<Record<string, (action: ActionRecord) => CrmActivityKind | undefined>> = {
  'message-sent': (action) => (action.channel === 'email' ? 'email_sent' : 'linkedin_message_sent'),
  'reply-received': (action) => (action.channel === 'email' ? 'email_received' : 'linkedin_message_received'),
  'invitation-sent': () => 'linkedin_invitation_sent',
  'connection-accepted': () => 'linkedin_connection_accepted',
  'profile-visited': () => 'linkedin_profile_visited',
}

const toCrmValue = (value: unknown): CrmValue | undefined =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined

const profileValue = (profile: LeadProfile, path: string): CrmValue | undefined =>
  toCrmValue(valueAt(profile, path.split('.')))
const companyValue = (profile: LeadProfile, path: string): CrmValue | undefined =>
  toCrmValue(valueAt(profile.company ?? {}, path.replace(/^company\./, '').split('.')))

function failureOf(error: unknown): { message: string; retryable: boolean } {
  if (error instanceof PacelineError) return { message: error.message, retryable: error.isRetryable }
  return { message: error instanceof Error ? error.message : String(error), retryable: true }
}

/** The CRM sync of one engine: configuration, automatic sync from the action log, manual export. */
export class CrmSync {
  readonly #context: EngineContext
  readonly #crm: CrmV1
  #running: Promise<unknown> = Promise.resolve()

  /** The CRM's name, as its adapter gives it. */
  get name(): string {
    return this.#crm.name
  }

  constructor(context: EngineContext, crm: CrmV1) {
    this.#context = context
    this.#crm = crm
  }

  #read<T>(work: (store: Store) => Promise<T>) {
    return inTransaction(this.#context, work, { readOnly: true })
  }
  #write<T>(work: (store: Store) => Promise<T>) {
    return inTransaction(this.#context, work)
  }

  async #fields(): Promise<Record<CrmObjectType, CrmField[]>> {
    const [contact, company] = await Promise.all([
      this.#crm.describeFields('contact'),
      this.#crm.describeFields('company'),
    ])
    return { contact, company }
  }

  /** The verdict of every mapping against the CRM's fields (`ok`, `warning`, `error`), without saving. */
  async checkMappings(input: CrmConfigInput): Promise<MappingCheck[]> {
    const config = parseCrmConfig(input)
    const checks = checkMappings(config, await this.#fields())
    for (const missing of [...contactGroups(config).missing, ...companyGroups(config).missing])
      checks.push({
        object: missing.tab === 'contacts' ? 'contact' : 'company',
        path: missing.identifier,
        crmField: '',
        verdict: 'error',
        rule: 'identifier_unmapped',
        message: `needs the paceline field '${missing.paceline}' mapped in the ${missing.tab === 'contacts' ? 'Contacts' : 'Companies'} tab (${missing.tab}.fields), to compare it with the CRM`,
      })
    return checks
  }

  /**
   * Saves the configuration after checking it against the CRM. A mapping that cannot work (verdict `error`:
   * wrong type, read-only, misplaced, unknown field) is an `invalid_crm_config` error naming it;
   * warnings are returned. Only one CRM is active per workspace: another one must be disconnected first.
   */
  async configure(
    input: CrmConfigInput,
  ): Promise<{ readonly config: CrmConfig; readonly warnings: MappingCheck[] }> {
    const config = parseCrmConfig(input)
    const checks = await this.checkMappings(config)
    const errors = checks.filter((each) => each.verdict === 'error')
    if (errors.length > 0)
      throw PacelineError.fromIssues(
        PacelineErrorCodes.invalidCrmConfig,
        'The CRM configuration',
        errors.map((each) => ({
          field: each.path,
          path: each.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
          rule: each.rule ?? 'mapping',
          message: each.message ?? '',
        })),
      )
    await this.#write(async (store) => {
      const active = await readState<{ name: string }>(store, ledgerKeys.active())
      if (active !== undefined && active.name !== this.#crm.name)
        throw new PacelineError(
          PacelineErrorCodes.crmAlreadyActive,
          `The CRM '${active.name}' is active in this workspace: disconnect it (engine.crm.disconnect()) before configuring '${this.#crm.name}'. Only one CRM can be active at a time.`,
          { details: { active: active.name } },
        )
      await writeState(store, ledgerKeys.active(), { name: this.#crm.name, since: this.#context.now() })
      await writeState(store, ledgerKeys.config(), config)
    })
    return { config, warnings: checks.filter((each) => each.verdict === 'warning') }
  }

  /** Deactivates the CRM of this workspace (what it wrote stays remembered, should it be connected again). */
  async disconnect(): Promise<void> {
    await this.#write(async (store) => {
      await store.delete('state', ledgerKeys.active())
      await store.delete('state', ledgerKeys.config())
    })
  }

  async config(): Promise<CrmConfig> {
    const found = await this.#read(async (store) => {
      const active = await readState<{ name: string }>(store, ledgerKeys.active())
      return active?.name === this.#crm.name
        ? await readState<CrmConfig>(store, ledgerKeys.config())
        : undefined
    })
    if (found === undefined)
      throw new PacelineError(
        PacelineErrorCodes.crmNotConfigured,
        `The CRM '${this.#crm.name}' is not configured in this workspace: call engine.crm.configure({...}) first (matching, field mapping, users).`,
      )
    return found
  }

  /**
   * The automatic sync, as each campaign's CRM settings ask: contacts of campaigns with contacts sync `yes`
   * (or `on_reply` once they replied), their conversation activity where conversations sync is on, the
   * campaigns' tasks, and task completion both ways. Runs idempotently from the action log: a re-run
   * creates nothing twice; a failing record never blocks the others.
   */
  async sync(input: CrmSyncOptions = {}): Promise<CrmSyncReport> {
    const options = parseCrmSyncOptions(input)
    // One sync at a time in this engine: a manual run waits for the automatic one and the other way round.
    const run = this.#running.then(() => this.#sync(options))
    this.#running = run.catch(() => undefined)
    return run
  }

  async #sync(options: ReturnType<typeof parseCrmSyncOptions>): Promise<CrmSyncReport> {
    const leadIds = options.leadIds === undefined ? undefined : new Set(options.leadIds)
    const config = await this.config()
    const fields = await this.#fields()
    const checks = checkMappings(config, fields)
    const work = await this.#read(async (store) => {
      const byLead = new Map<string, Work>()
      for await (const record of store.all('campaigns')) {
        const campaign = (record as CampaignRecord).campaign
        if (options.campaignIds !== undefined && !options.campaignIds.includes(campaign.id)) continue
        const { contacts, conversations } = campaign.settings.crmSync
        if (contacts === 'no' && conversations === 'no') continue
        for await (const enrolment of store.all('enrolments', {
          index: 'byCampaign',
          equals: [campaign.id],
        })) {
          if (leadIds !== undefined && !leadIds.has(enrolment.leadId)) continue
          const replied = enrolment.state.status === 'replied' || (await this.#replied(store, enrolment))
          const exportContact = contacts === 'yes' || (contacts === 'on_reply' && replied)
          const logConversation = conversations === 'yes' || (conversations === 'on_reply' && replied)
          if (!exportContact && !logConversation) continue
          const lead = await store.get('leads', enrolment.leadId)
          if (lead === undefined) continue
          const entry = byLead.get(lead.id) ?? { lead, campaigns: new Set(), activityCampaigns: new Set() }
          entry.campaigns.add(campaign.id)
          if (logConversation) entry.activityCampaigns.add(campaign.id)
          byLead.set(lead.id, entry)
        }
      }
      return [...byLead.values()]
    })
    const records: CrmRecordOutcome[] = []
    for (const each of work)
      records.push(await this.#syncLead(config, checks, each, { kind: 'sync' }, options.userId))
    const tasksCompleted = await this.#syncTaskCompletion(options.campaignIds, leadIds)
    return {
      crm: this.#crm.name,
      records,
      tasksCompleted,
      checks: checks.filter((each) => each.verdict !== 'ok'),
    }
  }

  /**
   * A manual export of leads, as a person starts it with its own choices: every mapped field whatever its
   * sync option, the manual export values, `overwrite` deciding whether CRM values are replaced.
   */
  async export(input: CrmExportOptions): Promise<CrmSyncReport> {
    const options = parseCrmExportOptions(input)
    const config = await this.config()
    for (const [values, mapping, tab] of [
      [options.values, config.contacts, 'contacts'],
      [options.companyValues, config.companies, 'companies'],
    ] as const)
      for (const crm of Object.keys(values ?? {}))
        if (!mapping.manual.some((each) => each.crm === crm))
          throw new PacelineError(
            PacelineErrorCodes.invalidCrmConfig,
            `The export gives a value for '${crm}', which is not a manual export field of the ${tab} tab: add it to ${tab}.manual in engine.crm.configure(), or leave it out.`,
            {
              issues: [
                {
                  field: `${tab === 'contacts' ? 'values' : 'companyValues'}.${crm}`,
                  path: [tab === 'contacts' ? 'values' : 'companyValues', crm],
                  rule: 'manual_field',
                  message: 'is not a manual export field',
                },
              ],
            },
          )
    const fields = await this.#fields()
    const checks = checkMappings(config, fields)
    const leads = await this.#read(async (store) => store.getMany('leads', options.leadIds))
    const missing = options.leadIds.filter((id) => !leads.some((lead) => lead.id === id))
    const records: CrmRecordOutcome[] = missing.map((leadId) => ({
      leadId,
      outcome: 'failed',
      pushed: [],
      pulled: [],
      conflicts: [],
      activitiesLogged: 0,
      tasksCreated: 0,
      problems: [{ message: `no lead '${leadId}' in this workspace`, retryable: false, rule: 'not_found' }],
    }))
    for (const lead of leads)
      records.push(
        await this.#syncLead(
          config,
          checks,
          { lead, campaigns: new Set(), activityCampaigns: new Set() },
          { kind: 'export', options },
          options.userId,
        ),
      )
    return {
      crm: this.#crm.name,
      records,
      tasksCompleted: { fromCrm: 0, toCrm: 0 },
      checks: checks.filter((each) => each.verdict !== 'ok'),
    }
  }

  async #replied(store: Store, enrolment: EnrolmentRecord): Promise<boolean> {
    for await (const action of store.all('actions', { index: 'byLead', equals: [enrolment.leadId] }))
      if (action.type === 'reply-received' && action.campaignId === enrolment.campaignId) return true
    return false
  }

  #owner(config: CrmConfig, userId: string | undefined): string | undefined {
    return (userId === undefined ? undefined : config.users.users[userId]) ?? config.users.defaultOwner
  }

  async #syncLead(
    config: CrmConfig,
    checks: readonly MappingCheck[],
    work: Work,
    mode: Mode,
    userId: string | undefined,
  ): Promise<CrmRecordOutcome> {
    const leadId = work.lead.id
    const pushed: string[] = []
    const pulled: string[] = []
    const conflicts: string[] = []
    const problems: Array<{ message: string; retryable: boolean; rule?: string }> = []
    let contactId: string | undefined
    let companyId: string | undefined
    let activitiesLogged = 0
    let tasksCreated = 0
    // A mapping with verdict `error` makes the export fail, rather than write some fields silently.
    const blocking = checks.filter((each) => each.verdict === 'error')
    if (blocking.length > 0)
      return {
        leadId,
        outcome: 'failed',
        pushed,
        pulled,
        conflicts,
        activitiesLogged,
        tasksCreated,
        problems: blocking.map((each) => ({
          message: `${each.path}: ${each.message ?? ''}`,
          retryable: false,
          ...(each.rule === undefined ? {} : { rule: each.rule }),
        })),
      }
    try {
      const profile = work.lead.lead.profile
      const ledgerKey = ledgerKeys.contact(this.#crm.name, leadId)
      const ledger = await this.#read((store) => readState<ContactLedger>(store, ledgerKey))
      const owner = this.#owner(config, userId)
      const exportOptions = mode.kind === 'export' ? mode.options : undefined

      // The contact: remembered, else matched by the contact identifier, else created.
      const contactFields = this.#wantedFields(config.contacts, config, 'contact')
      const identifying = contactGroups(config).groups
      const contact = await this.#findRecord(
        'contact',
        ledger?.contactId,
        contactFields,
        () =>
          searchFor(profile, identifying, contactFields).map((search) => ({ search, groups: identifying })),
        profile,
      )
      const properties = await this.#campaignProperties(config, work.lead)
      const contactResult = await this.#writeRecord({
        object: 'contact',
        mapping: config.contacts,
        existing: contact,
        ledgerValues: ledger?.values ?? {},
        valueOf: (path) => profileValue(profile, path),
        extra: { ...properties, ...(exportOptions?.values ?? {}) },
        mode,
        owner,
        idempotencyKey: `paceline:${this.#context.settings.workspaceId}:contact:${leadId}`,
      })
      contactId = contactResult.record.id
      pushed.push(...contactResult.pushed)
      conflicts.push(...contactResult.conflicts)

      // The company, when the lead names one and the export includes it.
      let companyValues: Record<string, CrmValue> = { ...(ledger?.companyValues ?? {}) }
      const wantsCompany = exportOptions?.exportCompany ?? true
      if (wantsCompany && profile.company !== undefined) {
        const companyFieldNames = this.#wantedFields(config.companies, config, 'company')
        const groups = companyGroups(config).groups
        const company = await this.#findRecord(
          'company',
          ledger?.companyId ?? undefined,
          companyFieldNames,
          () => searchFor(profile, groups, companyFieldNames).map((search) => ({ search, groups })),
          profile,
        )
        const hasIdentity = company !== undefined || searchFor(profile, groups, []).length > 0
        if (hasIdentity) {
          const companyResult = await this.#writeRecord({
            object: 'company',
            mapping: config.companies,
            existing: company,
            ledgerValues: ledger?.companyValues ?? {},
            valueOf: (path) => companyValue(profile, path),
            extra: exportOptions?.companyValues ?? {},
            mode,
            owner,
            idempotencyKey: `paceline:${this.#context.settings.workspaceId}:company:${leadId}`,
          })
          companyId = companyResult.record.id
          companyValues = companyResult.agreed
          pushed.push(...companyResult.pushed.map((name) => `company.${name}`))
          conflicts.push(...companyResult.conflicts.map((name) => `company.${name}`))
          if (config.associateContactsWithCompanies && ledger?.associatedWith !== companyId) {
            await this.#crm.associate(
              contactId,
              companyId,
              exportOptions?.associationType ?? config.associationType,
            )
          }
        }
      }

      // Values the CRM gives back to paceline.
      if (contactResult.pulls.length > 0) {
        const refused = await this.#applyPulls(work.lead, contactResult.pulls)
        for (const each of contactResult.pulls) if (!refused.has(each.path)) pulled.push(each.path)
        for (const [path, message] of refused)
          problems.push({ message: `${path}: ${message}`, retryable: false, rule: 'pulled_value_refused' })
      }

      await this.#write(async (store) =>
        writeState(store, ledgerKey, {
          contactId: contactId as string,
          companyId: companyId ?? null,
          associatedWith:
            companyId !== undefined && config.associateContactsWithCompanies
              ? companyId
              : (ledger?.associatedWith ?? null),
          values: contactResult.agreed,
          companyValues,
          syncedAt: this.#context.now(),
        } satisfies ContactLedger),
      )

      if (work.activityCampaigns.size > 0)
        activitiesLogged = await this.#logActivities(
          config,
          leadId,
          contactId,
          companyId,
          work.activityCampaigns,
        )
      if (work.campaigns.size > 0)
        tasksCreated = await this.#createTasks(config, leadId, contactId, work.campaigns)
      if (activitiesLogged > 0 || tasksCreated > 0) await this.#touchEngagement(config, contactId, companyId)

      const outcome =
        contact === undefined
          ? 'created'
          : contactResult.pushed.length > 0 || pulled.length > 0
            ? 'updated'
            : 'unchanged'
      return {
        leadId,
        outcome,
        contactId,
        ...(companyId === undefined ? {} : { companyId }),
        pushed,
        pulled,
        conflicts,
        activitiesLogged,
        tasksCreated,
        problems,
      }
    } catch (error) {
      problems.push(failureOf(error))
      return {
        leadId,
        outcome: 'failed',
        ...(contactId === undefined ? {} : { contactId }),
        ...(companyId === undefined ? {} : { companyId }),
        pushed,
        pulled,
        conflicts,
        activitiesLogged,
        tasksCreated,
        problems,
      }
    }
  }

  #wantedFields(mapping: CrmObjectMapping, config: CrmConfig, object: CrmObjectType): string[] {
    const names = [
      ...mapping.fields.map((each) => each.crm),
      ...mapping.fixed.map((each) => each.crm),
      ...mapping.manual.map((each) => each.crm),
      ...(mapping.engagement === undefined ? [] : [mapping.engagement.crm]),
    ]
    if (object === 'contact')
      for (const crm of Object.values(config.campaignProperties)) if (crm !== undefined) names.push(crm)
    return [...new Set(names)]
  }

  async #findRecord(
    object: CrmObjectType,
    knownId: string | undefined,
    fields: readonly string[],
    searches: () => ReadonlyArray<{
      search: Parameters<CrmV1['searchRecords']>[1]
      groups: Parameters<typeof matches>[2]
    }>,
    profile: LeadProfile,
  ): Promise<CrmRecord | undefined> {
    if (knownId !== undefined) {
      const known = await this.#crm.getRecord(object, knownId, fields)
      if (known !== undefined) return known
    }
    for (const { search, groups } of searches()) {
      const candidates = await this.#crm.searchRecords(object, search)
      // The CRM may return near matches (a prefix search); paceline's own comparison decides.
      const found = candidates.find((candidate) => matches(profile, candidate, groups))
      // The search asked for every mapped field: the candidate is the whole record paceline needs.
      if (found !== undefined) return found
    }
    return undefined
  }

  async #writeRecord(input: {
    object: CrmObjectType
    mapping: CrmObjectMapping
    existing: CrmRecord | undefined
    ledgerValues: Readonly<Record<string, CrmValue>>
    valueOf: (path: string) => CrmValue | undefined
    extra: Readonly<Record<string, CrmValue>>
    mode: Mode
    owner: string | undefined
    idempotencyKey: string
  }): Promise<{
    record: CrmRecord
    pushed: string[]
    conflicts: string[]
    pulls: Array<{ path: string; value: CrmValue }>
    agreed: Record<string, CrmValue>
  }> {
    const { existing, mapping, mode } = input
    const overwrite = mode.kind === 'export' ? (mode.options.overwrite ?? false) : true
    const changes: Record<string, CrmValue> = {}
    const conflicts: string[] = []
    const pulls: Array<{ path: string; value: CrmValue }> = []
    const agreed: Record<string, CrmValue> = { ...input.ledgerValues }
    const theirs = (crm: string): CrmValue | undefined => existing?.fields[crm] ?? undefined

    for (const field of mapping.fields) {
      const mine = input.valueOf(field.paceline)
      let decision: FieldDecision
      if (mode.kind === 'export') decision = decideExport(mine, theirs(field.crm), overwrite)
      else if (existing === undefined)
        decision =
          field.direction === 'deactivated' || field.direction === 'crm_overwrites' || isEmpty(mine)
            ? { kind: 'none' }
            : { kind: 'push', value: mine ?? null }
      else decision = decideField(field.direction, mine, theirs(field.crm), input.ledgerValues[field.crm])
      if (decision.kind === 'push') {
        changes[field.crm] = decision.value
        agreed[field.crm] = decision.value
      } else if (decision.kind === 'pull') {
        pulls.push({ path: field.paceline, value: decision.value })
        agreed[field.crm] = decision.value
        if (decision.conflict) conflicts.push(field.crm)
      } else agreed[field.crm] = theirs(field.crm) ?? mine ?? null
    }
    // Fixed values always export (a manual export without "overwrite" fills them only where empty).
    const fixedAndExtra: Record<string, CrmValue> = {
      ...Object.fromEntries(mapping.fixed.map((each) => [each.crm, each.value])),
      ...input.extra,
    }
    for (const [crm, value] of Object.entries(fixedAndExtra)) {
      const current = theirs(crm)
      if (String(current ?? '') === String(value ?? '')) continue
      if (mode.kind === 'export' && !overwrite && !isEmpty(current) && !(crm in (mode.options.values ?? {})))
        continue
      changes[crm] = value
    }

    if (existing === undefined) {
      const record = await this.#crm.createRecord(input.object, {
        fields: changes,
        ...(input.owner === undefined ? {} : { ownerId: input.owner }),
        idempotencyKey: input.idempotencyKey,
      })
      return { record, pushed: Object.keys(changes), conflicts, pulls, agreed }
    }
    const newOwner =
      mode.kind === 'export' &&
      mode.options.overwriteOwner === true &&
      input.owner !== undefined &&
      existing.ownerId !== input.owner
        ? input.owner
        : undefined
    if (Object.keys(changes).length === 0 && newOwner === undefined)
      return { record: existing, pushed: [], conflicts, pulls, agreed }
    const record = await this.#crm.updateRecord(input.object, existing.id, {
      fields: changes,
      ...(newOwner === undefined ? {} : { ownerId: newOwner }),
    })
    return { record, pushed: Object.keys(changes), conflicts, pulls, agreed }
  }

  /** Writes pulled values into the lead's profile; a value the lead schema refuses is left out and reported. */
  async #applyPulls(
    lead: LeadRecord,
    pulls: ReadonlyArray<{ path: string; value: CrmValue }>,
  ): Promise<Map<string, string>> {
    // Built inside the callback and handed back: a store may run it again after a conflict, on newer data.
    return this.#write(async (store) => {
      const refused = new Map<string, string>()
      const current = (await store.get('leads', lead.id)) ?? lead
      let profile: Record<string, unknown> = structuredClone(current.lead.profile) as Record<string, unknown>
      for (const pull of pulls) {
        const candidate = structuredClone(profile)
        setPath(candidate, pull.path.split('.'), pull.value)
        const checked = validateLead({ id: current.id, profile: candidate })
        if (checked.ok) profile = candidate
        else
          refused.set(pull.path, checked.error.issues.map((issue) => issue.message).join('; ') || 'refused')
      }
      const validated = validateLead({ id: current.id, profile })
      if (!validated.ok) return refused
      const updated = validated.value
      await store.put('leads', current.id, {
        id: current.id,
        lead: updated,
        emailKey: updated.profile.professionalEmail?.toLowerCase() ?? null,
        linkedinProfileId: updated.profile.linkedinProfileId ?? null,
      })
      return refused
    })
  }

  async #campaignProperties(config: CrmConfig, lead: LeadRecord): Promise<Record<string, CrmValue>> {
    const wanted = Object.entries(config.campaignProperties).filter(([, crm]) => crm !== undefined)
    if (wanted.length === 0) return {}
    const input = await this.#read(async (store) => {
      const actions: ActionRecord[] = []
      for await (const action of store.all('actions', { index: 'byLead', equals: [lead.id] }))
        actions.push(action)
      const enrolments = []
      const identityNames: Record<string, string> = {}
      const list: EnrolmentRecord[] = []
      for await (const enrolment of store.all('enrolments', { index: 'byLead', equals: [lead.id] }))
        list.push(enrolment)
      list.sort((a, b) => a.enrolledAt - b.enrolledAt)
      for (const enrolment of list) {
        const campaign = await store.get('campaigns', enrolment.campaignId)
        if (campaign !== undefined) enrolments.push({ campaign: campaign.campaign, state: enrolment.state })
      }
      for (const action of actions)
        if (action.identityId !== null && identityNames[action.identityId] === undefined) {
          const identity = await store.get('identities', action.identityId)
          identityNames[action.identityId] = identity?.identity.name ?? action.identityId
        }
      return { actions, enrolments, identityNames }
    })
    const values = campaignProperties(input)
    return Object.fromEntries(
      wanted.map(([name, crm]) => [crm as string, values[name as keyof typeof values]]),
    )
  }

  async #logActivities(
    config: CrmConfig,
    leadId: string,
    contactId: string,
    companyId: string | undefined,
    campaigns: ReadonlySet<string>,
  ): Promise<number> {
    const actions = await this.#read(async (store) => {
      const out: Array<{ action: ActionRecord; logged: boolean }> = []
      for await (const action of store.all('actions', { index: 'byLead', equals: [leadId] })) {
        if (action.campaignId === null || !campaigns.has(action.campaignId)) continue
        if (ACTIVITY_OF[action.type] === undefined) continue
        const logged = (await readState(store, ledgerKeys.activity(this.#crm.name, action.key))) !== undefined
        out.push({ action, logged })
      }
      return out
    })
    let count = 0
    for (const { action, logged } of actions) {
      if (logged) continue
      const kind = ACTIVITY_OF[action.type]?.(action)
      if (kind === undefined) continue
      const detail = (action.detail ?? {}) as { subject?: unknown; text?: unknown; body?: unknown }
      const owner = action.identityId === null ? undefined : config.users.identities[action.identityId]
      const { id } = await this.#crm.logActivity({
        kind,
        contactId,
        ...(companyId === undefined ? {} : { companyId }),
        ...(owner === undefined ? {} : { ownerId: owner }),
        at: new Date(action.at).toISOString(),
        ...(typeof detail.subject === 'string' ? { subject: detail.subject } : {}),
        ...(typeof detail.text === 'string'
          ? { body: detail.text }
          : typeof detail.body === 'string'
            ? { body: detail.body }
            : {}),
        idempotencyKey: `paceline:${this.#context.settings.workspaceId}:activity:${action.key}`,
      })
      await this.#write((store) => writeState(store, ledgerKeys.activity(this.#crm.name, action.key), { id }))
      count++
    }
    return count
  }

  async #createTasks(
    config: CrmConfig,
    leadId: string,
    contactId: string,
    campaigns: ReadonlySet<string>,
  ): Promise<number> {
    if (this.#crm.supports?.tasks === false) return 0
    const tasks = await this.#read(async (store) => {
      const out: Array<{ task: TaskRecord; known: boolean }> = []
      for (const campaignId of campaigns)
        for await (const task of store.all('tasks', { index: 'byCampaign', equals: [campaignId] }))
          if (task.leadId === leadId)
            out.push({
              task,
              known: (await readState(store, ledgerKeys.task(this.#crm.name, task.key))) !== undefined,
            })
      return out
    })
    let count = 0
    for (const { task, known } of tasks) {
      if (known) continue
      const owner = config.users.identities[task.identityId]
      const { id } = await this.#crm.createTask({
        contactId,
        ...(owner === undefined ? {} : { ownerId: owner }),
        title: task.title,
        ...(task.body === null ? {} : { body: task.body }),
        dueAt: new Date(task.dueAt).toISOString(),
        idempotencyKey: `paceline:${this.#context.settings.workspaceId}:task:${task.key}`,
      })
      await this.#write((store) =>
        writeState(store, ledgerKeys.task(this.#crm.name, task.key), {
          crmTaskId: id,
          completionSynced: false,
        } satisfies TaskLedger),
      )
      count++
    }
    return count
  }

  /** The engagement field of the mapping: set on the record whenever an activity is created there. */
  async #touchEngagement(config: CrmConfig, contactId: string, companyId: string | undefined): Promise<void> {
    if (config.contacts.engagement !== undefined)
      await this.#crm.updateRecord('contact', contactId, {
        fields: { [config.contacts.engagement.crm]: config.contacts.engagement.value },
      })
    if (config.companies.engagement !== undefined && companyId !== undefined)
      await this.#crm.updateRecord('company', companyId, {
        fields: { [config.companies.engagement.crm]: config.companies.engagement.value },
      })
  }

  /** Task completion syncs both ways: a task marked done in the CRM or in paceline is done in the other. */
  async #syncTaskCompletion(
    campaignIds: readonly string[] | undefined,
    leadIds: ReadonlySet<string> | undefined,
  ): Promise<{ fromCrm: number; toCrm: number }> {
    if (this.#crm.supports?.tasks === false) return { fromCrm: 0, toCrm: 0 }
    const linked = await this.#read(async (store) => {
      const out: Array<{ task: TaskRecord; ledger: TaskLedger }> = []
      for await (const record of store.all('campaigns')) {
        const campaign = (record as CampaignRecord).campaign
        if (campaignIds !== undefined && !campaignIds.includes(campaign.id)) continue
        for await (const task of store.all('tasks', { index: 'byCampaign', equals: [campaign.id] })) {
          if (leadIds !== undefined && !leadIds.has(task.leadId)) continue
          const ledger = await readState<TaskLedger>(store, ledgerKeys.task(this.#crm.name, task.key))
          if (ledger !== undefined && !ledger.completionSynced) out.push({ task, ledger })
        }
      }
      return out
    })
    let fromCrm = 0
    let toCrm = 0
    for (let start = 0; start < linked.length; start += 100) {
      const batch = linked.slice(start, start + 100)
      const states = await this.#crm.getTasks(batch.map((each) => each.ledger.crmTaskId))
      for (const { task, ledger } of batch) {
        const state = states.find((each) => each.id === ledger.crmTaskId)
        if (state === undefined) continue
        if (state.completed && task.status !== 'completed') {
          await ingest(this.#context, {
            type: 'task-completed',
            taskId: task.taskId,
            ...(state.completedAt == null ? {} : { at: state.completedAt }),
            eventId: `crm:${this.#crm.name}:${ledger.crmTaskId}`,
          })
          fromCrm++
        } else if (!state.completed && task.status === 'completed') {
          await this.#crm.completeTask(ledger.crmTaskId)
          toCrm++
        } else if (!state.completed) continue
        await this.#write((store) =>
          writeState(store, ledgerKeys.task(this.#crm.name, task.key), {
            ...ledger,
            completionSynced: true,
          } satisfies TaskLedger),
        )
      }
    }
    return { fromCrm, toCrm }
  }
}

function setPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = root
  path.forEach((segment, index) => {
    if (index === path.length - 1) {
      current[segment] = value === null || value === '' ? undefined : value
      if (current[segment] === undefined) delete current[segment]
      return
    }
    const next = current[segment]
    if (typeof next !== 'object' || next === null) current[segment] = {}
    current = current[segment] as Record<string, unknown>
  })
}
