import type { LinkedInFailureReason, LinkedInOutcome } from '@paceline/core/ports'

type Failure = Extract<LinkedInOutcome, { ok: false }>

/** Edges' error body (docs.edges.run "Troubleshooting Errors"): the same shape on every endpoint. */
export interface EdgesErrorBody {
  readonly error_label?: string
  readonly error_scope?: string
  readonly error_ref?: string
  readonly message?: string
  readonly status_code?: number
  readonly params?: unknown
  /** When the identity may run the action again (rate limits and proxy errors); see `postponedMsOf`. */
  readonly postponed_until?: unknown
}

const DAY_MS = 24 * 60 * 60 * 1000
/** Edges' limits are windows of 24 h at most: a later `postponed_until` is a wrong date, not a longer wait. */
const MAX_POSTPONE_MS = 7 * DAY_MS

/**
 * Labels that concern one identity, not the API key: LinkedIn's limits and throttling of the account
 * (reference: "LIMIT_REACHED 429/409", "STATUS_429 429", "Yes — Use postponed_until then with backoff").
 * They go straight back to the engine, which retries at `postponed_until`, and never pause the other
 * identities' requests.
 */
export const IDENTITY_RATE_LIMITS: ReadonlySet<string> = new Set(['LIMIT_REACHED', 'STATUS_429'])

export const labelOf = (body: unknown): string | undefined => {
  const label = typeof body === 'object' && body !== null ? (body as EdgesErrorBody).error_label : undefined
  return typeof label === 'string' ? label : undefined
}

/**
 * How long until Edges' `postponed_until` (the error reference: "Use postponed_until then with backoff";
 * for PROXY_ERROR "Use postponed_until if present or wait 1 minute"), read like a Retry-After date: an ISO
 * 8601 date, or epoch seconds or milliseconds; on the body or in its `params`. Undefined when absent or
 * unreadable; at most 7 days, never negative.
 */
export function postponedMsOf(body: unknown, now: number): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const error = body as EdgesErrorBody
  const params = typeof error.params === 'object' && error.params !== null ? error.params : {}
  const value = error.postponed_until ?? (params as { postponed_until?: unknown }).postponed_until
  const at =
    typeof value === 'string'
      ? Date.parse(value)
      : typeof value === 'number' && value > 1e9
        ? value < 1e12
          ? value * 1000
          : value
        : Number.NaN
  if (!Number.isFinite(at)) return undefined
  return Math.min(Math.max(0, at - now), MAX_POSTPONE_MS)
}

interface LabelMapping {
  readonly reason: LinkedInFailureReason
  readonly retryAfterMs?: number
  /** What the user can do, appended to Edges' own message. */
  readonly advice: string
}

/**
 * Edges' error labels (docs.edges.run/v1/error-reference, "Quick Reference Table") onto the port's
 * reasons. The table's "Retry?" column decides between a retry (`transient` with backoff, or `rate_limited`
 * where Edges says when: `postponed_until`) and a final reason.
 */
const LABELS: Readonly<Record<string, LabelMapping>> = {
  BAD_INPUT: { reason: 'invalid_profile', advice: "Edges refused the input: check the lead's LinkedIn URL." },
  BAD_PARAMETERS: { reason: 'invalid_profile', advice: 'Edges refused the parameters of the action.' },
  MISSING_PARAMETER: { reason: 'invalid_profile', advice: 'Edges is missing data it needs about the lead.' },
  LK_MISSING_DATA: {
    reason: 'invalid_profile',
    advice: 'LinkedIn has no such data for this profile: verify the URL.',
  },
  STATUS_404: { reason: 'profile_not_found', advice: 'LinkedIn has no profile at this URL.' },
  NO_RESULT: { reason: 'profile_not_found', advice: 'LinkedIn returned nothing for this profile.' },
  NOT_CONNECTED: {
    reason: 'not_connected',
    advice: 'Only 1st-degree connections can get a message: invite first.',
  },
  // The person already has an unanswered InMail from this account: LinkedIn allows no second one, and
  // sending anything else would be the "message sent twice" the engine must never do.
  LK_INMAIL_CANNOT_RESEND: {
    reason: 'not_connected',
    advice: 'LinkedIn allows no new InMail until the person answers the previous one.',
  },
  LK_INMAIL_NOT_ENOUGH_CREDIT: {
    reason: 'inmail_credits_exhausted',
    advice: 'The LinkedIn account has no InMail credits left.',
  },
  // Edges' Smart Limits or LinkedIn's own limit for the identity: until `postponed_until`, else a day.
  LIMIT_REACHED: {
    reason: 'rate_limited',
    retryAfterMs: DAY_MS,
    advice: "The identity's limit for this action is reached: retrying when Edges says it frees up.",
  },
  STATUS_429: {
    reason: 'rate_limited',
    retryAfterMs: 15 * 60 * 1000,
    advice: 'LinkedIn asked this identity to slow down: retrying when Edges says.',
  },
  STATUS_403: {
    reason: 'restricted',
    advice: 'LinkedIn refused the account this action: check the account for a restriction.',
  },
  NO_VALID_ACCOUNT_CONFIGURED: {
    reason: 'disconnected',
    advice: 'The Edges identity has no working LinkedIn integration: reconnect the account.',
  },
  INTEGRATION_ERROR: {
    reason: 'disconnected',
    advice: 'The LinkedIn integration of this Edges identity is broken: contact Edges support.',
  },
  // Retryable ("Use postponed_until if present or wait 1 minute"), not a lost account. `rate_limited` is the
  // port's reason whose wait the engine honours: the identity pauses for the wait, no lead spends an attempt.
  PROXY_ERROR: {
    reason: 'rate_limited',
    retryAfterMs: 60_000,
    advice: "The identity's proxy failed: retrying after Edges' wait (refresh the identity if it goes on).",
  },
  NO_ACCESS: {
    reason: 'disconnected',
    advice: 'Edges refused access: check the workspace subscription and credits.',
  },
  LK_ERROR: { reason: 'transient', advice: 'LinkedIn failed; Edges says retry with backoff.' },
  LK_524: { reason: 'transient', advice: 'LinkedIn timed out; Edges says wait and retry.' },
  GENERIC_ERROR: { reason: 'transient', advice: 'Edges failed to process the action; retry with backoff.' },
}

/** LinkedIn's refusal to invite someone again soon after a withdrawal, as Edges relays it in a message. */
const INVITED_RECENTLY =
  /(invit\w*).*(recent|already|pending|withdr|cooldown|too soon)|(recent|already).*invit/i

/**
 * An Edges error answer as the port's typed failure; the raw body stays on it for debugging. A wait Edges
 * gives (`postponed_until`) wins over the label's default; `waitedMs` is the transport's Retry-After for a
 * 429, used when Edges gives no date and it is longer than the default.
 */
export function edgesFailure(
  status: number,
  body: unknown,
  action: string,
  kind: 'write' | 'read',
  options: { readonly now?: number; readonly waitedMs?: number } = {},
): Failure {
  const error = (typeof body === 'object' && body !== null ? body : {}) as EdgesErrorBody
  const label = error.error_label ?? ''
  const detail = error.message ?? (typeof body === 'string' && body !== '' ? body : `HTTP ${status}`)
  const where = `Edges ${action}: ${label === '' ? '' : `${label}: `}${detail}`
  if (status === 401)
    return {
      ok: false,
      reason: 'disconnected',
      message: `${where} (the Edges API key was refused)`,
      raw: body,
    }
  if (label !== 'BAD_INPUT' && INVITED_RECENTLY.test(detail))
    return { ok: false, reason: 'already_invited_recently', message: where, raw: body }
  const mapping = Object.hasOwn(LABELS, label) ? LABELS[label] : undefined
  if (mapping !== undefined) {
    const retryAfterMs =
      mapping.retryAfterMs === undefined
        ? undefined
        : (postponedMsOf(body, options.now ?? Date.now()) ??
          Math.max(mapping.retryAfterMs, options.waitedMs ?? 0))
    return {
      ok: false,
      reason: mapping.reason,
      message: `${where}. ${mapping.advice}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      raw: body,
    }
  }
  // A bare 500 or 504 to an action may come after LinkedIn acted: never resent. 502/503 (the gateway
  // found no server) and unknown labelled refusals had no effect.
  if (kind === 'write' && label === '' && (status === 500 || status === 504))
    return {
      ok: false,
      reason: 'delivery_unknown',
      message: `${where} (Edges failed without saying whether LinkedIn acted)`,
      raw: body,
    }
  return {
    ok: false,
    reason: 'transient',
    message: `${where} (unknown to paceline; the raw answer is on the outcome)`,
    raw: body,
  }
}
