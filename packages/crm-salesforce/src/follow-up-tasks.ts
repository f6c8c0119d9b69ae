import type { CrmTask, CrmTaskState } from '@paceline/core/ports'
import { isIdOf } from './record-operations'
import { queryRecords, type SalesforceContext } from './salesforce-context'
import { refusal } from './salesforce-failure'
import { isSalesforceId, soqlString } from './soql'
import { activityDate, createTaskOnce } from './task-records'

/**
 * A task for a person: an open Task (the open status, Priority Normal) on the person, due on `dueAt`'s
 * day (Task's due date has no time), assigned to `ownerId`. Once per idempotency key.
 */
export async function createTask(
  context: SalesforceContext,
  task: CrmTask,
): Promise<{ readonly id: string }> {
  const operation = 'createTask'
  const person = context.options.personObject
  if (!(await isIdOf(context, person, task.contactId)))
    throw refusal(operation, `'${task.contactId}' is not the id of a ${person}`, {
      errorCode: 'MALFORMED_ID',
    })
  return createTaskOnce(
    context,
    operation,
    {
      whoId: task.contactId,
      subject: task.title,
      description: task.body,
      activityDate: activityDate(operation, task.dueAt),
      fields: {
        ...task.fields,
        TaskSubtype: 'Task',
        Status: context.options.openTaskStatus,
        Priority: 'Normal',
        ...(task.ownerId === undefined ? {} : { OwnerId: task.ownerId }),
      },
    },
    task.idempotencyKey,
  )
}

/** The state of Tasks by id: closed (`IsClosed`, whatever closed status a person chose) and when. */
export async function getTasks(context: SalesforceContext, ids: readonly string[]): Promise<CrmTaskState[]> {
  const wanted = [...new Set(ids.filter(isSalesforceId))]
  const states = new Map<string, CrmTaskState>()
  for (let start = 0; start < wanted.length; start += 200) {
    const chunk = wanted.slice(start, start + 200)
    const rows = await queryRecords(
      context,
      'getTasks',
      `SELECT Id, IsClosed, CompletedDateTime FROM Task WHERE Id IN (${chunk.map(soqlString).join(', ')})`,
    )
    for (const row of rows) {
      const id = String(row.Id)
      const completedAt = typeof row.CompletedDateTime === 'string' ? row.CompletedDateTime : null
      states.set(id.slice(0, 15), { id, completed: row.IsClosed === true, completedAt })
    }
  }
  // Answered under the id asked for (a 15-character id finds the 18-character one).
  return ids.flatMap((id) => {
    const state = states.get(id.slice(0, 15))
    return state === undefined ? [] : [{ ...state, id }]
  })
}

/** Closes a Task with the completed status; a Task closed already (by anyone, any closed status) is left. */
export async function completeTask(context: SalesforceContext, id: string): Promise<void> {
  const operation = 'completeTask'
  if (!(await isIdOf(context, 'Task', id)))
    throw refusal(operation, `'${id}' is not the id of a Task`, { errorCode: 'MALFORMED_ID' })
  const task = (await context.requests.run(operation, 'read', async (connection) =>
    connection.sobject('Task').retrieve(id, { fields: ['Id', 'IsClosed'] }),
  )) as Record<string, unknown>
  if (task.IsClosed === true) return
  await context.requests.run(operation, 'write', async (connection) =>
    connection.sobject('Task').update({ Id: id, Status: context.options.completedTaskStatus }),
  )
}
