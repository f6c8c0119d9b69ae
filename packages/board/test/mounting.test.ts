import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import type { Engine } from '@paceline/core'
import express from 'express'
import { Hono } from 'hono'
import { afterEach, describe, expect, it } from 'vitest'
import { createBoard } from '../src/index'
import { csrfSession } from './support/serve-board'
import { smallWorkspace } from './support/small-workspace'

// The README's three ways to mount the board, each on a real server, each reading a page and pausing a
// campaign through the form's POST (the cookie and token a browser would send).
const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

async function listen(server: Server): Promise<string> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function readAndPause(origin: string, engine: Engine) {
  const page = await fetch(`${origin}/board/campaigns`)
  expect(page.status).toBe(200)
  const text = await page.text()
  expect(text).toContain('href="/board/campaigns/q2"')
  expect(text).toContain('href="/board/assets/board.css"')
  const css = await fetch(`${origin}/board/assets/board.css`)
  expect(css.headers.get('content-type')).toContain('text/css')
  const { cookie, token } = await csrfSession(`${origin}/board/campaigns/q2`)
  const pause = await fetch(`${origin}/board/campaigns/q2/pause`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, back: '/board/campaigns/q2' }),
  })
  expect(pause.status).toBe(303)
  expect(pause.headers.get('location')).toBe('/board/campaigns/q2?done=campaign-paused')
  expect((await engine.campaigns.get('q2')).status).toBe('paused')
}

describe('mounting the board', () => {
  it("on Node's http server: http.createServer(board.node)", async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    await readAndPause(await listen(createServer(board.node)), engine)
  })

  it("on Node's http server next to the host's own routes", async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const origin = await listen(
      createServer((request, response) => {
        if (request.url?.startsWith('/board')) return void board.node(request, response)
        response.end('the host’s own page')
      }),
    )
    await readAndPause(origin, engine)
    expect(await (await fetch(`${origin}/`)).text()).toBe('the host’s own page')
  })

  it("on Express: app.use('/board', board.node)", async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const app = express()
    app.get('/', (_request, response) => {
      response.send('home')
    })
    app.use('/board', board.node)
    const origin = await listen(createServer(app))
    await readAndPause(origin, engine)
    expect(await (await fetch(`${origin}/`)).text()).toBe('home')
  })

  it("on Hono: app.all('/board/*', (c) => board.fetch(c.req.raw))", async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const app = new Hono()
    app.get('/', (c) => c.text('home'))
    app.all('/board/*', (c) => board.fetch(c.req.raw))
    const origin = await listen(createServer(getRequestListener(app.fetch)))
    await readAndPause(origin, engine)
    const root = await fetch(`${origin}/board`, { redirect: 'manual' })
    expect(root.status).toBe(302)
    expect(root.headers.get('location')).toBe('/board/campaigns')
  })

  it('at the root of its own server (no basePath)', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock })
    const page = await board.fetch(new Request('http://localhost/campaigns'))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('href="/campaigns/q2"')
  })
})
