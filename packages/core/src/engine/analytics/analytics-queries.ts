import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { notFound } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import type { CampaignRecord, IdentityRecord } from '../records'
import type { Store } from '../store'
import { allTime, countsOver, edgeHour, hours, sum } from './analytics-counters'
import { ensureAnalytics } from './analytics-rebuild'
import { type AudienceSummary, audienceFrom } from './audience-summary'
import { type CampaignMetrics, campaignMetrics } from './campaign-metrics'
import { type DailyActivity, dailyActivity } from './daily-activity'
import { audienceCounts } from './enrolment-metrics'
import { type IdentityDashboard, identityDashboard } from './identity-dashboard'

export type { IdentityDashboard }

import {
  countsByLocalDay,
  type PeriodOptions,
  type PeriodView,
  periodFields,
  periodView,
  type ResolvedPeriod,
  resolvePeriod,
} from './period'
import { progressByAction, type StepProgress } from './progress-by-action'

/** A campaign's Overview: funnels per channel, tagged conversations, where its leads are, and per step. */
export interface CampaignAnalytics extends CampaignMetrics {
  readonly campaignId: string
  readonly period: PeriodView
  /** Where the leads are now (not limited to the period). */
  readonly audience: AudienceSummary
  /** Per step, in sequence order. */
  readonly progress: readonly StepProgress[]
}

export interface IdentityDashboardOptions extends PeriodOptions {
  /** Only identities whose name contains this text (without case or accents). */
  readonly search?: string
}

const id = z.string().trim().min(1).max(200)
const periodSchema = z.strictObject(periodFields)
const identitiesSchema = z.strictObject({ ...periodFields, search: z.string().max(200).optional() })

export async function campaignAnalytics(
  context: EngineContext,
  campaignId: string,
  options: PeriodOptions = {},
): Promise<CampaignAnalytics> {
  const { key, period } = await campaignQuery(context, 'engine.analytics.campaign', campaignId, options)
  return inTransaction(
    context,
    async (store) => {
      const record = await requireCampaign(store, key)
      const totals = await allTime(store, 'campaign', key)
      const counts =
        period.from === null && period.to >= context.now()
          ? totals
          : await countsOver(store, 'campaign', key, period.from, period.to)
      const now = await audienceCounts(store, key)
      const audience = audienceFrom(now, record.campaign)
      return {
        campaignId: key,
        period: periodView(period),
        ...campaignMetrics(counts, totals, audience.total),
        audience,
        progress: progressByAction(record.campaign, counts, now),
      }
    },
    { readOnly: true },
  )
}

/** A campaign's activity per local day. */
export interface CampaignDailyActivity {
  readonly campaignId: string
  readonly period: PeriodView
  /** Every day of the period (from the first activity when the period has no start), oldest first. */
  readonly days: readonly DailyActivity[]
}

/** A campaign's activity per local day of the period, for charts. */
export async function campaignDailyActivity(
  context: EngineContext,
  campaignId: string,
  options: PeriodOptions = {},
): Promise<CampaignDailyActivity> {
  const { key, period } = await campaignQuery(context, 'engine.analytics.daily', campaignId, options)
  return inTransaction(
    context,
    async (store) => {
      await requireCampaign(store, key)
      const read = await hours(store, 'campaign', key, period.from ?? 0, period.to)
      const first = period.from ?? read[0]?.bucket ?? period.to - 1
      return { campaignId: key, period: periodView(period), days: dailyActivity(read, period, first) }
    },
    { readOnly: true },
  )
}

/** One identity's dashboard; without a period, today in the identity's time zone. */
export async function identityAnalytics(
  context: EngineContext,
  identityId: string,
  options: PeriodOptions = {},
): Promise<IdentityDashboard> {
  const subject = 'engine.analytics.identity'
  const key = parse(id, identityId, `${subject} identityId`)
  const fields = parse(periodSchema, options ?? {}, `${subject} options`)
  await ensureAnalytics(context)
  return inTransaction(
    context,
    async (store) => {
      const record = await requireIdentity(store, key)
      return dashboardOf(context, store, record, fields, subject)
    },
    { readOnly: true },
  )
}

/** Every identity's dashboard (or those whose name matches `search`), by name. */
export async function identitiesAnalytics(
  context: EngineContext,
  options: IdentityDashboardOptions = {},
): Promise<IdentityDashboard[]> {
  const subject = 'engine.analytics.identities'
  const { search, ...fields } = parse(identitiesSchema, options ?? {}, `${subject} options`)
  await ensureAnalytics(context)
  const needle = search === undefined ? '' : fold(search.trim())
  return inTransaction(
    context,
    async (store) => {
      const out: IdentityDashboard[] = []
      for await (const record of store.all('identities')) {
        if (needle !== '' && !fold(record.identity.name).includes(needle)) continue
        out.push(await dashboardOf(context, store, record, fields, subject))
      }
      return out.sort((a, b) => a.name.localeCompare(b.name))
    },
    { readOnly: true },
  )
}

/** An identity's dashboard for the whole period and for each of its local days. */
export interface IdentityDailyDashboards {
  readonly total: IdentityDashboard
  /** Every local day of the period in its time zone (from the first activity when it has no start). */
  readonly days: readonly { readonly date: string; readonly dashboard: IdentityDashboard }[]
}

/** One identity's dashboard per local day of the period (default: today in the identity's time zone). */
export async function identityDailyAnalytics(
  context: EngineContext,
  identityId: string,
  options: PeriodOptions,
  subject: string,
): Promise<IdentityDailyDashboards> {
  const key = parse(id, identityId, `${subject} identityId`)
  const fields = parse(periodSchema, options ?? {}, `${subject} options`)
  await ensureAnalytics(context)
  return inTransaction(
    context,
    async (store) => {
      const record = await requireIdentity(store, key)
      const period = resolvePeriod(fields, subject, context.now(), {
        timeZone: record.identity.workingHours.timezone,
        today: true,
      })
      // The days need every hour of the period anyway: the total is their sum, read once.
      const read = await hours(store, 'identity', record.id, period.from ?? 0, period.to)
      const first = read[0]?.bucket ?? period.to - 1
      const total = identityDashboard(record.identity, sum(read), period, first)
      const days = countsByLocalDay(read, period, first).map(({ day, counts }) => ({
        date: day.date,
        dashboard: identityDashboard(
          record.identity,
          counts,
          {
            from: Math.max(day.start, period.from ?? day.start),
            to: Math.min(day.end, period.to),
            timeZone: period.timeZone,
          },
          first,
        ),
      }))
      return { total, days }
    },
    { readOnly: true },
  )
}

async function dashboardOf(
  context: EngineContext,
  store: Store,
  record: IdentityRecord,
  fields: z.output<typeof periodSchema>,
  subject: string,
): Promise<IdentityDashboard> {
  const period = resolvePeriod(fields, subject, context.now(), {
    timeZone: record.identity.workingHours.timezone,
    today: true,
  })
  const counts =
    period.from === null && period.to >= context.now()
      ? await allTime(store, 'identity', record.id)
      : await countsOver(store, 'identity', record.id, period.from, period.to)
  // Without a start, the working days are counted from the first activity.
  const first = period.from === null ? await edgeHour(store, 'identity', record.id, 0, period.to) : undefined
  return identityDashboard(record.identity, counts, period, first ?? period.to - 1, record.warmup)
}

/** A campaign query's id and period, checked, once the counters cover the workspace's history. */
async function campaignQuery(
  context: EngineContext,
  subject: string,
  campaignId: string,
  options: PeriodOptions,
): Promise<{ readonly key: string; readonly period: ResolvedPeriod }> {
  const key = parse(id, campaignId, `${subject} campaignId`)
  const fields = parse(periodSchema, options ?? {}, `${subject} options`)
  const period = resolvePeriod(fields, subject, context.now(), { timeZone: 'UTC' })
  await ensureAnalytics(context)
  return { key, period }
}

async function requireIdentity(store: Store, identityId: string): Promise<IdentityRecord> {
  const record = await store.get('identities', identityId)
  if (record === undefined) throw notFound('identity', identityId)
  return record
}

async function requireCampaign(store: Store, campaignId: string): Promise<CampaignRecord> {
  const record = await store.get('campaigns', campaignId)
  if (record === undefined) throw notFound('campaign', campaignId)
  return record
}

/** Lower case without accents, for searching names. */
export const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()

function parse<S extends z.ZodType>(schema: S, input: unknown, subject: string): z.output<S> {
  return parseInput(schema, input, subject, PacelineErrorCodes.invalidQuery)
}
