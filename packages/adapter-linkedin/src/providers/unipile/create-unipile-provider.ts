import type { ConnectionCheck, LinkedInOutcome } from '@paceline/core/ports'
import type {
  LinkedInProviderV1,
  ProviderCall,
  ProviderConversation,
  ProviderPendingInvitation,
  ProviderRelation,
} from '../../provider/linkedin-provider'
import { isoInstantOf } from '../../provider/provider-time'
import { profileHandleOf, samePerson } from '../../provider/same-person'
import { createProviderHttp, type ProviderHttp, type ProviderRequest } from '../../transport/provider-http'
import { isWrite, LINKEDIN_THROTTLE_MS, type UnipileOperation, unipileFailure } from './unipile-errors'
import { type DownloadedFile, download } from './unipile-files'
import { type UnipileConnect, unipileConnect } from './unipile-hosted-auth'
import {
  type CreateUnipileProviderOptions,
  parseUnipileProviderOptions,
  unipileBaseUrl,
} from './unipile-options'
import { UnipilePeople } from './unipile-people'
import { mostReacted } from './unipile-reactions'
import {
  type Chat,
  chat,
  chatStarted,
  connectionOf,
  invitationOf,
  invitationSentAnswer,
  isSet,
  message,
  ownProfile,
  type Post,
  page,
  post,
  postReaction,
  reactionReported,
  relationOf,
  type UserProfile,
  userProfile,
} from './unipile-rows'
import { readUnipileWebhook, UNIPILE_WEBHOOK_SECRET_HEADER, unipileHeaderCheck } from './unipile-webhook'

type Failure = Extract<LinkedInOutcome, { ok: false }>
type Answer = { readonly ok: true; readonly body: unknown } | Failure
type Rows<T> = { readonly ok: true; readonly rows: T[] } | Failure

export interface UnipileProvider extends LinkedInProviderV1 {
  /** Connecting accounts: hosted auth links, and the notification Unipile posts once one is connected. */
  readonly connect: UnipileConnect
  /** Stops the transport; queued requests end as not sent. */
  close(): Promise<void>
}

/** LinkedIn's limit for an invitation note (POST /users/invite `message`: "max 300 chars"). */
export const UNIPILE_MAX_NOTE_LENGTH = 300
/** Message ids sent through this provider, remembered to tell the account's own messages in webhooks. */
const MAX_SENT_IDS = 5_000

const typeOf = (body: unknown): unknown =>
  typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined
const path = (...parts: string[]) => `/${parts.map(encodeURIComponent).join('/')}`

/**
 * LinkedIn through Unipile's API v1 (developer.unipile.com): each action on the Unipile account named by
 * the account id, people named by LinkedIn's provider id (`ACoAA…`; looked up once from a profile URL).
 * Replies and acceptances come from Unipile's webhooks (with a shared secret), or from polling chats and
 * relations. Requests go through the shared transport: spaced to the key's budget, a 429 of Unipile's own
 * waited out for the whole key, LinkedIn's per-account throttling sent straight back to the engine.
 */
export function createUnipileProvider(input: CreateUnipileProviderOptions): UnipileProvider {
  const options = parseUnipileProviderOptions(input)
  const fetchImpl = options.fetch ?? globalThis.fetch
  const maxPages = options.maxPages ?? 20
  const people = new UnipilePeople()
  const sentIds = new Set<string>()
  /** Each account's own LinkedIn provider id (GET /users/me), once known. */
  const ownIds = new Map<string, string>()
  const http: ProviderHttp = createProviderHttp({
    baseUrl: unipileBaseUrl(options.dsn) as string,
    headers: { 'X-API-KEY': options.apiKey },
    fetch: fetchImpl,
    requestsPerMinute: options.requestsPerMinute ?? 120,
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(options.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: options.maxRetryAfterMs }),
    // `errors/too_many_requests` is LinkedIn refusing one account more requests ("the provider cannot accept
    // any more requests"): not a reason to pause every account of the key, nor to insist.
    retry429: (body) => typeOf(body) !== 'errors/too_many_requests',
  })

  const exchange = async (
    operation: UnipileOperation,
    what: string,
    request: ProviderRequest,
  ): Promise<Answer> => {
    const result = await http.request(request)
    switch (result.kind) {
      case 'not-sent':
        return {
          ok: false,
          reason: 'transient',
          message: `Unipile ${what}: not sent (${result.error.message})`,
        }
      case 'no-answer':
        return isWrite(operation)
          ? {
              ok: false,
              reason: 'delivery_unknown',
              message: `Unipile ${what}: sent, but no answer came (${result.error.message}); it may have been done`,
            }
          : {
              ok: false,
              reason: 'transient',
              message: `Unipile ${what}: no answer (${result.error.message})`,
            }
      case 'rate-limited': {
        const type = typeOf(result.body)
        const linkedin = type === 'errors/too_many_requests'
        const retryAfterMs = linkedin
          ? Math.max(result.retryAfterMs, LINKEDIN_THROTTLE_MS)
          : result.retryAfterMs
        return {
          ok: false,
          reason: 'rate_limited',
          retryAfterMs,
          message: linkedin
            ? `Unipile ${what}: ${type}: LinkedIn asked this account to slow down; retrying in ${Math.ceil(retryAfterMs / 60_000)} min`
            : `Unipile ${what}: HTTP 429: Unipile asked to slow down for ${Math.ceil(retryAfterMs / 1000)} s`,
          raw: result.body,
        }
      }
      case 'response': {
        if (result.status >= 200 && result.status < 300) return { ok: true, body: result.body }
        const failure = unipileFailure(result.status, result.headers, result.body, operation, what)
        // "Already done" answers carry no body of the success shape: callers read nothing from it.
        return failure.ok ? { ok: true, body: undefined } : failure
      }
    }
  }

  const sendForm = (what: string, form: FormData): Promise<Answer> =>
    exchange('chat', what, { method: 'POST', path: '/chats', body: form })

  /** Every page of a listing (Unipile's `cursor`), until `stop` says the rest is older than needed. */
  const listAll = async <T>(
    what: string,
    route: string,
    query: Readonly<Record<string, string | number | undefined>>,
    read: (raw: unknown) => T | undefined,
    stop: (row: T) => boolean = () => false,
  ): Promise<Rows<T>> => {
    const rows: T[] = []
    let cursor: string | undefined
    for (let count = 0; count < maxPages; count++) {
      const answer = await exchange('list', what, { method: 'GET', path: route, query: { ...query, cursor } })
      if (!answer.ok) return answer
      const parsed = page.safeParse(answer.body)
      if (!parsed.success)
        return { ok: false, reason: 'transient', message: `Unipile ${what}: not a list`, raw: answer.body }
      for (const raw of parsed.data.items) {
        const row = read(raw)
        if (row === undefined) continue
        if (stop(row)) return { ok: true, rows }
        rows.push(row)
      }
      if (parsed.data.cursor == null || parsed.data.cursor === '' || parsed.data.items.length === 0) break
      cursor = parsed.data.cursor
    }
    return { ok: true, rows }
  }

  /** GET /users/{identifier}: the profile, and what it tells about the person's ids. */
  const lookup = async (
    accountId: string,
    identifier: string,
    what: string,
    notify = false,
  ): Promise<{ readonly ok: true; readonly profile: UserProfile | undefined } | Failure> => {
    const answer = await exchange('profile', what, {
      method: 'GET',
      path: path('users', identifier),
      // A lookup is silent; only a visit tells the person (`notify`, default false).
      query: { account_id: accountId, ...(notify ? { notify: 'true' } : {}) },
    })
    if (!answer.ok) return answer
    const parsed = userProfile.safeParse(answer.body)
    if (!parsed.success) return { ok: true, profile: undefined }
    people.remember(parsed.data.provider_id, parsed.data.public_identifier)
    return { ok: true, profile: parsed.data }
  }

  const noProfile: Failure = {
    ok: false,
    reason: 'invalid_profile',
    message: "Unipile needs the lead's LinkedIn profile id (ACoAA…) or profile URL",
  }

  /** How Unipile's GET /users names the lead: the provider id when known, else the URL's handle. */
  const identifierOf = (call: ProviderCall): string | Failure =>
    people.providerIdOf(call.target) ?? profileHandleOf(call.target.profileUrl) ?? noProfile

  /** The provider id the action routes need (the invite-users guide: look the public id up first). */
  const providerIdOf = async (
    call: ProviderCall,
    what: string,
  ): Promise<{ readonly id: string } | Failure> => {
    const known = people.providerIdOf(call.target)
    if (known !== undefined) return { id: known }
    const handle = profileHandleOf(call.target.profileUrl)
    if (handle === undefined) return noProfile
    const found = await lookup(call.accountId, handle, `${what} (finding the profile id)`)
    if (!found.ok) return found
    if (found.profile === undefined)
      return {
        ok: false,
        reason: 'transient',
        message: `Unipile ${what}: the profile came back without an id`,
      }
    return { id: found.profile.provider_id }
  }

  /** Starts (or continues: LinkedIn keeps one 1:1 chat a person) the chat with the lead: POST /chats. */
  const startChat = async (
    call: ProviderCall,
    what: string,
    fields: ReadonlyArray<readonly [string, string]>,
    file?: { readonly field: 'attachments' | 'voice_message'; readonly file: DownloadedFile },
  ): Promise<LinkedInOutcome> => {
    const who = await providerIdOf(call, what)
    if ('ok' in who) return who
    const form = new FormData()
    form.append('account_id', call.accountId)
    // `attendees_ids` takes "one or more attendee provider ID" (chatscontroller_startnewchat); more than
    // one would start a group chat, so the lead alone is named.
    form.append('attendees_ids', who.id)
    for (const [name, value] of fields) form.append(name, value)
    if (file !== undefined) form.append(file.field, file.file.blob, file.file.name)
    const answer = await sendForm(what, form)
    if (!answer.ok) return answer
    const started = chatStarted.safeParse(answer.body)
    const messageId = started.success ? started.data.message_id : undefined
    if (messageId == null) return { ok: true }
    sentIds.add(messageId)
    if (sentIds.size > MAX_SENT_IDS) sentIds.delete(sentIds.values().next().value as string)
    return { ok: true, providerMessageId: messageId }
  }

  /** A file given by URL, fetched before anything goes to Unipile. */
  const fileOf = async (url: string, name: string | undefined): Promise<DownloadedFile | Failure> => {
    const file = await download(fetchImpl, url, name)
    if ('blob' in file) return file
    return file.tooLarge
      ? { ok: false, reason: 'unsupported', message: file.failed }
      : { ok: false, reason: 'transient', message: `${file.failed} (nothing was sent)` }
  }

  const latestPost = async (call: ProviderCall): Promise<{ readonly post: Post | undefined } | Failure> => {
    const who = await providerIdOf(call, 'react to the latest post')
    if ('ok' in who) return who
    const answer = await exchange('posts', 'list posts', {
      method: 'GET',
      path: path('users', who.id, 'posts'),
      query: { account_id: call.accountId, limit: 10 },
    })
    if (!answer.ok) return answer
    const posts = (page.safeParse(answer.body).data?.items ?? [])
      .map((raw) => post.safeParse(raw).data)
      .filter((each): each is Post => each !== undefined && each.permissions?.can_react !== false)
    // Their own latest post rather than something they reposted, when there is one.
    return { post: posts.find((each) => each.is_repost !== true) ?? posts[0] }
  }

  /** The account's own provider id (GET /users/me, "Retrieve own profile"), or undefined when not known. */
  const ownIdOf = async (accountId: string): Promise<string | undefined> => {
    const known = ownIds.get(accountId)
    if (known !== undefined) return known
    const answer = await exchange('profile', "find the account's own profile", {
      method: 'GET',
      path: '/users/me',
      query: { account_id: accountId },
    })
    const id = answer.ok ? ownProfile.safeParse(answer.body).data?.provider_id : undefined
    if (id !== undefined) ownIds.set(accountId, id)
    return id
  }

  const relationStatus = async (call: ProviderCall): Promise<ConnectionCheck> => {
    const identifier = identifierOf(call)
    if (typeof identifier !== 'string') return identifier
    const found = await lookup(call.accountId, identifier, 'check the relation')
    if (!found.ok) return found
    if (found.profile === undefined)
      return { ok: false, reason: 'transient', message: 'Unipile check the relation: not a LinkedIn profile' }
    return { ok: true, status: connectionOf(found.profile) }
  }

  const sentInvitations = (accountId: string) =>
    listAll('list sent invitations', '/users/invite/sent', { account_id: accountId, limit: 100 }, (raw) => {
      const invitation = invitationOf(raw)
      if (invitation?.to.profileId !== undefined)
        people.remember(invitation.to.profileId, profileHandleOf(invitation.to.profileUrl))
      return invitation
    })

  /** Listings throw: the channel reports a failed poll and tries again at the next one. */
  const rowsOf = <T>(rows: Rows<T>): T[] => {
    if (!rows.ok) throw new Error(rows.message, { cause: rows.raw })
    return rows.rows
  }

  const latestMessage = async (each: Chat): Promise<ProviderConversation | undefined> => {
    const other = each.attendee_provider_id
    if (other == null) return undefined
    const answer = await exchange('list', 'read the latest message', {
      method: 'GET',
      path: path('chats', each.id, 'messages'),
      query: { limit: 1 },
    })
    if (!answer.ok) throw new Error(answer.message, { cause: answer.raw })
    const last = message.safeParse(page.safeParse(answer.body).data?.items[0]).data
    if (last === undefined) return undefined
    return {
      conversationId: each.id,
      with: people.targetOf(other),
      lastMessageId: last.id,
      // A time that names no date (or none) is kept as given: polling keeps the reply, without a time.
      lastMessageAt:
        isoInstantOf(last.timestamp) ?? isoInstantOf(each.timestamp) ?? String(last.timestamp ?? ''),
      // `is_sender`: "whether the sender is the account's user"; LinkedIn's system events are nobody's reply.
      lastFromThem: !isSet(last.is_sender) && !isSet(last.is_event),
      ...(last.text == null ? {} : { lastMessageText: last.text }),
    }
  }

  const provider: UnipileProvider = {
    specificationVersion: 'v1',
    name: 'unipile',
    connect: unipileConnect({
      http,
      baseUrl: unipileBaseUrl(options.dsn) as string,
      secret: options.connectSecret ?? options.webhookSecret,
      now: Date.now,
    }),
    supports: {
      visitProfile: true,
      reactToLastPost: true,
      invitationNote: true,
      inMail: true,
      attachments: true,
      voice: true,
      withdrawInvitation: true,
    },

    async visitProfile(call) {
      const identifier = identifierOf(call)
      if (typeof identifier !== 'string') return identifier
      const visited = await lookup(call.accountId, identifier, 'visit the profile', true)
      return visited.ok ? { ok: true } : visited
    },

    async reactToLastPost(call) {
      const latest = await latestPost(call)
      if ('ok' in latest) return latest
      // Nothing to react to (no post, or none open to reactions): the step has nothing to do.
      if (latest.post === undefined) return { ok: true }
      // Already reacted (by hand or by an earlier attempt): reacting again would change nothing or undo it.
      if (reactionReported(latest.post)) return { ok: true }
      // The listing does not say (`user_reacted` is not always there): the post's reactions do.
      const answer = await exchange('posts', 'list the reactions of the post', {
        method: 'GET',
        path: path('posts', latest.post.social_id, 'reactions'),
        query: { account_id: call.accountId, limit: 100 },
      })
      if (!answer.ok) return answer
      const reactions = (page.safeParse(answer.body).data?.items ?? []).flatMap((raw) => {
        const parsed = postReaction.safeParse(raw)
        return parsed.success ? [parsed.data] : []
      })
      // Only the first page is read: past it, LinkedIn's one reaction a person means a second attempt
      // replaces the account's reaction, never adds one. Without the account's own id the same holds.
      const own = await ownIdOf(call.accountId)
      if (own !== undefined && reactions.some((each) => each.author?.id === own)) return { ok: true }
      const reaction =
        call.reaction === 'most_reacted' ? mostReacted(reactions.map((each) => each.value)) : call.reaction
      const sent = await exchange('reaction', 'react to the latest post', {
        method: 'POST',
        path: '/posts/reaction',
        body: { account_id: call.accountId, post_id: latest.post.social_id, reaction_type: reaction },
      })
      return sent.ok ? { ok: true } : sent
    },

    async sendInvitation(call) {
      const length = call.note === undefined ? 0 : [...call.note].length
      if (length > UNIPILE_MAX_NOTE_LENGTH)
        return {
          ok: false,
          reason: 'unsupported',
          message: `The invitation note is ${length} characters; LinkedIn takes at most ${UNIPILE_MAX_NOTE_LENGTH} (200 on a free account). Nothing was sent.`,
        }
      const who = await providerIdOf(call, 'send the invitation')
      if ('ok' in who) return who
      const answer = await exchange('invite', 'send the invitation', {
        method: 'POST',
        path: '/users/invite',
        body: {
          provider_id: who.id,
          account_id: call.accountId,
          ...(call.note === undefined || call.note === '' ? {} : { message: call.note }),
        },
      })
      if (!answer.ok) return answer
      const invitationId = invitationSentAnswer.safeParse(answer.body).data?.invitation_id
      return invitationId == null ? { ok: true } : { ok: true, providerMessageId: invitationId }
    },

    sendMessage: (call) => startChat(call, 'send the message', [['text', call.text]]),

    sendInMail: (call) =>
      startChat(call, 'send the InMail', [
        ['text', call.body],
        ['subject', call.subject],
        // The reference's form encoding of the `linkedin.inmail` option.
        ['linkedin[inmail]', 'true'],
      ]),

    async sendAttachment(call) {
      const file = await fileOf(call.file.url, call.file.name)
      if ('ok' in file) return file
      return startChat(
        call,
        'send the attachment',
        call.caption === undefined || call.caption === '' ? [] : [['text', call.caption]],
        { field: 'attachments', file },
      )
    },

    async sendVoice(call) {
      const file = await fileOf(call.audio.url, call.audio.name)
      if ('ok' in file) return file
      // `voice_message`: "For Linkedin messaging only"; Unipile answers 415 for audio LinkedIn refuses.
      return startChat(call, 'send the voice message', [], { field: 'voice_message', file })
    },

    async withdrawInvitation(call) {
      const pending = await sentInvitations(call.accountId)
      if (!pending.ok) return pending
      const providerId = people.providerIdOf(call.target)
      const invitation = pending.rows.find(
        (each) =>
          samePerson(each.to, call.target) || (providerId !== undefined && each.to.profileId === providerId),
      )
      if (invitation === undefined)
        return {
          ok: false,
          reason: 'profile_not_found',
          message:
            'Unipile withdraw the invitation: no pending invitation to this person (accepted, declined or withdrawn already)',
        }
      const answer = await exchange('withdraw', 'withdraw the invitation', {
        method: 'DELETE',
        path: path('users', 'invite', 'sent', invitation.invitationId),
        query: { account_id: call.accountId },
      })
      return answer.ok ? { ok: true } : answer
    },

    relationStatus,

    async listConversations({ accountId, since }) {
      const from = since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(since)
      const chats = rowsOf(
        await listAll(
          'list chats',
          '/chats',
          {
            // Optional at Unipile (without it, every account's chats): given to read this account's only.
            account_id: accountId,
            account_type: 'LINKEDIN',
            limit: 50,
            ...(since === undefined ? {} : { after: new Date(since).toISOString() }),
          },
          (raw) => chat.safeParse(raw).data,
          // Chats come most recent first: the first older than the window ends the listing.
          (each) => each.timestamp != null && Date.parse(each.timestamp) < from,
        ),
      )
      const conversations: ProviderConversation[] = []
      // 1:1 chats only (they name the other person) of this account; sponsored messages are nobody's reply.
      for (const each of chats.filter(
        (one) =>
          one.attendee_provider_id != null &&
          one.content_type !== 'sponsored' &&
          (one.account_id == null || one.account_id === accountId),
      )) {
        const conversation = await latestMessage(each)
        if (conversation !== undefined) conversations.push(conversation)
      }
      return conversations
    },

    async listPendingInvitations({ accountId }): Promise<ProviderPendingInvitation[]> {
      return rowsOf(await sentInvitations(accountId))
    },

    async listRelations({ accountId, since }): Promise<ProviderRelation[]> {
      const from = since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(since)
      const relations = rowsOf(
        await listAll(
          'list relations',
          '/users/relations',
          { account_id: accountId, limit: 100 },
          relationOf,
          // Newest first (LinkedIn's "recently added" order): the first older one ends the listing.
          (relation) => relation.connectedMs !== undefined && relation.connectedMs < from,
        ),
      )
      return relations.map(({ connectedMs: _, ...relation }) => {
        if (relation.with.profileId !== undefined)
          people.remember(relation.with.profileId, profileHandleOf(relation.with.profileUrl))
        return relation
      })
    },

    close: () => http.close(),
  }

  const secret = options.webhookSecret
  if (secret === undefined) return provider
  const header = options.webhookSecretHeader ?? UNIPILE_WEBHOOK_SECRET_HEADER
  return {
    ...provider,
    verifyWebhookHeaders: (headers) => unipileHeaderCheck(headers, header, secret),
    async readWebhook(request) {
      return readUnipileWebhook(request, {
        secret,
        header,
        sentByUs: (messageId) => sentIds.has(messageId),
        targetOf: (providerId, profileUrl) => people.targetOf(providerId, profileUrl),
      })
    },
  }
}
