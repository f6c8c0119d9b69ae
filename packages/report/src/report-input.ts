import {
  type CampaignAnalytics,
  type CampaignDailyActivity,
  DAILY_SERIES,
  type DailyActivityName,
  type IdentityDashboard,
  PacelineError,
  PacelineErrorCodes,
} from '@paceline/core'
import { z } from 'zod'

/** What `renderCampaignReport` draws: the engine's analytics of one campaign, and optionally its identity's. */
export interface CampaignReportInput {
  /** `engine.analytics.campaign(id, period?)`. */
  readonly campaign: CampaignAnalytics
  /** `engine.analytics.daily(id, period?)`, for the same campaign. */
  readonly daily: CampaignDailyActivity
  /** `engine.analytics.identity(identityId, period?)`: the sender's sent vs allowed. Omitted, no such section. */
  readonly identity?: IdentityDashboard
  /** The report's heading, such as the campaign's name. Default: the campaign id. */
  readonly title?: string
  /** When the data was read, printed in the header. Omitted, not printed (the report reads no clock). */
  readonly generatedAt?: Date | string
}

// The analytics objects are the engine's output: their schemas check what the report reads and ignore fields
// a newer @paceline/core may add. The options object around them is strict.
const count = z.number().int().min(0)
const rate = z.number().min(0).max(1).nullable()
const instant = z.iso.datetime({ offset: true })
const timeZone = z.string().refine(
  (name) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: name })
      return true
    } catch {
      return false
    }
  },
  { message: 'must be an IANA time zone such as "Europe/Madrid" or "UTC"' },
)
const period = z.object({ from: instant.nullable(), to: instant, timeZone })
const audience = z.object({
  total: count,
  statuses: z.record(z.string(), count),
  substatuses: z.record(z.string(), count),
})
const text = z.string().max(10_000)

const campaignSchema = z.object({
  campaignId: z.string().min(1),
  period,
  all: z.object({ total: count, started: count, contacted: count, replied: count, positive: count }),
  linkedin: z.object({
    engaged: count,
    invited: count,
    accepted: count,
    contacted: count,
    replied: count,
    positive: count,
  }),
  email: z.object({
    sent: count,
    opened: count,
    clicked: count,
    replied: count,
    positive: count,
    bounced: count,
  }),
  tasks: z.object({ pending: count, completed: count }),
  outOfOffice: count,
  tags: z.array(
    z.object({ tag: text, category: text, channel: z.enum(['linkedin', 'email']), conversations: count }),
  ),
  audience,
  progress: z.array(
    z.object({
      stepId: text,
      kind: text,
      description: text,
      reached: count,
      passed: count,
      errored: count,
      now: audience,
      branches: z.object({ yes: count, no: count }).optional(),
    }),
  ),
})

const dayShape = Object.fromEntries(Object.keys(DAILY_SERIES).map((name) => [name, count])) as Record<
  DailyActivityName,
  typeof count
>

const dailySchema = z.object({
  campaignId: z.string().min(1),
  period,
  days: z.array(z.object({ date: z.iso.date(), ...dayShape })).max(3_700),
})

const sentVsAllowed = z.object({ sent: count, allowed: count })

const identitySchema = z.object({
  identityId: z.string().min(1),
  name: text,
  period,
  connections: z.object({ sent: count, accepted: count, acceptanceRate: rate, allowed: count }),
  linkedinMessages: sentVsAllowed,
  emails: sentVsAllowed,
  replied: count,
  bounced: count,
  bounceRate: rate,
})

const inputSchema = z
  .strictObject({
    campaign: campaignSchema,
    daily: dailySchema,
    identity: identitySchema.optional(),
    title: z.string().trim().min(1).max(300).optional(),
    generatedAt: z.union([z.date(), instant]).optional(),
  })
  .superRefine((input, context) => {
    if (input.daily.campaignId !== input.campaign.campaignId)
      context.addIssue({
        code: 'custom',
        path: ['daily', 'campaignId'],
        message: `must be the campaign's id (${JSON.stringify(input.campaign.campaignId)}), got ${JSON.stringify(input.daily.campaignId)}: pass the daily activity of the same campaign`,
      })
  })

export type ReportData = z.output<typeof inputSchema>
export type ReportCampaign = ReportData['campaign']
export type ReportDaily = ReportData['daily']
export type ReportIdentity = NonNullable<ReportData['identity']>
export type ReportAudience = ReportCampaign['audience']
export type ReportPeriod = ReportCampaign['period']

/** Validates the report's input: `invalid_options`, with one issue per field. */
export function parseReportInput(input: unknown, subject = 'renderCampaignReport input'): ReportData {
  const result = inputSchema.safeParse(input, { reportInput: true })
  if (!result.success) throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, subject, result.error)
  return result.data
}

/** Validates one identity's dashboard (`engine.analytics.identity`): `invalid_options`, one issue per field. */
export function parseReportIdentity(input: unknown, subject: string): ReportIdentity {
  const result = identitySchema.safeParse(input)
  if (!result.success) throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, subject, result.error)
  return result.data
}
