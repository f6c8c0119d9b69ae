import { randomBytes, timingSafeEqual } from 'node:crypto'

/** The cookie holding the token every form of the board sends back (double submit). */
export const CSRF_COOKIE = 'paceline_board_csrf'
/** The form field carrying it. */
export const CSRF_FIELD = '_csrf'

const TOKEN = /^[A-Za-z0-9_-]{43}$/

/** A new token: 32 random bytes, URL-safe base64. */
export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url')
}

export function isCsrfToken(value: string | undefined): value is string {
  return value !== undefined && TOKEN.test(value)
}

/** Compares the form's token with the cookie's in constant time. */
export function sameToken(cookie: string | undefined, field: unknown): boolean {
  if (!isCsrfToken(cookie) || typeof field !== 'string' || !isCsrfToken(field)) return false
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(field))
}

/**
 * Why a POST does not come from the board's own pages, or undefined when it does. A browser names the page
 * that sent a request (`Sec-Fetch-Site`, `Origin`): another site's form is refused even before the token
 * is checked. Behind a proxy that changes the host, list the public origin in `trustedOrigins`.
 */
export function crossSiteReason(request: Request, trustedOrigins: readonly string[]): string | undefined {
  const site = request.headers.get('sec-fetch-site')
  if (site !== null && site !== 'same-origin' && site !== 'none')
    return `the request came from another site (Sec-Fetch-Site: ${site})`
  const origin = request.headers.get('origin')
  if (origin !== null && origin !== new URL(request.url).origin && !trustedOrigins.includes(origin))
    return `the request came from ${origin}, not from the board's own origin`
  return undefined
}
