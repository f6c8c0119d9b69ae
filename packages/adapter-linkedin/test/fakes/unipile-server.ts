import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import errorTypes from './unipile-fixtures/error-types.json'
import userProfileFixture from './unipile-fixtures/user-profile.json'
import messageWebhookFixture from './unipile-fixtures/webhook-message-received.json'
import relationWebhookFixture from './unipile-fixtures/webhook-new-relation.json'

/**
 * A local stand-in for Unipile's API v1 (developer.unipile.com), faithful to its documented shapes:
 * `X-API-KEY`, routes under `/api/v1`, `account_id` in the query (GET, DELETE) or the body (POST) — optional
 * on `GET /chats`, where it filters and takes a comma-separated list —, JSON bodies for invitations and
 * reactions, multipart/form-data for new chats (`attendees_ids`: one or more; more than one starts a group,
 * `text`, `subject`, `linkedin[inmail]`, `attachments`, `voice_message`), `items` + `cursor` listings
 * (`paging.cursor` for reactions), the documented query checks (`after`/`before` as
 * `YYYY-MM-DDTHH:MM:SS.sssZ`, `limit` ranges), RFC 7807 errors of type `errors/*` (the reference's titles and
 * details, in `unipile-fixtures/error-types.json`), 429s with Retry-After, and the "New messages" / "New
 * relation" webhook payloads (including the account's own messages, as Unipile sends them). Hosted auth:
 * `POST /hosted/accounts/link` (`type`, `providers`, `api_url`, `expiresOn`, `notify_url`, `name`, redirect
 * URLs, `reconnect_account`) answers `{ object: 'HostedAuthURL', url }`; `completeHostedAuth` plays the
 * person finishing the wizard and posts `{ status, account_id, name }` to the link's `notify_url`;
 * `GET /accounts/:id` answers the account. Posts carry no
 * `user_reacted` unless `reportsUserReacted` is set: the reference's `Post` schema has no such field. Behind
 * it, a small LinkedIn: accounts, members with provider ids and public identifiers, relations, invitations,
 * 1:1 and group chats with messages, posts with reactions.
 *
 * Fixtures in `unipile-fixtures/`: `error-types.json` (every `errors/*` type of the reference, with where
 * its words come from), the two webhook examples of the docs (made valid JSON), and a `UserProfile`.
 */

export interface UnipileMember {
  /** LinkedIn's provider id (`ACoAA…`), what Unipile's action routes take. */
  readonly providerId: string
  /** The `/in/<public identifier>` of the profile URL. */
  readonly publicIdentifier: string
  readonly firstName: string
  readonly lastName: string
}

export interface UnipileAccount {
  readonly id: string
  readonly me: UnipileMember
  inMailCredits: number
  /** An answer every request for this account gets instead (a disconnected or restricted account). */
  failure?: string
}

export interface FakeMessage {
  readonly id: string
  readonly providerId: string
  readonly senderId: string
  readonly text: string | null
  readonly at: number
  readonly attachments: ReadonlyArray<{ readonly name: string; readonly type: string; readonly size: number }>
  readonly voice?: { readonly name: string; readonly type: string; readonly size: number }
  readonly subject?: string
  readonly inMail?: boolean
}

export interface FakeChat {
  readonly id: string
  readonly providerId: string
  readonly accountId: string
  /** The other person of a 1:1 chat; the first other attendee of a group. */
  readonly other: UnipileMember
  /** Every attendee but the account (one in a 1:1 chat). */
  readonly members: readonly UnipileMember[]
  readonly group: boolean
  readonly messages: FakeMessage[]
  inMail: boolean
}

export interface FakePost {
  readonly socialId: string
  readonly id: string
  readonly author: UnipileMember
  readonly text: string
  readonly at: number
  readonly isRepost: boolean
  readonly canReact: boolean
  /** LinkedIn's reaction names (LIKE, PRAISE, …) by who reacted. */
  readonly reactions: Map<string, string>
}

export interface ReceivedRequest {
  readonly method: string
  /** The route, like `POST /chats` or `GET /users/:identifier`, for scripting and assertions. */
  readonly route: string
  readonly path: string
  readonly query: Readonly<Record<string, string>>
  readonly headers: IncomingMessage['headers']
  /** A JSON body. */
  readonly json?: Record<string, unknown>
  /** A multipart body: text fields as strings, files as their name, type and size. */
  readonly form?: Readonly<Record<string, ReadonlyArray<string | FormFile>>>
  status: number
}

export interface FormFile {
  readonly name: string
  readonly type: string
  readonly size: number
  readonly text: string
}

export interface ScriptedAnswer {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Record<string, string>
}

/** A hosted auth link as requested (`POST /hosted/accounts/link`). */
export interface HostedLink {
  readonly url: string
  readonly type: 'create' | 'reconnect'
  readonly name: string | undefined
  readonly notifyUrl: string | undefined
  readonly expiresAt: number
  readonly reconnectAccount: string | undefined
  used: boolean
}

export interface UnipileWebhookDelivery {
  readonly source: 'messaging' | 'users'
  readonly body: Record<string, unknown>
}

export interface UnipileServerOptions {
  readonly apiKey: string
  /** The clock of the LinkedIn behind the fake (virtual time in engine tests). Default Date.now. */
  readonly now?: () => number
  /** Rows per page of the listings, whatever `limit` asks. Default 10. */
  readonly pageSize?: number
  /** Posts carry `user_reacted` (the account's own reaction) when it reacted. Default false, as the reference. */
  readonly reportsUserReacted?: boolean
}

const DAY = 86_400_000
/** LinkedIn refuses a new invitation to someone for 3 weeks after a withdrawal. */
const WITHDRAW_COOLDOWN_MS = 21 * DAY
/** The reference's pattern for `before` and `after`: "an ISO 8601 UTC datetime (YYYY-MM-DDTHH:MM:SS.sssZ)". */
const DATETIME_PARAM = /^[1-2]\d{3}-[0-1]\d-[0-3]\dT\d{2}:\d{2}:\d{2}.\d{3}Z$/
const ROUTES: ReadonlyArray<readonly [method: string, pattern: RegExp, route: string]> = [
  ['POST', /^\/hosted\/accounts\/link$/, 'POST /hosted/accounts/link'],
  ['GET', /^\/accounts\/([^/]+)$/, 'GET /accounts/:account_id'],
  ['GET', /^\/users\/invite\/sent$/, 'GET /users/invite/sent'],
  ['DELETE', /^\/users\/invite\/sent\/([^/]+)$/, 'DELETE /users/invite/sent/:invitation_id'],
  ['POST', /^\/users\/invite$/, 'POST /users/invite'],
  ['GET', /^\/users\/relations$/, 'GET /users/relations'],
  ['GET', /^\/users\/([^/]+)\/posts$/, 'GET /users/:identifier/posts'],
  ['GET', /^\/users\/me$/, 'GET /users/me'],
  ['GET', /^\/users\/([^/]+)$/, 'GET /users/:identifier'],
  ['GET', /^\/posts\/([^/]+)\/reactions$/, 'GET /posts/:post_id/reactions'],
  ['POST', /^\/posts\/reaction$/, 'POST /posts/reaction'],
  ['GET', /^\/chats$/, 'GET /chats'],
  ['POST', /^\/chats$/, 'POST /chats'],
  ['GET', /^\/chats\/([^/]+)\/messages$/, 'GET /chats/:chat_id/messages'],
]

const id = () => randomUUID().replace(/-/g, '').slice(0, 22)

/** An RFC 7807 error body of Unipile, with the reference's title and detail for `type`. */
export function errorBody(type: string, detail?: string): { status: number; body: Record<string, unknown> } {
  const known = (errorTypes as Record<string, { status: number; title: string; detail: string }>)[type]
  const status = known?.status ?? 400
  return {
    status,
    body: {
      object: 'Error',
      status,
      type,
      title: known?.title ?? type,
      detail: detail ?? known?.detail ?? '',
      instance: `urn:unipile:req:${id()}`,
    },
  }
}

/** Every documented error type and its status, for tests that go through them all. */
export const UNIPILE_ERROR_TYPES = errorTypes as Readonly<
  Record<string, { readonly status: number; readonly title: string; readonly detail: string }>
>

export class FakeUnipile {
  readonly requests: ReceivedRequest[] = []
  readonly accounts = new Map<string, UnipileAccount>()
  readonly members = new Map<string, UnipileMember>()
  /** `${accountId}:${providerId}` -> connected at. */
  readonly relations = new Map<string, number>()
  readonly invitations = new Map<
    string,
    { readonly id: string; readonly at: number; readonly note?: string; readonly member: UnipileMember }
  >()
  readonly withdrawals = new Map<string, number>()
  readonly visits: Array<{
    readonly accountId: string
    readonly providerId: string
    readonly notify: boolean
  }> = []
  readonly chats: FakeChat[] = []
  readonly posts: FakePost[] = []
  /** Webhook deliveries Unipile would make, oldest first (`takeWebhooks` empties it). */
  readonly webhooks: UnipileWebhookDelivery[] = []
  /** Answers given instead of handling the request, in order, per route (`*` for any). */
  readonly scripted = new Map<string, ScriptedAnswer[]>()
  /** Routes handled, then the connection closed without an answer (the answer "lost"). */
  readonly dropAfterHandling = new Set<string>()
  /** Files served at `/files/<name>` (no API key), for attachments the provider downloads. */
  readonly files = new Map<string, { readonly bytes: Buffer; readonly type: string }>()
  /** Hosted auth links handed out, by the token in their URL. */
  readonly hostedLinks = new Map<string, HostedLink>()
  private server: Server | undefined
  private readonly now: () => number
  private readonly pageSize: number
  private counter = 0

  constructor(private readonly options: UnipileServerOptions) {
    this.now = options.now ?? Date.now
    this.pageSize = options.pageSize ?? 10
  }

  /** `http://127.0.0.1:<port>`: what a test passes as the DSN. */
  get dsn(): string {
    const address = this.server?.address() as AddressInfo | undefined
    if (address === undefined) throw new Error('the fake Unipile server is not started')
    return `http://127.0.0.1:${address.port}`
  }

  get filesUrl(): string {
    return `${this.dsn}/files`
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        const { body } = errorBody('errors/unexpected_error', String(error))
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  // --- the LinkedIn behind it -------------------------------------------------------------------------

  member(publicIdentifier: string, firstName = publicIdentifier, lastName = 'Example'): UnipileMember {
    const existing = [...this.members.values()].find((each) => each.publicIdentifier === publicIdentifier)
    if (existing !== undefined) return existing
    const member = {
      providerId: `ACoAA${String(++this.counter).padStart(6, '0')}${publicIdentifier.replace(/[^A-Za-z0-9]/g, '')}`,
      publicIdentifier,
      firstName,
      lastName,
    }
    this.members.set(member.providerId, member)
    return member
  }

  account(accountId: string, owner: string): UnipileAccount {
    const account: UnipileAccount = { id: accountId, me: this.member(owner), inMailCredits: 5 }
    this.accounts.set(accountId, account)
    return account
  }

  /**
   * The person finishes the wizard of a hosted auth link, logged in as `owner`: the account is created (or,
   * for a reconnection, its failure cleared) and Unipile posts the outcome to the link's `notify_url`.
   * Returns what the notify URL answered.
   */
  async completeHostedAuth(linkUrl: string, owner: string): Promise<{ accountId: string; status: number }> {
    const token = new URL(linkUrl).pathname.split('/').pop() ?? ''
    const link = this.hostedLinks.get(token)
    if (link === undefined) throw new Error(`no hosted auth link ${linkUrl}`)
    if (link.used || link.expiresAt <= this.now()) throw new Error('the hosted auth link is used or expired')
    link.used = true
    let accountId: string
    if (link.type === 'reconnect') {
      const existing = this.accounts.get(link.reconnectAccount ?? '')
      if (existing === undefined) throw new Error(`no account ${link.reconnectAccount} to reconnect`)
      delete existing.failure
      accountId = existing.id
    } else {
      accountId = id()
      this.account(accountId, owner)
    }
    if (link.notifyUrl === undefined) return { accountId, status: 0 }
    const delivered = await fetch(link.notifyUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        status: link.type === 'reconnect' ? 'RECONNECTED' : 'CREATION_SUCCESS',
        account_id: accountId,
        name: link.name,
      }),
    })
    await delivered.arrayBuffer()
    return { accountId, status: delivered.status }
  }

  connect(accountId: string, member: UnipileMember, at = this.now()): void {
    this.relations.set(`${accountId}:${member.providerId}`, at)
  }

  /** The person accepts the account's pending invitation; Unipile reports a new relation. */
  accept(accountId: string, member: UnipileMember): void {
    const key = `${accountId}:${member.providerId}`
    if (!this.invitations.delete(key))
      throw new Error(`no pending invitation from ${accountId} to ${member.publicIdentifier}`)
    this.relations.set(key, this.now())
    this.webhooks.push({
      source: 'users',
      body: {
        ...relationWebhookFixture,
        account_id: accountId,
        user_full_name: `${member.firstName} ${member.lastName}`,
        user_provider_id: member.providerId,
        user_public_identifier: member.publicIdentifier,
        user_profile_url: `https://www.linkedin.com/in/${member.publicIdentifier}/`,
      },
    })
  }

  /** The person writes to the account. */
  reply(accountId: string, member: UnipileMember, text: string): FakeMessage {
    return this.deliver(this.chatWith(accountId, member), member.providerId, { text })
  }

  /** Someone writes in a group chat of the account with `members` (started by the account or not). */
  groupReply(
    accountId: string,
    members: readonly UnipileMember[],
    from: UnipileMember,
    text: string,
  ): FakeMessage {
    return this.deliver(this.groupWith(accountId, members), from.providerId, { text })
  }

  /** The texts the account sent a person, oldest first. */
  sentTo(accountId: string, member: UnipileMember): string[] {
    const me = this.accounts.get(accountId)?.me.providerId
    return this.chats
      .filter(
        (each) => each.accountId === accountId && !each.group && each.other.providerId === member.providerId,
      )
      .flatMap((each) => each.messages)
      .filter((each) => each.senderId === me && each.text !== null && each.text !== '')
      .map((each) => each.text as string)
  }

  /** Messages the account sent a person, with their files. */
  messagesTo(accountId: string, member: UnipileMember): FakeMessage[] {
    const me = this.accounts.get(accountId)?.me.providerId
    return this.chats
      .filter(
        (each) => each.accountId === accountId && !each.group && each.other.providerId === member.providerId,
      )
      .flatMap((each) => each.messages)
      .filter((each) => each.senderId === me)
  }

  publish(
    author: UnipileMember,
    input: { text?: string; at?: number; isRepost?: boolean; canReact?: boolean; reactions?: string[] } = {},
  ): FakePost {
    const item: FakePost = {
      socialId: `urn:li:activity:${7_000_000_000 + ++this.counter}`,
      id: String(7_000_000_000 + this.counter),
      author,
      text: input.text ?? 'A post',
      at: input.at ?? this.now(),
      isRepost: input.isRepost ?? false,
      canReact: input.canReact ?? true,
      reactions: new Map((input.reactions ?? []).map((value, index) => [`reactor-${index}`, value])),
    }
    this.posts.push(item)
    return item
  }

  script(route: string, ...answers: ScriptedAnswer[]): void {
    this.scripted.set(route, [...(this.scripted.get(route) ?? []), ...answers])
  }

  /** Answers the next request of `route` with a documented error. */
  fail(
    route: string,
    type: string,
    options: { detail?: string; headers?: Record<string, string> } = {},
  ): void {
    const { status, body } = errorBody(type, options.detail)
    this.script(route, {
      status,
      body,
      ...(options.headers === undefined ? {} : { headers: options.headers }),
    })
  }

  requestsOf(route: string): ReceivedRequest[] {
    return this.requests.filter((each) => each.route === route)
  }

  takeWebhooks(): UnipileWebhookDelivery[] {
    return this.webhooks.splice(0)
  }

  // --- HTTP ---------------------------------------------------------------------------------------------

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const raw = Buffer.concat(chunks)
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
      response.end(body === undefined ? '' : JSON.stringify(body))
    }
    const file = /^\/files\/(.+)$/.exec(url.pathname)?.[1]
    if (request.method === 'GET' && file !== undefined) {
      const found = this.files.get(decodeURIComponent(file))
      response.writeHead(found === undefined ? 404 : 200, { 'content-type': found?.type ?? 'text/plain' })
      response.end(found?.bytes)
      return
    }
    const apiPath = url.pathname.startsWith('/api/v1/') ? url.pathname.slice('/api/v1'.length) : undefined
    const matched =
      apiPath === undefined
        ? undefined
        : ROUTES.map(([method, pattern, route]) => ({ method, route, match: pattern.exec(apiPath) })).find(
            (each) => each.method === request.method && each.match !== null,
          )
    const contentType = request.headers['content-type'] ?? ''
    let json: Record<string, unknown> | undefined
    let form: Record<string, Array<string | FormFile>> | undefined
    if (contentType.startsWith('application/json') && raw.length > 0) {
      try {
        json = JSON.parse(raw.toString('utf8')) as Record<string, unknown>
      } catch {
        const { status, body } = errorBody('errors/malformed_request', 'The body is not JSON.')
        return send(status, body)
      }
    } else if (contentType.startsWith('multipart/form-data')) {
      form = await readForm(contentType, raw)
    }
    const received: ReceivedRequest = {
      method: request.method ?? '',
      route: matched?.route ?? `${request.method} ${url.pathname}`,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      ...(json === undefined ? {} : { json }),
      ...(form === undefined ? {} : { form }),
      status: 0,
    }
    this.requests.push(received)
    const answer = (result: ScriptedAnswer) => {
      received.status = result.status
      if (this.dropAfterHandling.delete(received.route)) {
        request.socket.destroy()
        return
      }
      send(result.status, result.body, result.headers)
    }
    // Not in the reference: what an unknown API key gets is assumed to be a bare 401.
    if (request.headers['x-api-key'] !== this.options.apiKey)
      return answer({ status: 401, body: { status: 401, title: 'Unauthorized', detail: 'Invalid API key' } })
    if (matched?.match == null)
      return answer(errorBody('errors/resource_not_found', `No route ${url.pathname}`))
    const scripted = this.scripted.get(received.route)?.shift() ?? this.scripted.get('*')?.shift()
    if (scripted !== undefined) return answer(scripted)
    if (received.route === 'POST /hosted/accounts/link') return answer(this.hostedLink(json))
    if (received.route === 'GET /accounts/:account_id') {
      const found = this.accounts.get(decodeURIComponent(matched.match[1] ?? ''))
      if (found === undefined) return answer(errorBody('errors/resource_not_found', 'Account not found'))
      return answer({ status: 200, body: this.accountObject(found) })
    }
    // `account_id` is optional here (every account's chats without it) and may list several accounts.
    if (received.route === 'GET /chats') return answer(this.listChats(url))
    const param = decodeURIComponent(matched.match[1] ?? '')
    // A chat's messages are read by the chat id alone (the route has no account_id): its account is the chat's.
    const chatAccount =
      received.route === 'GET /chats/:chat_id/messages'
        ? this.chats.find((each) => each.id === param)?.accountId
        : undefined
    const accountId = String(
      chatAccount ??
        url.searchParams.get('account_id') ??
        json?.account_id ??
        fieldOf(form, 'account_id') ??
        '',
    )
    const account = this.accounts.get(accountId)
    if (account === undefined)
      return answer(
        errorBody(
          'errors/resource_not_found',
          chatAccount === undefined ? 'Account not found' : 'Chat not found',
        ),
      )
    if (account.failure !== undefined) return answer(errorBody(account.failure))
    answer(this.route(received.route, account, param, url, json, form))
  }

  /** `POST /hosted/accounts/link`, with the checks of the reference's request body. */
  private hostedLink(json: Record<string, unknown> | undefined): ScriptedAnswer {
    const invalid = (detail: string) => errorBody('errors/invalid_parameters', detail)
    const body = json ?? {}
    if (body.type !== 'create' && body.type !== 'reconnect')
      return invalid("type must be 'create' or 'reconnect'")
    const providers = body.providers
    if (providers !== '*' && !(Array.isArray(providers) && providers.length > 0))
      return invalid("providers must be '*' or a non-empty list")
    if (typeof body.api_url !== 'string' || !/^https?:\/\//.test(body.api_url))
      return invalid('api_url is required')
    const expiresAt = typeof body.expiresOn === 'string' ? Date.parse(body.expiresOn) : Number.NaN
    if (!Number.isFinite(expiresAt) || !DATETIME_PARAM.test(String(body.expiresOn)))
      return invalid('expiresOn must be a YYYY-MM-DDTHH:MM:SS.sssZ datetime')
    if (expiresAt <= this.now()) return invalid('expiresOn must be in the future')
    for (const field of ['notify_url', 'success_redirect_url', 'failure_redirect_url'])
      if (
        body[field] !== undefined &&
        (typeof body[field] !== 'string' || !URL.canParse(body[field] as string))
      )
        return invalid(`${field} must be a URL`)
    if (body.type === 'reconnect') {
      if (typeof body.reconnect_account !== 'string')
        return invalid('reconnect_account is required to reconnect')
      if (!this.accounts.has(body.reconnect_account))
        return errorBody('errors/resource_not_found', 'Account not found')
    }
    const token = id()
    const url = `https://account.unipile.com/${token}`
    this.hostedLinks.set(token, {
      url,
      type: body.type,
      name: typeof body.name === 'string' ? body.name : undefined,
      notifyUrl: typeof body.notify_url === 'string' ? body.notify_url : undefined,
      expiresAt,
      reconnectAccount: typeof body.reconnect_account === 'string' ? body.reconnect_account : undefined,
      used: false,
    })
    return { status: 201, body: { object: 'HostedAuthURL', url } }
  }

  /** The reference's `Account` object, for a LinkedIn account. */
  private accountObject(account: UnipileAccount): Record<string, unknown> {
    return {
      object: 'Account',
      type: 'LINKEDIN',
      id: account.id,
      name: `${account.me.firstName} ${account.me.lastName}`,
      created_at: new Date(this.now()).toISOString(),
      connection_params: {
        im: {
          id: account.me.providerId,
          publicIdentifier: account.me.publicIdentifier,
          username: account.me.firstName,
        },
      },
      sources: [
        { id: `${account.id}_MESSAGING`, status: account.failure === undefined ? 'OK' : 'CREDENTIALS' },
      ],
      groups: [],
    }
  }

  private route(
    route: string,
    account: UnipileAccount,
    param: string,
    url: URL,
    json: Record<string, unknown> | undefined,
    form: Record<string, Array<string | FormFile>> | undefined,
  ): ScriptedAnswer {
    const ok = (body: unknown, status = 200): ScriptedAnswer => ({ status, body })
    const key = (member: UnipileMember) => `${account.id}:${member.providerId}`
    switch (route) {
      case 'GET /users/me':
        return ok({
          ...this.profileOf(account, account.me),
          object: 'AccountOwnerProfile',
          is_self: true,
          network_distance: undefined,
        })
      case 'GET /users/:identifier': {
        const member = this.find(param)
        if (member === undefined) return errorBody('errors/resource_not_found', 'User not found')
        const notify = url.searchParams.get('notify') === 'true'
        this.visits.push({ accountId: account.id, providerId: member.providerId, notify })
        return ok(this.profileOf(account, member))
      }
      case 'GET /users/:identifier/posts': {
        const member = this.members.get(param)
        if (member === undefined)
          return errorBody('errors/invalid_recipient', 'Make sure that the recipient ID is valid.')
        const items = this.posts
          .filter((each) => each.author.providerId === member.providerId)
          .sort((a, b) => b.at - a.at)
          .map((each) => this.postOf(account, each))
        return ok({ object: 'PostList', ...this.paged(items, url), paging: { page_count: items.length } })
      }
      case 'GET /posts/:post_id/reactions': {
        const item = this.posts.find((each) => each.socialId === param)
        if (item === undefined) return errorBody('errors/resource_not_found', 'Post not found')
        const items = [...item.reactions].map(([author, value]) => ({
          object: 'PostReaction',
          value,
          post_id: item.id,
          author: {
            id: author,
            type: 'INDIVIDUAL',
            name: this.members.get(author)?.firstName ?? author,
            headline: null,
            profile_url: null,
            network_distance: 'THIRD_DEGREE',
          },
        }))
        const paged = this.paged(items, url)
        return ok({
          object: 'PostReactionList',
          items: paged.items,
          paging: {
            cursor: paged.cursor,
            start: 0,
            page_count: paged.items.length,
            total_count: items.length,
          },
        })
      }
      case 'POST /posts/reaction': {
        const item = this.posts.find((each) => each.socialId === json?.post_id)
        if (item === undefined) return errorBody('errors/resource_not_found', 'Post not found')
        if (!item.canReact) return errorBody('errors/invalid_post')
        const names: Record<string, string> = {
          like: 'LIKE',
          celebrate: 'PRAISE',
          support: 'APPRECIATION',
          love: 'EMPATHY',
          insightful: 'INTEREST',
          funny: 'ENTERTAINMENT',
        }
        const value = names[String(json?.reaction_type ?? 'like')]
        if (value === undefined) return errorBody('errors/invalid_parameters', 'reaction_type is not valid')
        item.reactions.set(account.me.providerId, value)
        return ok({ object: 'ReactionAdded' }, 201)
      }
      case 'POST /users/invite': {
        const member = this.members.get(String(json?.provider_id ?? ''))
        if (member === undefined) return errorBody('errors/invalid_recipient')
        const note = typeof json?.message === 'string' ? json.message : undefined
        if (note !== undefined && [...note].length > 300) return errorBody('errors/too_many_characters')
        if (this.relations.has(key(member))) return errorBody('errors/cannot_invite_attendee')
        if (this.invitations.has(key(member)))
          return errorBody(
            'errors/cannot_resend_yet',
            'An invitation was already sent to this recipient recently.',
          )
        const withdrawn = this.withdrawals.get(key(member))
        if (withdrawn !== undefined && this.now() - withdrawn < WITHDRAW_COOLDOWN_MS)
          return errorBody('errors/already_invited_recently')
        const invitation = { id: `7${String(++this.counter).padStart(18, '0')}`, at: this.now(), member }
        this.invitations.set(key(member), note === undefined ? invitation : { ...invitation, note })
        return ok({ object: 'UserInvitationSent', invitation_id: invitation.id })
      }
      case 'GET /users/invite/sent': {
        const items = [...this.invitations.entries()]
          .filter(([each]) => each.startsWith(`${account.id}:`))
          .map(([, each]) => each)
          .sort((a, b) => b.at - a.at)
          .map((each) => ({
            object: 'InvitationSent',
            id: each.id,
            invited_user: `${each.member.firstName} ${each.member.lastName}`,
            invited_user_id: each.member.providerId,
            invited_user_public_id: each.member.publicIdentifier,
            invited_user_description: null,
            date: new Date(each.at).toUTCString(),
            parsed_datetime: new Date(each.at).toISOString(),
            invitation_text: each.note ?? null,
            inviter: {
              inviter_name: `${account.me.firstName} ${account.me.lastName}`,
              inviter_id: account.me.providerId,
              inviter_public_identifier: account.me.publicIdentifier,
              inviter_description: null,
            },
            specifics: { provider: 'LINKEDIN', shared_secret: id() },
          }))
        return ok({ object: 'InvitationList', ...this.paged(items, url) })
      }
      case 'DELETE /users/invite/sent/:invitation_id': {
        const found = [...this.invitations.entries()].find(([, each]) => each.id === param)
        if (found === undefined) return errorBody('errors/resource_not_found', 'Invitation not found')
        this.invitations.delete(found[0])
        this.withdrawals.set(found[0], this.now())
        return ok({ object: 'InvitationCanceled' })
      }
      case 'GET /users/relations': {
        const items = [...this.relations.entries()]
          .filter(([each]) => each.startsWith(`${account.id}:`))
          .map(([each, at]) => ({
            member: this.members.get(each.slice(account.id.length + 1)) as UnipileMember,
            at,
          }))
          .sort((a, b) => b.at - a.at)
          .map(({ member, at }) => ({
            object: 'UserRelation',
            first_name: member.firstName,
            last_name: member.lastName,
            headline: '',
            public_identifier: member.publicIdentifier,
            public_profile_url: `https://www.linkedin.com/in/${member.publicIdentifier}`,
            created_at: at,
            member_id: member.providerId,
            member_urn: `urn:li:member:${member.providerId.length}`,
            connection_urn: `urn:li:fsd_connection:${member.providerId}`,
          }))
        return ok({ object: 'UserRelationsList', ...this.paged(items, url) })
      }
      case 'GET /chats/:chat_id/messages': {
        const found = this.chats.find((each) => each.id === param)
        if (found === undefined) return errorBody('errors/resource_not_found', 'Chat not found')
        const items = [...found.messages].reverse().map((each) => this.messageOf(found, each))
        return ok({ object: 'MessageList', ...this.paged(items, url) })
      }
      case 'POST /chats':
        return this.startChat(account, form ?? {})
      default:
        return errorBody('errors/resource_not_found')
    }
  }

  /** GET /chats: most recent first, for the accounts `account_id` lists, or every account without it. */
  private listChats(url: URL): ScriptedAnswer {
    const after = url.searchParams.get('after')
    const before = url.searchParams.get('before')
    for (const [name, value] of [
      ['after', after],
      ['before', before],
    ] as const)
      if (value !== null && !DATETIME_PARAM.test(value))
        return errorBody('errors/invalid_parameters', `${name} must be a YYYY-MM-DDTHH:MM:SS.sssZ datetime`)
    const limit = url.searchParams.get('limit')
    if (limit !== null && !(Number.isInteger(Number(limit)) && Number(limit) >= 1 && Number(limit) <= 250))
      return errorBody('errors/invalid_parameters', 'limit must be between 1 and 250')
    const listed = url.searchParams.get('account_id')?.split(',')
    const unknown = listed?.find((each) => !this.accounts.has(each))
    if (unknown !== undefined) return errorBody('errors/resource_not_found', 'Account not found')
    const type = url.searchParams.get('account_type')
    const items = this.chats
      .filter((each) => (listed === undefined || listed.includes(each.accountId)) && each.messages.length > 0)
      .filter(() => type === null || type === 'LINKEDIN')
      .map((each) => ({ each, last: each.messages[each.messages.length - 1] as FakeMessage }))
      // `after`: "items created after the datetime (exclusive)", read here as the chat's last activity.
      .filter(
        ({ last }) =>
          (after === null || last.at > Date.parse(after)) &&
          (before === null || last.at < Date.parse(before)),
      )
      .sort((a, b) => b.last.at - a.last.at)
      .map(({ each, last }) => ({
        object: 'Chat',
        id: each.id,
        account_id: each.accountId,
        account_type: 'LINKEDIN',
        provider_id: each.providerId,
        // A 1:1 chat names the other person; a group has a name and no single attendee.
        ...(each.group ? {} : { attendee_provider_id: each.other.providerId }),
        name: each.group ? each.members.map((member) => member.firstName).join(', ') : null,
        type: each.group ? 1 : 0,
        timestamp: new Date(last.at).toISOString(),
        unread_count: 0,
        archived: 0,
        muted_until: null,
        read_only: 0,
        disabledFeatures: [],
        ...(each.inMail ? { content_type: 'inmail' } : {}),
        folder: ['INBOX', 'INBOX_LINKEDIN_CLASSIC'],
      }))
    return { status: 200, body: { object: 'ChatList', ...this.paged(items, url) } }
  }

  private startChat(account: UnipileAccount, form: Record<string, Array<string | FormFile>>): ScriptedAnswer {
    // `attendees_ids`: "One or more attendee provider ID" (required, length >= 1); more than one is a group.
    const attendees = (form.attendees_ids ?? []).filter((each): each is string => typeof each === 'string')
    if (attendees.length === 0)
      return errorBody('errors/invalid_parameters', 'attendees_ids must contain at least 1 element')
    const everyone = attendees.map((each) => this.members.get(each))
    if (everyone.some((each) => each === undefined)) return errorBody('errors/invalid_recipient')
    if (attendees.length > 1) return this.startGroup(account, everyone as UnipileMember[], form)
    const member = everyone[0] as UnipileMember
    const text = fieldOf(form, 'text')
    const attachments = (form.attachments ?? []).filter((each): each is FormFile => typeof each !== 'string')
    const voice = (form.voice_message ?? []).find((each): each is FormFile => typeof each !== 'string')
    if ((text === undefined || text === '') && attachments.length === 0 && voice === undefined)
      return errorBody('errors/missing_parameters', 'text, attachments or voice_message is required')
    if (voice !== undefined && !voice.type.startsWith('audio/'))
      return errorBody('errors/unsupported_media_type')
    const inMail = fieldOf(form, 'linkedin[inmail]') === 'true'
    const key = `${account.id}:${member.providerId}`
    const existing = this.chats.find(
      (each) => each.accountId === account.id && !each.group && each.other.providerId === member.providerId,
    )
    if (inMail) {
      const unanswered =
        existing?.inMail === true && !existing.messages.some((each) => each.senderId === member.providerId)
      if (unanswered) return errorBody('errors/cannot_resend_yet')
      if (account.inMailCredits <= 0) return errorBody('errors/insufficient_credits')
      account.inMailCredits--
    } else if (!this.relations.has(key)) {
      return errorBody('errors/no_connection_with_recipient')
    }
    const found = this.chatWith(account.id, member)
    if (inMail) found.inMail = true
    const subject = fieldOf(form, 'subject')
    const sent = this.deliver(found, account.me.providerId, {
      text: text ?? null,
      attachments: attachments.map(({ name, type, size }) => ({ name, type, size })),
      ...(voice === undefined ? {} : { voice: { name: voice.name, type: voice.type, size: voice.size } }),
      ...(subject === undefined ? {} : { subject }),
      ...(inMail ? { inMail } : {}),
    })
    return { status: 201, body: { object: 'ChatStarted', chat_id: found.id, message_id: sent.id } }
  }

  private find(identifier: string): UnipileMember | undefined {
    return (
      this.members.get(identifier) ??
      [...this.members.values()].find(
        (each) => each.publicIdentifier.toLowerCase() === identifier.toLowerCase(),
      )
    )
  }

  /** A group chat: every attendee must be a relation of the account (LinkedIn messages connections only). */
  private startGroup(
    account: UnipileAccount,
    members: readonly UnipileMember[],
    form: Record<string, Array<string | FormFile>>,
  ): ScriptedAnswer {
    if (members.some((member) => !this.relations.has(`${account.id}:${member.providerId}`)))
      return errorBody('errors/no_connection_with_recipient')
    const text = fieldOf(form, 'text')
    if (text === undefined || text === '')
      return errorBody('errors/missing_parameters', 'text, attachments or voice_message is required')
    const found = this.groupWith(account.id, members)
    const sent = this.deliver(found, account.me.providerId, { text })
    return { status: 201, body: { object: 'ChatStarted', chat_id: found.id, message_id: sent.id } }
  }

  private chatWith(accountId: string, member: UnipileMember): FakeChat {
    let found = this.chats.find(
      (each) => each.accountId === accountId && !each.group && each.other.providerId === member.providerId,
    )
    if (found === undefined) {
      found = {
        id: id(),
        providerId: `2-${randomUUID()}`,
        accountId,
        other: member,
        members: [member],
        group: false,
        messages: [],
        inMail: false,
      }
      this.chats.push(found)
    }
    return found
  }

  private groupWith(accountId: string, members: readonly UnipileMember[]): FakeChat {
    const key = (list: readonly UnipileMember[]) =>
      list
        .map((member) => member.providerId)
        .sort()
        .join(',')
    let found = this.chats.find(
      (each) => each.accountId === accountId && each.group && key(each.members) === key(members),
    )
    if (found === undefined) {
      found = {
        id: id(),
        providerId: `2-${randomUUID()}`,
        accountId,
        other: members[0] as UnipileMember,
        members: [...members],
        group: true,
        messages: [],
        inMail: false,
      }
      this.chats.push(found)
    }
    return found
  }

  /** Adds a message and the "New messages" webhook Unipile sends for it, sent or received. */
  private deliver(
    chat: FakeChat,
    senderId: string,
    content: Omit<FakeMessage, 'id' | 'providerId' | 'senderId' | 'at' | 'attachments' | 'text'> & {
      text?: string | null
      attachments?: FakeMessage['attachments']
    },
  ): FakeMessage {
    const sent: FakeMessage = {
      ...content,
      id: id(),
      providerId: `2-${randomUUID()}`,
      senderId,
      text: content.text ?? null,
      attachments: content.attachments ?? [],
      at: this.now(),
    }
    chat.messages.push(sent)
    const account = this.accounts.get(chat.accountId) as UnipileAccount
    const sender =
      senderId === account.me.providerId
        ? account.me
        : (chat.members.find((member) => member.providerId === senderId) ?? chat.other)
    const attendee = (member: UnipileMember) => ({
      attendee_id: member.providerId.slice(-12),
      attendee_name: `${member.firstName} ${member.lastName}`,
      attendee_provider_id: member.providerId,
      attendee_profile_url: `https://www.linkedin.com/in/${member.providerId}/`,
    })
    this.webhooks.push({
      source: 'messaging',
      body: {
        ...messageWebhookFixture,
        account_id: chat.accountId,
        account_info: { type: 'LINKEDIN', feature: 'classic', user_id: account.me.providerId },
        chat_id: chat.id,
        timestamp: new Date(sent.at).toISOString(),
        message_id: sent.id,
        message: sent.text ?? '',
        sender: attendee(sender),
        attendees: chat.members.map(attendee),
        is_group: chat.group,
        attachments: [],
      },
    })
    return sent
  }

  private profileOf(account: UnipileAccount, member: UnipileMember) {
    const key = `${account.id}:${member.providerId}`
    const connected = this.relations.has(key)
    const pending = this.invitations.has(key)
    const withdrawn = this.withdrawals.has(key)
    return {
      ...userProfileFixture,
      provider_id: member.providerId,
      public_identifier: member.publicIdentifier,
      first_name: member.firstName,
      last_name: member.lastName,
      headline: `${member.firstName} at Example`,
      is_relationship: connected,
      is_self: member.providerId === account.me.providerId,
      network_distance: connected ? 'FIRST_DEGREE' : 'THIRD_DEGREE',
      ...(pending
        ? { invitation: { type: 'SENT', status: 'PENDING' } }
        : withdrawn
          ? { invitation: { type: 'SENT', status: 'WITHDRAWN' } }
          : {}),
      public_profile_url: `https://www.linkedin.com/in/${member.publicIdentifier}`,
    }
  }

  private postOf(account: UnipileAccount, item: FakePost) {
    return {
      object: 'Post',
      provider: 'LINKEDIN',
      id: item.id,
      social_id: item.socialId,
      share_url: `https://www.linkedin.com/posts/${item.id}`,
      text: item.text,
      date: '1d',
      parsed_datetime: new Date(item.at).toISOString(),
      reaction_counter: item.reactions.size,
      comment_counter: 0,
      repost_counter: 0,
      impressions_counter: 0,
      ...(this.options.reportsUserReacted === true && item.reactions.has(account.me.providerId)
        ? { user_reacted: item.reactions.get(account.me.providerId) }
        : {}),
      author: {
        public_identifier: item.author.publicIdentifier,
        id: item.author.providerId,
        name: `${item.author.firstName} ${item.author.lastName}`,
        is_company: false,
      },
      permissions: { can_react: item.canReact, can_share: true, can_post_comments: true },
      is_repost: item.isRepost,
      attachments: [],
    }
  }

  private messageOf(chat: FakeChat, item: FakeMessage) {
    const account = this.accounts.get(chat.accountId) as UnipileAccount
    const mine = item.senderId === account.me.providerId
    return {
      object: 'Message',
      provider_id: item.providerId,
      sender_id: item.senderId,
      text: item.text,
      attachments: [],
      id: item.id,
      account_id: chat.accountId,
      chat_id: chat.id,
      chat_provider_id: chat.providerId,
      timestamp: new Date(item.at).toISOString(),
      is_sender: mine ? 1 : 0,
      reactions: [],
      seen: 0,
      seen_by: {},
      hidden: 0,
      deleted: 0,
      edited: 0,
      is_event: 0,
      delivered: 1,
      behavior: null,
      original: '',
      sender_attendee_id: item.senderId.slice(-12),
      ...(item.subject === undefined ? {} : { subject: item.subject }),
      message_type: item.inMail ? 'INMAIL' : 'MESSAGE',
    }
  }

  /** A page of `items` from `cursor` (an offset, opaque to clients), at most `limit` and the page size. */
  private paged<T>(items: readonly T[], url: URL): { items: T[]; cursor: string | null } {
    const start = Number(Buffer.from(url.searchParams.get('cursor') ?? '', 'base64url').toString() || '0')
    const limit = Math.min(Number(url.searchParams.get('limit') ?? this.pageSize), this.pageSize)
    const end = start + limit
    return {
      items: items.slice(start, end),
      cursor: end < items.length ? Buffer.from(String(end)).toString('base64url') : null,
    }
  }
}

function fieldOf(
  form: Record<string, Array<string | FormFile>> | undefined,
  name: string,
): string | undefined {
  const value = form?.[name]?.[0]
  return typeof value === 'string' ? value : undefined
}

/** A multipart/form-data body, read with the platform's own parser. */
async function readForm(contentType: string, raw: Buffer): Promise<Record<string, Array<string | FormFile>>> {
  const parsed = await new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData()
  const fields: Record<string, Array<string | FormFile>> = {}
  for (const [name, value] of parsed.entries()) {
    const entry =
      typeof value === 'string'
        ? value
        : { name: value.name, type: value.type, size: value.size, text: await value.text() }
    fields[name] = [...(fields[name] ?? []), entry]
  }
  return fields
}
