import type { IncomingMessage, ServerResponse } from 'node:http'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'
import type { LinkedInChannel } from '../channel/create-linkedin-channel'
import type { WebhookResponse } from '../channel/webhook-reception'
import { declaresMoreThan, readNodeBody, readWebBody } from './bounded-body'

type Headers = Record<string, string | undefined>

/** Provider webhooks are a few kilobytes; a body past this is not one, and is not read further. */
export const DEFAULT_MAX_WEBHOOK_BODY_BYTES = 1024 * 1024

export interface WebhookHandlerOptions {
  /**
   * Bodies larger than this are answered 413 as soon as they pass it (or at once, when their Content-Length
   * says so) and never held in memory whole. Default 1 MB.
   */
  readonly maxBodyBytes?: number
}

/**
 * The channel as the handlers use it: `screenWebhook` answers from the headers before the body is read (a
 * channel from `createLinkedInChannel` has it; an object with `handleWebhook` alone works too, reading
 * every body up to the cap).
 */
export type WebhookChannel = Pick<LinkedInChannel, 'handleWebhook'> &
  Partial<Pick<LinkedInChannel, 'screenWebhook'>>

const TOO_LARGE: WebhookResponse = { status: 413, body: 'Body too large.' }
/** The raw stream was already read by a body parser mounted in front: there is no raw body left to check. */
const BODY_CONSUMED: WebhookResponse = {
  status: 500,
  body: 'The webhook handler is mounted after a body parser: mount it before, signatures are checked on the raw body.',
}

const optionsSchema = z
  .strictObject({
    maxBodyBytes: z
      .number()
      .int()
      .min(1)
      .max(100 * 1024 * 1024)
      .optional(),
  })
  .optional()

function maxBodyBytesOf(options: WebhookHandlerOptions | undefined, handler: string): number {
  const result = optionsSchema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, `${handler} options`, result.error)
  return result.data?.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BODY_BYTES
}

/**
 * A handler for node:http and the frameworks built on it (Express, Fastify's raw request, Koa). The shared
 * secret is checked on the headers before the body is read (401 without reading it), the body is read up to
 * `maxBodyBytes` (413, with the connection closed after the answer, so the client reads the 413 rather
 * than a reset), and only then handed to the channel.
 */
export function nodeWebhookHandler(
  channel: WebhookChannel,
  options?: WebhookHandlerOptions,
): (request: IncomingMessage & { body?: unknown }, response: ServerResponse) => Promise<void> {
  const maxBytes = maxBodyBytesOf(options, 'nodeWebhookHandler')
  return async (request, response) => {
    const headers: Headers = {}
    for (const [name, value] of Object.entries(request.headers))
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    const early = channel.screenWebhook?.(headers)
    if (early !== undefined) return answer(response, early, true)
    // A body parser that ran first (express.raw, express.text) left the raw body here; JSON parsers did
    // not, and the signature cannot be checked on re-serialised JSON.
    const given = request.body
    if (typeof given === 'string' || Buffer.isBuffer(given)) {
      if (Buffer.byteLength(given) > maxBytes) return answer(response, TOO_LARGE, true)
      const rawBody = typeof given === 'string' ? given : given.toString('utf8')
      return answer(response, await channel.handleWebhook({ headers, rawBody }), false)
    }
    if (request.readableEnded) return answer(response, BODY_CONSUMED, false)
    if (declaresMoreThan(headers['content-length'], maxBytes)) return answer(response, TOO_LARGE, true)
    const body = await readNodeBody(request, maxBytes)
    if (body.kind === 'aborted') return
    if (body.kind === 'too-large') return answer(response, TOO_LARGE, true)
    return answer(response, await channel.handleWebhook({ headers, rawBody: body.text }), false)
  }
}

/**
 * Answers; `close` for answers given before the body was read whole (401, 404, 413, 503): the connection
 * is closed once the answer is out, so the rest of a large body is never read, and the client still gets
 * the answer rather than a reset (the socket is not dropped before it).
 */
function answer(response: ServerResponse, { status, body }: WebhookResponse, close: boolean): void {
  if (response.headersSent || response.destroyed) return
  response
    .writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...(close ? { connection: 'close' } : {}),
    })
    .end(body)
}

/**
 * A handler for fetch-style frameworks (Hono, Next.js route handlers, Bun, Deno): Request in, Response out.
 * The same checks as `nodeWebhookHandler`: the secret on the headers first (the body is then cancelled, not
 * read), the body read as a stream up to `maxBodyBytes` (413 past it, the rest cancelled).
 */
export function fetchWebhookHandler(
  channel: WebhookChannel,
  options?: WebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  const maxBytes = maxBodyBytesOf(options, 'fetchWebhookHandler')
  return async (request) => {
    const headers: Headers = {}
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value
    })
    const early = channel.screenWebhook?.(headers)
    if (early !== undefined) return responseOf(early, { unread: request })
    if (declaresMoreThan(headers['content-length'], maxBytes))
      return responseOf(TOO_LARGE, { unread: request })
    const body = await readWebBody(request, maxBytes)
    if (body.kind === 'too-large') return responseOf(TOO_LARGE, { close: true })
    // The client is gone; the framework has nobody to give this to, but it needs a Response all the same.
    if (body.kind === 'aborted') return responseOf({ status: 400, body: 'The body could not be read.' })
    return responseOf(await channel.handleWebhook({ headers, rawBody: body.text }))
  }
}

/**
 * A Response. An unread body is cancelled so the framework stops receiving it, and an answer given before
 * the body was read whole asks for the connection to be closed (on Node adapters the rest is then not read).
 */
function responseOf(
  { status, body }: WebhookResponse,
  options: { readonly unread?: Request; readonly close?: boolean } = {},
): Response {
  const unread = options.unread
  if (unread?.body != null && !unread.bodyUsed) void unread.body.cancel().catch(() => undefined)
  return new Response(body, {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      ...(unread !== undefined || options.close === true ? { connection: 'close' } : {}),
    },
  })
}
