import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'

export interface CreateUnipileProviderOptions {
  /**
   * The DSN of your Unipile instance, as the dashboard shows it: `api8.unipile.com:13851`. A scheme
   * (`https://…`) and a trailing `/api/v1` are accepted too; without a scheme, https is used.
   */
  readonly dsn: string
  /** An access token from the Unipile dashboard; sent as `X-API-KEY`. */
  readonly apiKey: string
  /** Default the global fetch. Also used to download attachments and voice messages given by URL. */
  readonly fetch?: typeof fetch
  /**
   * The shared secret your Unipile webhooks carry in a custom header (Unipile lets the creator of a webhook
   * add headers: `headers: [{ key: 'Unipile-Auth', value: '<secret>' }]`). Without it the provider reads no
   * webhooks and the channel polls instead. At least 16 characters.
   */
  readonly webhookSecret?: string
  /**
   * Signs the token `connect.createHostedLink` puts in the notify URL, which `connect.readNotification`
   * checks (Unipile signs nothing). Default `webhookSecret`. At least 16 characters.
   */
  readonly connectSecret?: string
  /** The header that carries `webhookSecret`. Default `Unipile-Auth`. */
  readonly webhookSecretHeader?: string
  /**
   * Requests a minute for this API key, spaced evenly. Default 120. Unipile's v1 documentation states no
   * per-key figure: LinkedIn's own limits are per account and are the engine's business limits.
   */
  readonly requestsPerMinute?: number
  /** Unipile acts on LinkedIn live (uploads included); give up waiting after this long. Default 60,000 ms. */
  readonly timeoutMs?: number
  /** A Retry-After up to this long is waited out in the transport, longer goes back to the engine. Default 60,000 ms. */
  readonly maxRetryAfterMs?: number
  /** Pages read at most per listing (chats, invitations, relations). Default 20. */
  readonly maxPages?: number
}

const isFunction = (value: unknown) => typeof value === 'function'

/** `api8.unipile.com:13851`, `https://api8.unipile.com:13851/`, `http://127.0.0.1:4000/api/v1` -> the API root. */
export function unipileBaseUrl(dsn: string): string | undefined {
  const trimmed = dsn.trim().replace(/\/+$/, '')
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return undefined
  }
  const path = url.pathname.replace(/\/+$/, '')
  if (!['http:', 'https:'].includes(url.protocol) || (path !== '' && path !== '/api/v1')) return undefined
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return undefined
  return `${url.origin}/api/v1`
}

const schema = z.strictObject({
  dsn: z
    .string()
    .trim()
    .min(1, 'is required: the DSN from the Unipile dashboard, like api8.unipile.com:13851')
    .refine((value) => unipileBaseUrl(value) !== undefined, {
      message: 'must be a host and port like api8.unipile.com:13851 (optionally with https:// in front)',
    }),
  apiKey: z.string().trim().min(1, 'is required: an access token from the Unipile dashboard'),
  fetch: z.custom<typeof fetch>(isFunction, { message: 'must be a fetch function' }).optional(),
  webhookSecret: z
    .string()
    .min(
      16,
      'must be at least 16 characters: use a long random value, it is all that proves a webhook is Unipile',
    )
    .optional(),
  connectSecret: z
    .string()
    .min(
      16,
      'must be at least 16 characters: use a long random value, it is what proves a notification genuine',
    )
    .optional(),
  webhookSecretHeader: z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name, like Unipile-Auth')
    .optional(),
  requestsPerMinute: z.number().int().min(1).max(6_000).optional(),
  timeoutMs: z.number().int().min(1_000).max(600_000).optional(),
  maxRetryAfterMs: z.number().int().min(0).optional(),
  maxPages: z.number().int().min(1).max(1_000).optional(),
})

/** Checks `createUnipileProvider` options, naming each field that is wrong and the rule. */
export function parseUnipileProviderOptions(options: unknown): CreateUnipileProviderOptions {
  const result = schema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createUnipileProvider options',
      result.error,
    )
  return result.data
}
