import { z } from 'zod'

/** When a campaign syncs contacts or conversations to the CRM: never, always, or once the contact replies. */
export const CRM_SYNC_MODES = ['no', 'yes', 'on_reply'] as const
export type CrmSyncMode = (typeof CRM_SYNC_MODES)[number]

export const REPLY_HANDLING_MODES = ['manual', 'copilot', 'automatic'] as const
export type ReplyHandlingMode = (typeof REPLY_HANDLING_MODES)[number]

export const campaignSettingsSchema = z.strictObject({
  tags: z
    .array(z.string().trim().min(1).max(100))
    .max(50)
    .default([])
    .transform((tags) => [...new Set(tags)]),
  folder: z.string().trim().min(1).max(200).optional(),
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
      mode: z.enum(REPLY_HANDLING_MODES).default('manual'),
      /** The campaign prompt the AI uses to suggest (copilot) or send (automatic) replies. */
      prompt: z.string().trim().min(1).max(20_000).optional(),
    })
    .refine((replies) => replies.mode === 'manual' || replies.prompt !== undefined, {
      path: ['prompt'],
      message: 'is required when replies are handled by AI (copilot or automatic)',
      params: { rule: 'prompt_required' },
    })
    .default({ mode: 'manual' }),
})

export type CampaignSettingsInput = z.input<typeof campaignSettingsSchema>
type ParsedSettings = z.output<typeof campaignSettingsSchema>

/** Settings with every default resolved, including the contacts CRM sync mode. */
export type CampaignSettings = Omit<ParsedSettings, 'crmSync'> & {
  readonly crmSync: { readonly contacts: CrmSyncMode; readonly conversations: CrmSyncMode }
}
