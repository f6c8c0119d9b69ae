import { PacelineError } from '@paceline/core'
import type { Context } from 'hono'
import { getCookie } from 'hono/cookie'
import type { BoardAction } from '../board-action'
import type { BoardContext } from '../http/board-context'
import { CSRF_COOKIE, CSRF_FIELD, crossSiteReason, sameToken } from '../http/csrf'
import { problemPage } from '../http/layout'

export type Form = Readonly<Record<string, string>>

export interface PostedAction {
  /** What `authorize` is asked about; from the form when it depends on what was posted. */
  readonly action: BoardAction | ((form: Form) => Promise<BoardAction> | BoardAction)
  /** Does it, once allowed; returns the `done` notice, or a refusal to show. */
  readonly run: (form: Form) => Promise<string | { readonly refused: string }>
  /** Where to go after, inside the board, when the form does not say. */
  readonly back: string
}

/**
 * Every POST goes through here, in this order: it must come from the board's own pages (the browser's
 * `Sec-Fetch-Site`/`Origin`, then the CSRF token matching its cookie), then `authorize` must allow the
 * action; only then does the engine act. Success redirects (303) back to the page with a notice.
 */
export async function postAction(c: Context, board: BoardContext, posted: PostedAction): Promise<Response> {
  const crossSite = crossSiteReason(c.req.raw, board.settings.trustedOrigins)
  if (crossSite !== undefined) return refuse(c, board, 403, 'Refused', `Refused: ${crossSite}.`)
  const body = await c.req.parseBody()
  const form: Form = Object.fromEntries(
    Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  )
  if (!sameToken(getCookie(c, CSRF_COOKIE), form[CSRF_FIELD]))
    return refuse(
      c,
      board,
      403,
      'Refused',
      'Refused: the form did not carry the board’s security token (CSRF). Reload the page and try again.',
    )
  const back = safeBack(board, form.back, posted.back)
  if (board.settings.authorize === undefined)
    return refuse(
      c,
      board,
      403,
      'Not allowed',
      'This board is read-only: the host has not allowed any action.',
      back,
    )
  const action = typeof posted.action === 'function' ? await posted.action(form) : posted.action
  if (!(await board.can(action)))
    return refuse(c, board, 403, 'Not allowed', `You are not allowed to ${describe(action)}.`, back)
  try {
    const outcome = await posted.run(form)
    if (typeof outcome !== 'string') return refuse(c, board, 400, 'Not done', outcome.refused, back)
    return c.redirect(withNotice(back, outcome), 303)
  } catch (error) {
    if (error instanceof PacelineError)
      return refuse(c, board, error.code === 'not_found' ? 404 : 409, 'Not done', error.message, back)
    throw error
  }
}

async function refuse(
  c: Context,
  board: BoardContext,
  status: 400 | 403 | 404 | 409,
  title: string,
  message: string,
  back?: string,
): Promise<Response> {
  return c.html(await problemPage(board, title, message, back), status)
}

/** The page to come back to: only a path inside the board (never another site). */
function safeBack(board: BoardContext, wanted: string | undefined, fallback: string): string {
  if (wanted === undefined) return board.href(fallback)
  const inside =
    wanted.startsWith(`${board.settings.basePath}/`) &&
    !wanted.startsWith('//') &&
    !/[\\\s]/.test(wanted) &&
    wanted.length <= 2_000
  return inside ? wanted : board.href(fallback)
}

function withNotice(path: string, notice: string): string {
  const url = new URL(path, 'http://board.invalid')
  url.searchParams.set('done', notice)
  return `${url.pathname}${url.search}${url.hash}`
}

function describe(action: BoardAction): string {
  switch (action.type) {
    case 'pause-campaign':
      return 'pause this campaign'
    case 'resume-campaign':
      return 'resume this campaign'
    case 'retry-errors':
      return 'retry leads in error'
    case 'pause-lead':
      return 'pause this lead'
    case 'resume-lead':
      return 'resume this lead'
    case 'approve-suggestion':
      return action.edited ? 'send an edited suggestion' : 'send the suggestion'
    case 'discard-suggestion':
      return 'discard the suggestion'
    case 'reply':
      return 'answer this conversation'
    case 'tag-conversation':
      return 'tag this conversation'
  }
}
