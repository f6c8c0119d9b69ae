import type { Readable } from 'node:stream'
import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import type { Campaign } from '../../model/campaign/campaign'
import { describeLeadState, LEAD_SUBSTATUSES } from '../../model/lead/lead-status'
import { describeStep } from '../../model/sequence/format-sequence'
import { describeWaitReason } from '../../scheduler/wait-reason'
import { notFound } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import { type LeadListOptions, leadListSchema, listLeads } from '../lists/lead-list'
import { eachPage } from '../lists/list-cursor'
import type { LeadView } from '../queries'
import type { ActionRecord } from '../records'
import type { Store } from '../store'
import { type CsvColumn, type CsvOptions, type CsvRow, csvFields, csvStream, isoTime } from './csv-stream'

/** Which leads of a campaign to export (the lead list's filters and order), and how. */
export type AudienceExportOptions = Omit<LeadListOptions, 'after' | 'limit'> & CsvOptions

const COLUMNS = [
  { key: 'leadId', header: 'Lead ID' },
  { key: 'firstName', header: 'First name' },
  { key: 'lastName', header: 'Last name' },
  { key: 'email', header: 'Email' },
  { key: 'company', header: 'Company' },
  { key: 'jobTitle', header: 'Job title' },
  { key: 'linkedin', header: 'LinkedIn' },
  { key: 'status', header: 'Status' },
  { key: 'substatus', header: 'Substatus' },
  { key: 'state', header: 'State' },
  { key: 'reason', header: 'Reason' },
  { key: 'stepId', header: 'Current step ID' },
  { key: 'step', header: 'Current step' },
  { key: 'lastActivityAt', header: 'Last activity at' },
  { key: 'lastActivity', header: 'Last activity' },
  { key: 'tags', header: 'Tags' },
] as const satisfies readonly CsvColumn[]

type Column = (typeof COLUMNS)[number]['key']

const schema = leadListSchema.omit({ after: true, limit: true }).extend(csvFields)

/** A page of leads per read transaction: the export never holds more than that and the stream's buffer. */
const PAGE = 500

/**
 * A campaign's audience as CSV: one row per lead, with its contact details, status and substatus (and the
 * reason in words), the step it is at, its last activity in the campaign and its conversations' tags.
 */
export async function exportAudience(
  context: EngineContext,
  campaignId: string,
  options: AudienceExportOptions = {},
): Promise<Readable> {
  const subject = 'engine.csv.audience options'
  const { bom, ...filter } = parseInput(schema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const id = parseInput(
    z.string().trim().min(1).max(200),
    campaignId,
    'engine.csv.audience campaignId',
    PacelineErrorCodes.invalidQuery,
  )
  const record = await inTransaction(context, (store) => store.get('campaigns', id), { readOnly: true })
  if (record === undefined) throw notFound('campaign', id)
  const campaign = record.campaign
  const steps = new Map(
    Object.entries(campaign.sequence.steps).map(([stepId, step]) => [stepId, describeStep(step)]),
  )
  async function* rows(): AsyncGenerator<CsvRow<Column>> {
    const pages = eachPage((after) =>
      listLeads(context, id, { ...filter, limit: PAGE, ...(after === undefined ? {} : { after }) }),
    )
    for await (const views of pages) {
      const extras = await inTransaction(context, (store) => extrasOf(store, campaign, views), {
        readOnly: true,
      })
      for (const view of views) yield rowOf(view, steps, extras.get(view.leadId))
    }
  }
  return csvStream(COLUMNS, rows(), { bom: bom === true })
}

interface Extras {
  readonly lastActivity?: ActionRecord
  readonly tags: readonly string[]
}

/** Each lead's last logged activity in the campaign and its conversations' tags, in one read. */
async function extrasOf(
  store: Store,
  campaign: Campaign,
  views: readonly LeadView[],
): Promise<Map<string, Extras>> {
  const out = new Map<string, Extras>()
  for (const view of views) {
    const lastActivity = await lastActivityOf(store, campaign.id, view.leadId)
    const tags = new Set<string>()
    for (const conversation of await store.query('conversations', {
      index: 'byLead',
      equals: [view.leadId, campaign.identityId],
    }))
      if (conversation.campaignId === campaign.id) for (const tag of conversation.tags) tags.add(tag.name)
    out.set(view.leadId, { ...(lastActivity === undefined ? {} : { lastActivity }), tags: [...tags] })
  }
  return out
}

/** Log entries that record the engine's own bookkeeping rather than something done or answered. */
const BOOKKEEPING = new Set(['lead-status-changed', 'condition-evaluated', 'connection-checked'])

/**
 * The lead's newest activity in this campaign: something done or answered, not a status change or a
 * condition check (the lead's log, newest first, a few entries at a time).
 */
async function lastActivityOf(
  store: Store,
  campaignId: string,
  leadId: string,
): Promise<ActionRecord | undefined> {
  let after: string | undefined
  for (;;) {
    const read = await store.query('actions', {
      index: 'byLead',
      equals: [leadId],
      order: 'desc',
      limit: 20,
      ...(after === undefined ? {} : { after }),
    })
    const found = read.find((action) => action.campaignId === campaignId && !BOOKKEEPING.has(action.type))
    if (found !== undefined || read.length < 20) return found
    after = (read[read.length - 1] as ActionRecord).key
  }
}

function rowOf(
  view: LeadView,
  steps: ReadonlyMap<string, string>,
  extras: Extras | undefined,
): CsvRow<Column> {
  const profile = view.profile
  const email = profile.professionalEmail ?? profile.personalEmail
  const detail = 'detail' in view.state ? view.state.detail : undefined
  const reason =
    describeWaitReason(view) ??
    (view.substatus === null
      ? null
      : [LEAD_SUBSTATUSES[view.substatus].description, detail].filter(Boolean).join(' '))
  return {
    leadId: view.leadId,
    firstName: profile.firstName,
    lastName: profile.lastName,
    email,
    company: profile.company?.name,
    jobTitle: profile.jobTitle,
    linkedin: profile.linkedinUrl ?? profile.linkedinProfileId,
    status: view.status,
    substatus: view.substatus,
    state: describeLeadState(view.state),
    reason,
    stepId: view.stepId,
    step: view.stepId === null ? null : steps.get(view.stepId),
    lastActivityAt: isoTime(extras?.lastActivity?.at),
    lastActivity: extras?.lastActivity?.type,
    tags: extras?.tags.join('; '),
  }
}
