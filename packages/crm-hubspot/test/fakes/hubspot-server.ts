import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for HubSpot's API, faithful to the documented shapes the adapter relies on: Bearer
 * authentication (401 INVALID_AUTHENTICATION otherwise), the CRM v3 objects API (create 201, read by id or
 * by a unique `idProperty`, update, batch read with 207 for unknown ids, search with HubSpot's filter
 * limits and OR-of-AND semantics), the properties API (definitions in `hubspot-fixtures/properties`),
 * owners, associations v4 (HubSpot-defined types in `hubspot-fixtures/association-types.json`, one
 * primary company per contact), the private app token-info and OAuth token endpoints, the daily usage
 * endpoint, error bodies `{ status: 'error', message, correlationId, category }`, the
 * `X-HubSpot-RateLimit-*` headers, and 429s by policy (TEN_SECONDLY_ROLLING, DAILY, search's SECONDLY).
 * Property values are validated like HubSpot does (unknown, read-only, enumeration, number, boolean,
 * date, email, unique values). Tests script answers (a 429 burst, a 5xx, a dropped connection) with `script`.
 */

export type FakeObjectType = 'contacts' | 'companies' | 'notes' | 'emails' | 'tasks' | 'communications'

export interface FakePropertyDefinition {
  readonly name: string
  readonly label: string
  readonly type: string
  readonly fieldType: string
  readonly options: ReadonlyArray<{ readonly label: string; readonly value: string }>
  readonly hasUniqueValue?: boolean
  readonly calculated?: boolean
  readonly externalOptions?: boolean
  readonly referencedObjectType?: string
  readonly modificationMetadata?: { readonly readOnlyValue?: boolean }
  readonly [other: string]: unknown
}

export interface FakeOwner {
  readonly id: string
  readonly email?: string
  readonly firstName?: string
  readonly lastName?: string
  readonly userId?: number
  readonly type: 'PERSON' | 'QUEUE'
  readonly archived: boolean
  readonly [other: string]: unknown
}

export interface FakeObject {
  readonly id: string
  readonly type: FakeObjectType
  readonly properties: Record<string, string>
  readonly createdAt: string
  updatedAt: string
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  /** Each parameter's values, comma-joined when repeated. */
  readonly query: Readonly<Record<string, string>>
  readonly body: unknown
  readonly token: string | undefined
  readonly userAgent: string | undefined
  readonly at: number
  status: number
}

export type ScriptedAnswer =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  /** Closes the connection without answering: `before` handling the request, or `after` carrying it out. */
  | { readonly drop: 'before' | 'after' }
  /** Answers normally, after this long (to outlast a client's timeout). */
  | { readonly delayMs: number }

export interface ScriptMatch {
  readonly method?: string
  readonly path?: string | RegExp
}

export interface FakeHubspotOptions {
  /** The private app token the fake accepts. Default `pat-na1-fake-token`. */
  readonly accessToken?: string
  /** HubSpot user id of the token's user (an owner in `hubspot-fixtures/owners.json`). Default 9586504. */
  readonly tokenUserId?: number
  /** Requests per rolling 10 s before 429 TEN_SECONDLY_ROLLING (and in X-HubSpot-RateLimit-Max). Default 190. */
  readonly tenSecondlyLimit?: number
  /** Requests per day before 429 DAILY. Default 650,000. */
  readonly dailyLimit?: number
  /** Search requests per second before 429 SECONDLY. Default 5. */
  readonly searchPerSecondLimit?: number
  /** Setting a primary company demotes the contact's former primary company (HubSpot keeps one). Default true. */
  readonly primaryCompanyIsExclusive?: boolean
  readonly now?: () => number
}

interface AssociationTypeDefinition {
  readonly fromObjectType: FakeObjectType
  readonly toObjectType: FakeObjectType
  readonly typeId: number
  readonly category: string
  readonly label: string | null
  readonly inverseTypeId: number
}

interface TokenInfo {
  readonly kind: 'private-app' | 'oauth'
  readonly userId: number
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./hubspot-fixtures/${name}`, import.meta.url), 'utf8'))

const OBJECT_TYPES: readonly FakeObjectType[] = [
  'contacts',
  'companies',
  'notes',
  'emails',
  'tasks',
  'communications',
]
const OBJECT_TYPE_IDS: Readonly<Record<FakeObjectType, string>> = {
  contacts: '0-1',
  companies: '0-2',
  notes: '0-46',
  emails: '0-49',
  tasks: '0-27',
  communications: '0-18',
}
const SINGULAR: Readonly<Record<FakeObjectType, string>> = {
  contacts: 'contact',
  companies: 'company',
  notes: 'note',
  emails: 'email',
  tasks: 'task',
  communications: 'communication',
}
const ENGAGEMENTS = new Set<FakeObjectType>(['notes', 'emails', 'tasks', 'communications'])
const DEFAULT_PROPERTIES: Readonly<Record<FakeObjectType, readonly string[]>> = {
  contacts: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
  companies: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
  notes: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  emails: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  tasks: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
  communications: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
}
const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, filters: 18, pageSize: 200 }

function objectTypeOf(name: string | undefined): FakeObjectType | undefined {
  if (name === undefined) return undefined
  const lower = name.toLowerCase()
  for (const type of OBJECT_TYPES)
    if (lower === type || lower === SINGULAR[type] || lower === OBJECT_TYPE_IDS[type]) return type
  return undefined
}

class HubspotAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message))
  }
}

interface PropertyError {
  readonly isValid: false
  readonly message: string
  readonly error: string
  readonly name: string
  readonly localizedErrorMessage: string
}

export class FakeHubspot {
  readonly requests: RecordedRequest[] = []
  readonly objects = new Map<FakeObjectType, Map<string, FakeObject>>(
    OBJECT_TYPES.map((type) => [type, new Map()]),
  )
  readonly properties = new Map<FakeObjectType, FakePropertyDefinition[]>(
    OBJECT_TYPES.map((type) => [
      type,
      (fixture(`properties/${type}.json`) as { results: FakePropertyDefinition[] }).results,
    ]),
  )
  readonly owners: FakeOwner[] = (fixture('owners.json') as { results: FakeOwner[] }).results
  readonly associationTypes: AssociationTypeDefinition[] = fixture(
    'association-types.json',
  ) as AssociationTypeDefinition[]
  /** `${fromType}:${fromId}:${toType}:${toId}` → type ids. */
  readonly associations = new Map<string, Set<number>>()
  readonly tokens = new Map<string, TokenInfo>()
  readonly accessToken: string
  private readonly scripted: Array<{ readonly match: ScriptMatch; readonly answers: ScriptedAnswer[] }> = []
  private readonly errorBodies = fixture('error-bodies.json') as Record<string, Record<string, unknown>>
  private readonly now: () => number
  private readonly tenSecondlyLimit: number
  private readonly dailyLimit: number
  private readonly searchPerSecondLimit: number
  private readonly primaryCompanyIsExclusive: boolean
  private readonly hits = new Map<string, number[]>()
  private readonly searchHits = new Map<string, number[]>()
  private readonly dailyHits = new Map<string, number>()
  private nextId = 51_001
  private server: Server | undefined

  constructor(options: FakeHubspotOptions = {}) {
    this.accessToken = options.accessToken ?? 'pat-na1-fake-token'
    this.tokens.set(this.accessToken, { kind: 'private-app', userId: options.tokenUserId ?? 9_586_504 })
    this.now = options.now ?? Date.now
    this.tenSecondlyLimit = options.tenSecondlyLimit ?? 190
    this.dailyLimit = options.dailyLimit ?? 650_000
    this.searchPerSecondLimit = options.searchPerSecondLimit ?? 5
    this.primaryCompanyIsExclusive = options.primaryCompanyIsExclusive ?? true
  }

  /** The base path to give the HubSpot client (`basePath`). */
  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined
    if (address === undefined) throw new Error('the fake HubSpot server is not started')
    return `http://127.0.0.1:${address.port}`
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'application/json;charset=utf-8' })
          response.end(
            JSON.stringify({ status: 'error', message: String(error), category: 'INTERNAL_ERROR' }),
          )
        }
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** Another token the fake accepts: a private app's or an OAuth access token, for a HubSpot user. */
  addToken(token: string, info: TokenInfo): void {
    this.tokens.set(token, info)
  }

  /** Answers the next requests that match with these, in order, instead of handling them. */
  script(match: ScriptMatch, ...answers: ScriptedAnswer[]): void {
    this.scripted.push({ match, answers: [...answers] })
  }

  /** Requests whose path matches, in order. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((each) => each.method === method && matchesPath(path, each.path))
  }

  /** Creates an object as a HubSpot user would (no validation). */
  seed(type: FakeObjectType, properties: Record<string, string>): FakeObject {
    return this.store(type, properties)
  }

  object(type: FakeObjectType, id: string): FakeObject | undefined {
    return this.objects.get(type)?.get(id)
  }

  all(type: FakeObjectType): FakeObject[] {
    return [...(this.objects.get(type)?.values() ?? [])]
  }

  /** The objects of `toType` associated with an object, with the association type ids. */
  associated(
    fromType: FakeObjectType,
    fromId: string,
    toType: FakeObjectType,
  ): Array<{ id: string; typeIds: number[] }> {
    const prefix = `${fromType}:${fromId}:${toType}:`
    return [...this.associations.entries()]
      .filter(([key, types]) => key.startsWith(prefix) && types.size > 0)
      .map(([key, types]) => ({ id: key.slice(prefix.length), typeIds: [...types].sort((a, b) => a - b) }))
  }

  addProperty(type: FakeObjectType, definition: FakePropertyDefinition): void {
    this.properties.get(type)?.push(definition)
  }

  /** A user-defined association label between two object types (and its inverse). */
  addAssociationLabel(from: FakeObjectType, to: FakeObjectType, typeId: number, label: string): void {
    this.associationTypes.push(
      {
        fromObjectType: from,
        toObjectType: to,
        typeId,
        category: 'USER_DEFINED',
        label,
        inverseTypeId: typeId + 1,
      },
      {
        fromObjectType: to,
        toObjectType: from,
        typeId: typeId + 1,
        category: 'USER_DEFINED',
        label,
        inverseTypeId: typeId,
      },
    )
  }

  private store(type: FakeObjectType, properties: Record<string, string>): FakeObject {
    const id = String(this.nextId++)
    const at = new Date(this.now()).toISOString()
    const created = ENGAGEMENTS.has(type) ? 'hs_createdate' : 'createdate'
    const modified = type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate'
    const object: FakeObject = {
      id,
      type,
      properties: { ...properties, hs_object_id: id, [created]: at, [modified]: at },
      createdAt: at,
      updatedAt: at,
    }
    this.objects.get(type)?.set(id, object)
    return object
  }

  private error(status: number, template: string, message?: string, extra: Record<string, unknown> = {}) {
    const body: Record<string, unknown> = {
      ...(this.errorBodies[template] ?? {}),
      correlationId: randomUUID(),
      ...extra,
    }
    if (message !== undefined) body.message = message
    if ('requestId' in body) body.requestId = randomUUID()
    return new HubspotAnswer(status, body)
  }

  private validationError(message: string) {
    return this.error(400, 'propertyValuesNotValid', message)
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const text = Buffer.concat(chunks).toString('utf8')
    let body: unknown
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {
      body = text
    }
    const authorization = request.headers.authorization
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length) : undefined
    const method = request.method ?? 'GET'
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(
        [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key).join(',')]),
      ),
      body,
      token,
      userAgent: request.headers['user-agent'],
      at: this.now(),
      status: 0,
    }
    this.requests.push(recorded)
    const search = /\/search$/.test(url.pathname)
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status
      const rateHeaders =
        token !== undefined && this.tokens.has(token) && !search ? this.rateLimitHeaders(token) : {}
      if (payload === undefined) {
        response.writeHead(status, { ...rateHeaders, ...headers })
        response.end()
        return
      }
      response.writeHead(status, {
        'content-type': 'application/json;charset=utf-8',
        ...rateHeaders,
        ...headers,
      })
      response.end(JSON.stringify(payload))
    }

    const scripted = this.nextScripted(method, url.pathname)
    if (scripted !== undefined) {
      if ('drop' in scripted) {
        if (scripted.drop === 'after') {
          try {
            this.route(method, url, body, token)
          } catch {
            // Carried out or refused: either way the caller hears nothing.
          }
        }
        recorded.status = -1
        request.socket.destroy()
        return
      }
      if ('delayMs' in scripted) await new Promise((resolve) => setTimeout(resolve, scripted.delayMs))
      else {
        const payload =
          typeof scripted.body === 'object' && scripted.body !== null
            ? { correlationId: randomUUID(), ...(scripted.body as object) }
            : scripted.body
        send(scripted.status, payload, { ...scripted.headers })
        return
      }
    }

    try {
      if (!(method === 'POST' && url.pathname === '/oauth/v2/private-apps/get/access-token-info')) {
        if (token === undefined || !this.tokens.has(token)) throw this.error(401, 'unauthorized')
        this.countRequest(token, search)
      }
      const { status, payload } = this.route(method, url, body, token)
      send(status, payload)
    } catch (error) {
      if (error instanceof HubspotAnswer) send(error.status, error.body, error.headers)
      else throw error
    }
  }

  private nextScripted(method: string, path: string): ScriptedAnswer | undefined {
    for (const entry of this.scripted) {
      if (entry.answers.length === 0) continue
      if (entry.match.method !== undefined && entry.match.method !== method) continue
      if (entry.match.path !== undefined && !matchesPath(entry.match.path, path)) continue
      return entry.answers.shift()
    }
    return undefined
  }

  private rateLimitHeaders(token: string): Record<string, string> {
    const now = this.now()
    const recent = (this.hits.get(token) ?? []).filter((at) => at > now - 10_000)
    return {
      'x-hubspot-ratelimit-daily': String(this.dailyLimit),
      'x-hubspot-ratelimit-daily-remaining': String(
        Math.max(0, this.dailyLimit - (this.dailyHits.get(token) ?? 0)),
      ),
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': String(this.tenSecondlyLimit),
      'x-hubspot-ratelimit-remaining': String(Math.max(0, this.tenSecondlyLimit - recent.length)),
    }
  }

  private countRequest(token: string, search: boolean): void {
    const now = this.now()
    const daily = (this.dailyHits.get(token) ?? 0) + 1
    this.dailyHits.set(token, daily)
    if (daily > this.dailyLimit) throw this.error(429, 'daily')
    const recent = (this.hits.get(token) ?? []).filter((at) => at > now - 10_000)
    recent.push(now)
    this.hits.set(token, recent)
    if (recent.length > this.tenSecondlyLimit) throw this.error(429, 'tenSecondlyRolling')
    if (search) {
      const second = (this.searchHits.get(token) ?? []).filter((at) => at > now - 1_000)
      second.push(now)
      this.searchHits.set(token, second)
      if (second.length > this.searchPerSecondLimit) throw this.error(429, 'searchSecondly')
    }
  }

  private route(
    method: string,
    url: URL,
    body: unknown,
    token: string | undefined,
  ): { status: number; payload?: unknown } {
    const path = url.pathname.replace(/\/+$/, '')
    const query = url.searchParams
    if (method === 'POST' && path === '/oauth/v2/private-apps/get/access-token-info') {
      const tokenKey = (body as { tokenKey?: unknown } | undefined)?.tokenKey
      const info = typeof tokenKey === 'string' ? this.tokens.get(tokenKey) : undefined
      if (info === undefined || info.kind !== 'private-app')
        throw this.error(400, 'propertyValuesNotValid', 'Invalid token', { category: 'BAD_REQUEST' })
      return {
        status: 200,
        payload: { userId: info.userId, hubId: 20_000_001, appId: 3_100_001, scopes: this.scopes() },
      }
    }
    const oauthToken = /^\/oauth\/v1\/access-tokens\/([^/]+)$/.exec(path)
    if (method === 'GET' && oauthToken) {
      const info = this.tokens.get(decodeURIComponent(oauthToken[1] ?? ''))
      if (info === undefined || info.kind !== 'oauth')
        throw this.error(404, 'objectNotFound', 'Token not found', { category: 'OBJECT_NOT_FOUND' })
      const owner = this.owners.find((each) => each.userId === info.userId)
      return {
        status: 200,
        payload: {
          token: oauthToken[1],
          user: owner?.email ?? null,
          hub_domain: 'acme.example',
          scopes: this.scopes(),
          hub_id: 20_000_001,
          app_id: 3_100_002,
          expires_in: 1_800,
          user_id: info.userId,
          token_type: 'access',
        },
      }
    }
    if (method === 'GET' && path === '/account-info/v3/api-usage/daily/private-apps') {
      const now = new Date(this.now())
      const resetsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 5))
      return {
        status: 200,
        payload: {
          results: [
            {
              name: 'private-apps-api-calls-daily',
              usageLimit: this.dailyLimit,
              currentUsage: token === undefined ? 0 : (this.dailyHits.get(token) ?? 0),
              collectedAt: now.toISOString(),
              fetchStatus: 'SUCCESS',
              resetsAt: resetsAt.toISOString(),
            },
          ],
        },
      }
    }
    if (method === 'GET' && path === '/crm/v3/owners') return { status: 200, payload: this.ownersPage(query) }
    const ownerPath = /^\/crm\/v3\/owners\/([^/]+)$/.exec(path)
    if (method === 'GET' && ownerPath) {
      const id = decodeURIComponent(ownerPath[1] ?? '')
      const byUser = query.get('idProperty') === 'userId'
      const archived = query.get('archived') === 'true'
      const owner = this.owners.find(
        (each) => (byUser ? String(each.userId) === id : each.id === id) && each.archived === archived,
      )
      if (owner === undefined) throw this.error(404, 'objectNotFound', `Owner ${id} not found`)
      return { status: 200, payload: owner }
    }
    const propertiesPath = /^\/crm\/v3\/properties\/([^/]+)$/.exec(path)
    if (method === 'GET' && propertiesPath) {
      const type = this.typeOrThrow(propertiesPath[1])
      return { status: 200, payload: { results: this.properties.get(type) ?? [] } }
    }
    const objectPath = /^\/crm\/v3\/objects\/([^/]+)(?:\/(.+))?$/.exec(path)
    if (objectPath) {
      const type = this.typeOrThrow(objectPath[1])
      const rest = objectPath[2]
      if (method === 'POST' && rest === undefined) return { status: 201, payload: this.create(type, body) }
      if (method === 'POST' && rest === 'search') return { status: 200, payload: this.search(type, body) }
      if (method === 'POST' && rest === 'batch/read') return this.batchRead(type, body)
      if (rest !== undefined && !rest.includes('/')) {
        const id = decodeURIComponent(rest)
        if (method === 'GET') return { status: 200, payload: this.read(type, id, query) }
        if (method === 'PATCH') return { status: 200, payload: this.update(type, id, body, query) }
      }
    }
    const associationPath =
      /^\/crm\/v4\/objects\/([^/]+)\/([^/]+)\/associations\/([^/]+)(?:\/([^/]+))?$/.exec(path)
    if (associationPath) {
      const fromType = this.typeOrThrow(associationPath[1])
      const fromId = decodeURIComponent(associationPath[2] ?? '')
      const toType = this.typeOrThrow(associationPath[3])
      const toId = associationPath[4] === undefined ? undefined : decodeURIComponent(associationPath[4])
      if (method === 'PUT' && toId !== undefined)
        return { status: 201, payload: this.associate(fromType, fromId, toType, toId, body) }
      if (method === 'GET' && toId === undefined)
        return { status: 200, payload: this.associationsPage(fromType, fromId, toType, query) }
      if (method === 'DELETE' && toId !== undefined) {
        this.unlink(fromType, fromId, toType, toId)
        return { status: 204 }
      }
    }
    const labelsPath = /^\/crm\/v4\/associations\/([^/]+)\/([^/]+)\/batch\/labels\/archive$/.exec(path)
    if (method === 'POST' && labelsPath) {
      const fromType = this.typeOrThrow(labelsPath[1])
      const toType = this.typeOrThrow(labelsPath[2])
      const inputs = (
        body as {
          inputs?: Array<{
            from?: { id?: string }
            to?: { id?: string }
            types?: Array<{ associationTypeId?: number }>
          }>
        }
      )?.inputs
      for (const input of inputs ?? [])
        for (const type of input.types ?? [])
          this.removeType(
            fromType,
            String(input.from?.id),
            toType,
            String(input.to?.id),
            Number(type.associationTypeId),
          )
      return { status: 204 }
    }
    throw this.error(404, 'objectNotFound', `No route for ${method} ${path}`, { category: 'NOT_FOUND' })
  }

  private scopes(): string[] {
    return [
      'crm.objects.contacts.read',
      'crm.objects.contacts.write',
      'crm.objects.companies.read',
      'crm.objects.companies.write',
      'crm.objects.owners.read',
      'crm.schemas.contacts.read',
      'crm.schemas.companies.read',
      'sales-email-read',
    ]
  }

  private typeOrThrow(name: string | undefined): FakeObjectType {
    const type = objectTypeOf(name === undefined ? undefined : decodeURIComponent(name))
    if (type === undefined)
      throw this.error(400, 'propertyValuesNotValid', `Unable to infer object type from: ${name}`, {
        category: 'VALIDATION_ERROR',
      })
    return type
  }

  private definition(type: FakeObjectType, name: string): FakePropertyDefinition | undefined {
    return this.properties.get(type)?.find((each) => each.name === name)
  }

  /** HubSpot's value checks; returns the stored form of each value. */
  private validated(type: FakeObjectType, properties: unknown, exceptId?: string): Record<string, string> {
    if (typeof properties !== 'object' || properties === null)
      throw this.validationError('properties is required')
    const out: Record<string, string> = {}
    const errors: PropertyError[] = []
    const fail = (name: string, error: string, message: string) =>
      errors.push({ isValid: false, message, error, name, localizedErrorMessage: message })
    for (const [name, raw] of Object.entries(properties)) {
      const definition = this.definition(type, name)
      if (definition === undefined) {
        fail(name, 'PROPERTY_DOESNT_EXIST', `Property "${name}" does not exist`)
        continue
      }
      if (definition.modificationMetadata?.readOnlyValue === true || definition.calculated === true) {
        fail(name, 'READ_ONLY_VALUE', `"${name}" is a read only property; its value cannot be set.`)
        continue
      }
      const value = raw === null ? '' : String(raw)
      const stored = this.checkValue(type, definition, value, fail)
      if (stored !== undefined) out[name] = stored
    }
    if (errors.length > 0)
      throw this.validationError(`Property values were not valid: ${JSON.stringify(errors)}`)
    for (const [name, value] of Object.entries(out)) {
      if (value === '' || this.definition(type, name)?.hasUniqueValue !== true) continue
      const other = this.all(type).find((each) => each.id !== exceptId && each.properties[name] === value)
      if (other !== undefined)
        throw this.error(
          409,
          'contactExists',
          `A ${SINGULAR[type]} with the unique value "${value}" for property "${name}" already exists. Existing ID: ${other.id}`,
        )
    }
    if (type === 'contacts' && out.email !== undefined && out.email !== '') {
      const email = out.email.toLowerCase()
      const other = this.all(type).find(
        (each) => each.id !== exceptId && each.properties.email?.toLowerCase() === email,
      )
      if (other !== undefined)
        throw this.error(409, 'contactExists', `Contact already exists. Existing ID: ${other.id}`)
    }
    return out
  }

  private checkValue(
    type: FakeObjectType,
    definition: FakePropertyDefinition,
    value: string,
    fail: (name: string, error: string, message: string) => void,
  ): string | undefined {
    const { name } = definition
    if (value === '') return ''
    if (definition.referencedObjectType === 'OWNER') {
      if (!this.owners.some((owner) => owner.id === value && !owner.archived)) {
        fail(name, 'INVALID_OWNER_ID', `${value} is not a valid owner id`)
        return undefined
      }
      return value
    }
    switch (definition.type) {
      case 'number':
        if (!Number.isFinite(Number(value))) {
          fail(name, 'INVALID_INTEGER', `${value} was not a valid number.`)
          return undefined
        }
        return String(Number(value))
      case 'bool':
        if (value !== 'true' && value !== 'false') {
          fail(name, 'INVALID_BOOLEAN', `${value} was not a valid boolean.`)
          return undefined
        }
        return value
      case 'enumeration': {
        const allowed = new Set(definition.options.map((option) => option.value))
        const values = definition.fieldType === 'checkbox' ? value.split(';') : [value]
        const wrong = values.find((each) => !allowed.has(each))
        if (wrong !== undefined) {
          fail(
            name,
            'INVALID_OPTION',
            `${wrong} was not one of the allowed options: ${definition.options.map((option) => `[label: "${option.label}"\nvalue: "${option.value}"\n]`).join(', ')}`,
          )
          return undefined
        }
        return value
      }
      case 'datetime': {
        const time = /^\d+$/.test(value) ? Number(value) : Date.parse(value)
        if (Number.isNaN(time)) {
          fail(name, 'INVALID_DATETIME', `${value} was not a valid datetime.`)
          return undefined
        }
        return new Date(time).toISOString()
      }
      case 'date': {
        const time = /^\d+$/.test(value) ? Number(value) : Date.parse(`${value}T00:00:00Z`)
        if (Number.isNaN(time) || time % 86_400_000 !== 0) {
          fail(name, 'INVALID_DATE', `${value} is not a valid date (midnight UTC).`)
          return undefined
        }
        return new Date(time).toISOString().slice(0, 10)
      }
      default:
        if (type === 'contacts' && name === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
          fail(name, 'INVALID_EMAIL', `Email address ${value} is invalid`)
          return undefined
        }
        return value
    }
  }

  private shape(object: FakeObject, names: readonly string[] | undefined): Record<string, unknown> {
    const wanted = names ?? DEFAULT_PROPERTIES[object.type]
    const always = DEFAULT_PROPERTIES[object.type].filter((name) => /date$|_id$/.test(name))
    const properties: Record<string, string | null> = {}
    for (const name of [...new Set([...wanted, ...always])]) {
      if (this.definition(object.type, name) === undefined && !(name in object.properties)) continue
      const value = object.properties[name]
      properties[name] = value === undefined || value === '' ? null : value
    }
    return {
      id: object.id,
      properties,
      createdAt: object.createdAt,
      updatedAt: object.updatedAt,
      archived: false,
    }
  }

  private create(type: FakeObjectType, body: unknown): Record<string, unknown> {
    const input = (body ?? {}) as { properties?: unknown; associations?: unknown }
    const properties = this.validated(type, input.properties ?? {})
    if (ENGAGEMENTS.has(type) && (properties.hs_timestamp ?? '') === '')
      throw this.validationError(`Property values were not valid: hs_timestamp is required for ${type}`)
    if (type === 'communications' && properties.hs_communication_logged_from !== 'CRM')
      throw this.validationError('hs_communication_logged_from must be set to CRM')
    const links = this.checkInlineAssociations(type, input.associations)
    if (type === 'tasks' && properties.hs_task_status === 'COMPLETED')
      properties.hs_task_completion_date = new Date(this.now()).toISOString()
    const object = this.store(type, properties)
    for (const link of links) this.link(type, object.id, link.toType, link.toId, link.typeIds)
    return this.shape(object, Object.keys({ ...object.properties }))
  }

  private checkInlineAssociations(
    type: FakeObjectType,
    associations: unknown,
  ): Array<{ toType: FakeObjectType; toId: string; typeIds: number[] }> {
    if (associations === undefined || associations === null) return []
    if (!Array.isArray(associations)) throw this.validationError('associations must be an array')
    return associations.map(
      (association: { to?: { id?: unknown }; types?: Array<{ associationTypeId?: unknown }> }) => {
        const toId = String(association.to?.id ?? '')
        const typeIds = (association.types ?? []).map((each) => Number(each.associationTypeId))
        const definition = this.associationTypes.find(
          (each) => each.fromObjectType === type && typeIds.includes(each.typeId),
        )
        if (definition === undefined)
          throw this.error(
            400,
            'propertyValuesNotValid',
            `${typeIds.join(', ')} is not a valid association type from ${type}`,
            {
              category: 'VALIDATION_ERROR',
            },
          )
        if (this.object(definition.toObjectType, toId) === undefined)
          throw this.error(
            404,
            'objectNotFound',
            `No ${SINGULAR[definition.toObjectType]} with ID ${toId} exists`,
          )
        return { toType: definition.toObjectType, toId, typeIds }
      },
    )
  }

  private read(type: FakeObjectType, id: string, query: URLSearchParams): Record<string, unknown> {
    // The client repeats the parameter (`properties=a&properties=b`); HubSpot also takes `a,b`.
    const names = query.has('properties')
      ? query
          .getAll('properties')
          .flatMap((each) => each.split(','))
          .filter(Boolean)
      : undefined
    const object = this.find(type, id, query.get('idProperty'))
    if (object === undefined) throw this.notFound(id)
    return this.shape(object, names)
  }

  private find(type: FakeObjectType, id: string, idProperty: string | null): FakeObject | undefined {
    if (idProperty === null || idProperty === '' || idProperty === 'hs_object_id')
      return this.object(type, id)
    const definition = this.definition(type, idProperty)
    const unique = definition?.hasUniqueValue === true || (type === 'contacts' && idProperty === 'email')
    if (!unique)
      throw this.validationError(
        `${idProperty} is not a unique identifier property for ${type}: idProperty must name a property with unique values`,
      )
    const wanted = type === 'contacts' && idProperty === 'email' ? id.toLowerCase() : id
    return this.all(type).find((each) => {
      const value = each.properties[idProperty]
      return (idProperty === 'email' ? value?.toLowerCase() : value) === wanted
    })
  }

  private notFound(id: string) {
    return this.error(404, 'objectNotFound', undefined, { context: { id: [id] } })
  }

  private update(
    type: FakeObjectType,
    id: string,
    body: unknown,
    query: URLSearchParams,
  ): Record<string, unknown> {
    const object = this.find(type, id, query.get('idProperty'))
    if (object === undefined) throw this.notFound(id)
    const properties = this.validated(
      type,
      (body as { properties?: unknown } | undefined)?.properties,
      object.id,
    )
    if (type === 'tasks' && properties.hs_task_status !== undefined)
      properties.hs_task_completion_date =
        properties.hs_task_status === 'COMPLETED'
          ? object.properties.hs_task_completion_date || new Date(this.now()).toISOString()
          : ''
    Object.assign(object.properties, properties)
    object.updatedAt = new Date(this.now()).toISOString()
    object.properties[type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate'] = object.updatedAt
    return this.shape(object, Object.keys(properties))
  }

  private batchRead(type: FakeObjectType, body: unknown): { status: number; payload: unknown } {
    const input = (body ?? {}) as { inputs?: Array<{ id?: unknown }>; properties?: string[] }
    const inputs = input.inputs ?? []
    if (inputs.length > 100) throw this.validationError('Batch size may not exceed 100 inputs')
    const startedAt = new Date(this.now()).toISOString()
    const results: unknown[] = []
    const missing: string[] = []
    for (const each of inputs) {
      const id = String(each.id)
      const object = this.object(type, id)
      if (object === undefined) missing.push(id)
      else results.push(this.shape(object, input.properties))
    }
    const base = { status: 'COMPLETE', results, startedAt, completedAt: new Date(this.now()).toISOString() }
    if (missing.length === 0) return { status: 200, payload: base }
    return {
      status: 207,
      payload: {
        ...base,
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: `Could not get some ${SINGULAR[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
            context: { ids: missing },
          },
        ],
      },
    }
  }

  private search(type: FakeObjectType, body: unknown): Record<string, unknown> {
    const input = (body ?? {}) as {
      filterGroups?: Array<{
        filters?: Array<{ propertyName?: string; operator?: string; value?: string; values?: string[] }>
      }>
      properties?: string[]
      limit?: number
      after?: string
    }
    const groups = input.filterGroups ?? []
    if (groups.length > SEARCH_LIMITS.groups)
      throw this.validationError(`Too many filter groups: at most ${SEARCH_LIMITS.groups} are allowed`)
    let total = 0
    for (const group of groups) {
      const filters = group.filters ?? []
      if (filters.length > SEARCH_LIMITS.filtersPerGroup)
        throw this.validationError(
          `Too many filters in a group: at most ${SEARCH_LIMITS.filtersPerGroup} are allowed`,
        )
      total += filters.length
      for (const filter of filters)
        if (filter.propertyName === undefined || this.definition(type, filter.propertyName) === undefined)
          throw this.validationError(
            `There was a problem with the request: property ${filter.propertyName} does not exist`,
          )
    }
    if (total > SEARCH_LIMITS.filters)
      throw this.validationError(`Too many filters: at most ${SEARCH_LIMITS.filters} are allowed in a search`)
    const limit = input.limit ?? 10
    if (limit > SEARCH_LIMITS.pageSize)
      throw this.validationError(`limit may not exceed ${SEARCH_LIMITS.pageSize}`)
    const matching = this.all(type).filter(
      (object) =>
        groups.length === 0 ||
        groups.some((group) => (group.filters ?? []).every((filter) => this.holds(type, object, filter))),
    )
    const start = Number(input.after ?? 0)
    const page = matching.slice(start, start + limit)
    const next = start + limit < matching.length ? String(start + limit) : undefined
    return {
      total: matching.length,
      results: page.map((object) => this.shape(object, input.properties)),
      ...(next === undefined ? {} : { paging: { next: { after: next, link: '' } } }),
    }
  }

  private holds(
    type: FakeObjectType,
    object: FakeObject,
    filter: { propertyName?: string; operator?: string; value?: string; values?: string[] },
  ): boolean {
    const name = filter.propertyName ?? ''
    const definition = this.definition(type, name)
    const actual = object.properties[name] ?? ''
    const wanted = filter.value ?? ''
    const equal = () => {
      if (actual === '') return false
      if (definition?.type === 'number') return Number(actual) === Number(wanted)
      if (definition?.type === 'datetime')
        return Date.parse(actual) === (/^\d+$/.test(wanted) ? Number(wanted) : Date.parse(wanted))
      return actual.toLowerCase() === wanted.toLowerCase()
    }
    switch (filter.operator) {
      case 'EQ':
        return equal()
      case 'NEQ':
        return !equal()
      case 'HAS_PROPERTY':
        return actual !== ''
      case 'NOT_HAS_PROPERTY':
        return actual === ''
      case 'IN':
        return (filter.values ?? []).includes(actual.toLowerCase())
      case 'CONTAINS_TOKEN':
        return containsToken(actual, wanted)
      case 'NOT_CONTAINS_TOKEN':
        return !containsToken(actual, wanted)
      default:
        throw this.validationError(`The fake does not implement the ${filter.operator} operator`)
    }
  }

  private ownersPage(query: URLSearchParams): Record<string, unknown> {
    const archived = query.get('archived') === 'true'
    const email = query.get('email')
    const limit = Math.min(Number(query.get('limit') ?? 100), 500)
    const matching = this.owners.filter(
      (owner) => owner.archived === archived && (email === null || owner.email === email),
    )
    const start = Number(query.get('after') ?? 0)
    const next = start + limit < matching.length ? String(start + limit) : undefined
    return {
      results: matching.slice(start, start + limit),
      ...(next === undefined ? {} : { paging: { next: { after: next, link: '' } } }),
    }
  }

  private associationDefinition(fromType: FakeObjectType, toType: FakeObjectType, typeId: number) {
    return this.associationTypes.find(
      (each) => each.fromObjectType === fromType && each.toObjectType === toType && each.typeId === typeId,
    )
  }

  private associate(
    fromType: FakeObjectType,
    fromId: string,
    toType: FakeObjectType,
    toId: string,
    body: unknown,
  ): Record<string, unknown> {
    if (!Array.isArray(body) || body.length === 0)
      throw this.validationError('The request body must be a non-empty array of association types')
    if (this.object(fromType, fromId) === undefined) throw this.notFound(fromId)
    if (this.object(toType, toId) === undefined) throw this.notFound(toId)
    const typeIds = body.map((spec: { associationCategory?: string; associationTypeId?: number }) => {
      const definition = this.associationDefinition(fromType, toType, Number(spec.associationTypeId))
      if (definition === undefined || definition.category !== spec.associationCategory)
        throw this.validationError(
          `${spec.associationCategory} ${spec.associationTypeId} is not a valid association type from ${fromType} to ${toType}`,
        )
      return definition.typeId
    })
    this.link(fromType, fromId, toType, toId, typeIds)
    const labels = typeIds
      .map((typeId) => this.associationDefinition(fromType, toType, typeId)?.label)
      .filter((label): label is string => label !== null && label !== undefined)
    return {
      fromObjectTypeId: OBJECT_TYPE_IDS[fromType],
      fromObjectId: Number(fromId),
      toObjectTypeId: OBJECT_TYPE_IDS[toType],
      toObjectId: Number(toId),
      labels,
    }
  }

  private link(
    fromType: FakeObjectType,
    fromId: string,
    toType: FakeObjectType,
    toId: string,
    typeIds: number[],
  ) {
    for (const typeId of typeIds) {
      const definition = this.associationDefinition(fromType, toType, typeId)
      if (definition === undefined) continue
      // HubSpot keeps one primary company per contact: a new primary demotes the former one.
      if (this.primaryCompanyIsExclusive && fromType === 'contacts' && toType === 'companies' && typeId === 1)
        for (const other of this.associated('contacts', fromId, 'companies'))
          if (other.id !== toId) this.removeType('contacts', fromId, 'companies', other.id, 1)
      this.typesOf(fromType, fromId, toType, toId).add(typeId)
      this.typesOf(toType, toId, fromType, fromId).add(definition.inverseTypeId)
    }
  }

  private typesOf(
    fromType: FakeObjectType,
    fromId: string,
    toType: FakeObjectType,
    toId: string,
  ): Set<number> {
    const key = `${fromType}:${fromId}:${toType}:${toId}`
    let types = this.associations.get(key)
    if (types === undefined) {
      types = new Set()
      this.associations.set(key, types)
    }
    return types
  }

  private removeType(
    fromType: FakeObjectType,
    fromId: string,
    toType: FakeObjectType,
    toId: string,
    typeId: number,
  ) {
    const definition = this.associationDefinition(fromType, toType, typeId)
    this.associations.get(`${fromType}:${fromId}:${toType}:${toId}`)?.delete(typeId)
    if (definition !== undefined)
      this.associations.get(`${toType}:${toId}:${fromType}:${fromId}`)?.delete(definition.inverseTypeId)
  }

  private unlink(fromType: FakeObjectType, fromId: string, toType: FakeObjectType, toId: string) {
    this.associations.delete(`${fromType}:${fromId}:${toType}:${toId}`)
    this.associations.delete(`${toType}:${toId}:${fromType}:${fromId}`)
  }

  private associationsPage(
    fromType: FakeObjectType,
    fromId: string,
    toType: FakeObjectType,
    query: URLSearchParams,
  ): Record<string, unknown> {
    if (this.object(fromType, fromId) === undefined) throw this.notFound(fromId)
    const limit = Math.min(Number(query.get('limit') ?? 500), 500)
    const all = this.associated(fromType, fromId, toType)
    const start = Number(query.get('after') ?? 0)
    const next = start + limit < all.length ? String(start + limit) : undefined
    return {
      results: all.slice(start, start + limit).map((each) => ({
        toObjectId: Number(each.id),
        associationTypes: each.typeIds.map((typeId) => {
          const definition = this.associationDefinition(fromType, toType, typeId)
          return {
            category: definition?.category ?? 'HUBSPOT_DEFINED',
            typeId,
            label: definition?.label ?? null,
          }
        }),
      })),
      ...(next === undefined ? {} : { paging: { next: { after: next, link: '' } } }),
    }
  }
}

function matchesPath(pattern: string | RegExp, path: string): boolean {
  return typeof pattern === 'string' ? path === pattern : pattern.test(path)
}

/**
 * CONTAINS_TOKEN as the fake reads it: the value's tokens are the whole value and its words split at
 * anything but letters and digits, case-insensitively; `*` in the filter value matches any characters.
 */
function containsToken(actual: string, wanted: string): boolean {
  if (actual === '') return false
  const lower = actual.toLowerCase()
  const tokens = [lower, ...lower.split(/[^\p{L}\p{N}]+/u).filter(Boolean)]
  const pattern = new RegExp(
    `^${wanted
      .toLowerCase()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'u',
  )
  return tokens.some((token) => pattern.test(token))
}
