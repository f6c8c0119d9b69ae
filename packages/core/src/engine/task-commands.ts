import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { parseInput } from '../errors/parse-input'
import { issue } from '../errors/validation-issue'
import { entityIdSchema } from '../model/entity-id'
import { type InstantInput, toIsoInstant } from '../model/instant'
import { logActions } from './action-log'
import { missingEnrolment, notFound } from './admin'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { enrolmentKey } from './record-factory'
import type { TaskRecord } from './records'
import { compoundKey, type Store } from './store'

/** A task a person creates on a lead of a campaign, beside those its task steps create. */
export interface ManualTaskInput {
  /** Your id for the task, unique among the lead's tasks in the campaign; by default one is made. */
  readonly id?: string
  readonly title: string
  /** Default `todo`. */
  readonly type?: 'call' | 'todo' | 'email' | 'linkedin'
  /** More detail for whoever does it. */
  readonly note?: string
  /** When it is due; default now. */
  readonly dueAt?: InstantInput
}

const inputSchema = z.strictObject({
  id: entityIdSchema.optional(),
  title: z.string().trim().min(1).max(500),
  type: z.enum(['call', 'todo', 'email', 'linkedin']).optional(),
  note: z.string().trim().max(5000).optional(),
  dueAt: z.union([z.date(), z.string(), z.number()]).optional(),
})

/**
 * Creates a task by hand on a lead of a campaign. It is listed, counted, synced to the CRM and completed like
 * a task step's, with `origin: 'manual'` and no step; the lead's place in the sequence does not change.
 */
export async function createManualTask(
  context: EngineContext,
  campaignId: string,
  leadId: string,
  input: ManualTaskInput,
): Promise<TaskRecord> {
  const subject = `Task on lead '${leadId}'`
  const parsed = parseInput(inputSchema, input, subject, PacelineErrorCodes.invalidTask)
  const dueIso = parsed.dueAt === undefined ? undefined : toIsoInstant(parsed.dueAt)
  if (dueIso === null)
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidTask, subject, [
      issue('invalid_instant', ['dueAt'], 'must be a Date, epoch milliseconds or an ISO 8601 date-time'),
    ])
  // Made outside the transaction, which a store may run twice: the same task must get the same id.
  const generated = `${context.now().toString(36)}.${context.settings.workerId}.${context.bootId}.${context.nextSequence().toString(36)}`
  const taskId = compoundKey('task', campaignId, leadId, 'manual', parsed.id ?? generated)
  const { task, events } = await inTransaction(context, async (store) => {
    const now = context.now()
    const enrolment = await store.get('enrolments', enrolmentKey(campaignId, leadId))
    if (enrolment === undefined) throw await missingEnrolment(store, campaignId, leadId)
    if ((await store.get('tasks', taskId)) !== undefined)
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidTask, subject, [
        issue(
          'already_exists',
          ['id'],
          `'${parsed.id}' is already a task of this lead in campaign '${campaignId}'`,
        ),
      ])
    const task: TaskRecord = {
      key: taskId,
      taskId,
      campaignId,
      leadId,
      identityId: enrolment.identityId,
      origin: 'manual',
      stepId: null,
      title: parsed.title,
      body: parsed.note === undefined || parsed.note === '' ? null : parsed.note,
      type: parsed.type ?? 'todo',
      status: 'pending',
      createdAt: now,
      dueAt: dueIso === undefined ? now : Date.parse(dueIso),
      completedAt: null,
    }
    await store.put('tasks', taskId, task)
    const events = await logActions(context, store, now, [
      {
        type: 'task-created',
        identityId: enrolment.identityId,
        campaignId,
        leadId,
        action: 'task',
        channel: 'tasks',
        detail: { taskId, origin: 'manual' },
      },
    ])
    return { task, events }
  })
  context.emit(events)
  return task
}

/**
 * Marks a task done (`engine.tasks.complete`); a task done already is returned as it is. The CRM sync
 * carries the completion to the CRM's task.
 */
export async function completeTask(context: EngineContext, taskId: string): Promise<TaskRecord> {
  const { task, events } = await inTransaction(context, async (store) => {
    const task = await store.get('tasks', taskId)
    if (task === undefined) throw notFound('task', taskId)
    return markCompleted(context, store, task, context.now())
  })
  context.emit(events)
  return task
}

/** Completes a pending task and logs it; the same task completed again changes nothing. */
export async function markCompleted(
  context: EngineContext,
  store: Store,
  task: TaskRecord,
  now: number,
): Promise<{ readonly task: TaskRecord; readonly events: EngineEvent[]; readonly changed: boolean }> {
  if (task.status === 'completed') return { task: withOrigin(task), events: [], changed: false }
  const done: TaskRecord = { ...withOrigin(task), status: 'completed', completedAt: now }
  await store.put('tasks', task.key, done)
  const events = await logActions(context, store, now, [
    {
      type: 'task-completed',
      identityId: task.identityId,
      campaignId: task.campaignId,
      leadId: task.leadId,
      stepId: task.stepId,
      channel: 'tasks',
      detail: { taskId: task.taskId },
    },
  ])
  return { task: done, events, changed: true }
}

/** Tasks stored before tasks could be made by hand have no origin: a step made them. */
export function withOrigin(task: TaskRecord): TaskRecord {
  return task.origin === undefined ? { ...task, origin: 'step' } : task
}
