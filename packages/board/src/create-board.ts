import type { IncomingMessage, ServerResponse } from 'node:http'
import { getRequestListener } from '@hono/node-server'
import { PacelineError } from '@paceline/core'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie, setCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { boardActions } from './actions/board-actions'
import { type BoardOptions, parseBoardOptions } from './board-options'
import { type BoardContext, type BoardSettings, boardContext } from './http/board-context'
import { BOARD_ICON, BOARD_SCRIPT } from './http/board-script'
import { BOARD_STYLE } from './http/board-style'
import { CSRF_COOKIE, isCsrfToken, newCsrfToken } from './http/csrf'
import { problemPage } from './http/layout'
import { boardPages } from './http/page-routes'

export interface Board {
  /** The board as a fetch handler: Hono, Bun, Deno, Next.js route handlers, Cloudflare-style runtimes. */
  readonly fetch: (request: Request) => Promise<Response>
  /**
   * The board as a Node.js request listener: `http.createServer(board.node)`, or Express's
   * `app.use('/board', board.node)` (the mount path is read from Express's `originalUrl`).
   */
  readonly node: (request: IncomingMessage, response: ServerResponse) => Promise<void>
}

type BoardEnv = { Variables: { board: BoardContext } }

/** Largest form the board accepts: an answer of 100,000 characters and the rest. */
const BODY_LIMIT = 512 * 1024

/**
 * A dashboard for your engine, to mount on your own server behind your own authentication:
 *
 * ```ts
 * const board = createBoard({ engine, basePath: '/board', authorize: (request, action) => isAdmin(request) })
 * http.createServer(board.node).listen(3000)
 * ```
 *
 * Pages are drawn on the server and work without JavaScript; every asset is served by the board itself. It
 * is read-only unless `authorize` allows an action; every action is a POST checked against CSRF first.
 */
export function createBoard(options: BoardOptions): Board {
  const parsed = parseBoardOptions(options)
  const clock = parsed.clock
  const settings: BoardSettings = {
    ...parsed,
    now: clock === undefined ? () => Date.now() : () => new Date(clock.now()).getTime(),
  }
  const report = parsed.onError ?? ((error: unknown) => console.error('@paceline/board:', error))
  const root = new Hono<BoardEnv>()
  const app = settings.basePath === '' ? root : root.basePath(settings.basePath)

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        frameAncestors: ["'self'"],
      },
      crossOriginEmbedderPolicy: false,
      // Not Hono's `no-referrer`: under it, browsers send `Origin: null` with the board's own forms, and the
      // cross-site check could no longer tell them from another site's.
      referrerPolicy: 'same-origin',
    }),
  )
  app.use(bodyLimit({ maxSize: BODY_LIMIT }))
  // Every request gets the page context; a browser without the CSRF cookie gets one with its first page.
  app.use(async (c, next) => {
    const existing = getCookie(c, CSRF_COOKIE)
    const token = isCsrfToken(existing) ? existing : newCsrfToken()
    c.set('board', boardContext(settings, c.req.raw, token))
    await next()
    if (token !== existing)
      setCookie(c, CSRF_COOKIE, token, {
        path: settings.basePath === '' ? '/' : settings.basePath,
        httpOnly: true,
        sameSite: 'Strict',
        secure: new URL(c.req.url).protocol === 'https:',
      })
    if (c.res.headers.get('content-type')?.startsWith('text/html')) c.header('Cache-Control', 'no-store')
  })

  const asset = (body: string, type: string) => (c: Context) =>
    c.body(body, 200, { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' })
  app.get('/assets/board.css', asset(BOARD_STYLE, 'text/css; charset=utf-8'))
  app.get('/assets/board.js', asset(BOARD_SCRIPT, 'text/javascript; charset=utf-8'))
  app.get('/assets/icon.svg', asset(BOARD_ICON, 'image/svg+xml'))

  boardPages(app)
  boardActions(app)

  root.notFound(async (c) => {
    const board = c.get('board') ?? boardContext(settings, c.req.raw, newCsrfToken())
    return c.html(
      await problemPage(board, 'Not found', 'There is no such page on this board.', board.href('/campaigns')),
      404,
    )
  })
  root.onError(async (error, c) => {
    const board = c.get('board') ?? boardContext(settings, c.req.raw, newCsrfToken())
    // Hono's own refusals, such as a body over the limit (413).
    if (error instanceof HTTPException) return error.getResponse()
    if (error instanceof PacelineError && error.code === 'not_found')
      return c.html(await problemPage(board, 'Not found', error.message, board.href('/campaigns')), 404)
    if (error instanceof PacelineError && error.code.startsWith('invalid_'))
      return c.html(await problemPage(board, 'Not valid', error.message, board.href('/campaigns')), 400)
    report(error)
    return c.html(
      await problemPage(
        board,
        'Something went wrong',
        'The board could not answer this request; the error was reported to the host.',
        board.href('/campaigns'),
      ),
      500,
    )
  })

  const fetch = async (request: Request) => root.fetch(request)
  const listener = getRequestListener(fetch, { overrideGlobalObjects: false })
  return {
    fetch,
    node: (request, response) => {
      // Express strips its mount path from `url` and keeps the whole path in `originalUrl`.
      const original = (request as IncomingMessage & { originalUrl?: string }).originalUrl
      if (typeof original === 'string') request.url = original
      return listener(request, response)
    },
  }
}
