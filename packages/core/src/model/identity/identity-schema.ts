import { z } from 'zod'
import { entityIdSchema } from '../entity-id'
import { EMAIL_LIMITS } from './email-limits'
import { LINKEDIN_LIMITS } from './linkedin-limits'
import { workingHoursSchema } from './working-hours'

const count = (min: number, max: number) => z.number().int().min(min).max(max)

const linkedinLimitsSchema = z.strictObject({
  connectionsPerDay: count(0, LINKEDIN_LIMITS.connectionsPerDay.max).default(
    LINKEDIN_LIMITS.connectionsPerDay.default,
  ),
  /** Connection requests in any 7 days (a sliding week), on top of the daily limit. */
  invitationsPerWeek: count(0, LINKEDIN_LIMITS.invitationsPerWeek.max).default(
    LINKEDIN_LIMITS.invitationsPerWeek.default,
  ),
  messagesPerDay: count(0, LINKEDIN_LIMITS.messagesPerDay.max).default(
    LINKEDIN_LIMITS.messagesPerDay.default,
  ),
  /** Defaults to 50, or 150 with Premium; cannot be raised above those platform caps. */
  profileVisitsPerDay: count(0, LINKEDIN_LIMITS.profileVisitsPerDay.maxPremium).optional(),
  minutesBetweenProfileVisits: z
    .number()
    .min(LINKEDIN_LIMITS.minutesBetweenProfileVisits.min)
    .max(24 * 60)
    .default(LINKEDIN_LIMITS.minutesBetweenProfileVisits.default),
  minutesBetweenPostReactions: z
    .number()
    .min(LINKEDIN_LIMITS.minutesBetweenPostReactions.min)
    .max(24 * 60)
    .default(LINKEDIN_LIMITS.minutesBetweenPostReactions.default),
  acceptanceChecks: z
    .strictObject({
      max: count(1, LINKEDIN_LIMITS.acceptanceChecks.maxChecks),
      perMinutes: z
        .number()
        .int()
        .min(LINKEDIN_LIMITS.acceptanceChecks.minPerMinutes)
        .max(24 * 60),
    })
    .default({ ...LINKEDIN_LIMITS.acceptanceChecks.default }),
  /** Extra scrapings a day; only identities with Sales Navigator have this setting. */
  scrapingsPerDay: count(0, 100_000).optional(),
})

const linkedinInputSchema = z.strictObject({
  /** The account id at the LinkedIn provider (Edges, Unipile, ...). */
  accountId: z.string().min(1).max(200),
  premium: z.boolean().default(false),
  salesNavigator: z.boolean().default(false),
  limits: linkedinLimitsSchema.default({
    connectionsPerDay: LINKEDIN_LIMITS.connectionsPerDay.default,
    invitationsPerWeek: LINKEDIN_LIMITS.invitationsPerWeek.default,
    messagesPerDay: LINKEDIN_LIMITS.messagesPerDay.default,
    minutesBetweenProfileVisits: LINKEDIN_LIMITS.minutesBetweenProfileVisits.default,
    minutesBetweenPostReactions: LINKEDIN_LIMITS.minutesBetweenPostReactions.default,
    acceptanceChecks: { ...LINKEDIN_LIMITS.acceptanceChecks.default },
  }),
  /** Withdraw invitations still pending after this many days; absent means never. */
  autoWithdrawAfterDays: count(1, 365).optional(),
})

export const linkedinSchema = linkedinInputSchema
  .superRefine((linkedin, context) => {
    const visitCap = linkedin.premium
      ? LINKEDIN_LIMITS.profileVisitsPerDay.maxPremium
      : LINKEDIN_LIMITS.profileVisitsPerDay.max
    const visits = linkedin.limits.profileVisitsPerDay
    if (visits !== undefined && visits > visitCap) {
      context.addIssue({
        code: 'custom',
        path: ['limits', 'profileVisitsPerDay'],
        message: `must be at most ${visitCap} (LinkedIn's daily visit cap${linkedin.premium ? ' with Premium' : ' without Premium'}), got ${visits}`,
        params: { rule: 'too_large' },
      })
    }
    if (linkedin.limits.scrapingsPerDay !== undefined && !linkedin.salesNavigator) {
      context.addIssue({
        code: 'custom',
        path: ['limits', 'scrapingsPerDay'],
        message:
          'is only available for identities with Sales Navigator; set `salesNavigator: true` or remove it',
        params: { rule: 'requires_sales_navigator' },
      })
    }
  })
  .transform((linkedin) => ({
    ...linkedin,
    limits: {
      ...linkedin.limits,
      profileVisitsPerDay:
        linkedin.limits.profileVisitsPerDay ??
        (linkedin.premium
          ? LINKEDIN_LIMITS.profileVisitsPerDay.defaultPremium
          : LINKEDIN_LIMITS.profileVisitsPerDay.default),
    },
  }))

const inboxLimitsSchema = z
  .strictObject({
    perDay: count(1, EMAIL_LIMITS.perDay.max).default(EMAIL_LIMITS.perDay.default),
    perHour: count(1, EMAIL_LIMITS.perHour.max).default(EMAIL_LIMITS.perHour.default),
  })
  .refine((limits) => limits.perHour <= limits.perDay, {
    path: ['perHour'],
    message: 'must not be more than perDay',
    params: { rule: 'hourly_above_daily' },
  })

export const inboxSchema = z.strictObject({
  address: z.email(),
  /** Display name in the From header; defaults to the identity's name. */
  displayName: z.string().min(1).max(200).optional(),
  limits: inboxLimitsSchema.default({
    perDay: EMAIL_LIMITS.perDay.default,
    perHour: EMAIL_LIMITS.perHour.default,
  }),
})

const signatureSchema = z.union([
  z
    .string()
    .min(1)
    .transform((text) => ({ text })),
  z
    .strictObject({ text: z.string().min(1).optional(), html: z.string().min(1).optional() })
    .refine((signature) => signature.text !== undefined || signature.html !== undefined, {
      message: 'needs `text`, `html` or both',
      params: { rule: 'required' },
    }),
])

const emailSchema = z
  .strictObject({
    inboxes: z.array(inboxSchema).max(100).default([]),
    signature: signatureSchema.optional(),
  })
  .superRefine((email, context) => {
    const seen = new Map<string, number>()
    email.inboxes.forEach((inbox, index) => {
      const key = inbox.address.toLowerCase()
      const first = seen.get(key)
      if (first !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['inboxes', index, 'address'],
          message: `${inbox.address} is already inbox ${first}; each inbox appears once`,
          params: { rule: 'duplicate_inbox' },
        })
      } else seen.set(key, index)
    })
  })

const contactSchema = z.strictObject({
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  jobTitle: z.string().max(300).optional(),
  linkedinUrl: z.url().optional(),
  email: z.email().optional(),
  phone: z.string().max(50).optional(),
  meetingUrl: z.url().optional(),
  /** The sender's profile picture, as an http(s) URL the host serves it from. */
  pictureUrl: z.url({ protocol: /^https?$/ }).optional(),
})

export const identitySchema = z.strictObject({
  id: entityIdSchema,
  name: z.string().min(1).max(200),
  /** `engagement` identities are billed per active identity at providers such as Edges; fixed at creation. */
  type: z.enum(['standard', 'engagement']).default('standard'),
  workingHours: workingHoursSchema,
  linkedin: linkedinSchema.optional(),
  email: emailSchema.default({ inboxes: [] }),
  /** New conversations the identity may start per calendar month; absent means no monthly limit. */
  monthlyConversationLimit: count(1, 1_000_000).optional(),
  /** The sender's own details, available to templates as `{{sender.firstName}}` and so on. */
  contact: contactSchema.optional(),
})

export type IdentityInput = z.input<typeof identitySchema>
export type Identity = z.output<typeof identitySchema>
export type IdentityType = Identity['type']
export type LinkedInSettings = NonNullable<Identity['linkedin']>
export type LinkedInLimits = LinkedInSettings['limits']
export type EmailInbox = Identity['email']['inboxes'][number]
export type EmailSignature = NonNullable<Identity['email']['signature']>
export type SenderContact = NonNullable<Identity['contact']>
