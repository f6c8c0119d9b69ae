import { z } from 'zod'

/** When a campaign syncs contacts or conversations to the CRM: never, always, or once the contact replies. */
export const CRM_SYNC_MODES = ['no', 'yes', 'on_reply'] as const
export type CrmSyncMode = (typeof CRM_SYNC_MODES)[number]

export const REPLY_HANDLING_MODES = ['manual', 'copilot', 'automatic'] as const
export type ReplyHandlingMode = (typeof REPLY_HANDLING_MODES)[number]

export const campaignSettingsSchema = z.strictObject({
  crmSync: z
    .strictObject({
      /** Defaults to `yes` when the sequence has tasks (which need the contact in the CRM), else `no`. */
      contacts: z.enum(CRM_SYNC_MODES).optional(),
      conversations: z.enum(CRM_SYNC_MODES).default('no'),
    })
    .default({ conversations: 'no' }),
  /** Skip leads that already have a LinkedIn conversation with the identity. */
  skipPriorConversations: z.boolean().default(false),
  email: z
    .strictObject({
      /** `shuffle` spreads new leads across all of the identity's inboxes; or name the inboxes to use. */
      inboxes: z.union([z.literal('shuffle'), z.array(z.email()).min(1).max(100)]).default('shuffle'),
      /** A tracking pixel; can trigger spam filters. */
      trackOpens: z.boolean().default(false),
      /** Rewritten links; may increase spam risk. */
      trackClicks: z.boolean().default(false),
    })
    .default({ inboxes: 'shuffle', trackOpens: false, trackClicks: false }),
  /** What happens after a lead replies: the sequence always stops; this decides who answers. */
  replies: z
    .strictObject({
      /**
       * `manual`: a person answers (`engine.conversations.reply`). `copilot`: the AI writes a draft for each
       * reply, a person edits and sends it. `automatic`: the AI answers by itself, inside working hours and
       * limits, after a human-like delay, handing hard cases to a person.
       */
      mode: z.enum(REPLY_HANDLING_MODES).default('manual'),
      /** The campaign prompt the AI uses to suggest (copilot) or send (automatic) replies. */
      prompt: z.string().trim().min(1).max(20_000).optional(),
      /** Automatic mode: the most answers the agent sends in one conversation before a person takes over. */
      maxAnswers: z.number().int().min(1).max(20).default(3),
      /** Automatic mode: how long after a reply the answer goes out, at the earliest (seeded between the two). */
      delayMinutes: z
        .strictObject({ min: z.number().int().min(0).max(1440), max: z.number().int().min(0).max(1440) })
        .refine((delay) => delay.min <= delay.max, {
          message: 'min must not be more than max',
          path: ['min'],
        })
        .default({ min: 5, max: 60 }),
    })
    .refine((replies) => replies.mode === 'manual' || replies.prompt !== undefined, {
      path: ['prompt'],
      message: 'is required when replies are handled by AI (copilot or automatic)',
      params: { rule: 'prompt_required' },
    })
    .default({ mode: 'manual', maxAnswers: 3, delayMinutes: { min: 5, max: 60 } }),
})

export type CampaignSettingsInput = z.input<typeof campaignSettingsSchema> & {
  /** @deprecated Give `tags` at the top of the campaign; still read here, and moved there. */
  readonly tags?: readonly string[]
  /** @deprecated Give `folder` at the top of the campaign; still read here, and moved there. */
  readonly folder?: string
}
type ParsedSettings = z.output<typeof campaignSettingsSchema>

/** Settings with every default resolved, including the contacts CRM sync mode. */
export type CampaignSettings = Omit<ParsedSettings, 'crmSync'> & {
  readonly crmSync: { readonly contacts: CrmSyncMode; readonly conversations: CrmSyncMode }
}
