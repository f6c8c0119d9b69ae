import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createProviderHttp, type ProviderHttp, retryAfterOf } from '../src/index'

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void

const servers: Server[] = []
const clients: ProviderHttp[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close()
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A local API whose answers the test scripts, and the requests it saw. */
async function api(handler: Handler) {
  const seen: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[] = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8')
    })
    request.on('end', () => {
      seen.push({ method: request.method ?? '', url: request.url ?? '', body, headers: request.headers })
      handler(request, response, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen }
}

const client = (baseUrl: string, extra: Partial<Parameters<typeof createProviderHttp>[0]> = {}) => {
  const http = createProviderHttp({
    baseUrl,
    headers: { 'x-api-key': 'key-1' },
    requestsPerMinute: 6_000,
    ...extra,
  })
  clients.push(http)
  return http
}

describe('the provider transport', () => {
  it('sends JSON with the API key and reads JSON answers', async () => {
    const { url, seen } = await api((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"run-1"}'),
    )
    const result = await client(url).request({
      method: 'POST',
      path: '/actions/linkedin-visit-profile/run/live',
      query: { account_id: 'acc-1', skip: undefined },
      body: { input: { linkedin_profile_url: 'https://www.linkedin.com/in/eva' } },
    })
    expect(result).toMatchObject({ kind: 'response', status: 200, body: { id: 'run-1' } })
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/actions/linkedin-visit-profile/run/live?account_id=acc-1',
      body: '{"input":{"linkedin_profile_url":"https://www.linkedin.com/in/eva"}}',
      headers: expect.objectContaining({ 'x-api-key': 'key-1', 'content-type': 'application/json' }),
    })
  })

  it('waits out a 429 (Retry-After) and retries, holding back the other requests meanwhile', async () => {
    let calls = 0
    const { url, seen } = await api((_request, response) => {
      calls++
      if (calls === 1) response.writeHead(429, { 'retry-after': '1' }).end('{"error":"too many requests"}')
      else response.writeHead(200).end('{}')
    })
    const result = await client(url).request({ method: 'GET', path: '/identities' })
    expect(result).toMatchObject({ kind: 'response', status: 200 })
    expect(seen).toHaveLength(2)
  })

  it('hands a long Retry-After back to the engine instead of holding the request', async () => {
    const { url, seen } = await api((_request, response) =>
      response.writeHead(429, { 'retry-after': '120' }).end('{"error":"slow down"}'),
    )
    expect(await client(url).request({ method: 'POST', path: '/x', body: {} })).toEqual({
      kind: 'rate-limited',
      retryAfterMs: 120_000,
      body: { error: 'slow down' },
    })
    expect(seen).toHaveLength(1)
  })

  it('keeps requests under the per-minute budget: the next one waits its turn', async () => {
    const { url, seen } = await api((_request, response) => response.writeHead(200).end('{}'))
    // 6 a minute: one every 10 s. The second request cannot start during this test.
    const http = client(url, { requestsPerMinute: 6 })
    const first = http.request({ method: 'GET', path: '/a' })
    const second = http.request({ method: 'GET', path: '/b' })
    expect(await first).toMatchObject({ kind: 'response' })
    expect(http.queued()).toBe(1)
    expect(seen.map((each) => each.url)).toEqual(['/v1/a'])
    await http.close()
    expect(await second).toMatchObject({ kind: 'not-sent' })
    expect(seen).toHaveLength(1)
  })

  it('tells "never sent" from "sent, no answer"', async () => {
    const closed = await api(() => {})
    const closedUrl = closed.url
    servers.pop()?.close()
    expect(await client(closedUrl).request({ method: 'POST', path: '/x', body: {} })).toMatchObject({
      kind: 'not-sent',
    })

    const dropping = await api((request) => request.socket.destroy())
    expect(await client(dropping.url).request({ method: 'POST', path: '/x', body: {} })).toMatchObject({
      kind: 'no-answer',
    })
    expect(dropping.seen).toHaveLength(1)

    const silent = await api(() => {})
    expect(
      await client(silent.url, { timeoutMs: 200 }).request({ method: 'POST', path: '/x', body: {} }),
    ).toMatchObject({ kind: 'no-answer' })
  })

  it('reads Retry-After as seconds or a date, and x-ratelimit-reset', () => {
    const now = Date.parse('2026-11-22T10:00:00Z')
    expect(retryAfterOf(new Headers({ 'retry-after': '30' }), now)).toBe(30_000)
    expect(retryAfterOf(new Headers({ 'retry-after': 'Sun, 22 Nov 2026 10:01:00 GMT' }), now)).toBe(60_000)
    expect(retryAfterOf(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 5) }), now)).toBe(5_000)
    expect(retryAfterOf(new Headers({ 'x-ratelimit-reset': '7' }), now)).toBe(7_000)
    expect(retryAfterOf(new Headers(), now)).toBeUndefined()
  })
})
