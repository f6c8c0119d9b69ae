import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'

/** The connected app paceline refreshes access tokens with (OAuth 2.0 refresh token flow). */
export interface SalesforceOAuthOptions {
  /**
   * Where the token endpoint (`/services/oauth2/token`) is. Default `https://login.salesforce.com`; use
   * `https://test.salesforce.com` for a sandbox, or the org's My Domain URL.
   */
  readonly loginUrl?: string
  /** The connected app's consumer key. */
  readonly clientId: string
  /** The connected app's consumer secret. */
  readonly clientSecret: string
  /** A refresh token issued to the integration user for this connected app. */
  readonly refreshToken: string
}

export interface CreateSalesforceCrmOptions {
  /** The org's My Domain URL, such as `https://acme.my.salesforce.com` (not a `lightning.force.com` URL). */
  readonly instanceUrl: string
  /** An access token (session id). Exactly one of `accessToken` and `oauth`; it is not refreshed. */
  readonly accessToken?: string
  /** A connected app and refresh token. Exactly one of `accessToken` and `oauth`; the token is refreshed. */
  readonly oauth?: SalesforceOAuthOptions
  /** Called with each new access token after a refresh (to keep it, for example). Never logged. */
  readonly onTokenRefresh?: (accessToken: string) => void
  /** The REST API version. Default `62.0` (Winter '25). */
  readonly apiVersion?: string
  /** Which Salesforce object paceline's `contact` is. Default `Contact`. */
  readonly personObject?: 'Contact' | 'Lead'
  /**
   * Requests per second this process sends to the org for one user (every CRM created for the same
   * instance, user and rate shares one limiter), at most 10 at once. Default 20. Salesforce counts API
   * requests per rolling 24 hours for the whole org; this only spreads them out.
   */
  readonly requestsPerSecond?: number
  /** Retries of a request Salesforce did not carry out (row lock, 503, a read that timed out). Default 3. */
  readonly maxRetries?: number
  /** The first retry waits about this long; each next one twice as long. Default 500 ms. */
  readonly retryBaseMs?: number
  /** Give up waiting for an answer after this long. Default 30,000 ms. */
  readonly timeoutMs?: number
  /**
   * The External ID field (Text(255), Unique) that stores each create's idempotency key on the person
   * object, Account and Task. Default `Paceline_Idempotency_Key__c`; `false` stores none (see the README).
   */
  readonly idempotencyField?: string | false
  /** The Task status of an open task. Default `Not Started`. */
  readonly openTaskStatus?: string
  /** The Task status `completeTask` and `logActivity` write. Default `Completed`. */
  readonly completedTaskStatus?: string
}

/** The options with every default filled in. */
export interface ResolvedSalesforceCrmOptions {
  readonly instanceUrl: string
  readonly accessToken: string | undefined
  readonly oauth: Required<SalesforceOAuthOptions> | undefined
  readonly onTokenRefresh: ((accessToken: string) => void) | undefined
  readonly apiVersion: string
  readonly personObject: 'Contact' | 'Lead'
  readonly requestsPerSecond: number
  readonly maxRetries: number
  readonly retryBaseMs: number
  readonly timeoutMs: number
  readonly idempotencyField: string | false
  readonly openTaskStatus: string
  readonly completedTaskStatus: string
}

const required = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => value !== '', { message: `is required: ${what}` })

const httpUrl = z.url({ protocol: /^https?$/ })

const oauth = z.strictObject({
  loginUrl: httpUrl.optional(),
  clientId: required("the connected app's consumer key"),
  clientSecret: required("the connected app's consumer secret"),
  refreshToken: required('a refresh token issued to the integration user'),
})

const schema = z
  .strictObject({
    instanceUrl: httpUrl.refine((url) => !/\.lightning\.force\.com$/i.test(new URL(url).hostname), {
      message:
        'is a Lightning URL: use the My Domain URL of the org (https://<domain>.my.salesforce.com, in Setup > My Domain)',
    }),
    accessToken: required('an access token (session id) of the integration user').optional(),
    oauth: oauth.optional(),
    onTokenRefresh: z
      .custom<(accessToken: string) => void>((value) => typeof value === 'function', {
        message: 'must be a function',
      })
      .optional(),
    apiVersion: z
      .string()
      .refine((version) => /^\d{2,3}\.0$/.test(version), {
        message: 'must be a REST API version such as 62.0',
      })
      .optional(),
    personObject: z.enum(['Contact', 'Lead']).optional(),
    requestsPerSecond: z.number().positive().max(1_000).optional(),
    maxRetries: z.number().int().min(0).max(10).optional(),
    retryBaseMs: z.number().int().min(0).max(60_000).optional(),
    timeoutMs: z.number().int().min(10).max(600_000).optional(),
    idempotencyField: z
      .union([
        z.string().refine((name) => /^[A-Za-z][A-Za-z0-9_]*__c$/.test(name), {
          message: 'must be the API name of a custom field (ending in __c)',
        }),
        z.literal(false),
      ])
      .optional(),
    openTaskStatus: required('a Task status').optional(),
    completedTaskStatus: required('a Task status').optional(),
  })
  .superRefine((options, context) => {
    const given = [options.accessToken, options.oauth].filter((each) => each !== undefined).length
    if (given !== 1)
      context.addIssue({
        code: 'custom',
        path: given === 0 ? ['accessToken'] : ['oauth'],
        message:
          given === 0
            ? 'is required, or oauth: give an access token, or a connected app with a refresh token'
            : 'cannot be given with accessToken: give exactly one of them',
      })
  })

/** Validates the options of `createSalesforceCrm` and fills in the defaults. */
export function parseSalesforceCrmOptions(options: unknown): ResolvedSalesforceCrmOptions {
  const result = schema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'createSalesforceCrm options',
      result.error,
    )
  const parsed = result.data
  return {
    instanceUrl: parsed.instanceUrl.replace(/\/+$/, ''),
    accessToken: parsed.accessToken,
    oauth:
      parsed.oauth === undefined
        ? undefined
        : {
            loginUrl: (parsed.oauth.loginUrl ?? 'https://login.salesforce.com').replace(/\/+$/, ''),
            clientId: parsed.oauth.clientId,
            clientSecret: parsed.oauth.clientSecret,
            refreshToken: parsed.oauth.refreshToken,
          },
    onTokenRefresh: parsed.onTokenRefresh,
    apiVersion: parsed.apiVersion ?? '62.0',
    personObject: parsed.personObject ?? 'Contact',
    requestsPerSecond: parsed.requestsPerSecond ?? 20,
    maxRetries: parsed.maxRetries ?? 3,
    retryBaseMs: parsed.retryBaseMs ?? 500,
    timeoutMs: parsed.timeoutMs ?? 30_000,
    idempotencyField: parsed.idempotencyField ?? 'Paceline_Idempotency_Key__c',
    openTaskStatus: parsed.openTaskStatus ?? 'Not Started',
    completedTaskStatus: parsed.completedTaskStatus ?? 'Completed',
  }
}
