import type { Readable } from 'node:stream'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { parseInput } from '../../errors/parse-input'
import { resolvePeriod } from '../analytics/period'
import { type EngineContext, inTransaction } from '../engine-context'
import { type ActivityListOptions, activityListSchema, listActivity } from '../lists/activity-list'
import { eachPage } from '../lists/list-cursor'
import { type CsvColumn, type CsvOptions, type CsvRow, csvFields, csvStream } from './csv-stream'

/** Which entries of the activity log to export (the activity list's filters and order), and how. */
export type ActivityExportOptions = Omit<ActivityListOptions, 'after' | 'limit'> & CsvOptions

const COLUMNS = [
  { key: 'at', header: 'At' },
  { key: 'type', header: 'Type' },
  { key: 'campaignId', header: 'Campaign ID' },
  { key: 'identityId', header: 'Identity ID' },
  { key: 'leadId', header: 'Lead ID' },
  { key: 'leadName', header: 'Lead name' },
  { key: 'leadEmail', header: 'Lead email' },
  { key: 'stepId', header: 'Step ID' },
  { key: 'action', header: 'Action' },
  { key: 'channel', header: 'Channel' },
  { key: 'inbox', header: 'Inbox' },
  { key: 'messageId', header: 'Message ID' },
  { key: 'detail', header: 'Detail' },
] as const satisfies readonly CsvColumn[]

type Column = (typeof COLUMNS)[number]['key']

const schema = activityListSchema.omit({ after: true, limit: true }).extend(csvFields)

/**
 * The activity log as CSV, one entry per row (newest first unless `order: 'oldest'`), with the lead's name
 * and email beside its id. Read a page at a time from the log's indexes, however long the log.
 */
export async function exportActivity(
  context: EngineContext,
  options: ActivityExportOptions = {},
): Promise<Readable> {
  const subject = 'engine.csv.activity options'
  const { bom, ...filter } = parseInput(schema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  resolvePeriod(filter, subject, context.now(), { timeZone: 'UTC' })
  async function* rows(): AsyncGenerator<CsvRow<Column>> {
    const pages = eachPage((after) =>
      listActivity(context, { ...filter, limit: 500, ...(after === undefined ? {} : { after }) }),
    )
    for await (const events of pages) {
      const ids = [...new Set(events.flatMap((event) => (event.leadId === undefined ? [] : [event.leadId])))]
      const leads = new Map(
        (await inTransaction(context, (store) => store.getMany('leads', ids), { readOnly: true })).map(
          (record) => [record.id, record.lead.profile],
        ),
      )
      for (const event of events) {
        const profile = event.leadId === undefined ? undefined : leads.get(event.leadId)
        const name = [profile?.firstName, profile?.lastName].filter(Boolean).join(' ')
        yield {
          at: event.at,
          type: event.type,
          campaignId: event.campaignId,
          identityId: event.identityId,
          leadId: event.leadId,
          leadName: name === '' ? null : name,
          leadEmail: profile?.professionalEmail ?? profile?.personalEmail,
          stepId: event.stepId,
          action: event.action,
          channel: event.channel,
          inbox: event.inbox,
          messageId: event.messageId,
          detail: event.detail === undefined ? null : JSON.stringify(event.detail),
        }
      }
    }
  }
  return csvStream(COLUMNS, rows(), { bom: bom === true })
}
