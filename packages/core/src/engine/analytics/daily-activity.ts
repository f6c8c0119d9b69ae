import type { AnalyticsRecord } from './analytics-counters'
import { countsByLocalDay, type ResolvedPeriod } from './period'

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

/** The daily series of a period's counter documents, a row per local day (see `countsByLocalDay`). */
export function dailyActivity(
  read: readonly AnalyticsRecord[],
  period: ResolvedPeriod,
  first: number,
): DailyActivity[] {
  return countsByLocalDay(read, period, first).map(({ day, counts }) => ({
    date: day.date,
    ...(Object.fromEntries(NAMES.map((name) => [name, counts[DAILY_SERIES[name]] ?? 0])) as Record<
      DailyActivityName,
      number
    >),
  }))
}
