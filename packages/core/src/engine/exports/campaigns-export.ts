import type { Readable } from 'node:stream'
import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { campaignFolder, campaignTags } from '../../model/campaign/campaign'
import { LEAD_STATUSES } from '../../model/lead/lead-status'
import { campaignAnalytics } from '../analytics/analytics-queries'
import { type PeriodOptions, periodFields, resolvePeriod } from '../analytics/period'
import type { EngineContext } from '../engine-context'
import {
  type CampaignListOptions,
  campaignFilterFields,
  listCampaigns,
  refineCreatedRange,
} from '../lists/campaign-list'
import { eachPage } from '../lists/list-cursor'
import { type CsvColumn, type CsvOptions, type CsvRow, csvFields, csvStream } from './csv-stream'
import { METRIC_LINES, metricColumn } from './metric-catalog'

/** Which campaigns (the campaign list's filters and order), the period of their metrics, and how. */
export type CampaignsExportOptions = Omit<CampaignListOptions, 'after' | 'limit'> & PeriodOptions & CsvOptions

const COLUMNS: readonly CsvColumn[] = [
  { key: 'campaignId', header: 'Campaign ID' },
  { key: 'name', header: 'Name' },
  { key: 'status', header: 'Status' },
  { key: 'identityId', header: 'Identity ID' },
  { key: 'priority', header: 'Priority' },
  { key: 'folder', header: 'Folder' },
  { key: 'tags', header: 'Tags' },
  { key: 'createdAt', header: 'Created at' },
  { key: 'periodFrom', header: 'Period from' },
  { key: 'periodTo', header: 'Period to' },
  ...METRIC_LINES.map((line) => ({ key: metricColumn(line), header: metricColumn(line) })),
  ...LEAD_STATUSES.map((status) => ({ key: `leads_${status}`, header: `leads_${status}` })),
]

const schema = z
  .strictObject({ ...campaignFilterFields, ...periodFields, ...csvFields })
  .superRefine(refineCreatedRange)

/**
 * The campaigns table as CSV: one row per campaign with its settings and every funnel metric of the period,
 * and its leads by status now. Campaigns are read a page at a time, each campaign's metrics from its counters.
 */
export async function exportCampaigns(
  context: EngineContext,
  options: CampaignsExportOptions = {},
): Promise<Readable> {
  const subject = 'engine.csv.campaigns options'
  const { bom, from, to, since, until, timeZone, ...filter } = parseInput(
    schema,
    options ?? {},
    subject,
    PacelineErrorCodes.invalidQuery,
  )
  const period = Object.fromEntries(
    Object.entries({ from, to, since, until, timeZone }).filter(([, value]) => value !== undefined),
  ) as PeriodOptions
  // A wrong period is an error of this call, not of the stream.
  resolvePeriod(period, subject, context.now(), { timeZone: 'UTC' })
  async function* rows(): AsyncGenerator<CsvRow> {
    const pages = eachPage((after) =>
      listCampaigns(context, { ...filter, limit: 100, ...(after === undefined ? {} : { after }) }),
    )
    for await (const page of pages) {
      for (const campaign of page) {
        const analytics = await campaignAnalytics(context, campaign.id, period)
        const row: Record<string, string | number | null> = {
          campaignId: campaign.id,
          name: campaign.name,
          status: campaign.status,
          identityId: campaign.identityId,
          priority: campaign.priority,
          folder: campaignFolder(campaign) ?? null,
          tags: campaignTags(campaign).join('; '),
          createdAt: campaign.createdAt ?? null,
          periodFrom: analytics.period.from,
          periodTo: analytics.period.to,
        }
        for (const line of METRIC_LINES) row[metricColumn(line)] = line.value(analytics)
        for (const status of LEAD_STATUSES) row[`leads_${status}`] = analytics.audience.statuses[status]
        yield row
      }
    }
  }
  return csvStream(COLUMNS, rows(), { bom: bom === true })
}
