import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type {
  CrmActivity,
  CrmAssociationKind,
  CrmField,
  CrmObjectType,
  CrmRecord,
  CrmSearch,
  CrmTask,
  CrmTaskState,
  CrmUser,
  CrmV1,
  CrmValue,
} from '@paceline/core/ports'
import {
  associationsOf,
  type EngagementObjectType,
  engagementPropertiesOf,
  type InlineAssociation,
} from './activities/engagement-objects'
import { crmFieldOf } from './fields/field-metadata'
import {
  createHubspotApi,
  type HubspotAssociationSpec,
  type HubspotObject,
  type HubspotOwner,
} from './hubspot-api'
import type { CreateHubspotCrmOptions, HubspotAssociationType } from './hubspot-crm-options'
import { parseHubspotCrmOptions } from './hubspot-crm-options'
import { isOutcomeUnknown, statusOf } from './hubspot-failure'
import { fieldsOf, fromHubspotValue, toHubspotProperties } from './records/crm-values'
import { IdempotencyCache } from './records/idempotency-cache'
import { matchesSearch, SEARCH_LIMITS, searchedProperties, searchRequestsOf } from './records/record-search'
import { createHubspotTransport } from './transport/hubspot-transport'
import { crmUserOf, tokenUserIdOf } from './users/crm-users'

/** The HubSpot CRM: the `CrmV1` port, plus `close()` to release the token's limiter. */
export interface HubspotCrm extends CrmV1 {
  readonly name: 'hubspot'
  /** Releases this CRM's share of the access token's limiter. */
  close(): Promise<void>
}

/** The default property that stores idempotency keys (see the README for how to create it). */
export const HUBSPOT_IDEMPOTENCY_PROPERTY = 'paceline_idempotency_key'

const OBJECT_TYPE: Readonly<Record<CrmObjectType, 'contacts' | 'companies'>> = {
  contact: 'contacts',
  company: 'companies',
}

const OWNER = 'hubspot_owner_id'
const TASK_PROPERTIES = ['hs_task_status', 'hs_task_completion_date']
const BATCH_READ_LIMIT = 100
const NUMERIC_ID = /^\d+$/

const specOf = (type: HubspotAssociationType): HubspotAssociationSpec => ({
  associationCategory: type.category,
  associationTypeId: type.typeId,
})

/**
 * paceline's CRM port on HubSpot, through the official `@hubspot/api-client` (13.5): contacts and
 * companies are CRM v3 objects, searched with the CRM search API; contact–company links are associations
 * v4 (primary: HubSpot-defined type 1, unlabeled: 279); users are owners; fields come from the properties
 * API; activities are emails, communications (LinkedIn messages) and notes; tasks are tasks. Each create
 * stores its idempotency key in a property, so a retried create finds the object instead of making another.
 */
export function createHubspotCrm(input: CreateHubspotCrmOptions): HubspotCrm {
  const options = parseHubspotCrmOptions(input)
  const basePath = (options.basePath ?? 'https://api.hubapi.com').replace(/\/+$/, '')
  const maxRetries = options.maxRetries ?? 4
  const keyProperty =
    options.idempotencyProperty === undefined ? HUBSPOT_IDEMPOTENCY_PROPERTY : options.idempotencyProperty
  const primaryType = options.contactCompanyAssociation?.primary ?? { category: 'HUBSPOT_DEFINED', typeId: 1 }
  const additionalType = options.contactCompanyAssociation?.additional ?? {
    category: 'HUBSPOT_DEFINED',
    typeId: 279,
  }
  const transport = createHubspotTransport({
    accessToken: options.accessToken,
    requestsPerTenSeconds: options.requestsPerTenSeconds ?? 100,
    searchRequestsPerSecond: options.searchRequestsPerSecond ?? 4,
    maxRetries,
    timeoutMs: options.timeoutMs ?? 30_000,
    dailyResetAt: () => dailyResetAt(),
  })
  const api = createHubspotApi({
    accessToken: options.accessToken,
    basePath,
    ...(options.httpAgent === undefined ? {} : { httpAgent: options.httpAgent }),
    onResponseHeaders: (headers) => transport.observe(headers),
  })
  const created = new IdempotencyCache()
  let integrationUserPromise: Promise<CrmUser> | undefined

  /** HubSpot's account-info API says when the private apps' daily limit resets (`resetsAt`). */
  const dailyResetAt = async (): Promise<number | undefined> => {
    const answer = (await Promise.race([
      api.raw('GET', '/account-info/v3/api-usage/daily/private-apps'),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 5_000).unref()),
    ])) as { results?: Array<{ resetsAt?: unknown }> } | undefined
    const resetsAt = answer?.results?.[0]?.resetsAt
    const time = typeof resetsAt === 'string' ? Date.parse(resetsAt) : Number.NaN
    return Number.isNaN(time) ? undefined : time
  }

  const missingPropertyHint =
    (objectType: string) => (failure: { status: number; body: { message?: string } }) =>
      keyProperty !== false && failure.status === 400 && (failure.body.message ?? '').includes(keyProperty)
        ? `Create the ${objectType} property '${keyProperty}' (single-line text${
            objectType === 'contacts' || objectType === 'companies' ? ', "Require unique values" on' : ''
          }) as the README says, or set idempotencyProperty.`
        : undefined

  // The owner only when HubSpot returned the owner property (an update returns the properties it changed).
  const recordOf = (object: HubspotObject, names: readonly string[]): CrmRecord => ({
    id: object.id,
    fields: fieldsOf(object.properties, names),
    ...(OWNER in object.properties ? { ownerId: fromHubspotValue(object.properties[OWNER]) } : {}),
  })

  const readProperties = (names: readonly string[]) => [...new Set([...names, OWNER])]

  /** The contact or company created with this key: read by the unique key property (no search delay). */
  const recordByKey = async (
    object: CrmObjectType,
    key: string,
    names: readonly string[],
  ): Promise<CrmRecord | undefined> => {
    if (keyProperty === false) return undefined
    const objectType = OBJECT_TYPE[object]
    const cachedId = created.get(objectType, key)
    try {
      const found =
        cachedId === undefined
          ? await transport.request(
              `read ${object} by ${keyProperty}`,
              'read',
              () => api.getObject(objectType, key, readProperties(names), keyProperty),
              {
                hint: (failure) =>
                  failure.status === 400
                    ? `Reading ${objectType} by '${keyProperty}' needs that property, with "Require unique values" on: create it as the README says, or set idempotencyProperty.`
                    : undefined,
              },
            )
          : await transport.request(`read ${object} ${cachedId}`, 'read', () =>
              api.getObject(objectType, cachedId, readProperties(names)),
            )
      created.set(objectType, key, found.id)
      return recordOf(found, names)
    } catch (error) {
      if (statusOf(error) === 404) return undefined
      throw error
    }
  }

  /** The engagement created with this key: found with the CRM search API (new objects appear there after a few seconds). */
  const engagementByKey = async (
    objectType: EngagementObjectType,
    key: string,
  ): Promise<string | undefined> => {
    if (keyProperty === false) return undefined
    const cached = created.get(objectType, key)
    if (cached !== undefined) return cached
    const page = await transport.request(
      `search ${objectType} by ${keyProperty}`,
      'read',
      () =>
        api.searchObjects(objectType, {
          filterGroups: [[{ propertyName: keyProperty, operator: 'EQ', value: key }]],
          properties: [keyProperty],
          limit: 1,
        }),
      { search: true, hint: missingPropertyHint(objectType) },
    )
    const id = page.results[0]?.id
    if (id !== undefined) created.set(objectType, key, id)
    return id
  }

  /** Creates an engagement once per key: looks it up first, and after a lost answer looks again instead of resending. */
  const createEngagement = async (
    operation: string,
    objectType: EngagementObjectType,
    properties: Record<string, string>,
    associations: readonly InlineAssociation[],
    key: string,
  ): Promise<string> => {
    const existing = await engagementByKey(objectType, key)
    if (existing !== undefined) return existing
    const withKey = keyProperty === false ? properties : { ...properties, [keyProperty]: key }
    try {
      const object = await transport.request(
        operation,
        'create',
        () => api.createObject(objectType, withKey, associations),
        { hint: missingPropertyHint(objectType) },
      )
      created.set(objectType, key, object.id)
      return object.id
    } catch (error) {
      if (!isOutcomeUnknown(error)) throw error
      if (keyProperty === false) throw unknownWithoutKey(operation, error)
      const found = await engagementByKey(objectType, key)
      if (found !== undefined) return found
      // Still retryable: the next attempt searches by the key first (by then HubSpot's index shows it).
      throw error
    }
  }

  const associatedCompanies = async (contactId: string) => {
    const out: Array<{ companyId: string; primary: boolean }> = []
    let after: string | undefined
    do {
      const page = await transport.request(`list the companies of contact ${contactId}`, 'read', () =>
        api.associations('contacts', contactId, 'companies', after),
      )
      for (const each of page.results)
        out.push({
          companyId: each.toObjectId,
          primary: each.associationTypes.some(
            (type) => type.typeId === primaryType.typeId && type.category === primaryType.category,
          ),
        })
      after = page.after
    } while (after !== undefined)
    return out.sort((a, b) => Number(b.primary) - Number(a.primary))
  }

  const allOwners = async (archived: boolean): Promise<HubspotOwner[]> => {
    const out: HubspotOwner[] = []
    let after: string | undefined
    do {
      const page = await transport.request(`list ${archived ? 'archived ' : ''}owners`, 'read', () =>
        api.owners(archived, after),
      )
      out.push(...page.results)
      after = page.after
    } while (after !== undefined)
    return out
  }

  /** The HubSpot user behind the token: private app tokens first, then OAuth access tokens. */
  const tokenUserId = async (): Promise<number> => {
    let answer: unknown
    try {
      answer = await transport.request('read the private app token', 'read', () =>
        api.raw('POST', '/oauth/v2/private-apps/get/access-token-info', { tokenKey: options.accessToken }),
      )
    } catch (error) {
      const status = statusOf(error)
      if (status === undefined || status >= 500 || status === 429) throw error
      // Not a private app token: an OAuth access token says its user too.
      answer = await transport.request('read the OAuth token', 'read', () =>
        api.raw('GET', `/oauth/v1/access-tokens/${encodeURIComponent(options.accessToken)}`),
      )
    }
    const userId = tokenUserIdOf(answer)
    if (userId === undefined)
      throw new PacelineError(
        PacelineErrorCodes.crmFailed,
        'HubSpot integrationUser: HubSpot did not say which user the access token belongs to.',
        { isRetryable: false, details: { answer } },
      )
    return userId
  }

  const integrationUser = async (): Promise<CrmUser> => {
    const userId = await tokenUserId()
    try {
      const owner = await transport.request(`read the owner of user ${userId}`, 'read', () =>
        api.ownerOfUser(userId),
      )
      return crmUserOf(owner)
    } catch (error) {
      if (statusOf(error) !== 404) throw error
      throw new PacelineError(
        PacelineErrorCodes.crmFailed,
        `HubSpot integrationUser: the token's user (HubSpot user ${userId}) is not an owner in this account, so records and activities cannot be attributed to it. Give that user a seat in HubSpot, or map identities to other owners.`,
        { cause: error, isRetryable: false, details: { status: 404, category: 'OBJECT_NOT_FOUND' } },
      )
    }
  }

  const createRecord = async (
    object: CrmObjectType,
    record: {
      readonly fields: Readonly<Record<string, CrmValue>>
      readonly ownerId?: string
      readonly idempotencyKey: string
    },
  ): Promise<CrmRecord> => {
    const objectType = OBJECT_TYPE[object]
    const names = Object.keys(record.fields)
    const existing = await recordByKey(object, record.idempotencyKey, names)
    if (existing !== undefined) return existing
    const properties = {
      ...toHubspotProperties(record.fields),
      ...(record.ownerId === undefined ? {} : { [OWNER]: record.ownerId }),
      ...(keyProperty === false ? {} : { [keyProperty]: record.idempotencyKey }),
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const object_ = await transport.request(
          `create ${object}`,
          'create',
          () => api.createObject(objectType, properties, []),
          { hint: missingPropertyHint(objectType) },
        )
        if (keyProperty !== false) created.set(objectType, record.idempotencyKey, object_.id)
        // The create answer holds the properties written: no owner property means none was set.
        return { ...recordOf(object_, names), ownerId: fromHubspotValue(object_.properties[OWNER]) }
      } catch (error) {
        const conflict = statusOf(error) === 409
        if (!isOutcomeUnknown(error) && !conflict) throw error
        if (keyProperty === false) throw conflict ? error : unknownWithoutKey(`create ${object}`, error)
        // The key property is unique: whether the first attempt landed is a read away, and sending the
        // create again cannot make a second record (HubSpot refuses a repeated unique value).
        const found = await recordByKey(object, record.idempotencyKey, names)
        if (found !== undefined) return found
        if (conflict || attempt >= maxRetries) throw error
      }
    }
  }

  return {
    specificationVersion: 'v1',
    name: 'hubspot',
    supports: { primaryAssociations: true, tasks: true },

    integrationUser() {
      integrationUserPromise ??= integrationUser().catch((error: unknown) => {
        integrationUserPromise = undefined
        throw error
      })
      return integrationUserPromise
    },

    async listUsers() {
      const active = await allOwners(false)
      const archived = await allOwners(true)
      const users = new Map<string, CrmUser>()
      for (const owner of [...active, ...archived]) {
        // Queues own records but are no one: they author nothing.
        if (owner.type === 'QUEUE') continue
        const user = crmUserOf(owner)
        if (!users.has(user.id)) users.set(user.id, user)
      }
      return [...users.values()]
    },

    async describeFields(object): Promise<CrmField[]> {
      const definitions = await transport.request(`read the ${object} properties`, 'read', () =>
        api.properties(OBJECT_TYPE[object]),
      )
      return definitions.map(crmFieldOf)
    },

    async searchRecords(object, search: CrmSearch) {
      const objectType = OBJECT_TYPE[object]
      const limit = search.limit ?? 100
      const found = new Map<string, CrmRecord>()
      for (const filterGroups of searchRequestsOf(search)) {
        let after: string | undefined
        do {
          const page = await transport.request(
            `search ${objectType}`,
            'read',
            () =>
              api.searchObjects(objectType, {
                filterGroups,
                properties: readProperties(searchedProperties(search)),
                limit: Math.min(SEARCH_LIMITS.pageSize, limit),
                ...(after === undefined ? {} : { after }),
              }),
            {
              search: true,
              hint: (failure) =>
                failure.status === 400
                  ? `Check that every field searched exists on ${objectType}.`
                  : undefined,
            },
          )
          for (const each of page.results)
            if (!found.has(each.id) && matchesSearch(each.properties, search.anyOf))
              found.set(each.id, recordOf(each, search.fields))
          after = page.after
        } while (after !== undefined && found.size < limit)
        if (found.size >= limit) break
      }
      return [...found.values()].slice(0, limit)
    },

    async getRecord(object, id, fields) {
      const objectType = OBJECT_TYPE[object]
      if (!NUMERIC_ID.test(id)) return undefined
      try {
        const found = await transport.request(`read ${object} ${id}`, 'read', () =>
          api.getObject(objectType, id, readProperties(fields)),
        )
        return recordOf(found, fields)
      } catch (error) {
        if (statusOf(error) === 404) return undefined
        throw error
      }
    },

    createRecord,

    async updateRecord(object, id, changes) {
      const objectType = OBJECT_TYPE[object]
      const names = Object.keys(changes.fields)
      const properties = {
        ...toHubspotProperties(changes.fields),
        ...(changes.ownerId === undefined ? {} : { [OWNER]: changes.ownerId }),
      }
      const updated = await transport.request(`update ${object} ${id}`, 'write', () =>
        api.updateObject(objectType, id, properties),
      )
      return recordOf(updated, names)
    },

    async associate(contactId, companyId, kind: CrmAssociationKind) {
      const operation = `associate contact ${contactId} with company ${companyId}`
      const put = (types: readonly HubspotAssociationType[]) =>
        transport.request(operation, 'write', () =>
          api.associate('contacts', contactId, 'companies', companyId, types.map(specOf)),
        )
      if (kind === 'additional') {
        await put([additionalType])
        return
      }
      // The new primary first, then the others: a failure half-way leaves an extra company, never none.
      await put([primaryType, additionalType])
      for (const each of await associatedCompanies(contactId)) {
        if (each.companyId === companyId) continue
        if (kind === 'primary_replacing')
          await transport.request(`remove company ${each.companyId} from contact ${contactId}`, 'write', () =>
            api.removeAssociation('contacts', contactId, 'companies', each.companyId),
          )
        else if (each.primary)
          // HubSpot keeps one primary company; this makes sure the former one is demoted, not left primary.
          await transport.request(`demote company ${each.companyId} of contact ${contactId}`, 'write', () =>
            api.removeAssociationLabels('contacts', contactId, 'companies', each.companyId, [
              specOf(primaryType),
            ]),
          )
      }
    },

    listAssociatedCompanies: associatedCompanies,

    async logActivity(activity: CrmActivity) {
      const { objectType, properties } = engagementPropertiesOf(activity)
      const id = await createEngagement(
        `log ${activity.kind} on contact ${activity.contactId}`,
        objectType,
        properties,
        associationsOf(objectType, activity.contactId, activity.companyId),
        activity.idempotencyKey,
      )
      return { id }
    },

    async createTask(task: CrmTask) {
      const properties: Record<string, string> = {
        ...toHubspotProperties(task.fields ?? {}),
        hs_task_subject: task.title,
        ...(task.body === undefined ? {} : { hs_task_body: task.body }),
        hs_timestamp: task.dueAt,
        hs_task_status: 'NOT_STARTED',
        hs_task_type: 'TODO',
        ...(task.ownerId === undefined ? {} : { [OWNER]: task.ownerId }),
      }
      const id = await createEngagement(
        `create a task on contact ${task.contactId}`,
        'tasks',
        properties,
        associationsOf('tasks', task.contactId, undefined),
        task.idempotencyKey,
      )
      return { id }
    },

    async getTasks(ids): Promise<CrmTaskState[]> {
      const wanted = [...new Set(ids.filter((id) => NUMERIC_ID.test(id)))]
      const states: CrmTaskState[] = []
      for (let start = 0; start < wanted.length; start += BATCH_READ_LIMIT) {
        const batch = wanted.slice(start, start + BATCH_READ_LIMIT)
        // Unknown ids come back as errors of a 207 answer: they are left out.
        const tasks = await transport.request(`read ${batch.length} tasks`, 'read', () =>
          api.readObjects('tasks', batch, TASK_PROPERTIES),
        )
        for (const task of tasks) {
          const completed = task.properties.hs_task_status === 'COMPLETED'
          states.push({
            id: task.id,
            completed,
            completedAt: completed ? isoOf(task.properties.hs_task_completion_date) : null,
          })
        }
      }
      const order = new Map(wanted.map((id, index) => [id, index]))
      return states.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
    },

    async completeTask(id) {
      await transport.request(`complete task ${id}`, 'write', () =>
        api.updateObject('tasks', id, { hs_task_status: 'COMPLETED' }),
      )
    },

    close: () => transport.close(),
  }
}

/** Without an idempotency property a lost create cannot be checked, so it is reported and never repeated. */
function unknownWithoutKey(operation: string, error: unknown): PacelineError {
  const message = error instanceof Error ? error.message : String(error)
  return new PacelineError(
    PacelineErrorCodes.crmFailed,
    `${message} It may have been created; without an idempotency property it is not sent again, so check HubSpot before retrying ${operation}.`,
    { cause: error, isRetryable: false, details: { outcomeUnknown: true } },
  )
}

/** HubSpot's datetime (ISO 8601 or epoch milliseconds) as ISO 8601. */
function isoOf(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null
  const time = NUMERIC_ID.test(value) ? Number(value) : Date.parse(value)
  return Number.isNaN(time) ? null : new Date(time).toISOString()
}
