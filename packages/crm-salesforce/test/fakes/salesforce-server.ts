import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isIdLike, salesforceId } from './salesforce-ids'
import { parseSoql, SoqlError, type SoqlExpression, type SoqlValue } from './soql-subset'

/**
 * A local stand-in for a Salesforce org's REST API, faithful to the documented shapes jsforce meets:
 * `/services/data/vXX.X/sobjects/{Type}` (POST create → 201 `{id, success, errors}`),
 * `/sobjects/{Type}/{Id}` (GET with `?fields=`, PATCH → 204, DELETE → 204), `/sobjects/{Type}/describe`
 * (the recorded describe results in salesforce-fixtures/), `/query?q=` (the SOQL subset of soql-subset.ts),
 * `/services/oauth2/token` (refresh token grant) and `/services/oauth2/userinfo`; errors as Salesforce's
 * array `[{ message, errorCode, fields }]` with its status codes; `Sforce-Limit-Info: api-usage=N/M` on every
 * data answer and 403 `REQUEST_LIMIT_EXCEEDED` past the org's limit; 401 `INVALID_SESSION_ID` for a token it
 * does not know. Behind it, a small org: field validation from the describe results (unknown and read-only
 * fields, required fields, lengths, restricted picklists, references, unique external ids), Contacts to
 * Multiple Accounts (AccountContactRelation kept in step with Contact.AccountId), Tasks that close, users.
 */

type Json = string | number | boolean | null
export type SalesforceRow = Record<string, Json>

interface PicklistEntry {
  readonly value: string
  readonly defaultValue: boolean
  readonly active: boolean
}

interface DescribeField {
  readonly name: string
  readonly label: string
  readonly type: string
  readonly length: number
  readonly createable: boolean
  readonly updateable: boolean
  readonly nillable: boolean
  readonly defaultedOnCreate: boolean
  readonly calculated: boolean
  readonly filterable: boolean
  readonly unique: boolean
  readonly restrictedPicklist: boolean
  readonly picklistValues: readonly PicklistEntry[]
  readonly referenceTo: readonly string[]
  readonly relationshipName: string | null
}

interface Describe {
  readonly name: string
  readonly keyPrefix: string
  fields: DescribeField[]
}

export interface SalesforceErrorAnswer {
  readonly status: number
  readonly body: unknown
}

/** Which requests a scripted answer applies to. */
export interface RequestMatch {
  readonly method?: string
  /** Tested against the path after `/services/data/vXX.X` (`/sobjects/Contact`, `/query`) or the whole path. */
  readonly path?: RegExp
  /** Tested against the SOQL of a query. */
  readonly soql?: RegExp
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly soql: string | undefined
  readonly body: unknown
  readonly authorization: string | undefined
}

export interface FakeSalesforceOptions {
  /** The describe results include the idempotency field (`Paceline_Idempotency_Key__c`). Default true. */
  readonly idempotencyField?: boolean
  /** Contacts to Multiple Accounts is on (AccountContactRelation exists). Default true. */
  readonly contactsToMultipleAccounts?: boolean
  /** When a contact's primary account changes, the previous one stays as an indirect relation (default) or goes. */
  readonly previousPrimaryAccount?: 'indirect' | 'delete'
  /** The org's API request limit per 24 hours. Default 15,000. */
  readonly apiLimit?: number
  /** API requests already counted. Default 0. */
  readonly apiUsed?: number
  /** The org's clock. Default Date.now. */
  readonly now?: () => number
}

const FIXTURES: Readonly<Record<string, string>> = {
  Contact: 'contact-describe.json',
  Lead: 'lead-describe.json',
  Account: 'account-describe.json',
  Task: 'task-describe.json',
  AccountContactRelation: 'account-contact-relation-describe.json',
  User: 'user-describe.json',
}

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./salesforce-fixtures/${name}`, import.meta.url), 'utf8'))

/** The recorded error answers (errors.json): Salesforce's status and body for each scripted error. */
export const SALESFORCE_ERRORS = fixture('errors.json') as Readonly<Record<string, SalesforceErrorAnswer>>

const KEY_FIELD = 'Paceline_Idempotency_Key__c'
const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'encryptedstring',
])
const NUMBER_TYPES = new Set(['double', 'currency', 'int', 'long', 'percent'])
const CLOSED_TASK_STATUSES = new Set(['Completed'])
const DAY = 86_400_000

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(JSON.stringify(body))
  }
}

const refuse = (status: number, errorCode: string, message: string, fields?: readonly string[]) =>
  new Refusal(status, [{ message, errorCode, ...(fields === undefined ? {} : { fields }) }])

const notFound = () => refuse(404, 'NOT_FOUND', 'The requested resource does not exist')

const id15 = (id: string) => id.slice(0, 15)

export interface FakeUser {
  readonly id: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly active: boolean
}

export class FakeSalesforce {
  readonly requests: RecordedRequest[] = []
  readonly orgId = '00D5g000004XyzAEAS'
  /** A valid access token of the integration user. */
  readonly accessToken: string
  /** The connected app and refresh token the token endpoint takes. */
  readonly oauth = {
    clientId: '3MVG9FAKECONSUMERKEY',
    clientSecret: 'FAKE-CONSUMER-SECRET',
    refreshToken: '5Aep861FAKEREFRESHTOKEN',
  }
  /** Refresh-token grants answered. */
  refreshes = 0
  readonly apiUsage: { used: number; limit: number }
  readonly integrationUser: FakeUser
  private readonly describes = new Map<string, Describe>()
  private readonly tables = new Map<string, Map<string, SalesforceRow>>()
  private readonly tokens = new Map<string, string>()
  private readonly scripted: Array<{ match: RequestMatch; answer: SalesforceErrorAnswer; count: number }> = []
  private readonly hangs: Array<{ match: RequestMatch; count: number }> = []
  private readonly losses: Array<{ match: RequestMatch; count: number }> = []
  private readonly validationRules: Array<{
    sobject: string
    message: string
    fails: (row: SalesforceRow) => boolean
  }> = []
  private readonly duplicateRules: Array<{ sobject: string; fields: readonly string[] }> = []
  private counter = 0
  private server: Server | undefined
  private readonly now: () => number

  constructor(private readonly options: FakeSalesforceOptions = {}) {
    this.now = options.now ?? Date.now
    this.apiUsage = { used: options.apiUsed ?? 0, limit: options.apiLimit ?? 15_000 }
    for (const [sobject, file] of Object.entries(FIXTURES)) {
      if (sobject === 'AccountContactRelation' && options.contactsToMultipleAccounts === false) continue
      const describe = structuredClone(fixture(file)) as Describe
      if (options.idempotencyField === false)
        describe.fields = describe.fields.filter((field) => field.name !== KEY_FIELD)
      this.describes.set(sobject, describe)
      this.tables.set(sobject, new Map())
    }
    this.integrationUser = this.user('Integration', 'User', 'integration@example.com')
    this.accessToken = this.issueToken(this.integrationUser.id)
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined
    if (address === undefined) throw new Error('the fake Salesforce org is not started')
    return `http://127.0.0.1:${address.port}`
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(JSON.stringify([{ errorCode: 'UNKNOWN_EXCEPTION', message: String(error) }]))
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  /** Adds a user to the org (active unless said). */
  user(firstName: string, lastName: string, email: string, active = true): FakeUser {
    const id = this.nextId('User')
    this.table('User').set(id15(id), {
      Id: id,
      Username: email,
      FirstName: firstName,
      LastName: lastName,
      Name: `${firstName} ${lastName}`,
      Email: email,
      IsActive: active,
      Title: null,
      UserType: 'Standard',
      ...this.audit(id, undefined),
    })
    return { id, firstName, lastName, email, active }
  }

  /** Every record of an object, in creation order. */
  records(sobject: string): SalesforceRow[] {
    return [...this.table(sobject).values()].map((row) => this.withComputed(sobject, row))
  }

  record(sobject: string, id: string): SalesforceRow | undefined {
    const row = this.table(sobject).get(id15(id))
    return row === undefined ? undefined : this.withComputed(sobject, row)
  }

  /** Creates a record as a person in Salesforce would (same rules as the API, no API request counted). */
  seed(sobject: string, fields: SalesforceRow): SalesforceRow {
    const id = this.create(sobject, fields, this.integrationUser.id)
    return this.record(sobject, id) as SalesforceRow
  }

  /** Edits a record as a person in Salesforce would. */
  edit(sobject: string, id: string, fields: SalesforceRow): void {
    this.update(sobject, id, fields, this.integrationUser.id)
  }

  /** The AccountContactRelation rows of a contact. */
  relations(contactId: string): SalesforceRow[] {
    return this.records('AccountContactRelation').filter(
      (row) => typeof row.ContactId === 'string' && id15(row.ContactId) === id15(contactId),
    )
  }

  /** The SOQL of every query received, in order. */
  get queries(): string[] {
    return this.requests.flatMap((request) => (request.soql === undefined ? [] : [request.soql]))
  }

  /** The next `count` matching requests get this error (a name from errors.json, or an answer). */
  failNext(match: RequestMatch, error: string | SalesforceErrorAnswer, count = 1): void {
    const answer = typeof error === 'string' ? SALESFORCE_ERRORS[error] : error
    if (answer === undefined) throw new Error(`no recorded Salesforce error ${String(error)}`)
    this.scripted.push({ match, answer, count })
  }

  /** The next `count` matching requests get no answer at all (until the server stops). */
  hangNext(match: RequestMatch, count = 1): void {
    this.hangs.push({ match, count })
  }

  /** The next `count` matching requests are carried out, but their answer is lost (never sent). */
  loseAnswerNext(match: RequestMatch, count = 1): void {
    this.losses.push({ match, count })
  }

  /** Every access token issued so far stops working (as when a session times out). */
  expireAccessTokens(): void {
    this.tokens.clear()
  }

  /** A validation rule: a create or update whose resulting record fails it is refused with `message`. */
  addValidationRule(sobject: string, message: string, fails: (row: SalesforceRow) => boolean): void {
    this.validationRules.push({ sobject, message, fails })
  }

  /** A duplicate rule that blocks: a new record with the same values of `fields` (ignoring case) is refused. */
  addDuplicateRule(sobject: string, fields: readonly string[]): void {
    this.duplicateRules.push({ sobject, fields })
  }

  // --- HTTP ---

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const method = request.method ?? 'GET'
    const text = await new Promise<string>((resolve, reject) => {
      let data = ''
      request.setEncoding('utf8')
      request.on('data', (chunk: string) => {
        data += chunk
      })
      request.on('end', () => resolve(data))
      request.on('error', reject)
    })
    const dataPath = /^\/services\/data\/v\d{2,3}\.\d(\/.*)?$/.exec(url.pathname)
    const restPath = dataPath === null ? url.pathname : (dataPath[1] ?? '/')
    const soql = restPath === '/query' ? (url.searchParams.get('q') ?? undefined) : undefined
    let body: unknown
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch {
      body = text
    }
    this.requests.push({
      method,
      path: url.pathname,
      soql,
      body,
      authorization: request.headers.authorization,
    })

    const send = (status: number, answer: unknown, headers: Record<string, string> = {}) => {
      const json = answer === undefined ? '' : JSON.stringify(answer)
      response.writeHead(status, {
        ...(answer === undefined ? {} : { 'content-type': 'application/json;charset=UTF-8' }),
        ...headers,
      })
      response.end(json)
    }

    if (method === 'POST' && url.pathname === '/services/oauth2/token') return this.token(text, send)

    // No answer at all: the client gives up.
    if (this.take(this.hangs, method, restPath, soql) !== undefined) return

    // Who is asking.
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]
    const userId = token === undefined ? undefined : this.tokens.get(token)

    if (url.pathname === '/services/oauth2/userinfo') {
      if (userId === undefined) {
        response.writeHead(403, { 'content-type': 'text/plain' })
        response.end('Bad_OAuth_Token')
        return
      }
      return send(200, this.userInfo(userId))
    }
    if (dataPath === null)
      return send(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }])

    if (userId === undefined)
      return send(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }])
    const limitHeader = () => ({
      'Sforce-Limit-Info': `api-usage=${this.apiUsage.used}/${this.apiUsage.limit}`,
    })
    if (this.apiUsage.used >= this.apiUsage.limit)
      return send(403, SALESFORCE_ERRORS.REQUEST_LIMIT_EXCEEDED?.body, limitHeader())
    this.apiUsage.used++

    const scripted = this.take(this.scripted, method, restPath, soql)?.answer
    if (scripted !== undefined) return send(scripted.status, scripted.body, limitHeader())

    const lose = this.take(this.losses, method, restPath, soql) !== undefined
    try {
      const [status, answer] = this.route(method, restPath, url.searchParams, body, userId)
      if (!lose) send(status, answer, limitHeader())
    } catch (error) {
      if (error instanceof Refusal) return send(error.status, error.body, limitHeader())
      if (error instanceof SoqlError)
        return send(400, [{ message: error.message, errorCode: error.errorCode }], limitHeader())
      throw error
    }
  }

  private take<T extends { match: RequestMatch; count: number }>(
    list: T[],
    method: string,
    path: string,
    soql: string | undefined,
  ): T | undefined {
    const index = list.findIndex(
      ({ match }) =>
        (match.method === undefined || match.method === method) &&
        (match.path === undefined || match.path.test(path)) &&
        (match.soql === undefined || (soql !== undefined && match.soql.test(soql))),
    )
    const entry = list[index]
    if (entry === undefined) return undefined
    entry.count--
    if (entry.count <= 0) list.splice(index, 1)
    return entry
  }

  private route(
    method: string,
    path: string,
    search: URLSearchParams,
    body: unknown,
    userId: string,
  ): [number, unknown] {
    if (method === 'GET' && path === '/query') {
      const soql = search.get('q')
      if (soql === null) throw refuse(400, 'MALFORMED_QUERY', 'A query string has to be specified')
      return [200, this.query(soql)]
    }
    const describe = /^\/sobjects\/(\w+)\/describe\/?$/.exec(path)
    if (describe !== null && method === 'GET') return [200, this.describeOf(describe[1] ?? '')]
    const collection = /^\/sobjects\/(\w+)\/?$/.exec(path)
    if (collection !== null && method === 'POST') {
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw refuse(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object')
      const id = this.create(collection[1] ?? '', body as SalesforceRow, userId)
      return [201, { id, success: true, errors: [] }]
    }
    const single = /^\/sobjects\/(\w+)\/([A-Za-z0-9]+)\/?$/.exec(path)
    if (single !== null) {
      const sobject = single[1] ?? ''
      const id = single[2] ?? ''
      if (method === 'GET') return [200, this.retrieve(sobject, id, search.get('fields'))]
      if (method === 'PATCH') {
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw refuse(400, 'JSON_PARSER_ERROR', 'The request body is not a JSON object')
        this.update(sobject, id, body as SalesforceRow, userId)
        return [204, undefined]
      }
      if (method === 'DELETE') {
        this.destroy(sobject, id)
        return [204, undefined]
      }
    }
    throw notFound()
  }

  private token(text: string, send: (status: number, answer: unknown) => void): void {
    const params = new URLSearchParams(text)
    const refused =
      params.get('grant_type') !== 'refresh_token'
        ? { error: 'unsupported_grant_type', error_description: 'grant type not supported' }
        : params.get('client_id') !== this.oauth.clientId ||
            params.get('client_secret') !== this.oauth.clientSecret
          ? { error: 'invalid_client_id', error_description: 'client identifier invalid' }
          : params.get('refresh_token') !== this.oauth.refreshToken
            ? { error: 'invalid_grant', error_description: 'expired access/refresh token' }
            : undefined
    if (refused !== undefined) {
      send(400, refused)
      return
    }
    this.refreshes++
    const accessToken = this.issueToken(this.integrationUser.id)
    send(200, {
      ...(fixture('token-response.json') as object),
      access_token: accessToken,
      instance_url: this.url,
      id: `${this.url}/id/${this.orgId}/${this.integrationUser.id}`,
      issued_at: String(this.now()),
    })
  }

  private userInfo(userId: string): unknown {
    const user = this.record('User', userId) as SalesforceRow
    const template = fixture('userinfo.json') as Record<string, unknown>
    return {
      ...template,
      sub: `${this.url}/id/${this.orgId}/${userId}`,
      user_id: userId,
      organization_id: this.orgId,
      preferred_username: user.Username,
      name: user.Name,
      email: user.Email,
      given_name: user.FirstName,
      family_name: user.LastName,
      active: user.IsActive,
      profile: `${this.url}/${userId}`,
    }
  }

  private issueToken(userId: string): string {
    const token = `${this.orgId.slice(0, 15)}!AQ${randomBytes(24).toString('base64url')}`
    this.tokens.set(token, userId)
    return token
  }

  // --- the org ---

  private table(sobject: string): Map<string, SalesforceRow> {
    const table = this.tables.get(sobject)
    if (table === undefined) throw notFound()
    return table
  }

  private describeOf(sobject: string): Describe {
    const describe = this.describes.get(sobject)
    if (describe === undefined) throw notFound()
    return describe
  }

  private fieldOf(sobject: string, name: string): DescribeField | undefined {
    const wanted = name.toLowerCase()
    return this.describeOf(sobject).fields.find((field) => field.name.toLowerCase() === wanted)
  }

  private nextId(sobject: string): string {
    return salesforceId(this.describeOf(sobject).keyPrefix, ++this.counter)
  }

  private timestamp(): string {
    return new Date(this.now()).toISOString().replace('Z', '+0000')
  }

  private audit(userId: string | undefined, existing: SalesforceRow | undefined): SalesforceRow {
    const at = this.timestamp()
    return {
      IsDeleted: false,
      CreatedDate: existing?.CreatedDate ?? at,
      CreatedById: existing?.CreatedById ?? userId ?? null,
      LastModifiedDate: at,
      LastModifiedById: userId ?? null,
      SystemModstamp: at,
    }
  }

  /** A record by id in whichever object its key prefix names. */
  private findAnywhere(id: string): { sobject: string; row: SalesforceRow } | undefined {
    for (const [sobject, describe] of this.describes)
      if (id.startsWith(describe.keyPrefix)) {
        const row = this.tables.get(sobject)?.get(id15(id))
        return row === undefined ? undefined : { sobject, row }
      }
    return undefined
  }

  private coerce(sobject: string, field: DescribeField, value: unknown): Json {
    if (value === null) {
      if (!field.nillable && !field.defaultedOnCreate)
        throw refuse(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [
          field.name,
        ])
      return null
    }
    const deserialize = () =>
      refuse(
        400,
        'JSON_PARSER_ERROR',
        `Cannot deserialize instance of ${field.type} from ${typeof value === 'string' ? 'VALUE_STRING' : 'VALUE'} value ${String(value)} or request may be missing a required field`,
      )
    if (TEXT_TYPES.has(field.type)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        throw deserialize()
      const text = String(value)
      if (field.length > 0 && text.length > field.length)
        throw refuse(
          400,
          'STRING_TOO_LONG',
          `${field.label}: data value too large: ${text.slice(0, 40)} (max length=${field.length})`,
          [field.name],
        )
      if (field.type === 'email' && text !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(text))
        throw refuse(400, 'INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [
          field.name,
        ])
      if (field.restrictedPicklist && !field.picklistValues.some((entry) => entry.value === text))
        throw refuse(
          400,
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${field.label}: bad value for restricted picklist field: ${text}`,
          [field.name],
        )
      return text === '' ? null : text
    }
    if (NUMBER_TYPES.has(field.type)) {
      const number =
        typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN
      if (!Number.isFinite(number) || (field.type === 'int' && !Number.isInteger(number))) throw deserialize()
      return number
    }
    if (field.type === 'boolean') {
      if (typeof value !== 'boolean') throw deserialize()
      return value
    }
    if (field.type === 'date') {
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw deserialize()
      return value
    }
    if (field.type === 'datetime') {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw deserialize()
      return new Date(Date.parse(value)).toISOString().replace('Z', '+0000')
    }
    if (field.type === 'reference') {
      if (typeof value !== 'string' || !isIdLike(value))
        throw refuse(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(value)}`, [
          field.name,
        ])
      const target = this.findAnywhere(value)
      if (target === undefined || !field.referenceTo.includes(target.sobject))
        throw refuse(
          400,
          target === undefined ? 'INVALID_CROSS_REFERENCE_KEY' : 'FIELD_INTEGRITY_EXCEPTION',
          target === undefined
            ? `invalid cross reference id`
            : `${field.label}: id value of incorrect type: ${value}`,
          [field.name],
        )
      if (target.sobject === 'User' && target.row.IsActive !== true)
        throw refuse(
          400,
          'INACTIVE_OWNER_OR_USER',
          `operation performed with inactive user [${value}] as owner of ${sobject.toLowerCase()}`,
        )
      return String(target.row.Id)
    }
    return value as Json
  }

  /** The body of a create or update, checked against the describe result: canonical names, coerced values. */
  private values(sobject: string, body: SalesforceRow, mode: 'create' | 'update'): SalesforceRow {
    const values: SalesforceRow = {}
    for (const [name, value] of Object.entries(body)) {
      if (name === 'attributes') continue
      const field = this.fieldOf(sobject, name)
      if (field === undefined)
        throw refuse(400, 'INVALID_FIELD', `No such column '${name}' on sobject of type ${sobject}`)
      if (mode === 'create' ? !field.createable : !field.updateable)
        throw refuse(
          400,
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
          [field.name],
        )
      values[field.name] = this.coerce(sobject, field, value)
    }
    return values
  }

  private checkUnique(sobject: string, row: SalesforceRow, selfId: string | undefined): void {
    for (const field of this.describeOf(sobject).fields) {
      const value = row[field.name]
      if (!field.unique || typeof value !== 'string') continue
      for (const other of this.table(sobject).values())
        if (
          other.Id !== selfId &&
          typeof other[field.name] === 'string' &&
          String(other[field.name]).toLowerCase() === value.toLowerCase()
        )
          throw refuse(
            400,
            'DUPLICATE_VALUE',
            `duplicate value found: ${field.name} duplicates value on record with id: ${String(other.Id)}`,
            [],
          )
    }
  }

  private checkRules(sobject: string, row: SalesforceRow, creating: boolean): void {
    for (const rule of this.validationRules)
      if (rule.sobject === sobject && rule.fails(row))
        throw refuse(400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, [])
    if (!creating) return
    for (const rule of this.duplicateRules) {
      if (rule.sobject !== sobject) continue
      const same = [...this.table(sobject).values()].some((other) =>
        rule.fields.every(
          (name) =>
            row[name] !== null &&
            row[name] !== undefined &&
            String(other[name] ?? '').toLowerCase() === String(row[name]).toLowerCase(),
        ),
      )
      if (same) {
        const answer = SALESFORCE_ERRORS.DUPLICATES_DETECTED
        throw new Refusal(answer?.status ?? 400, answer?.body)
      }
    }
  }

  /** Fields Salesforce keeps itself: names, task state, the account of a task, relations of a contact. */
  private derive(sobject: string, row: SalesforceRow, previous: SalesforceRow | undefined): void {
    if (sobject === 'Contact' || sobject === 'Lead')
      row.Name = [row.FirstName, row.LastName]
        .filter((part) => typeof part === 'string' && part !== '')
        .join(' ')
    if (sobject === 'Task') {
      const closed = typeof row.Status === 'string' && CLOSED_TASK_STATUSES.has(row.Status)
      if (closed && previous?.IsClosed !== true) row.CompletedDateTime = this.timestamp()
      if (!closed) row.CompletedDateTime = null
      row.IsClosed = closed
      row.IsHighPriority = row.Priority === 'High'
      const what = typeof row.WhatId === 'string' ? this.findAnywhere(row.WhatId) : undefined
      const who = typeof row.WhoId === 'string' ? this.findAnywhere(row.WhoId) : undefined
      row.AccountId =
        what?.sobject === 'Account'
          ? String(what.row.Id)
          : who?.sobject === 'Contact'
            ? (who.row.AccountId ?? null)
            : null
      if (who !== undefined && typeof row.ActivityDate === 'string') {
        const last = who.row.LastActivityDate
        if (typeof last !== 'string' || last < row.ActivityDate) who.row.LastActivityDate = row.ActivityDate
      }
    }
  }

  /** Contacts to Multiple Accounts: the relation to the contact's Account is the direct one. */
  private syncRelations(contact: SalesforceRow, previousAccount: Json | undefined): void {
    if (!this.tables.has('AccountContactRelation')) return
    const next = contact.AccountId
    if (next === previousAccount) return
    const relations = this.table('AccountContactRelation')
    const find = (accountId: Json | undefined) =>
      typeof accountId !== 'string'
        ? undefined
        : [...relations.values()].find(
            (row) =>
              id15(String(row.ContactId)) === id15(String(contact.Id)) &&
              id15(String(row.AccountId)) === id15(accountId),
          )
    const previous = find(previousAccount)
    if (previous !== undefined) {
      if (this.options.previousPrimaryAccount === 'delete') relations.delete(id15(String(previous.Id)))
      else previous.IsDirect = false
    }
    if (typeof next === 'string') {
      const existing = find(next)
      if (existing !== undefined) existing.IsDirect = true
      else {
        const id = this.nextId('AccountContactRelation')
        relations.set(id15(id), {
          Id: id,
          AccountId: next,
          ContactId: String(contact.Id),
          IsDirect: true,
          IsActive: true,
          Roles: null,
          StartDate: null,
          EndDate: null,
          ...this.audit(undefined, undefined),
        })
      }
    }
  }

  private create(sobject: string, body: SalesforceRow, userId: string): string {
    const describe = this.describeOf(sobject)
    const values = this.values(sobject, body, 'create')
    const row: SalesforceRow = {}
    for (const field of describe.fields) {
      if (field.name in values) row[field.name] = values[field.name] ?? null
      else if (field.type === 'boolean' && field.defaultedOnCreate) row[field.name] = false
      else row[field.name] = field.picklistValues.find((entry) => entry.defaultValue)?.value ?? null
    }
    if (describe.fields.some((field) => field.name === 'OwnerId') && row.OwnerId === null)
      row.OwnerId = userId
    const missing = describe.fields.filter(
      (field) => field.createable && !field.nillable && !field.defaultedOnCreate && row[field.name] === null,
    )
    if (missing.length > 0)
      throw refuse(
        400,
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.map((field) => field.name).join(', ')}]`,
        missing.map((field) => field.name),
      )
    if (sobject === 'AccountContactRelation') this.checkRelation(row)
    this.checkUnique(sobject, row, undefined)
    this.checkRules(sobject, row, true)
    const id = this.nextId(sobject)
    Object.assign(row, { Id: id, ...this.audit(userId, undefined) })
    if (sobject === 'AccountContactRelation') row.IsDirect = false
    this.derive(sobject, row, undefined)
    this.table(sobject).set(id15(id), row)
    if (sobject === 'Contact') this.syncRelations(row, undefined)
    return id
  }

  private checkRelation(row: SalesforceRow): void {
    const contact = this.record('Contact', String(row.ContactId))
    if (contact === undefined || contact.AccountId === null)
      throw refuse(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        'A contact without an account (a private contact) cannot be related to other accounts.',
        ['ContactId'],
      )
    const existing = this.relations(String(row.ContactId)).find(
      (each) => id15(String(each.AccountId)) === id15(String(row.AccountId)),
    )
    if (existing !== undefined)
      throw refuse(
        400,
        'DUPLICATE_VALUE',
        `duplicate value found: <unknown> duplicates value on record with id: ${String(existing.Id)}`,
        [],
      )
  }

  private update(sobject: string, id: string, body: SalesforceRow, userId: string): void {
    const row = this.table(sobject).get(id15(id))
    if (row === undefined || !id.startsWith(this.describeOf(sobject).keyPrefix)) throw notFound()
    const values = this.values(sobject, body, 'update')
    const next = { ...row, ...values }
    this.checkUnique(sobject, next, String(row.Id))
    this.checkRules(sobject, next, false)
    const previous = { ...row }
    Object.assign(row, values, this.audit(userId, row))
    this.derive(sobject, row, previous)
    if (sobject === 'Contact') this.syncRelations(row, previous.AccountId)
  }

  private destroy(sobject: string, id: string): void {
    const row = this.table(sobject).get(id15(id))
    if (row === undefined || !id.startsWith(this.describeOf(sobject).keyPrefix)) throw notFound()
    if (sobject === 'AccountContactRelation' && row.IsDirect === true)
      throw refuse(
        400,
        'DELETE_FAILED',
        "A contact's direct relationship can't be removed: change the contact's account instead.",
        [],
      )
    this.table(sobject).delete(id15(id))
  }

  /** A row with the fields Salesforce computes on read (formula fields). */
  private withComputed(sobject: string, row: SalesforceRow): SalesforceRow {
    const computed = { ...row }
    const days = (from: Json | undefined) =>
      typeof from === 'string' ? Math.floor((this.now() - Date.parse(from.slice(0, 10))) / DAY) : null
    if (sobject === 'Contact') computed.Days_Since_Last_Activity__c = days(row.LastActivityDate)
    if (sobject === 'Lead') computed.Lead_Age_Days__c = days(row.CreatedDate)
    if (sobject === 'Account')
      computed.Website_Domain__c =
        typeof row.Website === 'string' ? row.Website.replace(/^https?:\/\//, '').replace(/^www\./, '') : null
    return computed
  }

  private attributes(sobject: string, id: Json | undefined) {
    return { type: sobject, url: `/services/data/v62.0/sobjects/${sobject}/${String(id)}` }
  }

  private retrieve(sobject: string, id: string, fields: string | null): unknown {
    const describe = this.describeOf(sobject)
    const row = this.table(sobject).get(id15(id))
    if (row === undefined || !id.startsWith(describe.keyPrefix)) throw notFound()
    const names =
      fields === null
        ? describe.fields.map((field) => field.name)
        : fields.split(',').map((name) => {
            const field = this.fieldOf(sobject, name.trim())
            if (field === undefined)
              throw refuse(400, 'INVALID_FIELD', `No such column '${name}' on entity '${sobject}'.`)
            return field.name
          })
    const computed = this.withComputed(sobject, row)
    return {
      attributes: this.attributes(sobject, row.Id),
      ...Object.fromEntries(names.map((name) => [name, computed[name] ?? null])),
    }
  }

  /**
   * A column of a query: a field of the object, or a field of a record it looks up (`Account.Name`, through
   * the lookup's relationship name), read from a row.
   */
  private column(sobject: string, name: string): Column {
    const unknown = () =>
      refuse(
        400,
        'INVALID_FIELD',
        `No such column '${name}' on entity '${sobject}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`,
      )
    const [first, second, ...rest] = name.split('.')
    if (second === undefined) {
      const field = this.fieldOf(sobject, first ?? '')
      if (field === undefined) throw unknown()
      return { field, path: [field.name], read: (row) => row[field.name] ?? null }
    }
    const lookup = this.describeOf(sobject).fields.find(
      (field) => field.type === 'reference' && field.relationshipName?.toLowerCase() === first?.toLowerCase(),
    )
    const target = lookup?.referenceTo[0]
    const field = target === undefined || rest.length > 0 ? undefined : this.fieldOf(target, second)
    if (lookup === undefined || field === undefined || lookup.relationshipName === null) throw unknown()
    return {
      field,
      path: [lookup.relationshipName, field.name],
      read: (row) => {
        const id = row[lookup.name]
        const found = typeof id === 'string' ? this.findAnywhere(id) : undefined
        return found === undefined ? null : (this.withComputed(found.sobject, found.row)[field.name] ?? null)
      },
      lookup: (row) => {
        const id = row[lookup.name]
        return typeof id === 'string' ? this.findAnywhere(id) : undefined
      },
    }
  }

  private query(soql: string): unknown {
    const parsed = parseSoql(soql)
    const describe = this.describes.get(parsed.from)
    if (describe === undefined)
      throw refuse(
        400,
        'INVALID_TYPE',
        `sObject type '${parsed.from}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.`,
      )
    const sobject = describe.name
    const column = (name: string) => this.column(sobject, name)
    const selected = parsed.fields.map(column)
    const names = selected.map((each) => each.path.join('.'))
    const duplicate = names.find((name, index) => names.indexOf(name) !== index)
    if (duplicate !== undefined)
      throw refuse(400, 'MALFORMED_QUERY', `duplicate field selected: ${duplicate}`)
    let rows = this.records(sobject)
    if (parsed.where !== undefined) {
      const where = parsed.where
      rows = rows.filter((row) => this.matches(where, row, column))
    }
    if (parsed.orderBy !== undefined) {
      const { field, descending } = parsed.orderBy
      const { read } = column(field)
      rows.sort((left, right) => {
        const a = read(left)
        const b = read(right)
        const order = a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1
        return descending ? -order : order
      })
    }
    if (parsed.limit !== undefined) rows = rows.slice(0, parsed.limit)
    return {
      totalSize: rows.length,
      done: true,
      records: rows.map((row) => {
        const record: Record<string, unknown> = { attributes: this.attributes(sobject, row.Id) }
        for (const each of selected) {
          const [head, tail] = each.path as [string, string | undefined]
          if (tail === undefined) {
            record[head] = each.read(row)
            continue
          }
          // A looked-up record comes nested, with its own attributes; null when there is none.
          const found = each.lookup?.(row)
          if (found === undefined) record[head] = null
          else {
            const nested = (record[head] ?? {
              attributes: this.attributes(found.sobject, found.row.Id),
            }) as Record<string, unknown>
            nested[tail] = each.read(row)
            record[head] = nested
          }
        }
        return record
      }),
    }
  }

  private matches(expression: SoqlExpression, row: SalesforceRow, column: (name: string) => Column): boolean {
    switch (expression.kind) {
      case 'and':
        return expression.parts.every((part) => this.matches(part, row, column))
      case 'or':
        return expression.parts.some((part) => this.matches(part, row, column))
      case 'not':
        return !this.matches(expression.part, row, column)
      case 'in': {
        const { field, read } = column(expression.field)
        const found = expression.values.some((value) => compare(field, read(row), '=', value))
        return expression.negated ? !found : found
      }
      case 'compare': {
        const { field, read } = column(expression.field)
        if (!field.filterable)
          throw refuse(400, 'INVALID_FIELD', `field '${field.name}' can not be filtered in a query call`)
        return compare(field, read(row), expression.operator, expression.value)
      }
    }
  }
}

interface Column {
  readonly field: DescribeField
  /** The canonical name: `[Field]`, or `[Relationship, Field]`. */
  readonly path: readonly string[]
  readonly read: (row: SalesforceRow) => Json
  readonly lookup?: (row: SalesforceRow) => { sobject: string; row: SalesforceRow } | undefined
}

function compare(field: DescribeField, actual: Json, operator: string, value: SoqlValue): boolean {
  const wrongType = (expected: string, quoted: boolean) =>
    refuse(
      400,
      'INVALID_QUERY_FILTER_OPERATOR',
      `value of filter criterion for field '${field.name}' must be of type ${expected} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    )
  if (value.kind === 'null') {
    if (operator === '=') return actual === null
    if (operator === '!=') return actual !== null
    return false
  }
  if (operator === 'LIKE') {
    if (value.kind !== 'string' || !TEXT_TYPES.has(field.type)) throw wrongType('string', true)
    return actual !== null && value.pattern.test(String(actual))
  }
  let left: string | number | boolean
  let right: string | number | boolean
  if (field.type === 'id' || field.type === 'reference') {
    if (value.kind !== 'string') throw wrongType('reference', true)
    if (!isIdLike(value.value))
      throw refuse(400, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${value.value}`)
    if (actual === null) return operator === '!='
    left = id15(String(actual))
    right = id15(value.value)
  } else if (TEXT_TYPES.has(field.type)) {
    if (value.kind !== 'string') throw wrongType('string', true)
    if (actual === null) return operator === '!='
    // Text comparisons in SOQL ignore case.
    left = String(actual).toLowerCase()
    right = value.value.toLowerCase()
  } else if (NUMBER_TYPES.has(field.type)) {
    if (value.kind !== 'number') throw wrongType(field.type, false)
    if (actual === null) return operator === '!='
    left = Number(actual)
    right = value.value
  } else if (field.type === 'boolean') {
    if (value.kind !== 'boolean') throw wrongType('boolean', false)
    left = actual === true
    right = value.value
  } else if (field.type === 'date' || field.type === 'datetime') {
    if (value.kind !== field.type) throw wrongType(field.type, false)
    if (actual === null) return operator === '!='
    left = field.type === 'date' ? String(actual) : Date.parse(String(actual))
    right = field.type === 'date' ? value.value : Date.parse(value.value)
  } else {
    throw wrongType(field.type, false)
  }
  switch (operator) {
    case '=':
      return left === right
    case '!=':
      return left !== right
    case '<':
      return left < right
    case '>':
      return left > right
    case '<=':
      return left <= right
    default:
      return left >= right
  }
}
