import type { Agent as HttpAgent } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'

/** An association type as HubSpot's associations v4 API names it. */
export interface HubspotAssociationType {
  /** `HUBSPOT_DEFINED` for HubSpot's own types, `USER_DEFINED` for a label created in the account. */
  readonly category: 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED'
  readonly typeId: number
}

export interface CreateHubspotCrmOptions {
  /** A private app's access token (`pat-…`), or an OAuth access token. Sent as `Authorization: Bearer`. */
  readonly accessToken: string
  /** Default `https://api.hubapi.com`. Tests point it at a local stand-in. */
  readonly basePath?: string
  /**
   * Requests per rolling 10 seconds for this access token. Default 100: HubSpot's burst limit for private
   * apps is 100 per 10 s on Free and Starter accounts and 190 on Professional and Enterprise (250 with the
   * API limit increase). Every CRM created with the same token and value shares one limiter.
   */
  readonly requestsPerTenSeconds?: number
  /** CRM search requests per second (HubSpot limits search separately and more tightly). Default 4. */
  readonly searchRequestsPerSecond?: number
  /** Retries of a request HubSpot did not carry out (429, 5xx, a dropped connection) before giving up. Default 4. */
  readonly maxRetries?: number
  /** Give up waiting for an answer after this long. Default 30,000 ms. */
  readonly timeoutMs?: number
  /**
   * The property that stores each create's idempotency key on contacts, companies, notes, emails,
   * communications and tasks (create it first: see the README). Default `paceline_idempotency_key`;
   * `false` stores no key (a create whose answer was lost is then reported, never repeated).
   */
  readonly idempotencyProperty?: string | false
  /** The association types written by `associate`. Default HubSpot's own: primary 1, unlabeled 279. */
  readonly contactCompanyAssociation?: {
    readonly primary?: HubspotAssociationType
    readonly additional?: HubspotAssociationType
  }
  /** An HTTP agent for every request (keep-alive, a proxy). The HubSpot client sends with its own fetch. */
  readonly httpAgent?: HttpAgent | HttpsAgent
}

const isObject = (value: unknown) => typeof value === 'object' && value !== null

const associationType = z.strictObject({
  category: z.enum(['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED']),
  typeId: z.number().int().positive(),
})

const schema = z.strictObject({
  accessToken: z
    .string()
    .trim()
    .refine((token) => token !== '', {
      message:
        'is required: the access token of a HubSpot private app (Settings > Integrations > Private Apps)',
    }),
  basePath: z.url({ protocol: /^https?$/ }).optional(),
  requestsPerTenSeconds: z.number().int().min(1).max(100_000).optional(),
  searchRequestsPerSecond: z.number().int().min(1).max(10_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  timeoutMs: z.number().int().min(10).max(600_000).optional(),
  idempotencyProperty: z
    .union([
      z
        .string()
        .regex(
          /^[a-z][a-z0-9_]*$/,
          'must be a HubSpot internal property name (lowercase letters, digits and _)',
        ),
      z.literal(false),
    ])
    .optional(),
  contactCompanyAssociation: z
    .strictObject({ primary: associationType.optional(), additional: associationType.optional() })
    .optional(),
  httpAgent: z.custom<HttpAgent | HttpsAgent>(isObject, { message: 'must be an http.Agent' }).optional(),
  // Named so that passing it gets a reason, not "unrecognized key".
  fetch: z
    .custom<never>(() => false, {
      message:
        'is not supported: @hubspot/api-client 13.5 sends every request with its own node-fetch; pass httpAgent for a proxy or keep-alive',
    })
    .optional(),
})

export function parseHubspotCrmOptions(options: unknown): CreateHubspotCrmOptions {
  const result = schema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'createHubspotCrm options', result.error)
  const { fetch: _fetch, ...options_ } = result.data
  return options_ as CreateHubspotCrmOptions
}
