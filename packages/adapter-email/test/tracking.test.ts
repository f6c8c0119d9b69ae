import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InboundEvent } from '@paceline/core/ports'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clickUrl, openPixelUrl } from '../src/tracking/tracked-content'
import { createTrackingHandler } from '../src/tracking/tracking-handler'
import { signTrackingToken, verifyTrackingToken } from '../src/tracking/tracking-token'

const SECRET = 'a-tracking-secret-of-at-least-32-chars!'
const messageId = '<pl-0123456789abcdef@acme.io>'
const SENT = Date.parse('2026-03-02T09:00:00Z')

let server: Server
let base = ''
let now = SENT + 60_000
const delivered: InboundEvent[] = []

beforeAll(async () => {
  const handle = createTrackingHandler({
    secret: SECRET,
    deliver: async (event) => delivered.push(event),
    now: () => now,
  })
  server = createServer(async (request, response) => {
    if (!(await handle(request, response))) response.writeHead(418).end('not tracking')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pl`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const settings = () => ({ baseUrl: base, secret: SECRET })
const browser = {
  'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Safari/605.1.15',
}

describe('tracking URLs', () => {
  it('round-trips a signed token and refuses a forged or altered one', () => {
    const token = signTrackingToken(
      { kind: 'click', messageId, url: 'https://acme.io', sentAt: SENT },
      SECRET,
    )
    expect(verifyTrackingToken(token, SECRET)).toEqual({
      kind: 'click',
      messageId,
      url: 'https://acme.io',
      sentAt: SENT,
    })
    expect(verifyTrackingToken(token, 'another-secret-of-at-least-32-chars!!')).toBeUndefined()
    const [body, mac] = token.split('.') as [string, string]
    const altered = Buffer.from(
      Buffer.from(body, 'base64url').toString().replace('acme.io', 'evil.example'),
    ).toString('base64url')
    expect(verifyTrackingToken(`${altered}.${mac}`, SECRET)).toBeUndefined()
    expect(verifyTrackingToken('garbage', SECRET)).toBeUndefined()
  })

  it('answers an open with a 1x1 GIF and delivers email-opened for the message', async () => {
    delivered.length = 0
    const response = await fetch(openPixelUrl(settings(), messageId, SENT), { headers: browser })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/gif')
    expect(response.headers.get('cache-control')).toContain('no-store')
    expect((await response.arrayBuffer()).byteLength).toBe(42)
    expect(delivered).toEqual([
      { type: 'email-opened', lead: { messageId }, automated: false, at: new Date(now).toISOString() },
    ])
  })

  it('redirects a click to the signed destination and delivers link-clicked', async () => {
    delivered.length = 0
    const response = await fetch(clickUrl(settings(), messageId, 'https://acme.io/case-study?x=1', SENT), {
      headers: browser,
      redirect: 'manual',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('https://acme.io/case-study?x=1')
    expect(delivered).toEqual([
      {
        type: 'link-clicked',
        lead: { messageId },
        url: 'https://acme.io/case-study?x=1',
        automated: false,
        at: new Date(now).toISOString(),
      },
    ])
  })

  it('flags scanners: a known agent, a HEAD request, or a hit seconds after sending', async () => {
    delivered.length = 0
    await fetch(clickUrl(settings(), messageId, 'https://acme.io', SENT), {
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0; SafeLinks)' },
      redirect: 'manual',
    })
    await fetch(openPixelUrl(settings(), messageId, SENT), { method: 'HEAD', headers: browser })
    now = SENT + 1_500
    await fetch(openPixelUrl(settings(), messageId, SENT), { headers: browser })
    now = SENT + 60_000
    expect(delivered.map((event) => 'automated' in event && event.automated)).toEqual([true, true, true])
  })

  it('answers 404 to forged, altered or mismatched tokens and delivers nothing; other paths pass through', async () => {
    delivered.length = 0
    const open = openPixelUrl(settings(), messageId, SENT)
    const token = /\/o\/(.+)\.gif$/.exec(open)?.[1] ?? ''
    expect((await fetch(`${base}/o/${token.slice(0, -2)}xx.gif`)).status).toBe(404)
    // An open token used as a click redirect does not redirect anywhere.
    expect((await fetch(`${base}/c/${token}`, { redirect: 'manual' })).status).toBe(404)
    expect((await fetch(`${base}/healthz`)).status).toBe(418)
    expect(delivered).toEqual([])
  })
})
