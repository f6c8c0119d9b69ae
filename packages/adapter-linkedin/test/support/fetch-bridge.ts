import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface BridgedRequest {
  /** Body bytes the fetch handler pulled from the node request (nothing is read ahead of it). */
  pulled: number
  /** Whether the handler cancelled the body. */
  cancelled: boolean
}

/**
 * Serves a fetch-style handler (Request in, Response out) on node:http, the way `@hono/node-server` does:
 * the request body becomes a ReadableStream read from the socket only as the handler pulls it, so what the
 * handler reads of a body can be counted.
 */
export async function serveFetch(
  handle: (request: Request) => Promise<Response>,
): Promise<{ readonly url: string; readonly requests: BridgedRequest[]; close(): Promise<void> }> {
  const requests: BridgedRequest[] = []
  const server: Server = createServer((incoming, outgoing) => {
    const record: BridgedRequest = { pulled: 0, cancelled: false }
    requests.push(record)
    const chunks = incoming[Symbol.asyncIterator]()
    const body = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const next = await chunks.next()
          if (next.done === true) {
            controller.close()
            return
          }
          const bytes = next.value as Buffer
          record.pulled += bytes.length
          controller.enqueue(new Uint8Array(bytes))
        },
        cancel() {
          record.cancelled = true
          incoming.pause()
        },
      },
      { highWaterMark: 0 },
    )
    const headers = new Headers()
    for (const [name, value] of Object.entries(incoming.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
    const request = new Request(`http://127.0.0.1${incoming.url ?? '/'}`, {
      method: incoming.method ?? 'POST',
      headers,
      body,
      duplex: 'half',
    } as RequestInit)
    void handle(request).then(async (response) => {
      outgoing.writeHead(response.status, Object.fromEntries(response.headers))
      outgoing.end(Buffer.from(await response.arrayBuffer()))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
