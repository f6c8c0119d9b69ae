import { createHmac, timingSafeEqual } from 'node:crypto'

/** What a tracking URL carries: the message it belongs to, and for a click the destination. */
export interface TrackingPayload {
  /** `open` (the pixel) or `click` (a rewritten link). */
  readonly kind: 'open' | 'click'
  /** The Message-ID of the sent message: how the engine finds the lead. */
  readonly messageId: string
  /** Where a click goes. */
  readonly url?: string
  /** When the message was composed (epoch ms): hits seconds later are likely scanners. */
  readonly sentAt: number
}

const MAC_LENGTH = 22 // 128 bits of HMAC-SHA256, base64url

/**
 * A URL-safe token: the payload as base64url JSON, a dot, and an HMAC of it. The MAC is what makes the
 * redirect safe: nobody can point a tracking link at another site or invent opens for a message.
 */
export function signTrackingToken(payload: TrackingPayload, secret: string): string {
  const body = Buffer.from(
    JSON.stringify({
      k: payload.kind === 'open' ? 'o' : 'c',
      m: payload.messageId,
      u: payload.url,
      t: payload.sentAt,
    }),
  ).toString('base64url')
  return `${body}.${mac(body, secret)}`
}

/** The payload of a token signed with `secret`, or undefined for anything forged, altered or malformed. */
export function verifyTrackingToken(token: string, secret: string): TrackingPayload | undefined {
  const dot = token.indexOf('.')
  if (dot <= 0) return undefined
  const body = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1))
  const expected = Buffer.from(mac(body, secret))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  try {
    const data = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>
    if ((data.k !== 'o' && data.k !== 'c') || typeof data.m !== 'string' || typeof data.t !== 'number')
      return undefined
    if (data.k === 'c' && typeof data.u !== 'string') return undefined
    return {
      kind: data.k === 'o' ? 'open' : 'click',
      messageId: data.m,
      ...(typeof data.u === 'string' ? { url: data.u } : {}),
      sentAt: data.t,
    }
  } catch {
    return undefined
  }
}

function mac(body: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(`paceline-tracking:v1:${body}`)
    .digest('base64url')
    .slice(0, MAC_LENGTH)
}
