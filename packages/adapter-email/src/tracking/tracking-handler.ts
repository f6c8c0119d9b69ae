import type { IncomingMessage, ServerResponse } from 'node:http'
import type { InboundEvent } from '@paceline/core/ports'
import { automatedReasons } from './automated-hit'
import { verifyTrackingToken } from './tracking-token'

// The smallest transparent GIF.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')

export interface TrackingHandlerOptions {
  /** The same secret as the email channel's `tracking.secret`. */
  readonly secret: string
  /** Receives `email-opened` and `link-clicked` events: pass `engine.ingest`. */
  readonly deliver: (event: InboundEvent) => Promise<unknown>
  /** Default Date.now; injectable for tests. */
  readonly now?: () => number
  /** Problems delivering an event (the response is sent regardless). Default console.warn. */
  readonly onError?: (error: unknown) => void
}

/**
 * A request handler for the tracking URLs (`.../o/<token>.gif` and `.../c/<token>`), for node:http,
 * Express, Fastify's raw handler or any framework that gives the Node request and response. It returns
 * false for other paths, so it can sit in front of an app. Opens answer a 1x1 GIF, clicks a 302 to the
 * signed destination; forged or altered tokens get a 404 and deliver nothing. Hits that look automated
 * are delivered with `automated: true`.
 */
export function createTrackingHandler(
  options: TrackingHandlerOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  const now = options.now ?? Date.now
  const report =
    options.onError ?? ((error: unknown) => console.warn('@paceline/adapter-email tracking:', error))
  return async (request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? ''
    const match = /\/(o|c)\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+?)(\.gif)?$/.exec(path)
    if (match === null) return false
    const payload = verifyTrackingToken(match[2] ?? '', options.secret)
    const expected = match[1] === 'o' ? 'open' : 'click'
    if (payload === undefined || payload.kind !== expected) {
      response.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end('Not found')
      return true
    }
    if (payload.kind === 'open')
      response
        .writeHead(200, {
          'content-type': 'image/gif',
          'content-length': PIXEL.length,
          'cache-control': 'no-store, no-cache, must-revalidate, private',
        })
        .end(request.method === 'HEAD' ? undefined : PIXEL)
    else
      response
        .writeHead(302, {
          location: payload.url ?? '/',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        .end()

    const at = now()
    const reasons = automatedReasons({
      method: request.method ?? 'GET',
      userAgent: request.headers['user-agent'],
      at,
      sentAt: payload.sentAt,
      kind: payload.kind,
    })
    const event: InboundEvent =
      payload.kind === 'open'
        ? {
            type: 'email-opened',
            lead: { messageId: payload.messageId },
            automated: reasons.length > 0,
            at: new Date(at).toISOString(),
          }
        : {
            type: 'link-clicked',
            lead: { messageId: payload.messageId },
            ...(payload.url === undefined ? {} : { url: payload.url }),
            automated: reasons.length > 0,
            at: new Date(at).toISOString(),
          }
    try {
      await options.deliver(event)
    } catch (error) {
      report(error)
    }
    return true
  }
}
