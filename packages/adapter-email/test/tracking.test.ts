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
      {
        type: 'email-opened',
        lead: { messageId },
        automated: false,
        at: new Date(now).toISOString(),
        eventId: expect.stringMatching(/^tracking:open:person:/),
      },
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
        eventId: expect.stringMatching(/^tracking:click:person:/),
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

  it('redirects to non-ASCII destinations with a valid Location (IDN host in punycode, path percent-encoded)', async () => {
    delivered.length = 0
    const target = 'https://münchen.example/straße/übersicht?q=café#teil'
    const response = await fetch(clickUrl(settings(), messageId, target, SENT), {
      headers: browser,
      redirect: 'manual',
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe(
      'https://xn--mnchen-3ya.example/stra%C3%9Fe/%C3%BCbersicht?q=caf%C3%A9#teil',
    )
    // The event keeps the destination as it was written.
    expect(delivered).toEqual([expect.objectContaining({ type: 'link-clicked', url: target })])
  })

  it('never rejects: a failure inside answers 500 and goes to onError; a server mounted on it stays up', async () => {
    const errors: unknown[] = []
    const handle = createTrackingHandler({
      secret: SECRET,
      deliver: async () => {
        throw new Error('storage is down')
      },
      now: () => {
        throw new Error('clock broke')
      },
      onError: (error) => errors.push(error),
    })
    const failing = createServer((request, response) => {
      // As the README mounts it: a rejection here would be unhandled and end the process.
      void handle(request, response).then((handled) => {
        if (!handled) response.writeHead(418).end()
      })
    })
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve))
    const local = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/pl`
    try {
      const url = clickUrl({ baseUrl: local, secret: SECRET }, messageId, 'https://acme.io', SENT)
      const response = await fetch(url, { headers: browser, redirect: 'manual' })
      // The reader still gets where they were going; the failure is reported.
      expect(response.status).toBe(302)
      expect(errors.map(String)).toEqual(['Error: clock broke'])
      // A response that cannot even be written answers 500 instead of crashing.
      const broken = createTrackingHandler({
        secret: SECRET,
        deliver: async () => {},
        onError: (e) => errors.push(e),
      })
      const fakeResponse = {
        headersSent: false,
        writableEnded: false,
        writeHead() {
          if (!this.headersSent) {
            this.headersSent = true
            throw new Error('socket gone')
          }
          return this
        },
        end() {
          this.writableEnded = true
          return this
        },
      }
      const token = /\/c\/(.+)$/.exec(url)?.[1] ?? ''
      await expect(
        broken({ url: `/pl/c/${token}`, method: 'GET', headers: {} } as never, fakeResponse as never),
      ).resolves.toBe(true)
      expect(fakeResponse.writableEnded).toBe(true)
      expect(errors.map(String)).toContain('Error: socket gone')
      expect((await fetch(`${local}/healthz`)).status).toBe(418)
    } finally {
      await new Promise<void>((resolve) => failing.close(() => resolve()))
    }
  })

  it('gives repeated hits in one window the same event id (one action), apart for people and scanners', async () => {
    delivered.length = 0
    const open = openPixelUrl(settings(), messageId, SENT)
    now = SENT + 60_000
    await fetch(open, { headers: browser })
    now = SENT + 120_000
    await fetch(open, { headers: browser })
    await fetch(open, { method: 'HEAD', headers: browser })
    now = SENT + 60_000 + 3_600_000
    await fetch(open, { headers: browser })
    now = SENT + 60_000
    const ids = delivered.map((event) => ('eventId' in event ? event.eventId : undefined))
    expect(ids[0]).toBe(ids[1])
    expect(ids[2]).not.toBe(ids[0]) // the scanner's HEAD is kept apart from the reader's open
    expect(ids[3]).not.toBe(ids[0]) // the next hour is a new open
    for (const id of ids) expect(id?.length).toBeLessThanOrEqual(500)
    // Clicks on two links of one message are two clicks.
    delivered.length = 0
    for (const target of ['https://acme.io/a', 'https://acme.io/b'])
      await fetch(clickUrl(settings(), messageId, target, SENT), { headers: browser, redirect: 'manual' })
    expect(new Set(delivered.map((event) => ('eventId' in event ? event.eventId : ''))).size).toBe(2)
  })

  it('stops recording hits on old messages (the pixel loads and links still redirect)', async () => {
    const events: InboundEvent[] = []
    const handle = createTrackingHandler({
      secret: SECRET,
      deliver: async (event) => events.push(event),
      now: () => SENT + 31 * 86_400_000,
      tokenLifetimeMs: 30 * 86_400_000,
    })
    const local = createServer(async (request, response) => {
      if (!(await handle(request, response))) response.writeHead(418).end()
    })
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve))
    const at = `http://127.0.0.1:${(local.address() as AddressInfo).port}/pl`
    try {
      expect((await fetch(openPixelUrl({ baseUrl: at, secret: SECRET }, messageId, SENT))).status).toBe(200)
      const click = await fetch(
        clickUrl({ baseUrl: at, secret: SECRET }, messageId, 'https://acme.io', SENT),
        {
          redirect: 'manual',
        },
      )
      expect(click.status).toBe(302)
      expect(events).toEqual([])
    } finally {
      await new Promise<void>((resolve) => local.close(() => resolve()))
    }
    expect(() => createTrackingHandler({ secret: 'short', deliver: async () => {} })).toThrow(
      /secret: must be at least 32 characters/,
    )
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
