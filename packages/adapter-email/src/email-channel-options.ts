import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { EmailMessage, StorageV1 } from '@paceline/core/ports'
import { z } from 'zod'

/** A password (or an app password, which providers require when two-factor authentication is on). */
export interface PasswordAuth {
  readonly user: string
  readonly password: string
}

/**
 * OAuth2 (Google Workspace, Microsoft 365): the host owns the refresh token and returns a current access
 * token. Called whenever a connection authenticates; `renew` is true when the server refused the last one.
 */
export interface OAuth2Auth {
  readonly user: string
  readonly accessToken: (request: { readonly renew: boolean }) => Promise<string>
}

export type ServerAuth = PasswordAuth | OAuth2Auth

/**
 * How to reach a mail server. `tls`: TLS from the first byte (IMAP 993, SMTP 465); `starttls`: plain, then
 * upgraded, and refused if the server cannot (IMAP 143, SMTP 587); `none`: no encryption (local servers
 * and tests only).
 */
export interface ServerSettings {
  readonly host: string
  readonly port: number
  readonly security: 'tls' | 'starttls' | 'none'
  readonly auth: ServerAuth
  /** Give up on connecting (and on a silent server) after this long. Default 30,000 ms. */
  readonly timeoutMs?: number
  /** Accept a certificate that does not verify (self-signed test servers). Default false. */
  readonly allowInvalidCertificate?: boolean
}

/** DKIM signing with the sending domain's key; the public key is published at `<keySelector>._domainkey.<domainName>`. */
export interface DkimSettings {
  readonly domainName: string
  readonly keySelector: string
  /** PEM private key: RSA (2048 bits or more; signs rsa-sha256) or Ed25519 (signs ed25519-sha256). */
  readonly privateKey: string
}

export interface InboxSettings {
  /** The sending address, as in the identity's `email.inboxes`. */
  readonly address: string
  /** The identity this inbox belongs to, so that a lost connection can be reported as `channel-disconnected`. */
  readonly identityId?: string
  readonly smtp: ServerSettings
  /** Where replies and bounces arrive. Without it the inbox only sends. */
  readonly imap?: ServerSettings & {
    /** Default `INBOX`. */
    readonly mailbox?: string
  }
  readonly dkim?: DkimSettings
  /** Messages this inbox sends at once, at most. Default 2 (the engine paces sends anyway). */
  readonly maxConcurrentSends?: number
}

/**
 * `List-Unsubscribe` (RFC 2369) and, with an https URL, one-click `List-Unsubscribe-Post` (RFC 8058), which
 * Gmail and Yahoo expect from bulk senders. Both are covered by the DKIM signature when DKIM is on.
 */
export interface ListUnsubscribeSettings {
  /** An https URL that unsubscribes the recipient on a POST (one click). */
  readonly url?: (message: EmailMessage) => string
  /** A mailto: address (or full mailto URL) that unsubscribes the recipient. */
  readonly mailto?: (message: EmailMessage) => string
}

/** Open and click tracking: the pixel and redirect URLs point at `baseUrl`, where `createTrackingHandler` runs. */
export interface TrackingSettings {
  /** e.g. `https://t.acme.io/pl` (no trailing slash needed). Use a domain you own, ideally the sending one. */
  readonly baseUrl: string
  /** At least 32 characters: signs every tracking URL, so they cannot be forged or pointed elsewhere. */
  readonly secret: string
}

export interface ReceiveSettings {
  /** Check for new mail this often when the server cannot push (no IDLE), and as a safety net. Default 60,000 ms. */
  readonly pollIntervalMs?: number
  /** Use IMAP IDLE when the server supports it. Default true. */
  readonly idle?: boolean
  /** On the first run (and after the mailbox was rebuilt), look back this many days. Default 7. */
  readonly lookbackDays?: number
  /** Larger messages are read up to this many bytes (headers and the first parts). Default 2 MB. */
  readonly maxMessageBytes?: number
}

export interface CreateEmailChannelOptions {
  readonly inboxes: readonly InboxSettings[]
  /**
   * Where each inbox's read position (mailbox, UIDVALIDITY, last UID) is kept, so a restart neither misses
   * nor replays mail. Required when an inbox has `imap`; use the engine's storage.
   */
  readonly storage?: StorageV1
  /** The workspace of the cursors. Default `default`. */
  readonly workspaceId?: string
  readonly receive?: ReceiveSettings
  readonly listUnsubscribe?: ListUnsubscribeSettings
  readonly tracking?: TrackingSettings
  /** Problems the channel handles itself (a poller that lost its connection and retries). Default console.warn. */
  readonly onError?: (error: PacelineError) => void
}

const isFunction = (value: unknown): boolean => typeof value === 'function'
const fn = <T>(message: string) => z.custom<T>(isFunction, { message })

const authSchema = z.union([
  z.strictObject({ user: z.string().min(1), password: z.string().min(1) }),
  z.strictObject({
    user: z.string().min(1),
    accessToken: fn<OAuth2Auth['accessToken']>('must be a function returning an access token'),
  }),
])

const serverSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  security: z.enum(['tls', 'starttls', 'none']),
  auth: authSchema,
  timeoutMs: z.number().int().min(1_000).max(600_000).optional(),
  allowInvalidCertificate: z.boolean().optional(),
})

const inboxSchema = z.strictObject({
  address: z.email(),
  identityId: z.string().min(1).optional(),
  smtp: serverSchema,
  imap: serverSchema.extend({ mailbox: z.string().min(1).optional() }).optional(),
  dkim: z
    .strictObject({
      domainName: z
        .string()
        .regex(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/, 'must be a domain name such as acme.io'),
      keySelector: z
        .string()
        .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'must be a DNS label such as s1 or 2026.mail'),
      privateKey: z.string().includes('PRIVATE KEY', { message: 'must be a PEM private key' }),
    })
    .optional(),
  maxConcurrentSends: z.number().int().min(1).max(20).optional(),
})

const optionsSchema = z
  .strictObject({
    inboxes: z.array(inboxSchema).min(1),
    storage: z
      .custom<StorageV1>((value) => isFunction((value as StorageV1 | undefined)?.transaction), {
        message: 'must be a paceline Storage (for example the engine storage)',
      })
      .optional(),
    workspaceId: z.string().min(1).optional(),
    receive: z
      .strictObject({
        pollIntervalMs: z.number().int().min(1_000).optional(),
        idle: z.boolean().optional(),
        lookbackDays: z.number().min(0).max(365).optional(),
        maxMessageBytes: z
          .number()
          .int()
          .min(64 * 1024)
          .optional(),
      })
      .optional(),
    listUnsubscribe: z
      .strictObject({
        url: fn<ListUnsubscribeSettings['url']>('must be a function of the message').optional(),
        mailto: fn<ListUnsubscribeSettings['mailto']>('must be a function of the message').optional(),
      })
      .optional(),
    tracking: z
      .strictObject({
        baseUrl: z.url({ protocol: /^https?$/ }),
        secret: z.string().min(32),
      })
      .optional(),
    onError: fn<(error: PacelineError) => void>('must be a function').optional(),
  })
  .superRefine((options, context) => {
    const seen = new Set<string>()
    options.inboxes.forEach((inbox, index) => {
      const address = inbox.address.toLowerCase()
      if (seen.has(address))
        context.addIssue({
          code: 'custom',
          path: ['inboxes', index, 'address'],
          message: `${inbox.address} is listed twice`,
          params: { rule: 'duplicate' },
        })
      seen.add(address)
      if (inbox.imap !== undefined && options.storage === undefined)
        context.addIssue({
          code: 'custom',
          path: ['storage'],
          message: `is required to receive mail (inbox ${inbox.address} has imap): pass the engine's storage`,
          params: { rule: 'required' },
        })
    })
  })

/** Checks `createEmailChannel` options, naming each field that is wrong and the rule. */
export function parseEmailChannelOptions(options: unknown): CreateEmailChannelOptions {
  const result = optionsSchema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'createEmailChannel options', result.error)
  return options as CreateEmailChannelOptions
}

/** Checks the settings of one inbox (for `verifyInbox`). */
export function parseInboxSettings(settings: unknown): InboxSettings {
  const result = inboxSchema.safeParse(settings, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'Inbox settings', result.error)
  return settings as InboxSettings
}

export const isOAuth2 = (auth: ServerAuth): auth is OAuth2Auth => 'accessToken' in auth
