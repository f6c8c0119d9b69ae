import { PacelineError } from '@paceline/core'
import type {
  CrmCondition,
  CrmField,
  CrmObjectType,
  CrmRecord,
  CrmUser,
  CrmV1,
  CrmValue,
} from '@paceline/core/ports'

/**
 * "Pipeline Pal", a made-up CRM with a small JSON API: people, organisations, notes and to-dos, each
 * with `props`. This file is the whole adapter: paceline's CrmV1 port on top of Pipeline Pal's client.
 * Matching, field mapping, sync options, campaign properties and idempotent re-runs come from the core.
 */
export interface PipelinePalClient {
  me(): Promise<{ id: string; email: string; name: string }>
  members(): Promise<Array<{ id: string; email: string; name: string; deactivated: boolean }>>
  schema(
    kind: 'person' | 'org',
  ): Promise<Array<{ key: string; title: string; kind: string; locked: boolean; choices?: string[] }>>
  find(
    kind: 'person' | 'org',
    filter: { or: Array<{ and: Array<{ key: string; op: 'is' | 'begins'; value: string }> }> },
  ): Promise<Array<{ id: string; props: Record<string, unknown>; owner: string | null }>>
  get(
    kind: 'person' | 'org',
    id: string,
  ): Promise<{ id: string; props: Record<string, unknown>; owner: string | null } | null>
  insert(
    kind: 'person' | 'org',
    body: { props: Record<string, unknown>; owner?: string; externalKey: string },
  ): Promise<{ id: string; props: Record<string, unknown>; owner: string | null }>
  patch(
    kind: 'person' | 'org',
    id: string,
    body: { props?: Record<string, unknown>; owner?: string },
  ): Promise<{ id: string; props: Record<string, unknown>; owner: string | null }>
  link(personId: string, orgId: string, main: boolean, replace: boolean): Promise<void>
  links(personId: string): Promise<Array<{ orgId: string; main: boolean }>>
  note(body: {
    personId: string
    orgId?: string
    author?: string
    at: string
    title: string
    text: string
    externalKey: string
  }): Promise<{ id: string }>
  todo(body: {
    personId: string
    assignee?: string
    title: string
    text?: string
    due: string
    externalKey: string
  }): Promise<{ id: string }>
  todos(ids: string[]): Promise<Array<{ id: string; done: boolean; doneAt: string | null }>>
  finish(id: string): Promise<void>
}

/** Pipeline Pal's errors: `status` 429 and 5xx can be retried later, the rest cannot. */
export class PipelinePalError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

const KIND: Record<CrmObjectType, 'person' | 'org'> = { contact: 'person', company: 'org' }
const TYPES: Record<string, CrmField['type']> = {
  text: 'text',
  longtext: 'textarea',
  number: 'number',
  yesno: 'boolean',
  date: 'date',
  choice: 'enumeration',
  email: 'email',
  phone: 'phone',
  link: 'url',
}

/** Every failure as paceline's one error family, saying whether a retry can help. */
async function call<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    const status = error instanceof PipelinePalError ? error.status : 0
    throw new PacelineError('crm_failed', `Pipeline Pal ${what}: ${(error as Error).message}`, {
      cause: error,
      isRetryable: status === 0 || status === 429 || status >= 500,
      details: { status },
    })
  }
}

const recordOf = (
  row: { id: string; props: Record<string, unknown>; owner: string | null },
  fields?: readonly string[],
): CrmRecord => ({
  id: row.id,
  fields: Object.fromEntries(
    (fields ?? Object.keys(row.props)).map((key) => [key, (row.props[key] ?? null) as CrmValue]),
  ),
  ownerId: row.owner,
})

const userOf = (member: { id: string; email: string; name: string; deactivated?: boolean }): CrmUser => ({
  id: member.id,
  email: member.email,
  name: member.name,
  active: member.deactivated !== true,
})

const ACTIVITY_TITLES: Record<string, string> = {
  email_sent: 'Email sent',
  email_received: 'Email received',
  linkedin_message_sent: 'LinkedIn message sent',
  linkedin_message_received: 'LinkedIn message received',
  linkedin_invitation_sent: 'LinkedIn invitation sent',
  linkedin_connection_accepted: 'LinkedIn invitation accepted',
  linkedin_profile_visited: 'LinkedIn profile visited',
}

export function createPipelinePalCrm(client: PipelinePalClient): CrmV1 {
  return {
    specificationVersion: 'v1',
    name: 'pipeline-pal',
    supports: { primaryAssociations: true, tasks: true },
    integrationUser: () => call('who am I', async () => userOf(await client.me())),
    listUsers: () => call('list members', async () => (await client.members()).map(userOf)),
    describeFields: (object) =>
      call('read the schema', async () =>
        (await client.schema(KIND[object])).map((field) => ({
          name: field.key,
          label: field.title,
          type: TYPES[field.kind] ?? 'other',
          readOnly: field.locked,
          ...(field.choices === undefined
            ? {}
            : { options: field.choices.map((value) => ({ value, label: value })) }),
        })),
      ),
    searchRecords: (object, search) =>
      call('search', async () => {
        const condition = (each: CrmCondition) => ({
          key: each.field,
          op: each.operator === 'eq' ? ('is' as const) : ('begins' as const),
          value: each.value,
        })
        const rows = await client.find(KIND[object], {
          or: search.anyOf.map((group) => ({ and: group.map(condition) })),
        })
        return rows.slice(0, search.limit ?? 100).map((row) => recordOf(row, search.fields))
      }),
    getRecord: (object, id, fields) =>
      call('read a record', async () => {
        const row = await client.get(KIND[object], id)
        return row === null ? undefined : recordOf(row, fields)
      }),
    createRecord: (object, record) =>
      call('create a record', async () =>
        recordOf(
          await client.insert(KIND[object], {
            props: { ...record.fields },
            ...(record.ownerId === undefined ? {} : { owner: record.ownerId }),
            externalKey: record.idempotencyKey,
          }),
        ),
      ),
    updateRecord: (object, id, changes) =>
      call('update a record', async () =>
        recordOf(
          await client.patch(KIND[object], id, {
            props: { ...changes.fields },
            ...(changes.ownerId === undefined ? {} : { owner: changes.ownerId }),
          }),
        ),
      ),
    associate: (contactId, companyId, kind) =>
      call('link a person to an organisation', () =>
        client.link(contactId, companyId, kind !== 'additional', kind === 'primary_replacing'),
      ),
    listAssociatedCompanies: (contactId) =>
      call('list links', async () =>
        (await client.links(contactId))
          .map((link) => ({ companyId: link.orgId, primary: link.main }))
          .sort((a, b) => Number(b.primary) - Number(a.primary)),
      ),
    logActivity: (activity) =>
      call('add a note', () =>
        client.note({
          personId: activity.contactId,
          ...(activity.companyId === undefined ? {} : { orgId: activity.companyId }),
          ...(activity.ownerId === undefined ? {} : { author: activity.ownerId }),
          at: activity.at,
          title: activity.subject ?? ACTIVITY_TITLES[activity.kind] ?? activity.kind,
          text: activity.body ?? '',
          externalKey: activity.idempotencyKey,
        }),
      ),
    createTask: (task) =>
      call('add a to-do', () =>
        client.todo({
          personId: task.contactId,
          ...(task.ownerId === undefined ? {} : { assignee: task.ownerId }),
          title: task.title,
          ...(task.body === undefined ? {} : { text: task.body }),
          due: task.dueAt,
          externalKey: task.idempotencyKey,
        }),
      ),
    getTasks: (ids) =>
      call('read to-dos', async () =>
        (await client.todos([...ids])).map((todo) => ({
          id: todo.id,
          completed: todo.done,
          completedAt: todo.doneAt,
        })),
      ),
    completeTask: (id) => call('finish a to-do', () => client.finish(id)),
  }
}
