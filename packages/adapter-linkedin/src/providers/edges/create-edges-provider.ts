import type { ConnectionCheck, LinkedInOutcome } from '@paceline/core/ports'
import type {
  LinkedInProviderV1,
  ProviderCall,
  ProviderConversation,
  ProviderPendingInvitation,
  ProviderRelation,
} from '../../provider/linkedin-provider'
import { profileUrlOf, samePerson } from '../../provider/same-person'
import { createProviderHttp, type ProviderHttp } from '../../transport/provider-http'
import {
  EDGES_ACTIONS,
  EDGES_MAX_ATTACHMENT_BASE64_BYTES,
  EDGES_VOICE_EXTENSIONS,
  type EdgesAction,
  type EdgesRunBody,
} from './edges-actions'
import { edgesFailure, IDENTITY_RATE_LIMITS, labelOf } from './edges-errors'
import { type EdgesConnect, edgesConnect } from './edges-identities'
import { type CreateEdgesProviderOptions, parseEdgesProviderOptions } from './edges-options'
import { conversationsOf, invitationsOf, relationsOf } from './edges-rows'

type Failure = Extract<LinkedInOutcome, { ok: false }>
type Run = { readonly ok: true; readonly body: unknown; readonly next?: string } | Failure

export interface EdgesProvider extends LinkedInProviderV1 {
  /** Creating Edges identities and connecting LinkedIn accounts to them. */
  readonly connect: EdgesConnect
  /** Stops the transport; queued requests end as not sent. */
  close(): Promise<void>
}

/**
 * LinkedIn through Edges (docs.edges.run): each action runs live on the Edges identity named by the
 * account id (`identity_ids`), with the lead's profile URL as input. Replies and acceptances come from
 * polling the included extract actions, since Edges has no webhook for LinkedIn messages. Requests are
 * spaced to Edges' per-key limit (120 a minute by default) and 429s are waited out for the whole key.
 */
export function createEdgesProvider(input: CreateEdgesProviderOptions): EdgesProvider {
  const options = parseEdgesProviderOptions(input)
  const fetchImpl = options.fetch ?? globalThis.fetch
  const maxPages = options.maxPages ?? 20
  const http: ProviderHttp = createProviderHttp({
    baseUrl: options.baseUrl ?? 'https://api.edges.run/v1',
    headers: { 'x-api-key': options.apiKey },
    fetch: fetchImpl,
    requestsPerMinute: options.requestsPerMinute ?? 120,
    timeoutMs: options.timeoutMs ?? 120_000,
    ...(options.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: options.maxRetryAfterMs }),
    // LIMIT_REACHED and STATUS_429 concern one identity, not the key: straight back to the engine (which
    // retries at their `postponed_until`), never a pause of every identity's requests. Other 429s are
    // Edges' plan limit on the key (docs.edges.run/v1/runs/rate-limits): waited out here.
    retry429: (body) => !IDENTITY_RATE_LIMITS.has(labelOf(body) ?? ''),
  })

  const run = async (
    action: EdgesAction,
    accountId: string,
    kind: 'write' | 'read',
    input?: Record<string, unknown>,
    page?: string,
  ): Promise<Run> => {
    const body: EdgesRunBody = {
      identity_mode: 'direct',
      identity_ids: [accountId],
      ...(input === undefined ? {} : { input }),
    }
    const result = await http.request({ method: 'POST', path: page ?? `/actions/${action}/run/live`, body })
    switch (result.kind) {
      case 'not-sent':
        return {
          ok: false,
          reason: 'transient',
          message: `Edges ${action}: not sent (${result.error.message})`,
        }
      case 'no-answer':
        return kind === 'write'
          ? {
              ok: false,
              reason: 'delivery_unknown',
              message: `Edges ${action}: sent, but no answer came (${result.error.message}); it may have run`,
            }
          : {
              ok: false,
              reason: 'transient',
              message: `Edges ${action}: no answer (${result.error.message})`,
            }
      case 'rate-limited':
        if (IDENTITY_RATE_LIMITS.has(labelOf(result.body) ?? ''))
          return edgesFailure(429, result.body, action, kind, { waitedMs: result.retryAfterMs })
        return {
          ok: false,
          reason: 'rate_limited',
          retryAfterMs: result.retryAfterMs,
          message: `Edges ${action}: Edges asked to slow down for ${Math.ceil(result.retryAfterMs / 1000)} s`,
          raw: result.body,
        }
      case 'response': {
        if (result.status >= 200 && result.status < 300) {
          const next = result.headers.get('x-pagination-next')
          return { ok: true, body: result.body, ...(next === null || next === '' ? {} : { next }) }
        }
        return edgesFailure(result.status, result.body, action, kind)
      }
    }
  }

  /** Every page of a listing, newest first, until `stop` says the rest is older than needed. */
  const list = async <T>(
    action: EdgesAction,
    accountId: string,
    read: (body: unknown) => T[],
    stop: (row: T) => boolean = () => false,
  ): Promise<T[]> => {
    const rows: T[] = []
    let page: string | undefined
    for (let count = 0; count < maxPages; count++) {
      const answer = await run(action, accountId, 'read', undefined, page)
      if (!answer.ok) throw new EdgesReadError(answer)
      const found = read(answer.body)
      for (const row of found) {
        if (stop(row)) return rows
        rows.push(row)
      }
      if (answer.next === undefined || found.length === 0) break
      page = answer.next
    }
    return rows
  }

  const targetInput = (call: ProviderCall): Record<string, unknown> | Failure => {
    const url = profileUrlOf(call.target)
    if (url === undefined)
      return {
        ok: false,
        reason: 'invalid_profile',
        message: "Edges needs the lead's LinkedIn URL or profile id",
      }
    // custom_data comes back with the run in Edges' logs: the key ties a run to the engine's attempt.
    return { linkedin_profile_url: url, custom_data: { paceline_idempotency_key: call.idempotencyKey } }
  }

  const act = async (
    action: EdgesAction,
    call: ProviderCall,
    extra: Record<string, unknown> = {},
  ): Promise<LinkedInOutcome> => {
    const target = targetInput(call)
    if ('ok' in target) return target as Failure
    const answer = await run(action, call.accountId, 'write', { ...target, ...extra })
    if (!answer.ok) return answer
    const output = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as {
      is_sent?: unknown
      linkedin_message_id?: unknown
    }
    // Edges answered but says LinkedIn did not take the message: nothing went out.
    if (output.is_sent === false)
      return {
        ok: false,
        reason: 'transient',
        message: `Edges ${action}: not sent (is_sent: false)`,
        raw: answer.body,
      }
    return {
      ok: true,
      ...(typeof output.linkedin_message_id === 'string'
        ? { providerMessageId: output.linkedin_message_id }
        : {}),
    }
  }

  /** A file at a URL, as the Base64 attachment Edges sends; failures here happen before anything is sent. */
  const attachmentOf = async (
    url: string,
    name: string | undefined,
  ): Promise<{ readonly name: string; readonly content: string } | Failure> => {
    let bytes: Buffer
    try {
      const response = await fetchImpl(url, { signal: AbortSignal.timeout(60_000) })
      if (!response.ok)
        return {
          ok: false,
          reason: 'transient',
          message: `could not download ${url}: HTTP ${response.status}`,
        }
      bytes = Buffer.from(await response.arrayBuffer())
    } catch (error) {
      return {
        ok: false,
        reason: 'transient',
        message: `could not download ${url}: ${error instanceof Error ? error.message : String(error)}`,
      }
    }
    const content = bytes.toString('base64')
    if (content.length > EDGES_MAX_ATTACHMENT_BASE64_BYTES)
      return { ok: false, reason: 'unsupported', message: `${url} is over Edges' ~27 MB attachment limit` }
    return { name: name ?? (new URL(url).pathname.split('/').pop() || 'attachment'), content }
  }

  const relationStatus = async (call: ProviderCall): Promise<ConnectionCheck> => {
    try {
      const pending = await list(EDGES_ACTIONS.extractSentInvitations, call.accountId, invitationsOf)
      if (pending.some((invitation) => samePerson(invitation.to, call.target)))
        return { ok: true, status: 'pending' }
      const connections = await list(EDGES_ACTIONS.extractConnections, call.accountId, relationsOf)
      if (connections.some((relation) => samePerson(relation.with, call.target)))
        return { ok: true, status: 'connected' }
      return { ok: true, status: 'not_connected' }
    } catch (error) {
      if (error instanceof EdgesReadError) return error.failure
      throw error
    }
  }

  const reads = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work()
    } catch (error) {
      // The channel turns a thrown read into `transient` and reports it through onError.
      if (error instanceof EdgesReadError)
        throw new Error(error.failure.message, { cause: error.failure.raw })
      throw error
    }
  }

  return {
    specificationVersion: 'v1',
    name: 'edges',
    connect: edgesConnect(http),
    supports: {
      visitProfile: true,
      // Edges' Like Post needs the post's URL, and no included action finds a person's latest post.
      reactToLastPost: false,
      invitationNote: true,
      inMail: true,
      attachments: true,
      voice: true,
      withdrawInvitation: true,
    },

    visitProfile: (call) => act(EDGES_ACTIONS.visitProfile, call),
    reactToLastPost: async () => ({
      ok: false,
      reason: 'unsupported',
      message: "Edges cannot react to a lead's latest post (its Like Post action needs the post URL)",
    }),
    sendInvitation: (call) =>
      act(EDGES_ACTIONS.connectProfile, call, call.note === undefined ? {} : { message: call.note }),
    sendMessage: (call) => act(EDGES_ACTIONS.messageProfile, call, { message: call.text }),
    sendInMail: (call) =>
      act(EDGES_ACTIONS.inMailProfile, call, { subject: call.subject, message: call.body }),
    async sendAttachment(call) {
      const file = await attachmentOf(call.file.url, call.file.name)
      if ('ok' in file) return file as Failure
      return act(EDGES_ACTIONS.messageProfile, call, {
        ...(call.caption === undefined ? {} : { message: call.caption }),
        attachments: [file],
      })
    },
    async sendVoice(call) {
      // An upload (a data: URL) has no path to read the format from: its name says it.
      const named = call.audio.name ?? new URL(call.audio.url).pathname
      const extension = named.split('.').pop()?.toLowerCase() ?? ''
      if (!(EDGES_VOICE_EXTENSIONS as readonly string[]).includes(extension))
        return {
          ok: false,
          reason: 'unsupported',
          message: `Edges sends voice messages from ${EDGES_VOICE_EXTENSIONS.join(', ')} files, not '.${extension}'`,
        }
      const file = await attachmentOf(call.audio.url, call.audio.name)
      if ('ok' in file) return file as Failure
      return act(EDGES_ACTIONS.messageProfile, call, { attachments: [file] })
    },
    withdrawInvitation: (call) => act(EDGES_ACTIONS.withdrawInvitations, call),
    relationStatus,

    listConversations: ({ accountId, since }) =>
      reads(async () => {
        const from = since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(since)
        const rows = await list(
          EDGES_ACTIONS.extractConversations,
          accountId,
          conversationsOf,
          (row) => row.activityAt < from,
        )
        return rows.map(({ activityAt: _, ...conversation }): ProviderConversation => conversation)
      }),
    listPendingInvitations: ({ accountId }): Promise<ProviderPendingInvitation[]> =>
      reads(() => list(EDGES_ACTIONS.extractSentInvitations, accountId, invitationsOf)),
    listRelations: ({ accountId, since }): Promise<ProviderRelation[]> =>
      reads(() => {
        const from = since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(since)
        // Newest first: the first connection older than the window ends the listing.
        return list(EDGES_ACTIONS.extractConnections, accountId, relationsOf, (relation) =>
          relation.connectedAt === undefined ? false : Date.parse(relation.connectedAt) < from,
        )
      }),

    close: () => http.close(),
  }
}

class EdgesReadError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message)
  }
}
