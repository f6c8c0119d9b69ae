import type { Readable } from 'node:stream'
import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { LEAD_STATUSES, LEAD_SUBSTATUSES, type LeadSubstatus } from '../../model/lead/lead-status'
import { type CampaignAnalytics, campaignAnalytics } from '../analytics/analytics-queries'
import { type PeriodOptions, periodFields } from '../analytics/period'
import type { EngineContext } from '../engine-context'
import { type CsvColumn, type CsvOptions, type CsvRow, csvFields, csvStream, ratio } from './csv-stream'
import { METRIC_LINES } from './metric-catalog'

export type MetricsExportOptions = PeriodOptions & CsvOptions

const COLUMNS = [
  { key: 'section', header: 'Section' },
  { key: 'channel', header: 'Channel' },
  { key: 'stepId', header: 'Step ID' },
  { key: 'metric', header: 'Metric' },
  { key: 'value', header: 'Value' },
  { key: 'unit', header: 'Unit' },
  { key: 'of', header: 'Rate of' },
  { key: 'rate', header: 'Rate' },
  { key: 'category', header: 'Category' },
  { key: 'description', header: 'Description' },
] as const satisfies readonly CsvColumn[]

type Column = (typeof COLUMNS)[number]['key']
type Row = CsvRow<Column>

const schema = z.strictObject({ ...periodFields, ...csvFields })

/**
 * A campaign's metrics for a period as CSV, one number per row: the funnels (all channels, LinkedIn,
 * email, tasks) with their rates, the tagged conversations, progress by action, and the audience by status
 * and substatus.
 */
export async function exportMetrics(
  context: EngineContext,
  campaignId: string,
  options: MetricsExportOptions = {},
): Promise<Readable> {
  const { bom, ...period } = parseInput(
    schema,
    options ?? {},
    'engine.csv.metrics options',
    PacelineErrorCodes.invalidQuery,
  )
  const analytics = await campaignAnalytics(context, campaignId, period)
  async function* rows(): AsyncGenerator<CsvRow<Column>> {
    yield* metricRows(analytics)
  }
  return csvStream(COLUMNS, rows(), { bom: bom === true })
}

function* metricRows(analytics: CampaignAnalytics): Generator<Row> {
  for (const line of METRIC_LINES) {
    const value = line.value(analytics)
    yield {
      section: 'funnel',
      channel: line.channel,
      metric: line.metric,
      value,
      unit: line.unit,
      ...(line.of === undefined ? {} : { of: line.of.name, rate: ratio(value, line.of.value(analytics)) }),
    }
  }
  for (const tag of analytics.tags)
    yield {
      section: 'tags',
      channel: tag.channel,
      metric: tag.tag,
      value: tag.conversations,
      unit: 'conversations',
      category: tag.category,
    }
  for (const step of analytics.progress) {
    const at = { section: 'progress', stepId: step.stepId, description: step.description }
    yield { ...at, metric: 'reached', value: step.reached, unit: 'leads' }
    yield {
      ...at,
      metric: 'passed',
      value: step.passed,
      unit: 'leads',
      of: 'reached',
      rate: ratio(step.passed, step.reached),
    }
    yield {
      ...at,
      metric: 'errored',
      value: step.errored,
      unit: 'leads',
      of: 'reached',
      rate: ratio(step.errored, step.reached),
    }
    if (step.branches !== undefined) {
      const evaluated = step.branches.yes + step.branches.no
      yield {
        ...at,
        metric: 'yes',
        value: step.branches.yes,
        unit: 'evaluations',
        of: 'evaluations',
        rate: ratio(step.branches.yes, evaluated),
      }
      yield {
        ...at,
        metric: 'no',
        value: step.branches.no,
        unit: 'evaluations',
        of: 'evaluations',
        rate: ratio(step.branches.no, evaluated),
      }
    }
    for (const status of LEAD_STATUSES)
      if (step.now.statuses[status] > 0)
        yield { ...at, metric: `now_${status}`, value: step.now.statuses[status], unit: 'leads' }
  }
  const audience = analytics.audience
  for (const status of LEAD_STATUSES)
    yield {
      section: 'audience',
      metric: status,
      value: audience.statuses[status],
      unit: 'leads',
      of: 'leads',
      rate: ratio(audience.statuses[status], audience.total),
    }
  for (const [substatus, value] of Object.entries(audience.substatuses) as [LeadSubstatus, number][]) {
    const info = LEAD_SUBSTATUSES[substatus]
    yield {
      section: 'audience',
      metric: `${info.status}:${substatus}`,
      value,
      unit: 'leads',
      of: 'leads',
      rate: ratio(value, audience.total),
      description: `${info.label}: ${info.description}`,
    }
  }
}
