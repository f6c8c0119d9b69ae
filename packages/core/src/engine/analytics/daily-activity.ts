import type { AnalyticsRecord } from './analytics-counters'
import { localDays, type ResolvedPeriod } from './period'

/** What happened on one local day: the actions and events a chart plots. */
export interface DailyActivity {
  /** The local date, `YYYY-MM-DD`. */
  readonly date: string
  readonly profileVisits: number
  readonly postReactions: number
  readonly invitationsSent: number
  readonly invitationsAccepted: number
  readonly linkedinMessagesSent: number
  readonly emailsSent: number
  readonly emailsOpened: number
  readonly linksClicked: number
  readonly emailsBounced: number
  /** Replies received (out-of-office answers are not replies). */
  readonly replies: number
  readonly outOfOffice: number
  readonly tasksCreated: number
  readonly tasksCompleted: number
}

export type DailyActivityName = Exclude<keyof DailyActivity, 'date'>

/** Each series and the counter it reads. */
export const DAILY_SERIES: Readonly<Record<DailyActivityName, string>> = {
  profileVisits: 'event:profile-visited',
  postReactions: 'event:post-reacted',
  invitationsSent: 'event:invitation-sent',
  invitationsAccepted: 'event:connection-accepted',
  linkedinMessagesSent: 'event:message-sent:linkedin',
  emailsSent: 'event:message-sent:email',
  emailsOpened: 'event:email-opened',
  linksClicked: 'event:link-clicked',
  emailsBounced: 'event:email-bounced:email',
  replies: 'event:reply-received',
  outOfOffice: 'event:out-of-office',
  tasksCreated: 'event:task-created',
  tasksCompleted: 'event:task-completed',
}

const NAMES = Object.keys(DAILY_SERIES) as DailyActivityName[]

/**
 * The hours of a period grouped into its local days. Hours are whole UTC hours: in a time zone with a
 * half-hour offset, the hour a local midnight falls in counts in the day it starts in.
 */
export function dailyActivity(
  read: readonly AnalyticsRecord[],
  period: ResolvedPeriod,
  first: number,
): DailyActivity[] {
  const days = localDays(period, first)
  const out = days.map((day) => ({
    date: day.date,
    ...(Object.fromEntries(NAMES.map((name) => [name, 0])) as Record<DailyActivityName, number>),
  }))
  let index = 0
  for (const record of read) {
    if (record.bucket === null) continue
    while (index < days.length - 1 && record.bucket >= (days[index] as { end: number }).end) index++
    const row = out[index]
    if (row === undefined) continue
    for (const name of NAMES) row[name] += record.counts[DAILY_SERIES[name]] ?? 0
  }
  return out
}
