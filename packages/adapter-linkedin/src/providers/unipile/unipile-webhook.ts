import { createHash, timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type {
  ProviderEvent,
  ProviderTarget,
  ProviderWebhookHeaderCheck,
  ProviderWebhookRequest,
  ProviderWebhookResult,
} from '../../provider/linkedin-provider'
import { isoInstantOf } from '../../provider/provider-time'

/** The header Unipile webhooks are created with to carry the shared secret (Unipile signs nothing itself). */
export const UNIPILE_WEBHOOK_SECRET_HEADER = 'Unipile-Auth'

const text = z.string().optional().nullable()

/**
 * The "New messages" webhook (source `messaging`, developer.unipile.com/docs/new-messages-webhook). It
 * reports messages the account sent too (from another device, or through the API), so the sender is
 * compared with the account's own LinkedIn id (`account_info.user_id`).
 */
const messagePayload = z.looseObject({
  event: z.literal('message_received'),
  account_id: z.string().min(1),
  message_id: z.string().min(1),
  message: text,
  timestamp: text,
  is_group: z.union([z.boolean(), z.number()]).optional().nullable(),
  is_event: z.union([z.boolean(), z.number()]).optional().nullable(),
  account_info: z.looseObject({ user_id: text }).optional().nullable(),
  sender: z.looseObject({ attendee_provider_id: z.string().min(1), attendee_profile_url: text }),
})

/**
 * The "New relation" webhook (source `users`, developer.unipile.com/docs/detecting-accepted-invitations):
 * a new 1st degree connection, sent up to 8 hours after LinkedIn shows it.
 */
const relationPayload = z.looseObject({
  event: z.literal('new_relation'),
  account_id: z.string().min(1),
  user_provider_id: z.string().min(1),
  user_public_identifier: text,
  user_profile_url: text,
  timestamp: text,
})

/** A timestamp the engine can hold, or none (the engine then uses its own clock). */
const isoOf = (value: string | null | undefined): { at?: string } => {
  const at = isoInstantOf(value)
  return at === undefined ? {} : { at }
}

/** The notifications paceline reads; a payload naming one of them in a shape it cannot read is refused. */
const READ_EVENTS: Readonly<Record<string, z.ZodType>> = {
  message_received: messagePayload,
  new_relation: relationPayload,
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()

/** The secret compared in constant time (digests of equal length, so its length does not leak either). */
export function hasSecret(
  headers: ProviderWebhookRequest['headers'],
  header: string,
  secret: string,
): boolean {
  const given = headers[header.toLowerCase()]
  if (typeof given !== 'string' || given === '') return false
  return timingSafeEqual(digest(given), digest(secret))
}

/**
 * Unipile signs nothing: the secret header is all that proves a delivery is Unipile's, so it is checked
 * before the body is read (`verifyWebhookHeaders`), and again by `readUnipileWebhook`.
 */
export function unipileHeaderCheck(
  headers: ProviderWebhookRequest['headers'],
  header: string,
  secret: string,
): ProviderWebhookHeaderCheck {
  return hasSecret(headers, header, secret)
    ? { ok: true }
    : { ok: false, status: 401, message: `Missing or wrong ${header} header.` }
}

/**
 * One Unipile webhook delivery: authentic (the shared secret), readable (JSON), and its events for
 * paceline. Replies become `message-received` with Unipile's message id as the event id (the id polling
 * reports too); new relations become `invitation-accepted` with `account:provider id` (as polling does).
 * Every other notification is answered 200 with no events, so Unipile does not retry it; a body that is not
 * JSON, or a `message_received` / `new_relation` without the fields paceline reads, is answered 400 (with
 * the right secret, Unipile sent something it will never send differently: retrying cannot help).
 */
export function readUnipileWebhook(
  request: ProviderWebhookRequest,
  options: {
    readonly secret: string
    readonly header: string
    /** True for messages this provider sent itself (their ids), when the payload says nothing more. */
    readonly sentByUs: (messageId: string) => boolean
    readonly targetOf: (providerId: string, profileUrl?: string | null) => ProviderTarget
  },
): ProviderWebhookResult {
  const check = unipileHeaderCheck(request.headers, options.header, options.secret)
  if (!check.ok) return check
  let body: unknown
  try {
    body = JSON.parse(request.rawBody)
  } catch {
    return {
      ok: false,
      status: 400,
      message: 'The body is not JSON (create the webhook with format "json").',
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false, status: 400, message: 'The body is not a JSON object.' }
  const kind = (body as { event?: unknown }).event
  const schema = typeof kind === 'string' && Object.hasOwn(READ_EVENTS, kind) ? READ_EVENTS[kind] : undefined
  const shape = schema?.safeParse(body)
  if (shape !== undefined && !shape.success)
    return {
      ok: false,
      status: 400,
      message: `The ${String(kind)} payload is not one paceline can read (${shape.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')}).`,
    }

  const events: ProviderEvent[] = []
  const message = messagePayload.safeParse(body)
  if (message.success) {
    const data = message.data
    const from = data.sender.attendee_provider_id
    const own = data.account_info?.user_id
    const fromAccount = (own != null && own === from) || options.sentByUs(data.message_id)
    // Group chats and LinkedIn's system events are not a lead's reply (polling skips them too).
    const ignored =
      data.is_group === true || data.is_group === 1 || data.is_event === true || data.is_event === 1
    if (!fromAccount && !ignored)
      events.push({
        type: 'message-received',
        accountId: data.account_id,
        from: options.targetOf(from, data.sender.attendee_profile_url),
        eventId: data.message_id,
        ...(data.message == null ? {} : { text: data.message }),
        ...isoOf(data.timestamp),
      })
    return { ok: true, events }
  }
  const relation = relationPayload.safeParse(body)
  if (relation.success) {
    const data = relation.data
    const known = options.targetOf(data.user_provider_id, data.user_profile_url)
    events.push({
      type: 'invitation-accepted',
      accountId: data.account_id,
      with:
        known.profileUrl === undefined && data.user_public_identifier != null
          ? { ...known, profileUrl: `https://www.linkedin.com/in/${data.user_public_identifier}` }
          : known,
      eventId: `${data.account_id}:${data.user_provider_id}`,
      ...isoOf(data.timestamp),
    })
  }
  return { ok: true, events }
}
