import { z } from 'zod'
import { hasControlCharacter } from '../control-characters'
import { entityIdSchema } from '../entity-id'
import { identitySchema } from './identity-schema'

/**
 * What a share link lets someone outside the workspace do: `create` an identity (their own sender), or
 * `reconnect` an existing one (refresh its LinkedIn account or inboxes, and hand over new credentials).
 */
export const SHARE_LINK_PURPOSES = ['create', 'reconnect'] as const
export type ShareLinkPurpose = (typeof SHARE_LINK_PURPOSES)[number]

/** A share link is temporary: 24 hours at most, and 24 hours unless asked for less. */
export const SHARE_LINK_MAX_HOURS = 24

export const shareLinkOptionsSchema = z
  .strictObject({
    purpose: z.enum(SHARE_LINK_PURPOSES),
    /**
     * `reconnect`: the identity to refresh (required). `create`: the id the new identity gets (optional;
     * without it, the person redeeming picks the id).
     */
    identityId: entityIdSchema.optional(),
    validForHours: z.number().int().min(1).max(SHARE_LINK_MAX_HOURS).default(SHARE_LINK_MAX_HOURS),
  })
  .superRefine((options, context) => {
    if (options.purpose === 'reconnect' && options.identityId === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['identityId'],
        message:
          "is required when purpose is 'reconnect': name the identity whose connection the link refreshes",
        params: { rule: 'required' },
      })
    }
  })

export type ShareLinkOptions = z.input<typeof shareLinkOptionsSchema>

/**
 * Credentials the person hands over with the link, by short name (`smtp:ana@acme.io`, `linkedin`); each is
 * stored as the identity's secret (see `identitySecretName`). Names are printable, without control
 * characters; values are up to 64 KB.
 */
const secretsSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(100)
      .refine((name) => !hasControlCharacter(name), {
        message: 'must not contain control characters (line breaks, tabs, ...)',
        params: { rule: 'control_characters' },
      }),
    z.string().max(64 * 1024),
  )
  .refine((secrets) => Object.keys(secrets).length <= 20, {
    message: 'must hold at most 20 credentials',
    params: { rule: 'too_many' },
  })

/** What a `create` link brings: the new identity, and optionally its credentials. */
export const createRedemptionSchema = z.strictObject({
  identity: identitySchema,
  secrets: secretsSchema.optional(),
})

/**
 * What a `reconnect` link brings: the LinkedIn account (connected again; a new provider account id replaces
 * the old one, and one is required when the identity had no LinkedIn account), the inboxes connected again
 * (an address the identity does not have yet is added with the default limits), and credentials.
 */
export const reconnectRedemptionSchema = z
  .strictObject({
    linkedin: z.strictObject({ accountId: z.string().min(1).max(200).optional() }).optional(),
    inboxes: z.array(z.email()).max(100).optional(),
    secrets: secretsSchema.optional(),
  })
  .refine(
    (input) =>
      input.linkedin !== undefined ||
      (input.inboxes?.length ?? 0) > 0 ||
      Object.keys(input.secrets ?? {}).length > 0,
    {
      message: 'must reconnect something: give `linkedin`, `inboxes` or `secrets`',
      params: { rule: 'required' },
    },
  )

export type CreateRedemption = z.input<typeof createRedemptionSchema>
export type ReconnectRedemption = z.input<typeof reconnectRedemptionSchema>
/** What redeeming a link brings, by its purpose. */
export type ShareLinkRedemption = CreateRedemption | ReconnectRedemption
