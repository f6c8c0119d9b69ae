import {
  canonicalTimeZone,
  type Engine,
  type EngineClock,
  PacelineError,
  PacelineErrorCodes,
} from '@paceline/core'
import { z } from 'zod'
import type { Authorize } from './board-action'

export interface BoardOptions {
  /** The engine `createEngine` returned. */
  readonly engine: Engine
  /** Where you mount the board, such as `/board`. Default: the root. */
  readonly basePath?: string
  /**
   * Decides each action a person asks for (pause, resume, retry, send an answer, tag). Without it the
   * board is read-only: no action button is drawn and every POST is refused.
   */
  readonly authorize?: Authorize
  /** The clock the board reads "now" from: pass the engine's when it runs in virtual time. Default: the system's. */
  readonly clock?: EngineClock
  /** The IANA time zone times are shown in (identities' pages use each identity's own). Default `UTC`. */
  readonly timeZone?: string
  /** The name in the navigation bar and the tab. Default `paceline`. */
  readonly title?: string
  /**
   * Origins besides the request's own whose forms may post, such as your public `https://app.example.com`
   * when a proxy in front of the board changes the host it sees.
   */
  readonly trustedOrigins?: readonly string[]
  /** Told about each failure the board answers with a 500 (to log it). Default: `console.error`. */
  readonly onError?: (error: unknown) => void
}

const functionNamed = <T>(what: string) =>
  z.custom<T>((value) => typeof value === 'function', { message: `must be a function (${what})` })

const timeZone = z.string().refine((name) => canonicalTimeZone(name) !== null, {
  message: 'must be an IANA time zone such as "Europe/Madrid" or "UTC"',
})

const optionsSchema = z.strictObject({
  engine: z.custom<Engine>(
    (value) => {
      const engine = value as Partial<Engine> | null
      return (
        typeof engine === 'object' &&
        engine !== null &&
        typeof engine.campaigns?.list === 'function' &&
        typeof engine.conversations?.list === 'function' &&
        typeof engine.analytics?.campaign === 'function'
      )
    },
    { message: 'must be the engine createEngine returned' },
  ),
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)*\/?$/, {
      message: 'must be a path such as "/board" (letters, digits, "._~-" between slashes)',
    })
    .transform((path) => path.replace(/\/$/, ''))
    .default(''),
  authorize: functionNamed<Authorize>('(request, action) => boolean').optional(),
  clock: z
    .custom<NonNullable<BoardOptions['clock']>>(
      (value) => typeof (value as { now?: unknown } | null)?.now === 'function',
      { message: 'must have a now() method returning a Date or epoch milliseconds' },
    )
    .optional(),
  timeZone: timeZone.default('UTC'),
  title: z.string().trim().min(1).max(100).default('paceline'),
  trustedOrigins: z
    .array(
      z.url({ protocol: /^https?$/ }).refine((url) => new URL(url).origin === url, {
        message: 'must be an origin only, such as "https://app.example.com" (no path or trailing slash)',
      }),
    )
    .default([]),
  onError: functionNamed<(error: unknown) => void>('(error) => void').optional(),
})

export type ParsedBoardOptions = z.output<typeof optionsSchema>

/** Checks `createBoard`'s options: `invalid_options`, naming each wrong field. */
export function parseBoardOptions(options: BoardOptions): ParsedBoardOptions {
  const result = optionsSchema.safeParse(options)
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'createBoard options', result.error)
  return result.data
}
