import type { LinkedInFailureReason, LinkedInOutcome } from '@paceline/core/ports'
import { retryAfterOf } from '../../transport/provider-http'

type Failure = Extract<LinkedInOutcome, { ok: false }>

/**
 * Unipile's error body (developer.unipile.com/reference, every route's 4xx/5xx answers): RFC 7807 with a
 * `type` of the form `errors/<name>`, the same on every endpoint.
 */
export interface UnipileErrorBody {
  readonly status?: number
  readonly type?: string
  readonly title?: string
  readonly detail?: string
  readonly instance?: string
}

/**
 * What the request was, for the answers whose meaning depends on it: a 404 is a missing profile on a
 * profile lookup but a vanished post on a reaction, and `cannot_resend_yet` is the invitation cooldown on an
 * invitation but LinkedIn's "no second InMail before an answer" on a chat.
 */
export type UnipileOperation =
  /** GET /users/{identifier}: a visit, a lookup of the provider id, a relation check. */
  | 'profile'
  /** GET /users/{identifier}/posts and GET /posts/{id}/reactions. */
  | 'posts'
  /** POST /posts/reaction. */
  | 'reaction'
  /** POST /users/invite. */
  | 'invite'
  /** POST /chats: a message, an InMail, an attachment, a voice message. */
  | 'chat'
  /** DELETE /users/invite/sent/{id}. */
  | 'withdraw'
  /** The listings read for polling and for finding an invitation. */
  | 'list'

/** Operations that act on LinkedIn: after an answer that says nothing, they may have been carried out. */
const WRITES: ReadonlySet<UnipileOperation> = new Set(['reaction', 'invite', 'chat', 'withdraw'])

export const isWrite = (operation: UnipileOperation): boolean => WRITES.has(operation)

const DAY_MS = 86_400_000
/** LinkedIn's "slow down" on one account: never retried sooner, whatever a header says (Edges does the same). */
export const LINKEDIN_THROTTLE_MS = 15 * 60_000

interface Mapping {
  readonly reason: LinkedInFailureReason | 'ok'
  /** The wait when no Retry-After header says otherwise. */
  readonly retryAfterMs?: number
  /** The wait is a minimum: a shorter Retry-After does not shorten it. */
  readonly atLeast?: true
  /** What the user can do, added to Unipile's own words. */
  readonly advice: string
}

const disconnected = (advice: string): Mapping => ({ reason: 'disconnected', advice })
const unsupported = (advice: string): Mapping => ({ reason: 'unsupported', advice })

/**
 * Every `errors/*` type of Unipile's v1 API reference that a LinkedIn action can meet, onto the port's
 * reasons. `disconnected` and `restricted` stop the whole identity in the engine, so they are kept for
 * answers about the account itself; a refusal that concerns one lead or one feature is `unsupported` (the
 * lead errors, the identity goes on). Email-only types are left to the fallback.
 */
const TYPES: Readonly<Record<string, Mapping>> = {
  // 401: the LinkedIn session held by Unipile no longer works: reconnect the account (hosted auth link).
  'errors/disconnected_account': disconnected(
    'The LinkedIn account is disconnected from Unipile: reconnect it.',
  ),
  'errors/invalid_credentials': disconnected('LinkedIn refused the credentials: reconnect the account.'),
  'errors/expired_credentials': disconnected('The LinkedIn session expired: reconnect the account.'),
  'errors/missing_credentials': disconnected('Unipile has no credentials for this account: reconnect it.'),
  'errors/checkpoint_error': disconnected('LinkedIn asks for a checkpoint Unipile cannot solve: reconnect.'),
  'errors/invalid_checkpoint_solution': disconnected('The LinkedIn checkpoint was not solved: reconnect.'),
  'errors/captcha_not_supported': disconnected('LinkedIn asks for a captcha: reconnect the account.'),
  'errors/multiple_sessions': disconnected(
    'LinkedIn refuses a second session for this account: reconnect it.',
  ),
  'errors/disconnected_feature': disconnected(
    'This LinkedIn product is disconnected from Unipile: reconnect.',
  ),
  'errors/wrong_account': disconnected('The credentials belong to another LinkedIn account: reconnect.'),
  'errors/expired_link': disconnected('The authentication link expired: reconnect the account.'),
  'errors/insufficient_privileges': disconnected('The account lacks the scopes for this: reconnect it.'),
  'errors/session_mismatch': disconnected('The LinkedIn session does not match the account: reconnect it.'),
  // 403: LinkedIn restricted the account or wants a person to act in its app first.
  'errors/account_restricted': { reason: 'restricted', advice: 'LinkedIn restricted this account.' },
  'errors/action_required': {
    reason: 'restricted',
    advice: 'LinkedIn wants a step completed in its own app before the account can act again.',
  },
  'errors/unknown_authentication_context': {
    reason: 'restricted',
    advice: 'LinkedIn wants the account owner to log in from a browser before it can act again.',
  },
  'errors/feature_not_subscribed': unsupported(
    'The account has not subscribed to the LinkedIn product this needs.',
  ),
  'errors/subscription_required': unsupported(
    'This needs a paid LinkedIn subscription (Premium, Sales Navigator).',
  ),
  'errors/insufficient_permissions': unsupported('The account is not allowed to do this.'),
  'errors/account_mismatch': unsupported('This cannot be done with this account.'),
  'errors/resource_access_restricted': unsupported('The account has no access to this resource on LinkedIn.'),
  // 400, 415: LinkedIn refused what was sent; the same request would be refused again.
  'errors/too_many_characters': unsupported('The text is longer than LinkedIn allows: shorten it.'),
  'errors/content_too_large': unsupported('The content is larger than LinkedIn accepts.'),
  'errors/unsupported_media_type': unsupported('LinkedIn refused the file type: send another format.'),
  'errors/invalid_message': unsupported('LinkedIn refused the message content.'),
  // 404 `invalid_resource_identifier`: the id has the wrong form, whatever the operation.
  'errors/invalid_resource_identifier': {
    reason: 'invalid_profile',
    advice: "Unipile cannot read the lead's LinkedIn id: check it.",
  },
  // 422: LinkedIn refused the action for this person or this account.
  'errors/invalid_account': unsupported(
    'This account cannot do this (for example InMail needs a paid product).',
  ),
  // "Recipient cannot be reached: make sure that the recipient ID is valid and the profile is not locked."
  // The profile was found (or the id came from the lead) but LinkedIn will not act on it: the id is the
  // problem, so `invalid_profile` ("Invalid LinkedIn ID") rather than `profile_not_found` (a URL that leads
  // nowhere, which is what a 404 on the profile lookup says).
  'errors/invalid_recipient': {
    reason: 'invalid_profile',
    advice: "LinkedIn cannot reach this recipient: check the lead's LinkedIn id (or the profile is locked).",
  },
  'errors/no_connection_with_recipient': {
    reason: 'not_connected',
    advice: 'Only 1st-degree connections can get a message: invite first.',
  },
  'errors/blocked_recipient': { reason: 'not_connected', advice: 'The person blocked this account.' },
  'errors/user_unreachable': {
    reason: 'not_connected',
    advice: 'LinkedIn does not let this account reach them.',
  },
  'errors/not_allowed_inmail': { reason: 'not_connected', advice: 'This person cannot receive an InMail.' },
  'errors/cannot_invite_attendee': {
    reason: 'not_connected',
    advice: 'LinkedIn does not let this account invite this person.',
  },
  'errors/insufficient_credits': {
    reason: 'inmail_credits_exhausted',
    advice: 'The LinkedIn account has no InMail credits left.',
  },
  'errors/already_invited_recently': {
    reason: 'already_invited_recently',
    advice: 'LinkedIn refuses a new invitation to this person for now (about 3 weeks after a withdrawal).',
  },
  'errors/cannot_resend_yet': {
    reason: 'already_invited_recently',
    advice: 'LinkedIn refuses a new invitation to this person for now (about 3 weeks after a withdrawal).',
  },
  'errors/cannot_resend_within_24hrs': {
    reason: 'rate_limited',
    retryAfterMs: DAY_MS,
    advice: 'LinkedIn allows this again after 24 h.',
  },
  'errors/limit_exceeded': {
    reason: 'rate_limited',
    retryAfterMs: DAY_MS,
    advice: "The account reached one of LinkedIn's limits: waiting 24 h.",
  },
  'errors/too_many_requests': {
    reason: 'rate_limited',
    retryAfterMs: LINKEDIN_THROTTLE_MS,
    atLeast: true,
    advice: 'LinkedIn asked this account to slow down.',
  },
  // The thing is already done (a reaction, an invitation, a withdrawal): the outcome the engine wanted.
  'errors/action_already_performed': { reason: 'ok', advice: '' },
  // Newer than the reference used here, and only met on invitations: the invitation's aim is reached.
  'errors/already_connected': { reason: 'ok', advice: '' },
  'errors/feature_not_implemented': unsupported('Unipile does not implement this for LinkedIn yet.'),
  // 503: Unipile could not reach its session with LinkedIn; nothing was attempted.
  'errors/no_client_session': {
    reason: 'transient',
    advice: 'Unipile had no session running for the account.',
  },
  'errors/no_channel': { reason: 'transient', advice: 'Unipile had no channel to the account session.' },
  'errors/no_handler': { reason: 'transient', advice: 'Unipile had no handler for the request.' },
  'errors/network_down': { reason: 'transient', advice: "Unipile's network was down." },
  'errors/service_unavailable': { reason: 'transient', advice: 'Unipile was unavailable.' },
  'errors/provider_unreachable': { reason: 'transient', advice: 'Unipile could not reach LinkedIn.' },
  'errors/realtime_client_not_initialized': {
    reason: 'transient',
    advice: 'The account session was starting.',
  },
}

/** 5xx types that say nothing about whether LinkedIn acted: an action may have been carried out. */
const UNKNOWN_EFFECT = new Set(['errors/unexpected_error', 'errors/provider_error', 'errors/request_timeout'])

/** Types whose meaning depends on the operation. */
function byOperation(
  type: string,
  status: number,
  operation: UnipileOperation,
  error: UnipileErrorBody,
): Mapping | undefined {
  if (type === 'errors/cannot_resend_yet' && operation === 'chat')
    // On a chat it is an InMail to someone who has not answered the last one: LinkedIn allows no second.
    return {
      reason: 'not_connected',
      advice: 'LinkedIn allows no new InMail until the person answers the last one.',
    }
  if (type === 'errors/resource_not_found' || (type === '' && status === 404)) {
    // The docs give one type for "Account not found" and "User not found": the words tell them apart.
    if (/account/i.test(`${error.title ?? ''} ${error.detail ?? ''}`))
      return disconnected('Unipile does not know this account id: check it, or reconnect the account.')
    switch (operation) {
      case 'profile':
      case 'posts':
      case 'invite':
      case 'chat':
        return { reason: 'profile_not_found', advice: 'LinkedIn has no such profile.' }
      case 'reaction':
        return {
          reason: 'transient',
          advice: 'The post is gone; the next attempt reacts to the then latest post.',
        }
      case 'withdraw':
        return {
          reason: 'transient',
          advice: 'The invitation disappeared meanwhile (accepted or withdrawn).',
        }
      case 'list':
        return undefined
    }
  }
  if (
    ['errors/invalid_parameters', 'errors/missing_parameters', 'errors/malformed_request'].includes(type) ||
    ['errors/unescaped_characters', 'errors/invalid_url', 'errors/invalid_request'].includes(type)
  )
    return operation === 'profile' || operation === 'posts'
      ? { reason: 'invalid_profile', advice: "LinkedIn refused the lead's identifier: check the URL or id." }
      : unsupported('Unipile refused the request as built (see detail).')
  return undefined
}

/** A Unipile error answer as the port's typed failure (or success, for "already done"); the raw body stays on it. */
export function unipileFailure(
  status: number,
  headers: Headers,
  body: unknown,
  operation: UnipileOperation,
  what: string,
): Failure | { readonly ok: true } {
  const error = (typeof body === 'object' && body !== null ? body : {}) as UnipileErrorBody
  const type = typeof error.type === 'string' ? error.type : ''
  const words = [error.title, error.detail]
    .filter((each) => typeof each === 'string' && each !== '')
    .join(': ')
  const said = (
    words !== '' ? words : typeof body === 'string' && body !== '' ? body.slice(0, 300) : `HTTP ${status}`
  ).replace(/\.+$/, '') // the advice follows after a full stop of its own
  const where = `Unipile ${what}: ${type === '' ? `HTTP ${status}` : type}: ${said}`

  if (status === 401 && type === '')
    return {
      ok: false,
      reason: 'disconnected',
      message: `${where} (the Unipile API key was refused)`,
      raw: body,
    }
  const mapping = byOperation(type, status, operation, error) ?? TYPES[type]
  if (mapping !== undefined) {
    if (mapping.reason === 'ok') return { ok: true }
    const header = retryAfterOf(headers)
    const retryAfterMs =
      mapping.retryAfterMs === undefined
        ? header
        : mapping.atLeast
          ? Math.max(mapping.retryAfterMs, header ?? 0)
          : (header ?? mapping.retryAfterMs)
    return {
      ok: false,
      reason: mapping.reason,
      message: `${where}. ${mapping.advice}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      raw: body,
    }
  }
  // An answer that does not say whether LinkedIn acted: an action is never resent on it.
  const silent = UNKNOWN_EFFECT.has(type) || (type === '' && (status === 500 || status === 504))
  if (isWrite(operation) && silent)
    return {
      ok: false,
      reason: 'delivery_unknown',
      message: `${where} (Unipile failed without saying whether LinkedIn acted; not resent)`,
      raw: body,
    }
  // A refusal (4xx) or an outage before the request was handled (502, 503): nothing happened.
  return {
    ok: false,
    reason: 'transient',
    message: `${where} (${status >= 500 ? 'Unipile failed' : 'unknown to paceline'}; the raw answer is on the outcome)`,
    raw: body,
  }
}
