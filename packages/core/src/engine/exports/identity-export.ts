import type { Readable } from 'node:stream'
import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import {
  type IdentityDashboard,
  type IdentityDashboardOptions,
  identitiesAnalytics,
  identityDailyAnalytics,
} from '../analytics/analytics-queries'
import { type PeriodOptions, periodFields } from '../analytics/period'
import type { EngineContext } from '../engine-context'
import { type CsvColumn, type CsvOptions, type CsvRow, csvFields, csvStream, ratio } from './csv-stream'

export type IdentityExportOptions = PeriodOptions & CsvOptions
export type IdentitiesExportOptions = IdentityDashboardOptions & CsvOptions

const DASHBOARD_COLUMNS = [
  { key: 'periodFrom', header: 'Period from' },
  { key: 'periodTo', header: 'Period to' },
  { key: 'timeZone', header: 'Time zone' },
  { key: 'connectionsSent', header: 'Connection requests sent' },
  { key: 'connectionsAccepted', header: 'Connection requests accepted' },
  { key: 'acceptanceRate', header: 'Acceptance rate' },
  { key: 'connectionsAllowed', header: 'Connection requests allowed' },
  { key: 'linkedinMessagesSent', header: 'LinkedIn messages sent' },
  { key: 'linkedinMessagesAllowed', header: 'LinkedIn messages allowed' },
  { key: 'emailsSent', header: 'Emails sent' },
  { key: 'emailsAllowed', header: 'Emails allowed' },
  { key: 'replied', header: 'Replies' },
  { key: 'bounced', header: 'Bounced' },
  { key: 'bounceRate', header: 'Bounce rate' },
] as const satisfies readonly CsvColumn[]

const IDENTITY_COLUMNS = [
  { key: 'identityId', header: 'Identity ID' },
  { key: 'name', header: 'Name' },
  ...DASHBOARD_COLUMNS,
] as const satisfies readonly CsvColumn[]

const DAY_COLUMNS = [
  { key: 'date', header: 'Date' },
  ...DASHBOARD_COLUMNS,
] as const satisfies readonly CsvColumn[]

type DashboardColumn = (typeof DASHBOARD_COLUMNS)[number]['key']

const identitySchema = z.strictObject({ ...periodFields, ...csvFields })
const identitiesSchema = z.strictObject({
  ...periodFields,
  search: z.string().max(200).optional(),
  ...csvFields,
})

/**
 * One identity's dashboard as CSV: a row per local day of the period (default: today in the identity's time
 * zone), then a `total` row for the whole period.
 */
export async function exportIdentity(
  context: EngineContext,
  identityId: string,
  options: IdentityExportOptions = {},
): Promise<Readable> {
  const subject = 'engine.csv.identity'
  const { bom, ...period } = parseInput(
    identitySchema,
    options ?? {},
    `${subject} options`,
    PacelineErrorCodes.invalidQuery,
  )
  const { total, days } = await identityDailyAnalytics(context, identityId, period, subject)
  async function* rows(): AsyncGenerator<CsvRow<'date' | DashboardColumn>> {
    for (const day of days) yield { date: day.date, ...dashboardRow(day.dashboard) }
    yield { date: 'total', ...dashboardRow(total) }
  }
  return csvStream(DAY_COLUMNS, rows(), { bom: bom === true })
}

/** The identities dashboard as CSV: a row per identity (or those whose name contains `search`), by name. */
export async function exportIdentities(
  context: EngineContext,
  options: IdentitiesExportOptions = {},
): Promise<Readable> {
  const { bom, ...query } = parseInput(
    identitiesSchema,
    options ?? {},
    'engine.csv.identities options',
    PacelineErrorCodes.invalidQuery,
  )
  const dashboards = await identitiesAnalytics(context, query)
  async function* rows(): AsyncGenerator<CsvRow<'identityId' | 'name' | DashboardColumn>> {
    for (const dashboard of dashboards)
      yield { identityId: dashboard.identityId, name: dashboard.name, ...dashboardRow(dashboard) }
  }
  return csvStream(IDENTITY_COLUMNS, rows(), { bom: bom === true })
}

function dashboardRow(dashboard: IdentityDashboard): CsvRow<DashboardColumn> {
  return {
    periodFrom: dashboard.period.from,
    periodTo: dashboard.period.to,
    timeZone: dashboard.period.timeZone,
    connectionsSent: dashboard.connections.sent,
    connectionsAccepted: dashboard.connections.accepted,
    acceptanceRate: ratio(dashboard.connections.accepted, dashboard.connections.sent),
    connectionsAllowed: dashboard.connections.allowed,
    linkedinMessagesSent: dashboard.linkedinMessages.sent,
    linkedinMessagesAllowed: dashboard.linkedinMessages.allowed,
    emailsSent: dashboard.emails.sent,
    emailsAllowed: dashboard.emails.allowed,
    replied: dashboard.replied,
    bounced: dashboard.bounced,
    bounceRate: ratio(dashboard.bounced, dashboard.emails.sent),
  }
}
