import type { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { Client } from '@hubspot/api-client'
import type { HubspotPropertyDefinition } from './fields/field-metadata'
import type { HubspotFilterGroup } from './records/record-search'

/** A CRM object as HubSpot's objects API returns it. */
export interface HubspotObject {
  readonly id: string
  readonly properties: Readonly<Record<string, string | null>>
}

export interface HubspotOwner {
  readonly id: string
  readonly email?: string
  readonly firstName?: string
  readonly lastName?: string
  readonly userId?: number
  readonly archived?: boolean
  readonly type?: string
}

export interface HubspotAssociationSpec {
  readonly associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED'
  readonly associationTypeId: number
}

export interface HubspotAssociatedObject {
  readonly toObjectId: string
  readonly associationTypes: ReadonlyArray<{ readonly category: string; readonly typeId: number }>
}

export interface HubspotPage<T> {
  readonly results: readonly T[]
  readonly after?: string
}

/** An error answer of a raw request, shaped like the client's `ApiException` (`code`, `body`, `headers`). */
export class HubspotRawError extends Error {
  constructor(
    readonly code: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>>,
  ) {
    super(`HTTP ${code}`)
  }
}

/**
 * The HubSpot calls this adapter makes, through the official client (`@hubspot/api-client` 13.5) and
 * with plain structural results, so the rest of the package does not depend on the client's generated
 * model classes. Every method is one HTTP request; the transport decides about limits and retries.
 */
export interface HubspotApi {
  createObject(
    objectType: string,
    properties: Record<string, string>,
    associations: ReadonlyArray<{
      readonly to: { readonly id: string }
      readonly types: readonly HubspotAssociationSpec[]
    }>,
  ): Promise<HubspotObject>
  getObject(
    objectType: string,
    id: string,
    properties: readonly string[],
    idProperty?: string,
  ): Promise<HubspotObject>
  updateObject(objectType: string, id: string, properties: Record<string, string>): Promise<HubspotObject>
  searchObjects(
    objectType: string,
    request: {
      readonly filterGroups: readonly HubspotFilterGroup[]
      readonly properties: readonly string[]
      readonly limit: number
      readonly after?: string
    },
  ): Promise<HubspotPage<HubspotObject>>
  readObjects(
    objectType: string,
    ids: readonly string[],
    properties: readonly string[],
  ): Promise<HubspotObject[]>
  properties(objectType: string): Promise<HubspotPropertyDefinition[]>
  owners(archived: boolean, after?: string): Promise<HubspotPage<HubspotOwner>>
  ownerOfUser(userId: number): Promise<HubspotOwner>
  associate(
    fromType: string,
    fromId: string,
    toType: string,
    toId: string,
    types: readonly HubspotAssociationSpec[],
  ): Promise<void>
  associations(
    fromType: string,
    fromId: string,
    toType: string,
    after?: string,
  ): Promise<HubspotPage<HubspotAssociatedObject>>
  removeAssociation(fromType: string, fromId: string, toType: string, toId: string): Promise<void>
  removeAssociationLabels(
    fromType: string,
    fromId: string,
    toType: string,
    toId: string,
    types: readonly HubspotAssociationSpec[],
  ): Promise<void>
  /** A request the client has no typed method for: JSON in, JSON out, `HubspotRawError` on an error status. */
  raw(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>
}

/**
 * Passed to every typed call. In @hubspot/api-client 13.5 the generated methods apply the client's
 * configured middleware (its User-Agent header, `httpAgent`, the header observer below) only when a call
 * gets options with a middleware list; with none they skip all of it. Appending an empty list applies it.
 */
const CALL = { middleware: [], middlewareMergeStrategy: 'append' as const }

type SearchRequest = Parameters<Client['crm']['objects']['searchApi']['doSearch']>[1]
type AssociationSpecs = Parameters<Client['crm']['associations']['v4']['basicApi']['create']>[4]
type CreateInput = Parameters<Client['crm']['objects']['basicApi']['create']>[1]
type LabelsInput = Parameters<Client['crm']['associations']['v4']['batchApi']['archiveLabels']>[2]

export function createHubspotApi(options: {
  readonly accessToken: string
  readonly basePath: string
  readonly httpAgent?: HttpAgent | HttpsAgent
  /** Sees the headers of every answer (HubSpot's `X-HubSpot-RateLimit-*`), lower-cased. */
  readonly onResponseHeaders?: (headers: Readonly<Record<string, string>>) => void
}): HubspotApi {
  const observe = (headers: Record<string, string>) => {
    const lower: Record<string, string> = {}
    for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value
    options.onResponseHeaders?.(lower)
  }
  // No limiterOptions and no numberOfApiCallRetries: limits and retries are the transport's (see README).
  const client = new Client({
    accessToken: options.accessToken,
    basePath: options.basePath,
    ...(options.httpAgent === undefined ? {} : { httpAgent: options.httpAgent }),
    middleware: [
      {
        pre: (context: unknown) => context,
        post: (context: unknown) => {
          const headers = (context as { headers?: unknown }).headers
          if (typeof headers === 'object' && headers !== null) observe(headers as Record<string, string>)
          return context
        },
      },
    ],
  })
  const objects = () => client.crm.objects
  const associationsApi = () => client.crm.associations.v4

  return {
    async createObject(objectType, properties, associations) {
      const input = { properties, associations } as unknown as CreateInput
      return objectOf(await objects().basicApi.create(objectType, input, CALL))
    },
    async getObject(objectType, id, properties, idProperty) {
      const basic = objects().basicApi
      return objectOf(await basic.getById(objectType, id, [...properties], [], [], false, idProperty, CALL))
    },
    async updateObject(objectType, id, properties) {
      return objectOf(await objects().basicApi.update(objectType, id, { properties }, undefined, CALL))
    },
    async searchObjects(objectType, request) {
      const body = {
        filterGroups: request.filterGroups.map((filters) => ({ filters })),
        properties: [...request.properties],
        limit: request.limit,
        ...(request.after === undefined ? {} : { after: request.after }),
      } as unknown as SearchRequest
      const page = await objects().searchApi.doSearch(objectType, body, CALL)
      return { results: page.results.map(objectOf), ...afterOf(page.paging?.next?.after) }
    },
    async readObjects(objectType, ids, properties) {
      const input = {
        inputs: ids.map((id) => ({ id })),
        properties: [...properties],
        propertiesWithHistory: [],
      }
      const answer = await objects().batchApi.read(objectType, input, false, CALL)
      return answer.results.map(objectOf)
    },
    async properties(objectType) {
      const answer = await client.crm.properties.coreApi.getAll(objectType, false, undefined, CALL)
      return answer.results as unknown as HubspotPropertyDefinition[]
    },
    async owners(archived, after) {
      const page = await client.crm.owners.ownersApi.getPage(undefined, after, 500, archived, CALL)
      return { results: page.results as HubspotOwner[], ...afterOf(page.paging?.next?.after) }
    },
    async ownerOfUser(userId) {
      return (await client.crm.owners.ownersApi.getById(userId, 'userId', false, CALL)) as HubspotOwner
    },
    async associate(fromType, fromId, toType, toId, types) {
      const specs = types.map((each) => ({ ...each })) as unknown as AssociationSpecs
      await associationsApi().basicApi.create(fromType, fromId, toType, toId, specs, CALL)
    },
    async associations(fromType, fromId, toType, after) {
      const page = await associationsApi().basicApi.getPage(fromType, fromId, toType, after, 500, CALL)
      return {
        results: page.results.map((each) => ({
          toObjectId: String(each.toObjectId),
          associationTypes: each.associationTypes.map((type) => ({
            category: String(type.category),
            typeId: Number(type.typeId),
          })),
        })),
        ...afterOf(page.paging?.next?.after),
      }
    },
    async removeAssociation(fromType, fromId, toType, toId) {
      await associationsApi().basicApi.archive(fromType, fromId, toType, toId, CALL)
    },
    async removeAssociationLabels(fromType, fromId, toType, toId, types) {
      const input = {
        inputs: [{ _from: { id: fromId }, to: { id: toId }, types: types.map((each) => ({ ...each })) }],
      } as unknown as LabelsInput
      await associationsApi().batchApi.archiveLabels(fromType, toType, input, CALL)
    },
    async raw(method, path, body) {
      const response = await client.apiRequest({ method, path, ...(body === undefined ? {} : { body }) })
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = text === '' ? undefined : JSON.parse(text)
      } catch {
        // Not JSON: kept as text.
      }
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value
      })
      observe(headers)
      if (response.status >= 200 && response.status < 300) return parsed
      throw new HubspotRawError(response.status, parsed, headers)
    },
  }
}

function objectOf(object: { id: string; properties: Record<string, string | null> }): HubspotObject {
  return { id: String(object.id), properties: object.properties ?? {} }
}

const afterOf = (after: string | undefined) => (after === undefined || after === '' ? {} : { after })
