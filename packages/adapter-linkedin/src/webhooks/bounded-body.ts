import type { IncomingMessage } from 'node:http'

/**
 * A request body read up to a cap: the bytes are counted as they arrive and reading stops at the first
 * chunk past the cap, which is not kept, so a body never takes more memory than the cap however large it
 * is (or claims to be).
 */
export type BoundedBody =
  | { readonly kind: 'read'; readonly text: string }
  | { readonly kind: 'too-large' }
  /** The client went away (or the stream failed) before the body ended: there is nobody to answer. */
  | { readonly kind: 'aborted' }

/** A node:http request body (also Express's, Fastify's raw one), stopped at `maxBytes`. */
export function readNodeBody(request: IncomingMessage, maxBytes: number): Promise<BoundedBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let settled = false
    const settle = (body: BoundedBody) => {
      if (settled) return
      settled = true
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onFailure)
      request.off('close', onFailure)
      resolve(body)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        // Nothing more is read: the answer goes out now, and the connection is closed after it.
        request.pause()
        settle({ kind: 'too-large' })
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => settle({ kind: 'read', text: Buffer.concat(chunks).toString('utf8') })
    // 'close' before 'end' is a client that went away; after 'end' the body is already settled.
    const onFailure = () => settle({ kind: 'aborted' })
    request.on('data', onData)
    request.once('end', onEnd)
    request.once('error', onFailure)
    request.once('close', onFailure)
  })
}

/** A fetch `Request` body (Hono, Next.js, Bun, Deno), stopped at `maxBytes`; the rest is cancelled, not read. */
export async function readWebBody(request: Request, maxBytes: number): Promise<BoundedBody> {
  if (request.body === null) return { kind: 'read', text: '' }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await reader.cancel('webhook body too large').catch(() => undefined)
        return { kind: 'too-large' }
      }
      chunks.push(value)
    }
  } catch {
    return { kind: 'aborted' }
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return { kind: 'read', text: new TextDecoder().decode(bytes) }
}

/** A declared Content-Length over the cap: answered at once, before a byte of the body is read. */
export function declaresMoreThan(contentLength: string | null | undefined, maxBytes: number): boolean {
  if (contentLength == null || contentLength === '') return false
  const declared = Number(contentLength)
  return Number.isFinite(declared) && declared > maxBytes
}
