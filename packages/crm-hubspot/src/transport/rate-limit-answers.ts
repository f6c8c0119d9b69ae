import type { HubspotFailure } from '../hubspot-failure'

/** HubSpot's two rate-limit policies, as its 429 body names them (`policyName`). */
export type HubspotRateLimitPolicy = 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'

/**
 * Which limit a 429 answer hit. The typed API methods of @hubspot/api-client 13.5 deserialize error bodies
 * into their `Error` model, which drops `policyName`; so the message ("You have reached your daily
 * limit.") and `X-HubSpot-RateLimit-Daily-Remaining: 0` are read too.
 */
export function rateLimitPolicyOf(
  failure: Extract<HubspotFailure, { kind: 'answered' }>,
): HubspotRateLimitPolicy {
  const policy = failure.body.policyName
  if (policy === 'DAILY' || policy === 'TEN_SECONDLY_ROLLING' || policy === 'SECONDLY') return policy
  if (/daily limit/i.test(failure.body.message ?? '')) return 'DAILY'
  if (failure.headers['x-hubspot-ratelimit-daily-remaining'] === '0') return 'DAILY'
  // The search endpoints' own limit answers "You have reached your secondly limit."
  if (/secondly limit/i.test(failure.body.message ?? '')) return 'SECONDLY'
  return 'TEN_SECONDLY_ROLLING'
}

/** `Retry-After` as seconds or an HTTP date (RFC 9110), in milliseconds. */
export function retryAfterMsOf(
  headers: Readonly<Record<string, string>>,
  now = Date.now(),
): number | undefined {
  const value = headers['retry-after']
  if (value === undefined) return undefined
  const seconds = Number(value)
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** The next midnight UTC: the fallback reset of the daily limit when HubSpot does not say (it resets at midnight in the account's time zone). */
export function nextUtcMidnight(now = Date.now()): number {
  const date = new Date(now)
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1)
}
