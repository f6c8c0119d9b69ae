import type { IncomingMessage, ServerResponse } from 'node:http'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'
import { z } from 'zod'
import { automatedReasons } from './automated-hit'
import { trackingEventId } from './tracking-event-id'
import { type TrackingPayload, verifyTrackingToken } from './tracking-token'

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
const DAY = 86_400_000

export interface TrackingHandlerOptions {
  /** The same secret as the email channel's `tracking.secret`. */
  readonly secret: string
  /** Receives `email-opened` and `link-clicked` events: pass `engine.ingest`. */
  readonly deliver: (event: InboundEvent) => Promise<unknown>
  /** Default Date.now; injectable for tests. */
  readonly now?: () => number
  /**
   * Problems the handler met (delivering an event, an internal failure): the response is sent regardless
   * and the handler never rejects. Default console.warn.
   */
  readonly onError?: (error: unknown) => void
  /**
   * Hits on a message older than this are not recorded (the pixel still loads and links still redirect, so
   * an old email keeps working for its reader). Default 365 days.
   */
  readonly tokenLifetimeMs?: number
  /**
   * Repeated opens (or clicks on the same link) of one message within this window count once: every
   * reload of an image or replay of a URL would otherwise add a row to the action log. Default one hour.
   */
  readonly dedupeWindowMs?: number
}

const optionsSchema = z.object({
  secret: z.string().min(32, 'must be at least 32 characters (the same as the channel tracking.secret)'),
  deliver: z.custom<TrackingHandlerOptions['deliver']>((value) => typeof value === 'function', {
    message: 'must be a function, for example engine.ingest',
  }),
  tokenLifetimeMs: z.number().int().positive().optional(),
  dedupeWindowMs: z.number().int().positive().optional(),
})

/**
 * A request handler for the tracking URLs (`.../o/<token>.gif` and `.../c/<token>`), for node:http,
 * Express, Fastify's raw handler or any framework that gives the Node request and response. It returns
 * false for other paths, so it can sit in front of an app. Opens answer a 1x1 GIF, clicks a 302 to the
 * signed destination; forged or altered tokens get a 404 and deliver nothing. Hits that look automated
 * are delivered with `automated: true`. It never rejects: an internal failure answers 500 and goes to
 * `onError`, so a server mounted on it cannot be brought down by a request.
 */
export function createTrackingHandler(
  options: TrackingHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const parsed = optionsSchema.safeParse(options, { reportInput: false })
  if (!parsed.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createTrackingHandler options',
      parsed.error,
    )
  const now = options.now ?? Date.now
  const lifetime = options.tokenLifetimeMs ?? 365 * DAY
  const window = options.dedupeWindowMs ?? 3_600_000
  const report =
    options.onError ?? ((error: unknown) => console.warn('@paceline/adapter-email tracking:', error))

  const answer = (request: IncomingMessage, response: ServerResponse, payload: TrackingPayload): boolean => {
    if (payload.kind === 'open') {
      response
        .writeHead(200, {
          'content-type': 'image/gif',
          'content-length': PIXEL.length,
          'cache-control': 'no-store, no-cache, must-revalidate, private',
        })
        .end(request.method === 'HEAD' ? undefined : PIXEL)
      return true
    }
    const location = redirectTarget(payload.url)
    if (location === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('Not found')
      return false
    }
    response.writeHead(302, { location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).end()
    return true
  }

  const eventOf = (request: IncomingMessage, payload: TrackingPayload, at: number): InboundEvent => {
    const automated =
      automatedReasons({
        method: request.method ?? 'GET',
        userAgent: request.headers['user-agent'],
        at,
        sentAt: payload.sentAt,
        kind: payload.kind,
      }).length > 0
    const common = {
      lead: { messageId: payload.messageId },
      automated,
      at: new Date(at).toISOString(),
      eventId: trackingEventId(payload, automated, Math.floor(at / window)),
    }
    return payload.kind === 'open'
      ? { type: 'email-opened', ...common }
      : { type: 'link-clicked', ...common, ...(payload.url === undefined ? {} : { url: payload.url }) }
  }

  return async (request, response) => {
    try {
      const path = (request.url ?? '').split('?')[0] ?? ''
      const match = /\/(o|c)\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+?)(\.gif)?$/.exec(path)
      if (match === null) return false
      const payload = verifyTrackingToken(match[2] ?? '', options.secret)
      const expected = match[1] === 'o' ? 'open' : 'click'
      if (payload === undefined || payload.kind !== expected) {
        response
          .writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
          .end('Not found')
        return true
      }
      if (!answer(request, response, payload)) return true
      const at = now()
      if (at - payload.sentAt > lifetime) return true
      try {
        await options.deliver(eventOf(request, payload, at))
      } catch (error) {
        report(error)
      }
      return true
    } catch (error) {
      report(error)
      if (!response.headersSent)
        response.writeHead(500, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
      if (!response.writableEnded) response.end('Internal error')
      return true
    }
  }
}

/**
 * The `Location` for a click: the WHATWG serialisation of the signed URL, which is plain ASCII (an IDN host
 * in punycode, a non-ASCII path percent-encoded). A header may not carry anything else: Node refuses to
 * send it. Anything that is not an http(s) URL goes nowhere.
 */
function redirectTarget(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined
  const parsed = new URL(url)
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined
}
