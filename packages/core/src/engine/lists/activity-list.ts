import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { toEvent } from '../action-log'
import { type PeriodOptions, periodFields, resolvePeriod } from '../analytics/period'
import { type EngineContext, inTransaction } from '../engine-context'
import { ENGINE_EVENT_TYPES, type EngineEvent, type EngineEventType } from '../engine-events'
import type { ActionRecord } from '../records'
import type { Store } from '../store'
import { scanIndex } from './index-scan'
import {
  canonicalInstant,
  type ListPosition,
  type Page,
  queryId,
  readCursor,
  writeCursor,
} from './list-cursor'

/** Which entries of the activity log to list. The period is `from`/`to` or `since`/`until` in `timeZone`. */
export interface ActivityListOptions extends PeriodOptions {
  readonly campaignId?: string
  readonly leadId?: string
  readonly identityId?: string
  /** Only these types (e.g. `message-sent`, `reply-received`). */
  readonly types?: readonly EngineEventType[]
  /** Only entries of this sequence step. */
  readonly stepId?: string
  /** `newest` first (default) or `oldest` first. */
  readonly order?: 'newest' | 'oldest'
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

const id = z.string().trim().min(1).max(200)
const eventType = z.enum(ENGINE_EVENT_TYPES)
export const activityFilterFields = {
  campaignId: id.optional(),
  leadId: id.optional(),
  identityId: id.optional(),
  types: z.array(eventType).min(1).max(50).optional(),
  stepId: z.string().min(1).max(64).optional(),
  ...periodFields,
}
export const activityListSchema = z.strictObject({
  ...activityFilterFields,
  order: z.enum(['newest', 'oldest']).optional(),
  after: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

export type ActivityFilter = z.output<z.ZodObject<typeof activityFilterFields>>

/** The activity log, a page at a time, from the index of the narrowest scope given (lead, campaign, identity). */
export async function listActivity(
  context: EngineContext,
  options: ActivityListOptions = {},
): Promise<Page<EngineEvent>> {
  const subject = 'engine.activity.list options'
  const filter = parseInput(activityListSchema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const order = filter.order === 'oldest' ? 'asc' : 'desc'
  const query = queryId('activity', {
    ...filter,
    from: canonicalInstant(filter.from),
    to: canonicalInstant(filter.to),
  })
  const start = filter.after === undefined ? undefined : readCursor(filter.after, query, subject)
  const limit = filter.limit ?? 50
  return inTransaction(
    context,
    async (store) => {
      const items: EngineEvent[] = []
      let last: ListPosition | undefined
      for await (const { action, position } of scanActivity(
        context,
        store,
        filter,
        subject,
        order,
        start,
        limit,
      )) {
        if (items.length === limit) return { items, next: writeCursor(query, last as ListPosition) }
        items.push(toEvent(action))
        last = position
      }
      return { items }
    },
    { readOnly: true },
  )
}

/** Matching log entries in order, read from the best index; the other filters narrow what it returns. */
export async function* scanActivity(
  context: EngineContext,
  store: Store,
  filter: ActivityFilter,
  subject: string,
  order: 'asc' | 'desc',
  start: ListPosition | undefined,
  batch: number,
): AsyncGenerator<{ readonly action: ActionRecord; readonly position: ListPosition }> {
  const period = resolvePeriod(filter, subject, context.now(), { timeZone: 'UTC' })
  const scope =
    filter.leadId !== undefined
      ? { index: 'byLead', equals: [filter.leadId] }
      : filter.campaignId !== undefined
        ? { index: 'byCampaign', equals: [filter.campaignId] }
        : filter.identityId !== undefined
          ? { index: 'byIdentity', equals: [filter.identityId] }
          : { index: 'byTime', equals: [] }
  const types = filter.types === undefined ? undefined : new Set<string>(filter.types)
  for await (const { document, position } of scanIndex<ActionRecord>(store, {
    collection: 'actions',
    ...scope,
    order,
    // Without an end, entries logged at this very instant are included too.
    bounds: {
      ...(period.from === null ? {} : { gte: period.from }),
      ...(filter.to === undefined && filter.until === undefined ? {} : { lt: period.to }),
    },
    ...(start === undefined ? {} : { start }),
    value: (action) => action.at,
    key: (action) => action.key,
    batch: Math.max(batch * 2, 100),
  })) {
    if (filter.campaignId !== undefined && document.campaignId !== filter.campaignId) continue
    if (filter.identityId !== undefined && document.identityId !== filter.identityId) continue
    if (filter.stepId !== undefined && document.stepId !== filter.stepId) continue
    if (types !== undefined && !types.has(document.type)) continue
    yield { action: document, position }
  }
}
