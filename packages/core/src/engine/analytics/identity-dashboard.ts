import type { Identity } from '../../model/identity/identity-schema'
import type { WorkingHours } from '../../model/identity/working-hours'
import type { WarmupState } from '../../ports/warmup-provider'
import type { LocalDay } from '../../scheduler/working-calendar'
import { WorkingCalendar } from '../../scheduler/working-calendar'
import type { InboxWarmup } from '../warmup'
import { type PeriodView, periodView, type ResolvedPeriod } from './period'

/** Sent against what the identity's daily limits allowed over the period. */
export interface SentVsAllowed {
  readonly sent: number
  /** The daily limit times the working days of the period (days the identity sends on). */
  readonly allowed: number
}

/** An identity's performance over a period: what a sender dashboard shows for each identity. */
export interface IdentityDashboard {
  readonly identityId: string
  readonly name: string
  readonly period: PeriodView
  readonly connections: {
    /** Connection requests sent in the period. */
    readonly sent: number
    /** Connection requests accepted in the period. */
    readonly accepted: number
    /** Accepted ÷ sent, 0 to 1 (null when none were sent). */
    readonly acceptanceRate: number | null
    readonly allowed: number
  }
  /** LinkedIn messages, sequence steps and answers in conversations alike. */
  readonly linkedinMessages: SentVsAllowed
  /** Emails from every inbox of the identity, sequence steps and answers alike. */
  readonly emails: SentVsAllowed
  /** Replies received (out-of-office answers are not replies). */
  readonly replied: number
  readonly bounced: number
  /** Bounced ÷ emails sent, 0 to 1 (null when no email was sent). */
  readonly bounceRate: number | null
  /** Inboxes whose warm-up is on (warming, ready or in error), as the provider last reported it. */
  readonly warmup: readonly {
    readonly address: string
    readonly state: WarmupState
    readonly campaignEmailsPerDay?: number
  }[]
}

const SENT = ['message-sent', 'reply-sent', 'auto-reply-sent']

/** The dashboard of one identity from its counters summed over the period. */
export function identityDashboard(
  identity: Identity,
  counts: Readonly<Record<string, number>>,
  period: ResolvedPeriod,
  firstActivity: number,
  warmup: Readonly<Record<string, InboxWarmup>> = {},
): IdentityDashboard {
  const n = (name: string) => Math.max(0, counts[name] ?? 0)
  const sentOn = (channel: string) => SENT.reduce((total, type) => total + n(`event:${type}:${channel}`), 0)
  const days = workingDays(identity, period, firstActivity)
  const linkedin = identity.linkedin
  const perDayEmails = (identity.email?.inboxes ?? []).reduce(
    (total, inbox) => total + inbox.limits.perDay,
    0,
  )
  const invitations = n('event:invitation-sent')
  const accepted = n('event:connection-accepted')
  const emails = sentOn('email')
  const bounced = n('event:email-bounced:email')
  return {
    identityId: identity.id,
    name: identity.name,
    period: periodView(period),
    connections: {
      sent: invitations,
      accepted,
      acceptanceRate: invitations === 0 ? null : accepted / invitations,
      allowed: days * (linkedin?.limits.connectionsPerDay ?? 0),
    },
    linkedinMessages: { sent: sentOn('linkedin'), allowed: days * (linkedin?.limits.messagesPerDay ?? 0) },
    emails: { sent: emails, allowed: days * perDayEmails },
    replied: n('event:reply-received'),
    bounced,
    bounceRate: emails === 0 ? null : bounced / emails,
    warmup: Object.entries(warmup).map(([address, each]) => ({
      address,
      state: each.state,
      ...(each.campaignEmailsPerDay === undefined ? {} : { campaignEmailsPerDay: each.campaignEmailsPerDay }),
    })),
  }
}

/** The identity's working days (days with working time) that the period touches, in its own time zone. */
function workingDays(identity: Identity, period: ResolvedPeriod, firstActivity: number): number {
  const calendar = calendarOf(identity.workingHours)
  let count = 0
  let day: LocalDay = calendar.dayOf(period.from ?? firstActivity)
  while (day.start < period.to) {
    if (day.workingMs > 0) count++
    day = calendar.next(day)
  }
  return count
}

/**
 * Calendars by working hours, kept between dashboards: a calendar remembers the days it has worked out,
 * and working them out (time zone rules) is most of what a long period's dashboard costs.
 */
const calendars = new Map<string, WorkingCalendar>()
const CALENDARS = 64

function calendarOf(hours: WorkingHours): WorkingCalendar {
  const key = JSON.stringify(hours)
  let calendar = calendars.get(key)
  if (calendar === undefined) {
    if (calendars.size >= CALENDARS) calendars.delete(calendars.keys().next().value as string)
    calendar = new WorkingCalendar(hours)
    calendars.set(key, calendar)
  }
  return calendar
}
