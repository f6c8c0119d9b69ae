import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'

export interface CreateEdgesProviderOptions {
  /** From Edges' Developer Settings; sent as `X-API-Key`. */
  readonly apiKey: string
  /** Default `https://api.edges.run/v1`. */
  readonly baseUrl?: string
  /** Default the global fetch. */
  readonly fetch?: typeof fetch
  /** Edges' global limit for the API key. Default 120 (the documented default). */
  readonly requestsPerMinute?: number
  /** Live LinkedIn actions take seconds; give up waiting after this long. Default 120,000 ms. */
  readonly timeoutMs?: number
  /** A Retry-After up to this long is waited out in the transport, longer goes back to the engine. Default 60,000 ms. */
  readonly maxRetryAfterMs?: number
  /** Pages read at most per listing (conversations, invitations, connections). Default 20. */
  readonly maxPages?: number
}

const isFunction = (value: unknown) => typeof value === 'function'

const schema = z.strictObject({
  apiKey: z.string().trim().min(1, 'is required: the API key from Edges Developer Settings'),
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  fetch: z.custom<typeof fetch>(isFunction, { message: 'must be a fetch function' }).optional(),
  requestsPerMinute: z.number().int().min(1).max(6_000).optional(),
  timeoutMs: z.number().int().min(1_000).max(600_000).optional(),
  maxRetryAfterMs: z.number().int().min(0).optional(),
  maxPages: z.number().int().min(1).max(1_000).optional(),
})

export function parseEdgesProviderOptions(options: unknown): CreateEdgesProviderOptions {
  const result = schema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createEdgesProvider options',
      result.error,
    )
  return result.data
}
