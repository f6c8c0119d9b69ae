import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { notFound } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import type { TaskRecord } from '../records'
import { withOrigin } from '../task-commands'
import { scanIndex } from './index-scan'
import { type ListPosition, type Page, queryId, readCursor, writeCursor } from './list-cursor'

export interface TaskListOptions {
  /** `pending` (still open) or `completed`. */
  readonly status?: TaskRecord['status']
  readonly leadId?: string
  /** By time created: `newest` first (default) or `oldest` first. */
  readonly order?: 'newest' | 'oldest'
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

const listSchema = z.strictObject({
  status: z.enum(['pending', 'completed']).optional(),
  leadId: z.string().trim().min(1).max(200).optional(),
  order: z.enum(['newest', 'oldest']).optional(),
  after: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

/** A campaign's tasks (from its task steps and made by hand), a page at a time. */
export async function listTasks(
  context: EngineContext,
  campaignId: string,
  options: TaskListOptions = {},
): Promise<Page<TaskRecord>> {
  const subject = 'engine.tasks.list options'
  const filter = parseInput(listSchema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const query = queryId('tasks', { campaignId, ...filter })
  const start = filter.after === undefined ? undefined : readCursor(filter.after, query, subject)
  const limit = filter.limit ?? 50
  return inTransaction(
    context,
    async (store) => {
      if ((await store.get('campaigns', campaignId)) === undefined) throw notFound('campaign', campaignId)
      const items: TaskRecord[] = []
      let last: ListPosition | undefined
      for await (const { document, position } of scanIndex<TaskRecord>(store, {
        collection: 'tasks',
        index: 'byCampaign',
        equals: [campaignId],
        order: filter.order === 'oldest' ? 'asc' : 'desc',
        ...(start === undefined ? {} : { start }),
        value: (task) => task.createdAt,
        key: (task) => task.key,
        batch: Math.max(limit * 2, 100),
      })) {
        if (filter.status !== undefined && document.status !== filter.status) continue
        if (filter.leadId !== undefined && document.leadId !== filter.leadId) continue
        if (items.length === limit) return { items, next: writeCursor(query, last as ListPosition) }
        items.push(withOrigin(document))
        last = position
      }
      return { items }
    },
    { readOnly: true },
  )
}
