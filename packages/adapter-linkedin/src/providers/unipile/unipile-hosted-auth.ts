import { createHmac, timingSafeEqual } from 'node:crypto'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import { z } from 'zod'
import { setupAnswer } from '../../connect/setup-failure'
import type { ProviderHttp } from '../../transport/provider-http'

/** What a hosted auth link is for: linking a new LinkedIn account, or reconnecting one that was disconnected. */
export interface UnipileHostedLinkInput {
  readonly type: 'create' | 'reconnect'
  /**
   * Your reference for whoever connects (a paceline identity id, say): Unipile hands it back with the
   * account id when the account is connected, so the notification says which identity it belongs to.
   */
  readonly name: string
  /** Where Unipile posts the outcome (https; http only on localhost, for development). */
  readonly notifyUrl: string
  /** When the link stops working: in the future, at most 24 hours ahead (Unipile wants short-lived links). */
  readonly expiresAt: Date | string
  /** Where the person lands after connecting, and after failing to. */
  readonly successRedirectUrl?: string
  readonly failureRedirectUrl?: string
  /** With `type: 'reconnect'` (and only then): the Unipile account id to reconnect. */
  readonly reconnectAccountId?: string
}

export interface UnipileHostedLink {
  /** The page to send the person to: Unipile's wizard (credentials, cookies, 2FA, captchas). */
  readonly url: string
  /** The URL Unipile will notify, as sent: `notifyUrl` with the token that proves a notification genuine. */
  readonly notifyUrl: string
}

/** What a host's route received from Unipile at the notify URL. */
export interface UnipileNotificationRequest {
  /** The URL the request came to (path and query at least: the token is in the query). */
  readonly url: string
  /** The body, as text or already parsed JSON. */
  readonly body: string | unknown
}

/** A connected (or reconnected) account, from a genuine notification: store `accountId` on the identity `name`. */
export interface UnipileAccountConnected {
  readonly ok: true
  readonly event: 'created' | 'reconnected'
  readonly accountId: string
  /** The `name` the link was made with. */
  readonly name: string
}

/** A notification to refuse, with the status to answer (400 unreadable, 401 not genuine, 404 no such account). */
export interface UnipileNotificationRefused {
  readonly ok: false
  readonly status: 400 | 401 | 404 | 503
  readonly message: string
}

/** Connecting LinkedIn accounts through Unipile's hosted auth wizard. */
export interface UnipileConnect {
  /** `POST /hosted/accounts/link`: a link to send the person to. */
  createHostedLink(input: UnipileHostedLinkInput): Promise<UnipileHostedLink>
  /**
   * Reads what Unipile posted to the notify URL: checks the token the link put in that URL (Unipile signs
   * nothing, so the token is what proves the post is Unipile's), then that Unipile knows the account
   * (`GET /accounts/{id}`, a LinkedIn account of this API key).
   */
  readNotification(
    request: UnipileNotificationRequest,
  ): Promise<UnipileAccountConnected | UnipileNotificationRefused>
}

/** The query parameter that carries the notification token. */
export const UNIPILE_NOTIFY_TOKEN_PARAMETER = 'paceline_token'
const MAX_LINK_LIFETIME_MS = 24 * 3_600_000

const webUrl = () =>
  z.url({ protocol: /^https?$/ }).refine(
    (value) => {
      const url = new URL(value)
      return url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)
    },
    { message: 'must use https (plain http only on localhost)' },
  )

const linkSchema = z
  .strictObject({
    type: z.enum(['create', 'reconnect']),
    name: z.string().trim().min(1, 'is required: your reference for whoever connects').max(200),
    notifyUrl: webUrl(),
    expiresAt: z.union([z.iso.datetime({ offset: true }), z.date()]),
    successRedirectUrl: webUrl().optional(),
    failureRedirectUrl: webUrl().optional(),
    reconnectAccountId: z.string().trim().min(1).max(200).optional(),
  })
  .superRefine((input, context) => {
    if (input.type === 'reconnect' && input.reconnectAccountId === undefined)
      context.addIssue({
        code: 'custom',
        path: ['reconnectAccountId'],
        message: "is required with type 'reconnect': the Unipile account id to reconnect",
      })
    if (input.type === 'create' && input.reconnectAccountId !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['reconnectAccountId'],
        message: "goes only with type 'reconnect'",
      })
    if (new URL(input.notifyUrl).searchParams.has(UNIPILE_NOTIFY_TOKEN_PARAMETER))
      context.addIssue({
        code: 'custom',
        path: ['notifyUrl'],
        message: `must not carry ${UNIPILE_NOTIFY_TOKEN_PARAMETER}: the link adds it`,
      })
  })

const notification = z.looseObject({
  status: z.enum(['CREATION_SUCCESS', 'RECONNECTED']),
  account_id: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
})

const account = z.looseObject({ id: z.string(), type: z.string() })

const detailOf = (body: unknown): string | undefined => {
  if (typeof body !== 'object' || body === null)
    return typeof body === 'string' && body !== '' ? body : undefined
  const error = body as { type?: unknown; detail?: unknown; title?: unknown }
  const words = [error.type, error.detail ?? error.title].filter(
    (each) => typeof each === 'string' && each !== '',
  )
  return words.length === 0 ? undefined : words.join(': ')
}

export function unipileConnect(options: {
  readonly http: ProviderHttp
  /** The API root (`https://api8.unipile.com:13851/api/v1`). */
  readonly baseUrl: string
  /** Signs the notify URL's token; undefined when the provider has no secret to sign with. */
  readonly secret: string | undefined
  readonly now: () => number
}): UnipileConnect {
  const tokenOf = (secret: string, name: string) =>
    createHmac('sha256', secret).update(`unipile-hosted-auth:${name}`, 'utf8').digest('base64url')

  return {
    async createHostedLink(input) {
      const subject = 'unipile.connect.createHostedLink input'
      const parsed = linkSchema.safeParse(input, { reportInput: true })
      if (!parsed.success)
        throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, subject, parsed.error)
      const link = parsed.data
      const secret = options.secret
      if (secret === undefined)
        throw new PacelineError(
          PacelineErrorCodes.invalidOptions,
          `${subject}: the provider has no secret to sign the notify URL with; create it with \`connectSecret\` (or \`webhookSecret\`), 16 characters or more.`,
        )
      const expires =
        typeof link.expiresAt === 'string' ? Date.parse(link.expiresAt) : link.expiresAt.getTime()
      const now = options.now()
      if (!(expires > now && expires <= now + MAX_LINK_LIFETIME_MS))
        throw PacelineError.fromIssues(PacelineErrorCodes.invalidOptions, subject, [
          {
            rule: 'out_of_range',
            field: 'expiresAt',
            path: ['expiresAt'],
            message: 'must be in the future and at most 24 hours ahead (Unipile expects short-lived links)',
          },
        ])
      const notifyUrl = new URL(link.notifyUrl)
      notifyUrl.searchParams.set(UNIPILE_NOTIFY_TOKEN_PARAMETER, tokenOf(secret, link.name))
      const body = {
        type: link.type,
        providers: ['LINKEDIN'],
        api_url: new URL(options.baseUrl).origin,
        expiresOn: new Date(expires).toISOString(),
        name: link.name,
        notify_url: notifyUrl.toString(),
        ...(link.successRedirectUrl === undefined ? {} : { success_redirect_url: link.successRedirectUrl }),
        ...(link.failureRedirectUrl === undefined ? {} : { failure_redirect_url: link.failureRedirectUrl }),
        ...(link.reconnectAccountId === undefined ? {} : { reconnect_account: link.reconnectAccountId }),
      }
      const answer = setupAnswer(
        { vendor: 'Unipile', what: 'create a hosted auth link', repeatable: true, detailOf },
        await options.http.request({ method: 'POST', path: '/hosted/accounts/link', body }),
      )
      const url = z.looseObject({ url: z.url() }).safeParse(answer)
      if (!url.success)
        throw new PacelineError(
          PacelineErrorCodes.channelFailed,
          'Unipile create a hosted auth link: the answer has no link URL; try again.',
          { cause: answer, isRetryable: true },
        )
      return { url: url.data.url, notifyUrl: notifyUrl.toString() }
    },

    async readNotification(request) {
      const secret = options.secret
      if (secret === undefined)
        return {
          ok: false,
          status: 401,
          message: 'the provider has no secret: no notification can be verified',
        }
      let body: unknown = request.body
      if (typeof body === 'string') {
        try {
          body = JSON.parse(body)
        } catch {
          return { ok: false, status: 400, message: 'the notification is not JSON' }
        }
      }
      const parsed = notification.safeParse(body)
      if (!parsed.success)
        return {
          ok: false,
          status: 400,
          message: 'not a hosted auth notification: expected { status, account_id, name }',
        }
      const given =
        new URL(request.url, 'http://notify.invalid').searchParams.get(UNIPILE_NOTIFY_TOKEN_PARAMETER) ?? ''
      const expected = tokenOf(secret, parsed.data.name)
      const genuine =
        given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected))
      if (!genuine)
        return { ok: false, status: 401, message: 'the notify URL token does not match: not from this link' }
      // The token proves the link; Unipile confirms the account id is one of this key's LinkedIn accounts.
      const found = await options.http.request({
        method: 'GET',
        path: `/accounts/${encodeURIComponent(parsed.data.account_id)}`,
      })
      if (found.kind !== 'response' || found.status >= 500 || found.status === 429)
        return { ok: false, status: 503, message: 'Unipile could not be asked about the account; retry' }
      const known = found.status === 200 ? account.safeParse(found.body) : undefined
      if (
        known?.success !== true ||
        known.data.type !== 'LINKEDIN' ||
        known.data.id !== parsed.data.account_id
      )
        return {
          ok: false,
          status: 404,
          message: `Unipile has no LinkedIn account ${parsed.data.account_id}`,
        }
      return {
        ok: true,
        event: parsed.data.status === 'RECONNECTED' ? 'reconnected' : 'created',
        accountId: parsed.data.account_id,
        name: parsed.data.name,
      }
    },
  }
}
