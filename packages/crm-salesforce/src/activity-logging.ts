import type { CrmActivity, CrmActivityKind } from '@paceline/core/ports'
import { isIdOf } from './record-operations'
import type { SalesforceContext } from './salesforce-context'
import { refusal } from './salesforce-failure'
import { activityDate, createTaskOnce } from './task-records'

const SUBJECTS: Readonly<Record<CrmActivityKind, string>> = {
  email_sent: 'Email',
  email_received: 'Email received',
  linkedin_message_sent: 'LinkedIn message sent',
  linkedin_message_received: 'LinkedIn message received',
  linkedin_invitation_sent: 'LinkedIn invitation sent',
  linkedin_connection_accepted: 'LinkedIn connection accepted',
  linkedin_profile_visited: 'LinkedIn profile visited',
}

/** The Subject of an activity's Task: `Email: <subject>` like Salesforce's own email logging, else the kind. */
export function activitySubject(activity: Pick<CrmActivity, 'kind' | 'subject'>): string {
  const base = SUBJECTS[activity.kind]
  const subject = activity.subject?.trim()
  if (subject === undefined || subject === '') return activity.kind === 'email_sent' ? 'Email sent' : base
  return `${base}: ${subject}`
}

/**
 * Logs an activity as a completed Task on the person (`WhoId`): Task subtype `Email` for emails and `Task`
 * for LinkedIn events, Status the completed status, `ActivityDate` the day it happened (UTC), the body as
 * Comments (`Description`), the acting user as `OwnerId`, and the company as `WhatId` (a Contact's Task
 * only: Salesforce refuses a WhatId on a Lead's). Once per idempotency key.
 */
export async function logActivity(
  context: SalesforceContext,
  activity: CrmActivity,
): Promise<{ readonly id: string }> {
  const operation = `logActivity(${activity.kind})`
  const person = context.options.personObject
  if (!(await isIdOf(context, person, activity.contactId)))
    throw refusal(operation, `'${activity.contactId}' is not the id of a ${person}`, {
      errorCode: 'MALFORMED_ID',
    })
  const email = activity.kind === 'email_sent' || activity.kind === 'email_received'
  const whatId = person === 'Contact' ? activity.companyId : undefined
  return createTaskOnce(
    context,
    operation,
    {
      whoId: activity.contactId,
      subject: activitySubject(activity),
      description: activity.body,
      activityDate: activityDate(operation, activity.at),
      fields: {
        ...activity.fields,
        TaskSubtype: email ? 'Email' : 'Task',
        Status: context.options.completedTaskStatus,
        ...(whatId === undefined ? {} : { WhatId: whatId }),
        ...(activity.ownerId === undefined ? {} : { OwnerId: activity.ownerId }),
      },
    },
    activity.idempotencyKey,
  )
}
