import { PacelineError } from '@paceline/core'
import { describe, expect, it } from 'vitest'
import { type BoardAction, createBoard } from '../src/index'
import { csrfSession } from './support/serve-board'
import { HOSTILE_NAME, smallWorkspace } from './support/small-workspace'

const ORIGIN = 'http://board.test'

/** A first page's cookie and form token, as a browser would hold them. */
function session(board: ReturnType<typeof createBoard>, path = '/board/campaigns/q2') {
  return csrfSession(`${ORIGIN}${path}`, (url) => board.fetch(new Request(url)))
}

function post(
  board: ReturnType<typeof createBoard>,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return board.fetch(
    new Request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    }),
  )
}

describe('a read-only board (no authorize)', () => {
  it('draws no action and refuses every POST, even with a valid token', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board' })
    const { cookie, token, response } = await session(board)
    expect(response.status).toBe(200)
    for (const path of ['/board/campaigns/q2', '/board/campaigns/q2/leads/lead-1', '/board/campaigns'])
      expect(await (await board.fetch(new Request(`${ORIGIN}${path}`))).text()).not.toContain('method="post"')
    const refused = await post(board, '/board/campaigns/q2/pause', { _csrf: token }, { cookie })
    expect(refused.status).toBe(403)
    expect(await refused.text()).toContain('read-only')
    expect((await engine.campaigns.get('q2')).status).toBe('running')
  })
})

describe('forms from elsewhere', () => {
  it('refuses a POST without the token, with a token but no cookie, or with a token that does not match', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const { cookie, token } = await session(board)
    const other = await session(board)
    const attempts = [
      post(board, '/board/campaigns/q2/pause', {}, { cookie }),
      post(board, '/board/campaigns/q2/pause', { _csrf: token }),
      post(board, '/board/campaigns/q2/pause', { _csrf: other.token }, { cookie }),
      post(board, '/board/campaigns/q2/pause', { _csrf: 'x'.repeat(43) }, { cookie }),
    ]
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403)
      expect(await response.text()).toContain('security token')
    }
    expect((await engine.campaigns.get('q2')).status).toBe('running')
  })

  it('refuses a form another site posts, by Origin or by Sec-Fetch-Site, unless the origin is trusted', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const { cookie, token } = await session(board)
    const crossOrigin = await post(
      board,
      '/board/campaigns/q2/pause',
      { _csrf: token },
      { cookie, origin: 'https://evil.example' },
    )
    expect(crossOrigin.status).toBe(403)
    expect(await crossOrigin.text()).toContain('https://evil.example')
    const crossSite = await post(
      board,
      '/board/campaigns/q2/pause',
      { _csrf: token },
      { cookie, 'sec-fetch-site': 'cross-site' },
    )
    expect(crossSite.status).toBe(403)
    expect((await engine.campaigns.get('q2')).status).toBe('running')

    const proxied = createBoard({
      engine,
      clock,
      basePath: '/board',
      authorize: () => true,
      trustedOrigins: ['https://app.example.com'],
    })
    const behindProxy = await post(
      proxied,
      '/board/campaigns/q2/pause',
      { _csrf: token },
      { cookie, origin: 'https://app.example.com' },
    )
    expect(behindProxy.status).toBe(303)
    expect((await engine.campaigns.get('q2')).status).toBe('paused')
  })

  it('never redirects outside the board, whatever `back` says', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const { cookie, token } = await session(board)
    for (const back of [
      'https://evil.example/',
      '//evil.example/board/x',
      '/elsewhere',
      '/board\\@evil.example',
    ])
      for (const verb of ['pause', 'resume']) {
        const response = await post(board, `/board/campaigns/q2/${verb}`, { _csrf: token, back }, { cookie })
        expect(response.status).toBe(303)
        expect(response.headers.get('location')).toBe(`/board/campaigns/q2?done=campaign-${verb}d`)
      }
  })

  it('sets the token cookie HttpOnly, SameSite=Strict, on the board’s path, and a strict Content-Security-Policy', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board' })
    const { response } = await session(board)
    const cookie = response.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Path=\/board/)
    const policy = response.headers.get('content-security-policy') ?? ''
    expect(policy).toContain("default-src 'none'")
    expect(policy).toContain("script-src 'self'")
    expect(policy).toContain("form-action 'self'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('refuses a form body larger than 512 KB', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board', authorize: () => true })
    const { cookie, token } = await session(board)
    const response = await post(
      board,
      '/board/campaigns/q2/pause',
      { _csrf: token, filler: 'x'.repeat(600_000) },
      { cookie },
    )
    expect(response.status).toBe(413)
    expect((await engine.campaigns.get('q2')).status).toBe('running')
  })
})

describe('authorize', () => {
  it('gets the request and the action, and its answer decides', async () => {
    const { engine, clock } = await smallWorkspace()
    const seen: BoardAction[] = []
    const board = createBoard({
      engine,
      clock,
      basePath: '/board',
      authorize: (request, action) => {
        seen.push(action)
        return request.headers.get('cookie')?.includes('role=admin') === true
      },
    })
    const { cookie, token } = await session(board)
    const asViewer = await post(board, '/board/campaigns/q2/leads/lead-1/pause', { _csrf: token }, { cookie })
    expect(asViewer.status).toBe(403)
    expect(await asViewer.text()).toContain('not allowed to pause this lead')
    const asAdmin = await post(
      board,
      '/board/campaigns/q2/leads/lead-1/pause',
      { _csrf: token },
      { cookie: `${cookie}; role=admin` },
    )
    expect(asAdmin.status).toBe(303)
    expect((await engine.leads.get('q2', 'lead-1')).status).toBe('paused')
    expect(seen).toContainEqual({ type: 'pause-lead', campaignId: 'q2', leadId: 'lead-1' })
  })

  it('failing is a 500 reported to onError, and nothing is done', async () => {
    const { engine, clock } = await smallWorkspace()
    const reported: unknown[] = []
    const board = createBoard({
      engine,
      clock,
      basePath: '/board',
      authorize: () => {
        throw new Error('session store down')
      },
      onError: (error) => reported.push(error),
    })
    const { cookie, token } = await session(board, '/board/campaigns')
    const response = await post(board, '/board/campaigns/q2/pause', { _csrf: token }, { cookie })
    expect(response.status).toBe(500)
    expect(await response.text()).not.toContain('session store down')
    expect(String(reported[0])).toContain('session store down')
    expect((await engine.campaigns.get('q2')).status).toBe('running')
  })
})

describe('your data is text', () => {
  it('escapes a campaign name written as markup on every page that shows it', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board' })
    for (const path of ['/board/campaigns', '/board/campaigns/q2', '/board/campaigns/q2/leads/lead-1']) {
      const text = await (await board.fetch(new Request(`${ORIGIN}${path}`))).text()
      expect(text).not.toContain('<script>window.__pwned')
      expect(text).toContain('&lt;script&gt;window.__pwned')
    }
    expect(HOSTILE_NAME).toContain('<script>')
  })
})

describe('pages that do not exist', () => {
  it('answers 404 for an unknown campaign, lead or conversation, and 400 for an unknown filter', async () => {
    const { engine, clock } = await smallWorkspace()
    const board = createBoard({ engine, clock, basePath: '/board' })
    for (const path of [
      '/board/campaigns/nope',
      '/board/campaigns/q2/leads/nope',
      '/board/conversations/cv-nope',
      '/board/nowhere',
    ])
      expect((await board.fetch(new Request(`${ORIGIN}${path}`))).status).toBe(404)
    const bad = await board.fetch(new Request(`${ORIGIN}/board/campaigns/q2?status=sleeping`))
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('status')
  })
})

describe('createBoard options', () => {
  it('refuses what it cannot use, naming the field', async () => {
    const { engine } = await smallWorkspace()
    const attempt = (options: unknown) => {
      try {
        createBoard(options as Parameters<typeof createBoard>[0])
        return undefined
      } catch (error) {
        expect(error).toBeInstanceOf(PacelineError)
        expect((error as PacelineError).code).toBe('invalid_options')
        return (error as PacelineError).message
      }
    }
    expect(attempt({ engine: {} })).toContain('engine')
    expect(attempt({ engine, basePath: 'board' })).toContain('basePath')
    expect(attempt({ engine, timeZone: 'Mars/Olympus' })).toContain('timeZone')
    expect(attempt({ engine, authorize: true })).toContain('authorize')
    expect(attempt({ engine, trustedOrigins: ['https://app.example.com/path'] })).toContain('trustedOrigins')
    expect(attempt({ engine, authorise: () => true })).toContain('authorise')
    expect(attempt({ engine, basePath: '/board/' })).toBeUndefined()
  })
})
