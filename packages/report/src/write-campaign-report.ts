import {
  type CampaignDailyActivity,
  type Engine,
  PacelineError,
  PacelineErrorCodes,
  type PeriodOptions,
} from '@paceline/core'
import { z } from 'zod'
import { renderCampaignReport } from './render-campaign-report'

/** What `writeCampaignReport` reads: the engine's analytics and campaigns (an `Engine` has both). */
export interface CampaignReportSource {
  readonly analytics: Pick<Engine['analytics'], 'campaign' | 'daily' | 'identity'>
  readonly campaigns: Pick<Engine['campaigns'], 'get'>
}

export interface WriteCampaignReportOptions {
  readonly campaignId: string
  /** The HTML file to write (its folder is created); an existing file is replaced. */
  readonly path: string
  /**
   * The period the report covers, as the engine's analytics take it: `{ from, to }` instants or
   * `{ since, until, timeZone }` calendar days. Default: all time. The sender's sent vs allowed covers the
   * same period (all time: from the campaign's first day of activity).
   */
  readonly period?: PeriodOptions
  /** The heading. Default: the campaign's name. */
  readonly title?: string
  /** Printed in the header when given (the report reads no clock). */
  readonly generatedAt?: Date | string
}

const optionsSchema = z.strictObject({
  campaignId: z.string().trim().min(1).max(200),
  path: z.string().trim().min(1),
  // The engine validates the period itself, naming its fields.
  period: z.record(z.string(), z.unknown()).optional(),
  title: z.string().trim().min(1).max(300).optional(),
  generatedAt: z.union([z.date(), z.iso.datetime({ offset: true })]).optional(),
})

/**
 * Reads a campaign's analytics, its daily activity and its sender's dashboard from the engine, renders them
 * with `renderCampaignReport`, writes the HTML file and returns its absolute path.
 */
export async function writeCampaignReport(
  engine: CampaignReportSource,
  options: WriteCampaignReportOptions,
): Promise<string> {
  const parsed = optionsSchema.safeParse(options, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(
      PacelineErrorCodes.invalidOptions,
      'writeCampaignReport options',
      parsed.error,
    )
  const { campaignId, path, title, generatedAt } = parsed.data
  const period = options.period
  const campaign = await engine.campaigns.get(campaignId)
  const analytics = await engine.analytics.campaign(campaignId, period)
  const daily = await engine.analytics.daily(campaignId, period)
  const identity = await engine.analytics.identity(campaign.identityId, identityPeriod(period, daily))
  const report = renderCampaignReport({
    campaign: analytics,
    daily,
    identity,
    title: title ?? campaign.name,
    ...(generatedAt === undefined ? {} : { generatedAt }),
  })
  // Loaded here, so that importing the package to render a report needs no file system (a browser, an edge
  // function).
  const { mkdir, writeFile } = await import('node:fs/promises')
  const { dirname, resolve } = await import('node:path')
  const file = resolve(path)
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, report, 'utf8')
  return file
}

/**
 * The identity dashboard defaults to today; a report of all time asks for the days the campaign's daily
 * activity covers instead.
 */
function identityPeriod(
  period: PeriodOptions | undefined,
  daily: CampaignDailyActivity,
): PeriodOptions | undefined {
  const given =
    period !== undefined &&
    (period.from !== undefined ||
      period.to !== undefined ||
      period.since !== undefined ||
      period.until !== undefined)
  if (given) return period
  const first = daily.days[0]?.date
  return first === undefined ? period : { since: first, timeZone: daily.period.timeZone }
}
