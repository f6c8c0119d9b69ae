import type { IncomingMessage, ServerResponse } from 'node:http'
import type { LinkedInChannel } from '../channel/create-linkedin-channel'

type Headers = Record<string, string | undefined>

/** A handler for node:http and the frameworks built on it (Express, Fastify's raw request, Koa). */
export function nodeWebhookHandler(
  channel: Pick<LinkedInChannel, 'handleWebhook'>,
): (request: IncomingMessage & { body?: unknown }, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const headers: Headers = {}
    for (const [name, value] of Object.entries(request.headers))
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    // A body parser that ran first (express.raw, express.text) left the raw body here; JSON parsers did
    // not, and the signature cannot be checked on re-serialised JSON.
    let rawBody: string
    try {
      rawBody =
        typeof request.body === 'string'
          ? request.body
          : Buffer.isBuffer(request.body)
            ? request.body.toString('utf8')
            : await readBody(request)
    } catch {
      response.writeHead(413, { 'content-type': 'text/plain; charset=utf-8' }).end('Body too large.')
      return
    }
    const answer = await channel.handleWebhook({ headers, rawBody })
    response.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8' }).end(answer.body)
  }
}

/** A handler for fetch-style frameworks (Hono, Next.js route handlers, Bun, Deno): Request in, Response out. */
export function fetchWebhookHandler(
  channel: Pick<LinkedInChannel, 'handleWebhook'>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const headers: Headers = {}
    request.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value
    })
    const answer = await channel.handleWebhook({ headers, rawBody: await request.text() })
    return new Response(answer.body, {
      status: answer.status,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    })
  }
}

/** Webhook bodies are small; one larger than this is not a provider's. */
const MAX_BODY_BYTES = 1024 * 1024

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        request.destroy()
        reject(new Error('webhook body too large'))
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
