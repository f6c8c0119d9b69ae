import type { Engine } from '@paceline/core'
import type { Authorize, BoardAction } from '../board-action'

/** The board's settings, validated once by `createBoard`. */
export interface BoardSettings {
  readonly engine: Engine
  /** '' for the root, else '/board' style: where the board is mounted. */
  readonly basePath: string
  readonly authorize?: Authorize
  readonly timeZone: string
  readonly title: string
  readonly now: () => number
  readonly trustedOrigins: readonly string[]
}

/** One request as the pages see it. */
export interface BoardContext {
  readonly settings: BoardSettings
  readonly engine: Engine
  readonly request: Request
  readonly url: URL
  /** The token the page's forms carry. */
  readonly csrfToken: string
  /** The engine's time now (the board's clock). */
  readonly now: number
  /** A path inside the board: `href('/campaigns/q2')` is `/board/campaigns/q2`. */
  href(path: string): string
  /** Whether `authorize` allows the action; always false on a read-only board. */
  can(action: BoardAction): Promise<boolean>
}

export function boardContext(settings: BoardSettings, request: Request, csrfToken: string): BoardContext {
  const href = (path: string) => `${settings.basePath}${path}`
  return {
    settings,
    engine: settings.engine,
    request,
    url: new URL(request.url),
    csrfToken,
    now: settings.now(),
    href,
    can: async (action) =>
      settings.authorize === undefined ? false : (await settings.authorize(request, action)) === true,
  }
}

/** A path segment from user data (an id), encoded for a URL. */
export function segment(value: string): string {
  return encodeURIComponent(value)
}
