import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import {
  CAMPAIGN_PRIORITIES,
  CAMPAIGN_STATUSES,
  type Campaign,
  campaignFolder,
  campaignTags,
} from '../../model/campaign/campaign'
import { channelsOf } from '../../model/sequence/channels-of'
import { CHANNELS } from '../../model/sequence/step-kinds'
import { CAMPAIGN_PRIORITY_RANK } from '../../scheduler/priority'
import { fold } from '../analytics/analytics-queries'
import { type EngineContext, inTransaction } from '../engine-context'
import {
  canonicalInstant,
  epochMs,
  type ListPosition,
  type Page,
  queryId,
  readCursor,
  writeCursor,
} from './list-cursor'

export interface CampaignListOptions {
  readonly status?: Campaign['status'] | readonly Campaign['status'][]
  /** Campaigns of this identity (not those that lost it when it was deleted). */
  readonly identityId?: string
  readonly priority?: Campaign['priority']
  /** Campaigns in this folder; `null` for campaigns in no folder. */
  readonly folder?: string | null
  /** Campaigns with this tag (matched without case). */
  readonly tag?: string
  /** Campaigns whose sequence uses this channel. */
  readonly channel?: 'linkedin' | 'email' | 'tasks'
  /** Text in the campaign's name (without case or accents). */
  readonly search?: string
  /** Created at or after this instant. */
  readonly createdFrom?: string | Date
  /** Created before this instant. */
  readonly createdTo?: string | Date
  /**
   * `newest` (created, default), `oldest`, `name`, or `priority`: the order an identity's daily capacity
   * goes to campaigns (running ones first, high priority before medium and low, then the oldest).
   */
  readonly order?: 'newest' | 'oldest' | 'name' | 'priority'
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

const status = z.enum(CAMPAIGN_STATUSES)
const instant = z.union([z.iso.datetime({ offset: true }), z.date()])
/** The campaign filters, shared with the campaigns export. */
export const campaignFilterFields = {
  status: z.union([status, z.array(status).min(1)]).optional(),
  identityId: z.string().trim().min(1).max(200).optional(),
  priority: z.enum(CAMPAIGN_PRIORITIES).optional(),
  folder: z.string().trim().min(1).max(200).nullable().optional(),
  tag: z.string().trim().min(1).max(50).optional(),
  channel: z.enum(CHANNELS).optional(),
  search: z.string().trim().min(1).max(200).optional(),
  createdFrom: instant.optional(),
  createdTo: instant.optional(),
  order: z.enum(['newest', 'oldest', 'name', 'priority']).optional(),
}

/** Refuses a created-date range that ends before it starts. */
export function refineCreatedRange(
  filter: {
    readonly createdFrom?: string | Date | undefined
    readonly createdTo?: string | Date | undefined
  },
  context: z.RefinementCtx,
): void {
  if (
    filter.createdFrom !== undefined &&
    filter.createdTo !== undefined &&
    epochMs(filter.createdFrom) >= epochMs(filter.createdTo)
  )
    context.addIssue({
      code: 'custom',
      path: ['createdTo'],
      message: 'must be after createdFrom; the period is inverted or empty',
      params: { rule: 'invalid_period' },
    })
}

const campaignListSchema = z
  .strictObject({
    ...campaignFilterFields,
    after: z.string().min(1).max(2000).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .superRefine(refineCreatedRange)

/** Campaigns, filtered and ordered, a page at a time. A workspace's campaigns are few: they are read whole. */
export async function listCampaigns(
  context: EngineContext,
  options: CampaignListOptions = {},
): Promise<Page<Campaign>> {
  const subject = 'engine.campaigns.list options'
  const filter = parseInput(campaignListSchema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const order = filter.order ?? 'newest'
  const query = queryId('campaigns', {
    ...filter,
    createdFrom: canonicalInstant(filter.createdFrom),
    createdTo: canonicalInstant(filter.createdTo),
  })
  const start = filter.after === undefined ? undefined : readCursor(filter.after, query, subject)
  const limit = filter.limit ?? 50
  const records = await inTransaction(context, (store) => store.query('campaigns'), { readOnly: true })
  const statuses = filter.status === undefined ? undefined : [filter.status].flat()
  const needle = filter.search === undefined ? undefined : fold(filter.search)
  const tag = filter.tag?.toLowerCase()
  const rows = records
    .map((record) => record.campaign)
    .filter((campaign) => {
      if (statuses !== undefined && !statuses.includes(campaign.status)) return false
      // A campaign that lost its identity is no longer that identity's, even if the id is used again.
      if (
        filter.identityId !== undefined &&
        (campaign.identityId !== filter.identityId || campaign.identityDeletedAt !== undefined)
      )
        return false
      if (filter.priority !== undefined && campaign.priority !== filter.priority) return false
      if (filter.folder !== undefined && (campaignFolder(campaign) ?? null) !== filter.folder) return false
      if (tag !== undefined && !campaignTags(campaign).some((each) => each.toLowerCase() === tag))
        return false
      if (filter.channel !== undefined && !channelsOf(campaign.sequence).includes(filter.channel))
        return false
      if (needle !== undefined && !fold(campaign.name).includes(needle)) return false
      const created = campaign.createdAt === undefined ? 0 : Date.parse(campaign.createdAt)
      if (filter.createdFrom !== undefined && created < epochMs(filter.createdFrom)) return false
      if (filter.createdTo !== undefined && created >= epochMs(filter.createdTo)) return false
      return true
    })
    .map((campaign) => ({ campaign, position: positionOf(campaign, order) }))
    .sort((a, b) => compare(a.position, b.position) * (order === 'newest' ? -1 : 1))
  const from =
    start === undefined
      ? 0
      : rows.findIndex((row) => compare(row.position, start) * (order === 'newest' ? -1 : 1) > 0)
  const page = from === -1 ? [] : rows.slice(from, from + limit)
  const last = page[page.length - 1]
  const more = from !== -1 && from + limit < rows.length
  return more && last !== undefined
    ? { items: page.map((row) => row.campaign), next: writeCursor(query, last.position) }
    : { items: page.map((row) => row.campaign) }
}

/** The value a campaign sorts by, then its id. */
function positionOf(campaign: Campaign, order: 'newest' | 'oldest' | 'name' | 'priority'): ListPosition {
  const created = campaign.createdAt === undefined ? 0 : Date.parse(campaign.createdAt)
  switch (order) {
    case 'name':
      return { v: fold(campaign.name), k: campaign.id }
    case 'priority': {
      // Running campaigns get capacity; then high before medium before low; then the oldest first.
      const running = campaign.status === 'running' ? 0 : 1
      return { v: (running * 3 + CAMPAIGN_PRIORITY_RANK[campaign.priority]) * 1e13 + created, k: campaign.id }
    }
    default:
      return { v: created, k: campaign.id }
  }
}

function compare(a: ListPosition, b: ListPosition): number {
  if (a.v !== b.v) return a.v < b.v ? -1 : 1
  return a.k < b.k ? -1 : a.k > b.k ? 1 : 0
}
