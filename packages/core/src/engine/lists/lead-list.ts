import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { pausesLeads } from '../../model/campaign/campaign'
import { LEAD_STATUSES, LEAD_SUBSTATUSES, type LeadSubstatus } from '../../model/lead/lead-status'
import { notFound } from '../admin'
import { type Engagement, engagementKey } from '../analytics/action-metrics'
import { fold } from '../analytics/analytics-queries'
import { ensureAnalytics } from '../analytics/analytics-rebuild'
import { tagKey } from '../conversations/conversation-log'
import { type EngineContext, inTransaction } from '../engine-context'
import { loadCounters } from '../lane-gates'
import { type LeadView, viewOf } from '../queries'
import { enrolmentKey } from '../record-factory'
import type { CampaignRecord, ConversationRecord, EnrolmentRecord, IdentityRecord } from '../records'
import type { Store } from '../store'
import { scanIndex } from './index-scan'
import { type ListPosition, type Page, queryId, readCursor, writeCursor } from './list-cursor'

/** What a lead has done in a campaign, to filter the audience by (any of them when several are given). */
export const LEAD_ENGAGEMENTS = {
  connection_sent: 'invited',
  connection_accepted: 'accepted',
  sent_message: 'contacted',
  replied: 'replied',
  bounced: 'bounced',
  opened: 'opened',
  clicked: 'clicked',
} as const

export type LeadEngagement = keyof typeof LEAD_ENGAGEMENTS

export interface LeadListOptions {
  /** As the lead views show it (the active leads of a paused campaign are paused). */
  readonly status?: LeadView['status']
  readonly substatus?: LeadSubstatus
  /** Leads at this step of the sequence. */
  readonly stepId?: string
  /** Leads whose conversation in this campaign has this tag (matched without case). */
  readonly tag?: string
  /** Text in the lead's name, company or email (without case or accents). */
  readonly search?: string
  /** Leads that did at least one of these. */
  readonly engagement?: LeadEngagement | readonly LeadEngagement[]
  /** By time added: newest first (default) or oldest first. With `tag`, by the conversation's activity. */
  readonly order?: 'newest' | 'oldest'
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

const engagementName = z.enum(Object.keys(LEAD_ENGAGEMENTS) as [LeadEngagement, ...LeadEngagement[]])
export const leadListSchema = z.strictObject({
  status: z.enum(LEAD_STATUSES).optional(),
  substatus: z.enum(Object.keys(LEAD_SUBSTATUSES) as [LeadSubstatus, ...LeadSubstatus[]]).optional(),
  stepId: z.string().min(1).max(64).optional(),
  tag: z.string().trim().min(1).max(100).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  engagement: z.union([engagementName, z.array(engagementName).min(1).max(7)]).optional(),
  order: z.enum(['newest', 'oldest']).optional(),
  after: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

type Filter = z.output<typeof leadListSchema>

/**
 * A campaign's leads, a page at a time, filtered and ordered, read from an index (by status, step, tag or
 * time added); the other filters narrow what it returns.
 */
export async function listLeads(
  context: EngineContext,
  campaignId: string,
  options: LeadListOptions = {},
): Promise<Page<LeadView>> {
  const subject = 'engine.leads.list options'
  const filter = parseInput(leadListSchema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const query = queryId('leads', { campaignId, ...filter })
  const start = filter.after === undefined ? undefined : readCursor(filter.after, query, subject)
  const limit = filter.limit ?? 50
  await ensureAnalytics(context)
  return inTransaction(
    context,
    async (store) => {
      const campaign = await store.get('campaigns', campaignId)
      if (campaign === undefined) throw notFound('campaign', campaignId)
      const identity = await store.get('identities', campaign.campaign.identityId)
      const items: LeadView[] = []
      let last: ListPosition | undefined
      let more = false
      for await (const batch of candidates(store, campaign, filter, start, limit)) {
        for (const { view, position } of await matching(context, store, campaign, identity, filter, batch)) {
          if (items.length === limit) {
            more = true
            break
          }
          items.push(view)
          last = position
        }
        if (more) break
      }
      return more && last !== undefined ? { items, next: writeCursor(query, last) } : { items }
    },
    { readOnly: true },
  )
}

/** A lead's place in every campaign it was added to. */
export async function findLead(context: EngineContext, leadId: string): Promise<LeadView[]> {
  const id = parseInput(
    z.string().trim().min(1).max(200),
    leadId,
    'engine.leads.find leadId',
    PacelineErrorCodes.invalidQuery,
  )
  return inTransaction(
    context,
    async (store) => {
      const lead = await store.get('leads', id)
      if (lead === undefined) throw notFound('lead', id)
      const views: LeadView[] = []
      for await (const enrolment of store.all('enrolments', { index: 'byLead', equals: [id] })) {
        const campaign = await store.get('campaigns', enrolment.campaignId)
        const identity = await store.get('identities', enrolment.identityId)
        views.push(await viewOf(context, store, enrolment, campaign, identity))
      }
      return views
    },
    { readOnly: true },
  )
}

interface Candidate {
  readonly enrolment: EnrolmentRecord
  readonly position: ListPosition
}

const FROZEN_BY_PAUSE = new Set(['not_started', 'in_progress', 'error'])

/** Batches of enrolments from the index that fits the filter best, in list order. */
async function* candidates(
  store: Store,
  campaign: CampaignRecord,
  filter: Filter,
  start: ListPosition | undefined,
  limit: number,
): AsyncGenerator<Candidate[]> {
  const order = filter.order === 'oldest' ? 'asc' : 'desc'
  const paused = pausesLeads(campaign.campaign)
  // Filters the index does not answer drop some candidates: read ahead then. Otherwise a page and one more
  // (to know whether there is a next page) is all a page needs.
  const narrowed =
    filter.search !== undefined ||
    filter.engagement !== undefined ||
    filter.substatus !== undefined ||
    filter.tag !== undefined ||
    (filter.stepId !== undefined && filter.status !== undefined) ||
    (paused && filter.status !== undefined)
  const batch = narrowed ? Math.max(limit * 2, 100) : limit + 1
  // A paused campaign shows its active leads as paused: those statuses have no leads to show, and "paused"
  // spans several stored statuses, so it is read by time added.
  if (paused && filter.status !== undefined && FROZEN_BY_PAUSE.has(filter.status)) return
  if (filter.tag !== undefined) {
    yield* taggedCandidates(store, campaign.id, tagKey(filter.tag), order, start, batch)
    return
  }
  const byStatus = filter.status !== undefined && !(paused && filter.status === 'paused')
  const scan = byStatus
    ? { index: 'byCampaignStatus', equals: [campaign.id, filter.status as string] }
    : filter.stepId !== undefined
      ? { index: 'byCampaignStep', equals: [campaign.id, filter.stepId] }
      : { index: 'byCampaignEnrolled', equals: [campaign.id] }
  let pending: Candidate[] = []
  for await (const { document, position } of scanIndex<EnrolmentRecord>(store, {
    collection: 'enrolments',
    ...scan,
    order,
    ...(start === undefined ? {} : { start }),
    value: (enrolment) => enrolment.enrolledAt,
    key: (enrolment) => enrolment.key,
    batch,
  })) {
    pending.push({ enrolment: document, position })
    if (pending.length === batch) {
      yield pending
      pending = []
    }
  }
  if (pending.length > 0) yield pending
}

/**
 * Leads by a tag of their conversation in this campaign, newest activity first: read from the tag index.
 * A lead with the tag on two channels is listed once, at its most recent tagged conversation.
 */
async function* taggedCandidates(
  store: Store,
  campaignId: string,
  tag: string,
  order: 'asc' | 'desc',
  start: ListPosition | undefined,
  batch: number,
): AsyncGenerator<Candidate[]> {
  let pending: Candidate[] = []
  for await (const { document, position } of scanIndex<{
    conversationId: string
    lastActivityAt: number
    key: string
  }>(store, {
    collection: 'conversationTags',
    index: 'byTag',
    equals: [tag],
    order,
    ...(start === undefined ? {} : { start }),
    value: (entry) => entry.lastActivityAt,
    key: (entry) => entry.key,
    batch,
  })) {
    const conversation = await store.get('conversations', document.conversationId)
    if (conversation === undefined || conversation.campaignId !== campaignId) continue
    if (!(await isLatestTagged(store, conversation, tag))) continue
    const enrolment = await store.get('enrolments', enrolmentKey(campaignId, conversation.leadId))
    if (enrolment === undefined) continue
    pending.push({ enrolment, position })
    if (pending.length === batch) {
      yield pending
      pending = []
    }
  }
  if (pending.length > 0) yield pending
}

async function isLatestTagged(store: Store, conversation: ConversationRecord, tag: string): Promise<boolean> {
  const others = await store.query('conversations', { index: 'byLead', equals: [conversation.leadId] })
  return !others.some(
    (other) =>
      other.key !== conversation.key &&
      other.campaignId === conversation.campaignId &&
      other.tags.some((each) => tagKey(each.name) === tag) &&
      (other.lastActivityAt > conversation.lastActivityAt ||
        (other.lastActivityAt === conversation.lastActivityAt && other.key > conversation.key)),
  )
}

/** The candidates that pass every filter, as lead views. */
async function matching(
  context: EngineContext,
  store: Store,
  campaign: CampaignRecord,
  identity: IdentityRecord | undefined,
  filter: Filter,
  batch: readonly Candidate[],
): Promise<{ view: LeadView; position: ListPosition }[]> {
  let rows = [...batch]
  if (filter.stepId !== undefined) rows = rows.filter((row) => row.enrolment.stepId === filter.stepId)
  if (filter.engagement !== undefined) {
    const wanted = (Array.isArray(filter.engagement) ? filter.engagement : [filter.engagement]).map(
      (name) => LEAD_ENGAGEMENTS[name as LeadEngagement] as string,
    )
    const keys = rows.map((row) => engagementKey(campaign.id, row.enrolment.leadId))
    const found = new Map(
      (await store.getMany('state', keys)).map((doc) => [doc.key, doc.value as Engagement]),
    )
    rows = rows.filter((row) => {
      const flags = found.get(engagementKey(campaign.id, row.enrolment.leadId))?.flags ?? []
      return wanted.some((flag) => flags.includes(flag))
    })
  }
  const leads = new Map(
    (
      await store.getMany(
        'leads',
        rows.map((row) => row.enrolment.leadId),
      )
    ).map((lead) => [lead.id, lead]),
  )
  if (filter.search !== undefined) {
    const needle = fold(filter.search)
    rows = rows.filter((row) => {
      const profile = leads.get(row.enrolment.leadId)?.lead.profile ?? {}
      const haystack = [
        profile.firstName,
        profile.lastName,
        profile.company?.name,
        profile.professionalEmail,
        profile.personalEmail,
      ]
        .filter((value): value is string => typeof value === 'string')
        .join(' ')
      return fold(haystack).includes(needle)
    })
  }
  const counters = identity === undefined ? undefined : await loadCounters(store, identity.id)
  const out: { view: LeadView; position: ListPosition }[] = []
  for (const row of rows) {
    // The page's leads and the identity's counters are read once, not once per lead.
    const view = await viewOf(context, store, row.enrolment, campaign, identity, {
      lead: leads.get(row.enrolment.leadId) ?? null,
      ...(counters === undefined ? {} : { counters }),
    })
    if (filter.status !== undefined && view.status !== filter.status) continue
    if (filter.substatus !== undefined && view.substatus !== filter.substatus) continue
    out.push({ view, position: row.position })
  }
  return out
}
