import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type {
  CrmActivity,
  CrmAssociationKind,
  CrmCondition,
  CrmField,
  CrmObjectType,
  CrmRecord,
  CrmSearch,
  CrmTask,
  CrmTaskState,
  CrmUser,
  CrmV1,
  CrmValue,
} from '../ports/crm'

/** The fields of a fresh memory CRM: a few of each type, named like a typical CRM's API names. */
export const MEMORY_CRM_FIELDS: Readonly<Record<CrmObjectType, readonly CrmField[]>> = {
  contact: [
    { name: 'firstname', label: 'First name', type: 'text', readOnly: false },
    { name: 'lastname', label: 'Last name', type: 'text', readOnly: false },
    { name: 'email', label: 'Email', type: 'email', readOnly: false },
    { name: 'jobtitle', label: 'Job title', type: 'text', readOnly: false, maxLength: 255 },
    { name: 'company', label: 'Company name', type: 'text', readOnly: false },
    { name: 'linkedin_url', label: 'LinkedIn URL', type: 'url', readOnly: false },
    { name: 'phone', label: 'Phone', type: 'phone', readOnly: false },
    { name: 'city', label: 'City', type: 'text', readOnly: false },
    { name: 'source', label: 'Source', type: 'text', readOnly: false },
    { name: 'notes', label: 'Notes', type: 'textarea', readOnly: false },
    { name: 'age', label: 'Age', type: 'number', readOnly: false },
    { name: 'do_not_call', label: 'Do not call', type: 'boolean', readOnly: false },
    {
      name: 'lifecycle_stage',
      label: 'Lifecycle stage',
      type: 'enumeration',
      readOnly: false,
      options: [
        { value: 'lead', label: 'Lead' },
        { value: 'opportunity', label: 'Opportunity' },
        { value: 'customer', label: 'Customer' },
      ],
    },
    { name: 'created_at', label: 'Created at', type: 'datetime', readOnly: true },
    { name: 'last_outreach', label: 'Last outreach', type: 'text', readOnly: false },
    { name: 'campaign_status', label: 'Campaign engagement status', type: 'text', readOnly: false },
    { name: 'sequence_status', label: 'Sequence status', type: 'text', readOnly: false },
    { name: 'sequence_details', label: 'Campaign sequence details', type: 'textarea', readOnly: false },
    { name: 'reply_analysis', label: 'Campaign reply analysis', type: 'text', readOnly: false },
    { name: 'campaign_opens', label: 'Campaign opens', type: 'number', readOnly: false },
    { name: 'campaign_clicks', label: 'Campaign clicks', type: 'number', readOnly: false },
    { name: 'open_analysis', label: 'Campaign open analysis', type: 'text', readOnly: false },
    { name: 'click_analysis', label: 'Campaign click analysis', type: 'text', readOnly: false },
    { name: 'campaigns', label: 'Campaigns', type: 'textarea', readOnly: false },
    { name: 'senders', label: 'Senders', type: 'textarea', readOnly: false },
    { name: 'activities', label: 'Activities', type: 'textarea', readOnly: false },
    { name: 'conversation_tags', label: 'Conversation tags', type: 'textarea', readOnly: false },
    {
      name: 'conversation_tag_categories',
      label: 'Conversation tag categories',
      type: 'text',
      readOnly: false,
    },
  ],
  company: [
    { name: 'name', label: 'Company name', type: 'text', readOnly: false },
    { name: 'domain', label: 'Domain', type: 'text', readOnly: false },
    { name: 'linkedin_company_url', label: 'LinkedIn company page', type: 'url', readOnly: false },
    { name: 'industry', label: 'Industry', type: 'text', readOnly: false },
    { name: 'employees', label: 'Number of employees', type: 'number', readOnly: false },
    { name: 'source', label: 'Source', type: 'text', readOnly: false },
    { name: 'created_at', label: 'Created at', type: 'datetime', readOnly: true },
  ],
}

export interface MemoryCrmOptions {
  /** Default `memory`. */
  readonly name?: string
  /** Default one active user, `u-1` (integration@example.com), who is the integration user. */
  readonly users?: readonly CrmUser[]
  /** Default `MEMORY_CRM_FIELDS`. */
  readonly fields?: Partial<Record<CrmObjectType, readonly CrmField[]>>
  /** Default true: associations can be primary. */
  readonly primaryAssociations?: boolean
  /** The clock for `created_at` and task completion times. Default `Date.now`. */
  readonly now?: () => number
}

interface StoredRecord {
  id: string
  fields: Record<string, CrmValue>
  ownerId: string | null
}

interface StoredActivity extends CrmActivity {
  readonly id: string
}

interface StoredTask extends CrmTask {
  readonly id: string
  completed: boolean
  completedAt: string | null
}

/** A memory CRM, with what a test needs to look inside and to act as a CRM user would. */
export interface MemoryCrm extends CrmV1 {
  /** Every record of an object, in creation order. */
  records(object: CrmObjectType): CrmRecord[]
  /** Creates a record as a CRM user would (no idempotency key, no checks). */
  seed(object: CrmObjectType, fields: Readonly<Record<string, CrmValue>>, ownerId?: string): CrmRecord
  /** Edits a record as a CRM user would. */
  edit(object: CrmObjectType, id: string, fields: Readonly<Record<string, CrmValue>>): void
  associations(contactId: string): ReadonlyArray<{ readonly companyId: string; readonly primary: boolean }>
  activities(): ReadonlyArray<CrmActivity & { readonly id: string }>
  tasks(): ReadonlyArray<CrmTask & { readonly id: string; readonly completed: boolean }>
  /** Completes a task as a CRM user would. */
  completeTaskByUser(id: string): void
  /** Makes the next `count` calls of `method` fail with `error` (retryable or not). */
  failNext(method: keyof CrmV1, error: PacelineError, count?: number): void
  /** How many times each method was called. */
  readonly calls: Readonly<Record<string, number>>
}

const notFound = (what: string) =>
  new PacelineError(PacelineErrorCodes.crmFailed, `Memory CRM: ${what} not found`, { isRetryable: false })

const comparable = (value: CrmValue | undefined): string =>
  value === null || value === undefined ? '' : String(value).trim().toLowerCase()

function conditionHolds(fields: Readonly<Record<string, CrmValue>>, condition: CrmCondition): boolean {
  const value = comparable(fields[condition.field])
  const wanted = condition.value.trim().toLowerCase()
  return condition.operator === 'eq' ? value === wanted && value !== '' : value.startsWith(wanted)
}

/**
 * The reference CRM: every primitive of `CrmV1` in memory, with the semantics `crmConformance` checks
 * (case-insensitive `eq`, field validation like a real CRM: unknown and read-only fields are refused).
 */
export function createMemoryCrm(options: MemoryCrmOptions = {}): MemoryCrm {
  const now = options.now ?? Date.now
  const users: readonly CrmUser[] = options.users ?? [
    { id: 'u-1', email: 'integration@example.com', name: 'Integration User', active: true },
  ]
  const fields = { ...MEMORY_CRM_FIELDS, ...options.fields }
  const primaryAssociations = options.primaryAssociations ?? true
  const store: Record<CrmObjectType, Map<string, StoredRecord>> = { contact: new Map(), company: new Map() }
  const byKey = new Map<string, string>()
  const links = new Map<string, Array<{ companyId: string; primary: boolean }>>()
  const activities: StoredActivity[] = []
  const tasks = new Map<string, StoredTask>()
  const failures = new Map<string, PacelineError[]>()
  const calls: Record<string, number> = {}
  let counter = 0
  const nextId = (prefix: string) => `${prefix}-${++counter}`

  const enter = (method: keyof CrmV1) => {
    calls[method] = (calls[method] ?? 0) + 1
    const queued = failures.get(method)
    const failure = queued?.shift()
    if (failure !== undefined) throw failure
  }

  const checkFields = (object: CrmObjectType, values: Readonly<Record<string, CrmValue>>) => {
    for (const [name, value] of Object.entries(values)) {
      const field = fields[object].find((each) => each.name === name)
      if (field === undefined)
        throw new PacelineError(
          PacelineErrorCodes.crmFailed,
          `Memory CRM: the ${object} has no field '${name}'`,
          { isRetryable: false, details: { field: name } },
        )
      if (field.readOnly)
        throw new PacelineError(PacelineErrorCodes.crmFailed, `Memory CRM: '${name}' is read-only`, {
          isRetryable: false,
          details: { field: name },
        })
      if (
        value !== null &&
        field.type === 'number' &&
        typeof value !== 'number' &&
        Number.isNaN(Number(value))
      )
        throw new PacelineError(PacelineErrorCodes.crmFailed, `Memory CRM: '${name}' takes a number`, {
          isRetryable: false,
          details: { field: name },
        })
      if (
        value !== null &&
        field.type === 'enumeration' &&
        !(field.options ?? []).some((option) => option.value === String(value))
      )
        throw new PacelineError(
          PacelineErrorCodes.crmFailed,
          `Memory CRM: '${String(value)}' is not an option of '${name}'`,
          { isRetryable: false, details: { field: name } },
        )
    }
  }

  const view = (record: StoredRecord, wanted?: readonly string[]): CrmRecord => ({
    id: record.id,
    fields: Object.fromEntries(
      (wanted ?? Object.keys(record.fields)).map((name) => [name, record.fields[name] ?? null]),
    ),
    ownerId: record.ownerId,
  })

  const recordOf = (object: CrmObjectType, id: string) => {
    const record = store[object].get(id)
    if (record === undefined) throw notFound(`${object} ${id}`)
    return record
  }

  const normalise = (object: CrmObjectType, values: Readonly<Record<string, CrmValue>>) =>
    Object.fromEntries(
      Object.entries(values).map(([name, value]) => {
        const field = fields[object].find((each) => each.name === name)
        return [name, field?.type === 'number' && value !== null && value !== '' ? Number(value) : value]
      }),
    )

  const crm: MemoryCrm = {
    specificationVersion: 'v1',
    name: options.name ?? 'memory',
    supports: { primaryAssociations, tasks: true },
    calls,

    async integrationUser() {
      enter('integrationUser')
      const first = users[0]
      if (first === undefined) throw notFound('integration user')
      return first
    },
    async listUsers() {
      enter('listUsers')
      return [...users]
    },
    async describeFields(object) {
      enter('describeFields')
      return [...fields[object]]
    },
    async searchRecords(object, search: CrmSearch) {
      enter('searchRecords')
      const found = [...store[object].values()].filter((record) =>
        search.anyOf.some(
          (group) => group.length > 0 && group.every((condition) => conditionHolds(record.fields, condition)),
        ),
      )
      return found.slice(0, search.limit ?? 100).map((record) => view(record, search.fields))
    },
    async getRecord(object, id, wanted) {
      enter('getRecord')
      const record = store[object].get(id)
      return record === undefined ? undefined : view(record, wanted)
    },
    async createRecord(object, input) {
      enter('createRecord')
      const existing = byKey.get(`${object}:${input.idempotencyKey}`)
      if (existing !== undefined) return view(recordOf(object, existing))
      checkFields(object, input.fields)
      if (input.ownerId !== undefined && !users.some((user) => user.id === input.ownerId))
        throw notFound(`owner ${input.ownerId}`)
      const record: StoredRecord = {
        id: nextId(object),
        fields: { ...normalise(object, input.fields), created_at: new Date(now()).toISOString() },
        ownerId: input.ownerId ?? null,
      }
      store[object].set(record.id, record)
      byKey.set(`${object}:${input.idempotencyKey}`, record.id)
      return view(record)
    },
    async updateRecord(object, id, changes) {
      enter('updateRecord')
      const record = recordOf(object, id)
      checkFields(object, changes.fields)
      if (changes.ownerId !== undefined && !users.some((user) => user.id === changes.ownerId))
        throw notFound(`owner ${changes.ownerId}`)
      Object.assign(record.fields, normalise(object, changes.fields))
      if (changes.ownerId !== undefined) record.ownerId = changes.ownerId
      return view(record)
    },
    async associate(contactId, companyId, kind: CrmAssociationKind) {
      enter('associate')
      recordOf('contact', contactId)
      recordOf('company', companyId)
      if (kind !== 'additional' && !primaryAssociations)
        throw new PacelineError(PacelineErrorCodes.crmFailed, 'Memory CRM: no primary associations here', {
          isRetryable: false,
        })
      let list = links.get(contactId) ?? []
      if (kind === 'primary_replacing') list = []
      if (kind !== 'additional') list = list.map((each) => ({ ...each, primary: false }))
      const present = list.find((each) => each.companyId === companyId)
      if (present === undefined) list.push({ companyId, primary: kind !== 'additional' })
      else if (kind !== 'additional') present.primary = true
      links.set(contactId, list)
    },
    async listAssociatedCompanies(contactId) {
      enter('listAssociatedCompanies')
      recordOf('contact', contactId)
      return crm.associations(contactId)
    },
    async logActivity(activity) {
      enter('logActivity')
      recordOf('contact', activity.contactId)
      const existing = activities.find((each) => each.idempotencyKey === activity.idempotencyKey)
      if (existing !== undefined) return { id: existing.id }
      const stored = { ...activity, id: nextId('activity') }
      activities.push(stored)
      return { id: stored.id }
    },
    async createTask(task) {
      enter('createTask')
      recordOf('contact', task.contactId)
      const existing = [...tasks.values()].find((each) => each.idempotencyKey === task.idempotencyKey)
      if (existing !== undefined) return { id: existing.id }
      const stored: StoredTask = { ...task, id: nextId('task'), completed: false, completedAt: null }
      tasks.set(stored.id, stored)
      return { id: stored.id }
    },
    async getTasks(ids): Promise<CrmTaskState[]> {
      enter('getTasks')
      return ids.flatMap((id) => {
        const task = tasks.get(id)
        return task === undefined ? [] : [{ id, completed: task.completed, completedAt: task.completedAt }]
      })
    },
    async completeTask(id) {
      enter('completeTask')
      const task = tasks.get(id)
      if (task === undefined) throw notFound(`task ${id}`)
      if (!task.completed) {
        task.completed = true
        task.completedAt = new Date(now()).toISOString()
      }
    },

    records: (object) => [...store[object].values()].map((record) => view(record)),
    seed(object, values, ownerId) {
      const record: StoredRecord = {
        id: nextId(object),
        fields: { ...normalise(object, values), created_at: new Date(now()).toISOString() },
        ownerId: ownerId ?? null,
      }
      store[object].set(record.id, record)
      return view(record)
    },
    edit(object, id, values) {
      Object.assign(recordOf(object, id).fields, normalise(object, values))
    },
    associations: (contactId) =>
      [...(links.get(contactId) ?? [])].sort((a, b) => Number(b.primary) - Number(a.primary)),
    activities: () => [...activities],
    tasks: () => [...tasks.values()],
    completeTaskByUser(id) {
      const task = tasks.get(id)
      if (task === undefined) throw notFound(`task ${id}`)
      task.completed = true
      task.completedAt = new Date(now()).toISOString()
    },
    failNext(method, error, count = 1) {
      failures.set(method, [...(failures.get(method) ?? []), ...Array.from({ length: count }, () => error)])
    },
  }
  return crm
}
