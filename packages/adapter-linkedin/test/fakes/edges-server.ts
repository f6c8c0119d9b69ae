import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for the Edges API (docs.edges.run), faithful to its documented shapes: `X-API-Key`
 * authentication, `POST /v1/actions/{action}/run/live` with `identity_ids` and `input`, the output rows of
 * the extract actions, `X-Pagination-Next` pages, the error body (`error_label`, `error_scope`,
 * `error_ref`, `message`, `status_code`, `params`) with the labels of the error reference, `postponed_until`
 * on the labels the reference says to retry at it (LIMIT_REACHED, STATUS_429, PROXY_ERROR), Smart Limits
 * (per identity and action, on a sliding 24 h window: LIMIT_REACHED as a 429), and 429s with Retry-After.
 * Identities are created with `POST /v1/identities` (`name`, `timezone`, `type`; the reference's canonical
 * IANA zones only) and get LinkedIn through `POST /v1/identities/{identity_uid}/integrations/linkedin` with
 * session cookies (`auth_data.cookies.li_at`, `li_a`): a session the fake knows connects its member (`VALID`),
 * an unknown one is `INVALID`; connecting again updates the same integration.
 * Behind it, a small LinkedIn: members, connections, invitations, conversations.
 */

export interface EdgesMember {
  readonly handle: string
  /** LinkedIn's numeric member id, as Edges outputs it. */
  readonly numericId: number
  readonly firstName: string
  readonly lastName: string
}

export interface EdgesIdentity {
  readonly id: string
  readonly type: 'standard' | 'engagement'
  /** The LinkedIn account connected to the identity (an integration); none: NO_VALID_ACCOUNT_CONFIGURED. */
  linkedin?: EdgesMember
  inMailCredits: number
  /** Smart Limits: runs of an action allowed in any 24 h (none: no limit). */
  limits?: Partial<Record<string, number>>
}

/** An integration connected through the API. */
export interface EdgesIntegrationRecord {
  readonly uid: string
  readonly identityUid: string
  readonly status: 'VALID' | 'INVALID'
  readonly name: string
  readonly liAt: string
  readonly liA?: string
}

export interface EdgesRun {
  readonly action: string
  readonly identityIds: readonly string[]
  readonly identityMode?: string
  readonly input?: Record<string, unknown>
  readonly parameters?: Record<string, unknown>
  /** The fake's clock when the run was answered. */
  readonly at: number
  readonly status: number
}

interface Message {
  readonly id: string
  readonly fromNumericId: number
  readonly content: string
  readonly at: number
}

interface Conversation {
  readonly threadId: string
  readonly identityId: string
  readonly other: EdgesMember
  readonly messages: Message[]
}

export interface ScriptedAnswer {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Record<string, string>
}

export interface EdgesServerOptions {
  readonly apiKey: string
  /** The clock of the LinkedIn behind the fake (virtual time in engine tests). Default Date.now. */
  readonly now?: () => number
  /** Rows per page of the extract actions. Default 10. */
  readonly pageSize?: number
}

const DAY = 86_400_000
const WITHDRAW_COOLDOWN_MS = 21 * DAY
/** The canonical IANA zones (this Node's list): aliases such as Europe/Kiev are refused, as Edges does. */
const CANONICAL_ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])

export class FakeEdges {
  readonly runs: EdgesRun[] = []
  readonly identities = new Map<string, EdgesIdentity>()
  readonly members = new Map<string, EdgesMember>()
  /** `${identityId}:${handle}` */
  readonly connections = new Map<string, number>()
  readonly invitations = new Map<
    string,
    { readonly id: string; readonly at: number; readonly note?: string }
  >()
  readonly withdrawals = new Map<string, number>()
  readonly visits: Array<{ readonly identityId: string; readonly handle: string }> = []
  readonly conversations: Conversation[] = []
  /** Answers given instead of running the action, in order, per action name (`*` for any). */
  readonly scripted = new Map<string, ScriptedAnswer[]>()
  /** Runs the action, then closes the connection without answering (the answer "lost"). */
  readonly dropAfterRunning = new Set<string>()
  /** Files served at `/files/<name>` (no API key), for attachments the provider downloads. */
  readonly files = new Map<string, Buffer>()
  /** LinkedIn sessions a browser holds: `li_at` cookie -> the member logged in. */
  readonly sessions = new Map<string, string>()
  /** Integrations connected through the API, by identity uid. */
  readonly integrations = new Map<string, EdgesIntegrationRecord>()
  /** Every request to the identity routes, in order. */
  readonly setupRequests: Array<{ readonly method: string; readonly path: string; readonly body: unknown }> =
    []
  private server: Server | undefined
  private readonly now: () => number
  private readonly pageSize: number
  private nextMemberId = 1000

  constructor(private readonly options: EdgesServerOptions) {
    this.now = options.now ?? Date.now
    this.pageSize = options.pageSize ?? 10
  }

  /** Where `files` are served. */
  get filesUrl(): string {
    return this.url.replace(/\/v1$/, '/files')
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined
    if (address === undefined) throw new Error('the fake Edges server is not started')
    return `http://127.0.0.1:${address.port}/v1`
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ message: String(error) }))
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  member(handle: string, firstName = handle, lastName = 'Example'): EdgesMember {
    const existing = this.members.get(handle)
    if (existing !== undefined) return existing
    const member = { handle, numericId: this.nextMemberId++, firstName, lastName }
    this.members.set(handle, member)
    return member
  }

  identity(id: string, account: string, type: 'standard' | 'engagement' = 'engagement'): EdgesIdentity {
    const identity: EdgesIdentity = { id, type, linkedin: this.member(account), inMailCredits: 5 }
    this.identities.set(id, identity)
    return identity
  }

  connect(identityId: string, handle: string, at = this.now()): void {
    this.member(handle)
    this.connections.set(`${identityId}:${handle}`, at)
  }

  /** The person accepts the identity's pending invitation. */
  accept(identityId: string, handle: string): void {
    const key = `${identityId}:${handle}`
    if (!this.invitations.delete(key))
      throw new Error(`no pending invitation from ${identityId} to ${handle}`)
    this.connections.set(key, this.now())
  }

  /** The person writes to the identity's account. */
  reply(identityId: string, handle: string, content: string): void {
    const other = this.member(handle)
    this.conversationWith(identityId, other).messages.push({
      id: `msg-${randomUUID()}`,
      fromNumericId: other.numericId,
      content,
      at: this.now(),
    })
  }

  /** The messages the identity sent to a person, oldest first. */
  sentTo(identityId: string, handle: string): string[] {
    const identity = this.identities.get(identityId)
    const conversation = this.conversations.find(
      (each) => each.identityId === identityId && each.other.handle === handle,
    )
    return (conversation?.messages ?? [])
      .filter((message) => message.fromNumericId === identity?.linkedin?.numericId)
      .map((message) => message.content)
  }

  script(action: string, ...answers: ScriptedAnswer[]): void {
    this.scripted.set(action, [...(this.scripted.get(action) ?? []), ...answers])
  }

  runsOf(action: string): EdgesRun[] {
    return this.runs.filter((run) => run.action === action)
  }

  private conversationWith(identityId: string, other: EdgesMember): Conversation {
    let conversation = this.conversations.find(
      (each) => each.identityId === identityId && each.other.handle === other.handle,
    )
    if (conversation === undefined) {
      conversation = { threadId: `2-${randomUUID()}`, identityId, other, messages: [] }
      this.conversations.push(conversation)
    }
    return conversation
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers })
      response.end(JSON.stringify(body))
    }
    const file = /^\/files\/(.+)$/.exec(url.pathname)?.[1]
    if (request.method === 'GET' && file !== undefined) {
      const bytes = this.files.get(file)
      response.writeHead(bytes === undefined ? 404 : 200, { 'content-type': 'application/octet-stream' })
      response.end(bytes)
      return
    }
    if (request.headers['x-api-key'] !== this.options.apiKey)
      return send(401, errorBody('UNAUTHORIZED', 'auth', 'Invalid or missing API key', 401))
    if (url.pathname.startsWith('/v1/identities')) {
      const scripted = this.scripted.get('identities')?.shift()
      if (scripted !== undefined) return send(scripted.status, scripted.body ?? '', scripted.headers)
      const result = this.setup(request.method ?? '', url.pathname, Buffer.concat(chunks).toString('utf8'))
      return send(result.status, result.body, result.headers)
    }
    const match = /^\/v1\/actions\/([a-z-]+)\/run\/live$/.exec(url.pathname)
    if (request.method !== 'POST' || match?.[1] === undefined)
      return send(404, errorBody('NOT_FOUND', 'input', `No route ${request.method} ${url.pathname}`, 404))
    const action = match[1]
    let body: {
      identity_ids?: string[]
      identity_mode?: string
      input?: Record<string, unknown>
      parameters?: Record<string, unknown>
    }
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    } catch {
      return send(400, errorBody('BAD_INPUT', 'input', 'Body is not JSON', 400))
    }
    const record = (status: number) =>
      this.runs.push({
        action,
        identityIds: body.identity_ids ?? [],
        ...(body.identity_mode === undefined ? {} : { identityMode: body.identity_mode }),
        ...(body.input === undefined ? {} : { input: body.input }),
        ...(body.parameters === undefined ? {} : { parameters: body.parameters }),
        at: this.now(),
        status,
      })
    const scripted = this.scripted.get(action)?.shift() ?? this.scripted.get('*')?.shift()
    if (scripted !== undefined) {
      record(scripted.status)
      return send(scripted.status, scripted.body ?? '', scripted.headers)
    }
    const result = this.run(action, body, url)
    record(result.status)
    if (this.dropAfterRunning.delete(action)) {
      request.socket.destroy()
      return
    }
    return send(result.status, result.body, result.headers)
  }

  /** Create an Identity, and Connect an Identity's Integration (LinkedIn, by cookies). */
  private setup(method: string, path: string, text: string): ScriptedAnswer {
    let body: Record<string, unknown>
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      return { status: 400, body: errorBody('BAD_INPUT', 'input', 'Body is not JSON', 400) }
    }
    this.setupRequests.push({ method, path, body })
    const bad = (message: string) => ({ status: 400, body: errorBody('BAD_INPUT', 'input', message, 400) })
    if (method === 'POST' && path === '/v1/identities') {
      const {
        name,
        timezone,
        type = 'standard',
      } = body as { name?: unknown; timezone?: unknown; type?: unknown }
      if (typeof name !== 'string' || name.trim() === '') return bad('name is required')
      // "Only canonical names are accepted. Deprecated or alias entries are currently not supported."
      if (typeof timezone !== 'string' || !CANONICAL_ZONES.has(timezone))
        return bad(`timezone '${String(timezone)}' is not a canonical IANA time zone`)
      if (type !== 'standard' && type !== 'engagement') return bad("type must be 'standard' or 'engagement'")
      const uid = randomUUID()
      this.identities.set(uid, { id: uid, type, inMailCredits: 5 })
      return {
        status: 201,
        body: { uid, name, timezone, type, created_at: new Date(this.now()).toISOString() },
      }
    }
    const connect = /^\/v1\/identities\/([^/]+)\/integrations\/linkedin$/.exec(path)
    if (method === 'POST' && connect?.[1] !== undefined) {
      const identityUid = decodeURIComponent(connect[1])
      const identity = this.identities.get(identityUid)
      if (identity === undefined)
        return { status: 404, body: errorBody('NOT_FOUND', 'input', `No identity ${identityUid}`, 404) }
      const auth = body.auth_data as { cookies?: { li_at?: unknown; li_a?: unknown } } | undefined
      const liAt = auth?.cookies?.li_at
      if (typeof liAt !== 'string' || liAt === '') return bad('auth_data.cookies.li_at is required')
      const handle = this.sessions.get(liAt)
      if (handle !== undefined) identity.linkedin = this.member(handle)
      const existing = this.integrations.get(identityUid)
      const record: EdgesIntegrationRecord = {
        uid: existing?.uid ?? randomUUID(),
        identityUid,
        status: handle === undefined ? 'INVALID' : 'VALID',
        name:
          typeof body.account_name === 'string'
            ? body.account_name
            : `${handle ?? 'Unknown'} LinkedIn Account`,
        liAt,
        ...(typeof auth?.cookies?.li_a === 'string' ? { liA: auth.cookies.li_a } : {}),
      }
      this.integrations.set(identityUid, record)
      return {
        status: 200,
        body: {
          auth_type: 'COOKIES',
          setup_source: 'API',
          auth_method: 'COOKIES',
          is_shared: false,
          name: record.name,
          uid: record.uid,
          integration_permalink: 'linkedin',
          created_at: new Date(this.now()).toISOString(),
          level: record.liA === undefined ? 'Classic' : 'Sales Navigator',
          identity_uid: identityUid,
          meta: {},
          status: record.status,
        },
      }
    }
    return { status: 404, body: errorBody('NOT_FOUND', 'input', `No route ${method} ${path}`, 404) }
  }

  private run(
    action: string,
    body: { identity_ids?: string[]; input?: Record<string, unknown> },
    url: URL,
  ): ScriptedAnswer {
    const fail = (label: string, message: string, status = 424) => ({
      status,
      body: errorBody(label, status === 400 ? 'input' : 'integration', message, status),
    })
    const identity = this.identities.get(body.identity_ids?.[0] ?? '')
    if (identity === undefined)
      return fail('BAD_PARAMETERS', 'identity_ids must name an identity of the workspace', 400)
    const me = identity.linkedin
    if (me === undefined)
      return fail('NO_VALID_ACCOUNT_CONFIGURED', 'No LinkedIn account is connected to this identity')
    const now = this.now()

    if (action.startsWith('linkedin-extract-')) return this.extract(action, identity, url)

    // Smart Limits: "in real-time mode, requests will fail with a rate limit error" until the window frees.
    const limit = identity.limits?.[action]
    if (limit !== undefined) {
      const recent = this.runs.filter(
        (run) =>
          run.action === action &&
          run.identityIds[0] === identity.id &&
          run.status === 200 &&
          now - run.at < DAY,
      )
      const oldest = recent[0]
      if (recent.length >= limit && oldest !== undefined)
        return {
          status: 429,
          body: errorBody(
            'LIMIT_REACHED',
            'rate_limit',
            `Limit reached for ${action} on this identity`,
            429,
            {
              postponed_until: new Date(oldest.at + DAY).toISOString(),
            },
          ),
        }
    }

    const profileUrl = body.input?.linkedin_profile_url
    if (typeof profileUrl !== 'string' || profileUrl === '')
      return fail('BAD_INPUT', 'input.linkedin_profile_url is required', 400)
    const handle = /linkedin\.com\/in\/([^/?#]+)/i.exec(profileUrl)?.[1]?.toLowerCase()
    if (handle === undefined)
      return fail('BAD_INPUT', 'input.linkedin_profile_url is not a LinkedIn profile URL', 400)
    const other = this.members.get(handle)
    if (other === undefined) return fail('STATUS_404', 'LinkedIn profile not found')
    const key = `${identity.id}:${handle}`
    const message = typeof body.input?.message === 'string' ? body.input.message : undefined

    switch (action) {
      case 'linkedin-visit-profile':
        this.visits.push({ identityId: identity.id, handle })
        return {
          status: 200,
          body: { linkedin_profile_url: profileUrl, first_name: other.firstName, last_name: other.lastName },
        }
      case 'linkedin-connect-profile': {
        if (this.connections.has(key)) return fail('LK_ERROR', 'You are already connected to this profile')
        if (this.invitations.has(key))
          return fail('LK_ERROR', 'An invitation is already pending for this profile')
        const withdrawn = this.withdrawals.get(key)
        if (withdrawn !== undefined && now - withdrawn < WITHDRAW_COOLDOWN_MS)
          return fail('LK_ERROR', 'You can not invite this person again yet: invitation withdrawn recently')
        if (message !== undefined && message.length > 300)
          return fail('BAD_INPUT', 'input.message must be at most 300 characters', 400)
        this.invitations.set(key, {
          id: `inv-${randomUUID()}`,
          at: now,
          ...(message === undefined ? {} : { note: message }),
        })
        return { status: 200, body: { linkedin_profile_url: profileUrl, status: 'pending' } }
      }
      case 'linkedin-withdraw-invitations': {
        if (!this.invitations.delete(key)) return fail('NO_RESULT', 'No pending invitation to this profile')
        this.withdrawals.set(key, now)
        return { status: 200, body: { linkedin_profile_url: profileUrl, withdrawn: true } }
      }
      case 'linkedin-message-profile': {
        if (!this.connections.has(key)) return fail('NOT_CONNECTED', 'You can only message your connections')
        const attachments = Array.isArray(body.input?.attachments) ? body.input.attachments : []
        const content = [
          message ?? '',
          ...attachments.map((each) => `[file ${(each as { name?: string }).name}]`),
        ]
          .filter((part) => part !== '')
          .join(' ')
        const sent = this.deliver(identity, other, content, now)
        return {
          status: 200,
          body: {
            message: content,
            linkedin_thread_id: sent.threadId,
            is_sent: true,
            delivered_at: new Date(now).toISOString(),
            linkedin_message_id: sent.id,
          },
        }
      }
      case 'linkedin-inmail-profile': {
        const conversation = this.conversations.find(
          (each) => each.identityId === identity.id && each.other.handle === handle,
        )
        const answered =
          conversation?.messages.some((each) => each.fromNumericId === other.numericId) ?? false
        if (conversation !== undefined && !answered)
          return fail('LK_INMAIL_CANNOT_RESEND', 'An InMail was already sent to this profile without reply')
        if (identity.inMailCredits <= 0)
          return fail('LK_INMAIL_NOT_ENOUGH_CREDIT', 'Not enough InMail credits')
        identity.inMailCredits--
        const subject = typeof body.input?.subject === 'string' ? body.input.subject : ''
        const sent = this.deliver(identity, other, `${subject}\n\n${message ?? ''}`, now)
        return {
          status: 200,
          body: { is_sent: true, linkedin_thread_id: sent.threadId, linkedin_message_id: sent.id },
        }
      }
      default:
        return fail('BAD_PARAMETERS', `Unknown action ${action}`, 400)
    }
  }

  private deliver(identity: EdgesIdentity, other: EdgesMember, content: string, at: number) {
    const me = identity.linkedin as EdgesMember
    const conversation = this.conversationWith(identity.id, other)
    const message = { id: `msg-${randomUUID()}`, fromNumericId: me.numericId, content, at }
    conversation.messages.push(message)
    return { threadId: conversation.threadId, id: message.id }
  }

  private extract(action: string, identity: EdgesIdentity, url: URL): ScriptedAnswer {
    const rows = this.rowsOf(action, identity)
    if (rows === undefined)
      return { status: 400, body: errorBody('BAD_PARAMETERS', 'input', `Unknown action ${action}`, 400) }
    const page = Number(url.searchParams.get('page') ?? '1')
    const slice = rows.slice((page - 1) * this.pageSize, page * this.pageSize)
    const headers: Record<string, string> = {}
    if (page * this.pageSize < rows.length)
      headers['x-pagination-next'] = `${this.url}/actions/${action}/run/live?page=${page + 1}`
    if (page > 1) headers['x-pagination-previous'] = `${this.url}/actions/${action}/run/live?page=${page - 1}`
    return { status: 200, body: slice, headers }
  }

  private person(member: EdgesMember) {
    return {
      linkedin_profile_id: member.numericId,
      linkedin_profile_url: `https://www.linkedin.com/in/${member.handle}`,
      first_name: member.firstName,
      last_name: member.lastName,
    }
  }

  private rowsOf(action: string, identity: EdgesIdentity): unknown[] | undefined {
    const iso = (at: number) => new Date(at).toISOString()
    const mine = <T>(map: Map<string, T>) =>
      [...map.entries()]
        .filter(([key]) => key.startsWith(`${identity.id}:`))
        .map(([key, value]) => ({
          member: this.members.get(key.slice(identity.id.length + 1)) as EdgesMember,
          value,
        }))
    switch (action) {
      case 'linkedin-extract-conversations':
        return this.conversations
          .filter((each) => each.identityId === identity.id && each.messages.length > 0)
          .map((each) => ({ each, last: each.messages[each.messages.length - 1] as Message }))
          .sort((a, b) => b.last.at - a.last.at)
          .map(({ each, last }) => ({
            participants: [this.person(each.other)],
            linkedin_thread_id: each.threadId,
            linkedin_thread_url: `https://www.linkedin.com/messaging/thread/${each.threadId}/`,
            read: false,
            created_at: iso(each.messages[0]?.at ?? last.at),
            last_activity_at: iso(last.at),
            last_message: {
              delivered_at: iso(last.at),
              linkedin_profile_id: last.fromNumericId,
              message_id: last.id,
              content: last.content,
              attachments: [],
            },
            unread_count: 1,
            sponsored: false,
          }))
      case 'linkedin-extract-sent-invitations':
        return mine(this.invitations)
          .sort((a, b) => b.value.at - a.value.at)
          .map(({ member, value }) => ({
            ...this.person(member),
            linkedin_invitation_id: value.id,
            sent_at: iso(value.at),
          }))
      case 'linkedin-extract-connections':
        return mine(this.connections)
          .sort((a, b) => b.value - a.value)
          .map(({ member, value }) => ({ ...this.person(member), connected_at: iso(value) }))
      default:
        return undefined
    }
  }
}

/** Edges' error body; `extra` adds fields some labels carry (`postponed_until`). */
export function errorBody(
  label: string,
  scope: string,
  message: string,
  status: number,
  extra: Record<string, unknown> = {},
) {
  return {
    error_label: label,
    error_scope: scope,
    error_ref: `ERR-${randomUUID().slice(0, 8)}`,
    message,
    status_code: status,
    params: {},
    ...extra,
  }
}
