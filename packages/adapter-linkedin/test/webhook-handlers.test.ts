import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PacelineError } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'
import express from 'express'
import { Hono } from 'hono'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createLinkedInChannel,
  createUnipileProvider,
  DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  fetchWebhookHandler,
  type LinkedInChannel,
  nodeWebhookHandler,
  type UnipileProvider,
  type WebhookHandlerOptions,
} from '../src/index'
import messageWebhook from './fakes/unipile-fixtures/webhook-message-received.json'
import { postInChunks } from './support/chunked-post'
import { serveFetch } from './support/fetch-bridge'

const secret = 'a-long-shared-webhook-secret'
const MB = 1024 * 1024
const CAP = DEFAULT_MAX_WEBHOOK_BODY_BYTES
/** What node:http may have pulled off the socket past what the handler read: a read or two of 64 KB. */
const SOCKET_SLACK = 256 * 1024
const authentic = { 'unipile-auth': secret, 'content-type': 'application/json' }
const payload = JSON.stringify(messageWebhook)

let provider: UnipileProvider
let channel: LinkedInChannel
const events: InboundEvent[] = []
const errors: PacelineError[] = []
/** Bodies the channel was asked to handle: nothing over the cap, nothing unauthentic, may get here. */
const handled: string[] = []
let counted: LinkedInChannel

beforeAll(() => {
  provider = createUnipileProvider({ dsn: '127.0.0.1:9', apiKey: 'unused', webhookSecret: secret })
  channel = createLinkedInChannel({
    provider,
    accounts: [{ accountId: messageWebhook.account_id, identityId: 'ana' }],
    onError: (error) => errors.push(error),
  })
  channel.subscribe(async (event) => {
    events.push(event)
  })
  counted = {
    ...channel,
    screenWebhook: channel.screenWebhook,
    handleWebhook: (request) => {
      handled.push(request.rawBody)
      return channel.handleWebhook(request)
    },
  }
})
afterAll(async () => {
  await channel.close()
  await provider.close()
})
afterEach(() => {
  events.length = 0
  errors.length = 0
  handled.length = 0
})

/** A node:http server with the handler, noting how many bytes it had read off the socket when it answered. */
async function nodeServer(
  handler: (request: IncomingMessage, response: ServerResponse) => unknown,
): Promise<{ url: string; readAtAnswer: number[]; close(): Promise<void> }> {
  const readAtAnswer: number[] = []
  const server: Server = createServer((request, response) => {
    const writeHead = response.writeHead.bind(response) as (...args: unknown[]) => ServerResponse
    response.writeHead = ((...args: unknown[]) => {
      readAtAnswer.push(request.socket.bytesRead)
      return writeHead(...args)
    }) as ServerResponse['writeHead']
    void handler(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/linkedin`,
    readAtAnswer,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

describe('nodeWebhookHandler on node:http', () => {
  it('answers 413 to a body streamed past the cap, having read no more of it than the cap, and the client reads the 413 (not a reset)', async () => {
    const server = await nodeServer(nodeWebhookHandler(counted))
    try {
      const answer = await postInChunks(server.url, { headers: authentic, totalBytes: 60 * MB })
      expect(answer).toMatchObject({ status: 413, body: 'Body too large.' })
      const [read] = server.readAtAnswer
      expect(read).toBeGreaterThan(CAP)
      expect(read).toBeLessThan(CAP + SOCKET_SLACK)
      expect(answer.sent, 'the client was still sending when it got the answer').toBeGreaterThan(read ?? 0)
      expect(handled).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('answers 401 to a wrong secret before reading the body', async () => {
    const server = await nodeServer(nodeWebhookHandler(counted))
    try {
      const answer = await postInChunks(server.url, {
        headers: { ...authentic, 'unipile-auth': 'not-the-secret' },
        totalBytes: 60 * MB,
      })
      expect(answer).toMatchObject({ status: 401, body: 'Missing or wrong Unipile-Auth header.' })
      expect(server.readAtAnswer[0]).toBeLessThan(128 * 1024)
      expect(handled).toEqual([])
      // No secret at all: the same.
      expect((await postInChunks(server.url, { totalBytes: 4 * MB })).status).toBe(401)
    } finally {
      await server.close()
    }
  })

  it('answers 413 at once to a Content-Length over the cap, before reading the body', async () => {
    const server = await nodeServer(nodeWebhookHandler(counted))
    try {
      const answer = await postInChunks(server.url, {
        headers: { ...authentic, 'content-length': String(60 * MB) },
        totalBytes: 60 * MB,
      })
      expect(answer.status).toBe(413)
      expect(server.readAtAnswer[0]).toBeLessThan(128 * 1024)
      expect(handled).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('takes the cap it is given, and delivers what fits under it', async () => {
    const server = await nodeServer(nodeWebhookHandler(counted, { maxBodyBytes: 4096 }))
    try {
      expect(
        (await postInChunks(server.url, { headers: authentic, totalBytes: 8192, chunkBytes: 1024 })).status,
      ).toBe(413)
      const ok = await fetch(server.url, { method: 'POST', headers: authentic, body: payload })
      expect(ok.status).toBe(200)
      expect(events).toEqual([expect.objectContaining({ type: 'reply-received', identityId: 'ana' })])
    } finally {
      await server.close()
    }
    expect(() => nodeWebhookHandler(channel, { maxBodyBytes: 0 })).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: [expect.objectContaining({ field: 'maxBodyBytes' })],
      }),
    )
    expect(() => fetchWebhookHandler(channel, { size: 1 } as WebhookHandlerOptions)).toThrow(/size/)
  })
})

describe('nodeWebhookHandler in Express', () => {
  it('applies the cap to a raw body a parser read first, and answers 500 (rather than wait forever) when a JSON parser took the raw body', async () => {
    const app = express()
    app.post('/raw', express.raw({ type: '*/*', limit: '10mb' }), nodeWebhookHandler(counted))
    app.post('/json', express.json(), nodeWebhookHandler(counted))
    app.post('/direct', nodeWebhookHandler(counted))
    const server = await nodeServer(app)
    const base = server.url.replace(/\/webhooks\/linkedin$/, '')
    try {
      const large = await fetch(`${base}/raw`, {
        method: 'POST',
        headers: authentic,
        body: 'x'.repeat(2 * MB),
      })
      expect(large.status).toBe(413)
      expect((await fetch(`${base}/raw`, { method: 'POST', headers: authentic, body: payload })).status).toBe(
        200,
      )
      const parsed = await fetch(`${base}/json`, { method: 'POST', headers: authentic, body: payload })
      expect(parsed.status).toBe(500)
      expect(await parsed.text()).toMatch(/mounted after a body parser/)
      const streamed = await postInChunks(`${base}/direct`, { headers: authentic, totalBytes: 60 * MB })
      expect(streamed.status).toBe(413)
      expect(handled).toEqual([payload])
    } finally {
      await server.close()
    }
  })
})

describe('fetchWebhookHandler (Hono on node:http)', () => {
  const served = async (options?: WebhookHandlerOptions) => {
    const hono = new Hono()
    const handle = fetchWebhookHandler(counted, options)
    hono.post('/webhooks/linkedin', (c) => handle(c.req.raw))
    return serveFetch((request) => Promise.resolve(hono.fetch(request)))
  }

  it('answers 413 to a body streamed past the cap, having pulled no more of it than the cap and one chunk', async () => {
    const server = await served()
    try {
      const answer = await postInChunks(`${server.url}/webhooks/linkedin`, {
        headers: authentic,
        totalBytes: 60 * MB,
      })
      expect(answer).toMatchObject({ status: 413, body: 'Body too large.' })
      const [request] = server.requests
      expect(request?.pulled).toBeGreaterThan(CAP)
      expect(request?.pulled).toBeLessThanOrEqual(CAP + 64 * 1024)
      expect(request?.cancelled).toBe(true)
      expect(handled).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('answers 401 to a wrong secret without pulling a byte of the body', async () => {
    const server = await served()
    try {
      const answer = await postInChunks(`${server.url}/webhooks/linkedin`, {
        headers: { ...authentic, 'unipile-auth': 'nope' },
        totalBytes: 8 * MB,
      })
      expect(answer.status).toBe(401)
      expect(server.requests[0]).toEqual({ pulled: 0, cancelled: true })
      expect(handled).toEqual([])
    } finally {
      await server.close()
    }
  })

  it('delivers an authentic delivery under the cap', async () => {
    const server = await served({ maxBodyBytes: 64 * 1024 })
    try {
      const answer = await fetch(`${server.url}/webhooks/linkedin`, {
        method: 'POST',
        headers: authentic,
        body: payload,
      })
      expect(answer.status).toBe(200)
      expect(events).toHaveLength(1)
    } finally {
      await server.close()
    }
  })

  it('reads a streamed Request body only up to the cap (Bun, Deno, Next.js)', async () => {
    let pulled = 0
    const chunk = new Uint8Array(64 * 1024)
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= 60 * MB) return controller.close()
          pulled += chunk.byteLength
          controller.enqueue(chunk)
        },
      },
      { highWaterMark: 0 },
    )
    const request = new Request('https://app.example/webhooks/linkedin', {
      method: 'POST',
      headers: authentic,
      body,
      duplex: 'half',
    } as RequestInit)
    const response = await fetchWebhookHandler(counted)(request)
    expect(response.status).toBe(413)
    expect(pulled).toBeLessThanOrEqual(CAP + chunk.byteLength)
    expect(handled).toEqual([])
  })
})
