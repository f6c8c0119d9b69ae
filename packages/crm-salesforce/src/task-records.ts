import type { CrmValue } from '@paceline/core/ports'
import { createOnce } from './record-operations'
import { keyFieldOf, queryRecords, type SalesforceContext, storedKey } from './salesforce-context'
import { refusal } from './salesforce-failure'
import { toSalesforceFields } from './salesforce-values'
import { soqlString } from './soql'

/** Task Subject is 255 characters, Description (Comments) 32,000. */
const SUBJECT_LENGTH = 255
const DESCRIPTION_LENGTH = 32_000

export const truncate = (value: string, length: number) =>
  value.length <= length ? value : `${value.slice(0, length - 1)}…`

/** The date part (UTC) of an ISO date-time, as Task's `ActivityDate` (a date) takes it. */
export function activityDate(operation: string, at: string): string {
  const time = Date.parse(at)
  if (Number.isNaN(time)) throw refusal(operation, `'${at}' is not an ISO 8601 date-time`)
  return new Date(time).toISOString().slice(0, 10)
}

/** The line that carries the idempotency key in the Description when the org has no idempotency field. */
const marker = (key: string) => `[paceline:${storedKey(key)}]`

export interface TaskInput {
  readonly whoId: string
  readonly subject: string
  readonly description: string | undefined
  readonly activityDate: string
  readonly fields: Readonly<Record<string, CrmValue>>
}

/**
 * Creates a Task once per idempotency key. With the idempotency field on Task, the key is stored there.
 * Without it, the key goes on the last line of the Description, and a retry looks among the person's Tasks
 * with the same Subject and date for it (Description is a long text field: SOQL cannot filter on it, so the
 * candidates are read and compared here).
 */
export async function createTaskOnce(
  context: SalesforceContext,
  operation: string,
  input: TaskInput,
  key: string,
): Promise<{ readonly id: string }> {
  const describe = await context.schemas.describe('Task')
  const keyField = await keyFieldOf(context, 'Task')
  const subject = truncate(input.subject, SUBJECT_LENGTH)
  const line = keyField === undefined ? marker(key) : undefined
  const text = input.description ?? ''
  const description =
    line === undefined
      ? input.description === undefined
        ? undefined
        : truncate(text, DESCRIPTION_LENGTH)
      : `${truncate(text, DESCRIPTION_LENGTH - line.length - 2)}${text === '' ? '' : '\n\n'}${line}`

  if (line !== undefined) {
    const candidates = await queryRecords(
      context,
      operation,
      `SELECT Id, Description FROM Task WHERE WhoId = ${soqlString(input.whoId)} AND Subject = ${soqlString(subject)} AND ActivityDate = ${input.activityDate} LIMIT 200`,
    )
    const found = candidates.find(
      (row) => typeof row.Description === 'string' && row.Description.endsWith(line),
    )
    if (found !== undefined) return { id: String(found.Id) }
  }

  const body: Record<string, CrmValue> = {
    ...toSalesforceFields(input.fields, describe),
    Subject: subject,
    ActivityDate: input.activityDate,
    WhoId: input.whoId,
    ...(description === undefined ? {} : { Description: description }),
  }
  const created = await createOnce(context, operation, 'Task', body, key)
  return { id: created.id }
}
