import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'
import { setupAnswer } from '../../connect/setup-failure'
import type { ProviderHttp } from '../../transport/provider-http'

/** A new Edges identity: one of your users, to connect a LinkedIn account to. */
export interface EdgesIdentityInput {
  /** Your reference for the user (a paceline identity id, a name, or both). */
  readonly name: string
  /**
   * A canonical IANA time zone (`Europe/Madrid`, not an alias such as `Europe/Kiev`). Edges provisions a
   * proxy in that country: use the one where the person logs into LinkedIn.
   */
  readonly timezone: string
  /** `standard` (default) or `engagement` (outreach actions without credits, billed monthly); fixed at creation. */
  readonly type?: 'standard' | 'engagement'
}

export interface EdgesIdentity {
  /** What paceline uses as the identity's LinkedIn `accountId` with this provider. */
  readonly identityUid: string
  readonly name: string
  readonly timezone?: string
  readonly type: 'standard' | 'engagement'
}

/** A LinkedIn account to connect to an Edges identity, by the session cookies of a browser where it is logged in. */
export interface EdgesIntegrationInput {
  readonly identityUid: string
  /** LinkedIn's `li_at` cookie, and `li_a` for Sales Navigator. */
  readonly cookies: { readonly liAt: string; readonly liA?: string }
  /** A name for the integration in Edges. */
  readonly accountName?: string
}

export interface EdgesIntegration {
  readonly integrationUid: string
  readonly identityUid: string
  /**
   * `VALID`: ready; `INVALID`: LinkedIn refused the session (collect fresh cookies); `PENDING`: Edges is
   * still checking it; `LIMIT_REACHED`: the workspace has no integration left.
   */
  readonly status: 'VALID' | 'INVALID' | 'PENDING' | 'LIMIT_REACHED'
  readonly name?: string
  /** LinkedIn's product level, such as `Classic` or `Sales Navigator`. */
  readonly level?: string
}

/** Creating Edges identities and connecting LinkedIn to them (the API's Create an Identity and Connect Integration). */
export interface EdgesConnect {
  /** `POST /identities`. */
  createIdentity(input: EdgesIdentityInput): Promise<EdgesIdentity>
  /** `POST /identities/{identity_uid}/integrations/linkedin`; again with fresh cookies to reconnect. */
  connectIntegration(input: EdgesIntegrationInput): Promise<EdgesIntegration>
}

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return value.includes('/') || value === 'UTC'
  } catch {
    return false
  }
}

const identitySchema = z.strictObject({
  name: z.string().trim().min(1, 'is required: your reference for the user').max(200),
  timezone: z.string().refine(isTimeZone, { message: 'must be an IANA time zone, like Europe/Madrid' }),
  type: z.enum(['standard', 'engagement']).optional(),
})

const cookie = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .regex(/^[\x21-\x7e]+$/, 'must be the cookie value as the browser shows it (no spaces or quotes)')

const integrationSchema = z.strictObject({
  identityUid: z.uuid('must be the uid Edges gave the identity'),
  cookies: z.strictObject({ liAt: cookie, liA: cookie.optional() }),
  accountName: z.string().trim().min(1).max(200).optional(),
})

const identityAnswer = z.looseObject({
  uid: z.string().min(1).optional(),
  id: z.string().min(1).optional(),
  name: z.string().optional().nullable(),
  timezone: z.string().optional().nullable(),
  type: z.enum(['standard', 'engagement']).optional().nullable(),
})

const integrationAnswer = z.looseObject({
  uid: z.string().min(1),
  identity_uid: z.string().min(1),
  status: z.enum(['VALID', 'INVALID', 'PENDING', 'LIMIT_REACHED']),
  name: z.string().optional().nullable(),
  level: z.string().optional().nullable(),
})

const detailOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null)
    return typeof body === 'string' && body !== '' ? body : undefined
  const error = body as { error_label?: unknown; message?: unknown }
  const words = [error.error_label, error.message].filter((each) => typeof each === 'string' && each !== '')
  return words.length === 0 ? undefined : words.join(': ')
}

function parse<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  const parsed = schema.safeParse(input, { reportInput: true })
  if (!parsed.success) throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, subject, parsed.error)
  return parsed.data
}

const unreadable = (what: string, body: unknown) =>
  new PacelineError(
    PacelineErrorCodes.channelFailed,
    `Edges ${what}: the answer is not the documented shape.`,
    {
      cause: body,
      isRetryable: false,
    },
  )

export function edgesConnect(http: ProviderHttp): EdgesConnect {
  return {
    async createIdentity(input) {
      const identity = parse(identitySchema, input, 'edges.connect.createIdentity input')
      const type = identity.type ?? 'standard'
      const answer = setupAnswer(
        // A second identity would be a second license (and, for engagement ones, a second bill): never resent.
        { vendor: 'Edges', what: 'create an identity', repeatable: false, detailOf },
        await http.request({
          method: 'POST',
          path: '/identities',
          body: { name: identity.name, timezone: identity.timezone, type },
        }),
      )
      const created = identityAnswer.safeParse(answer)
      const uid = created.success ? (created.data.uid ?? created.data.id) : undefined
      if (!created.success || uid === undefined) throw unreadable('create an identity', answer)
      return {
        identityUid: uid,
        name: created.data.name ?? identity.name,
        timezone: created.data.timezone ?? identity.timezone,
        type: created.data.type ?? type,
      }
    },

    async connectIntegration(input) {
      const integration = parse(integrationSchema, input, 'edges.connect.connectIntegration input')
      const answer = setupAnswer(
        // Connecting again updates the same integration: safe to repeat.
        { vendor: 'Edges', what: 'connect the LinkedIn integration', repeatable: true, detailOf },
        await http.request({
          method: 'POST',
          path: `/identities/${encodeURIComponent(integration.identityUid)}/integrations/linkedin`,
          body: {
            auth_data: {
              cookies: {
                li_at: integration.cookies.liAt,
                ...(integration.cookies.liA === undefined ? {} : { li_a: integration.cookies.liA }),
              },
            },
            ...(integration.accountName === undefined ? {} : { account_name: integration.accountName }),
          },
        }),
      )
      const connected = integrationAnswer.safeParse(answer)
      if (!connected.success) throw unreadable('connect the LinkedIn integration', answer)
      return {
        integrationUid: connected.data.uid,
        identityUid: connected.data.identity_uid,
        status: connected.data.status,
        ...(connected.data.name == null ? {} : { name: connected.data.name }),
        ...(connected.data.level == null ? {} : { level: connected.data.level }),
      }
    },
  }
}
