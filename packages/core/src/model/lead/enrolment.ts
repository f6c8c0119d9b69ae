import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { issue } from '../../errors/validation-issue'
import { type Campaign, pausesLeads } from '../campaign/campaign'
import { type InstantInput, toIsoInstant } from '../instant'
import type {
  ActiveLeadState,
  ErrorSubstatus,
  FinishedSubstatus,
  InProgressSubstatus,
  LeadState,
} from './lead-status'

/** A lead in a campaign: where it stands and which step it is at. */
export interface Enrolment {
  readonly campaignId: string
  readonly leadId: string
  readonly state: LeadState
  /** The step the lead is waiting on or about to run; null before the start and after the end. */
  readonly stepId: string | null
  readonly enrolledAt: string
  readonly updatedAt: string
}

/**
 * What can happen to a lead in a campaign. Commands (`sequence-started`, `lead-paused`, `lead-resumed`,
 * `errors-retried`, `lead-removed`, `lead-blocked`, ...) are refused with `illegal_transition` when the
 * lead's state does not allow them. Facts from the outside world (`reply-received`,
 * `out-of-office-received`, `email-bounced`) are applied when they matter and otherwise leave the lead as
 * it is: a bounce that arrives after a reply changes nothing.
 */
export type LeadEvent =
  | { readonly type: 'sequence-started'; readonly stepId: string }
  | { readonly type: 'step-advanced'; readonly stepId: string }
  | { readonly type: 'wait-changed'; readonly substatus: InProgressSubstatus; readonly detail?: string }
  | { readonly type: 'sequence-completed'; readonly outcome?: 'no_response' | 'not_connected' }
  | { readonly type: 'step-failed'; readonly substatus: ErrorSubstatus; readonly detail?: string }
  | { readonly type: 'errors-retried' }
  | { readonly type: 'lead-paused' }
  | { readonly type: 'lead-resumed' }
  | { readonly type: 'lead-removed' }
  | { readonly type: 'lead-blocked' }
  | { readonly type: 'reply-received'; readonly channel: 'linkedin' | 'email' }
  | { readonly type: 'out-of-office-received' }
  | { readonly type: 'email-bounced'; readonly bounce: 'hard' | 'soft' }

export type LeadEventType = LeadEvent['type']

/**
 * Adds a lead to a campaign as "not started". Fails with `lead_previously_removed` when the lead was
 * removed from this campaign before (it can never be added back), `lead_already_enrolled` when it is
 * already in it, and `illegal_transition` when the campaign is archived.
 */
export function enrolLead(
  campaign: Campaign,
  leadId: string,
  options: { readonly existing?: Enrolment; readonly at: InstantInput },
): Result<Enrolment> {
  if (campaign.status === 'archived') {
    return err(
      new PacelineError(
        PacelineErrorCodes.illegalTransition,
        `Cannot add lead '${leadId}' to campaign '${campaign.id}': the campaign is archived. Duplicate it to run it again.`,
        {
          details: { entity: 'campaign', id: campaign.id, action: 'enrol', from: 'archived', to: 'archived' },
        },
      ),
    )
  }
  const existing = options.existing
  if (existing !== undefined) {
    if (existing.state.status === 'finished' && existing.state.substatus === 'deleted') {
      return err(
        new PacelineError(
          PacelineErrorCodes.leadPreviouslyRemoved,
          `Lead '${leadId}' was removed from campaign '${campaign.id}' and can never be added back to it; add the lead to another campaign instead.`,
          { details: { campaignId: campaign.id, leadId } },
        ),
      )
    }
    return err(
      new PacelineError(
        PacelineErrorCodes.leadAlreadyEnrolled,
        `Lead '${leadId}' is already in campaign '${campaign.id}' (${existing.state.status}).`,
        { details: { campaignId: campaign.id, leadId, status: existing.state.status } },
      ),
    )
  }
  const at = toIsoInstant(options.at)
  if (at === null) {
    return err(
      PacelineError.fromIssues(PacelineErrorCodes.invalidLead, `Lead '${leadId}'`, [
        issue('invalid_time', ['at'], `must be a Date or an ISO 8601 time, got ${String(options.at)}`),
      ]),
    )
  }
  return ok({
    campaignId: campaign.id,
    leadId,
    state: { status: 'not_started' },
    stepId: null,
    enrolledAt: at,
    updatedAt: at,
  })
}

/** Applies one event to a lead in a campaign (see `LeadEvent` for which events are commands). */
export function applyLeadEvent(
  enrolment: Enrolment,
  event: LeadEvent,
  options: { readonly at: InstantInput },
): Result<Enrolment> {
  const at = toIsoInstant(options.at)
  if (at === null) {
    return err(
      PacelineError.fromIssues(PacelineErrorCodes.invalidLead, `Lead '${enrolment.leadId}'`, [
        issue('invalid_time', ['at'], `must be a Date or an ISO 8601 time, got ${String(options.at)}`),
      ]),
    )
  }
  const next = nextState(enrolment, event)
  if (!next.ok) return next
  if (next.value === null) return ok(enrolment)
  return ok({ ...enrolment, ...next.value, updatedAt: at })
}

type Change = { readonly state: LeadState; readonly stepId?: string | null } | null

function nextState(enrolment: Enrolment, event: LeadEvent): Result<Change> {
  const state = enrolment.state
  const refuse = (to: LeadState['status'], why: string) =>
    err(illegalLeadTransition(enrolment, event, to, why))
  const active = isActive(state)
  switch (event.type) {
    case 'sequence-started':
      if (state.status !== 'not_started')
        return refuse('in_progress', 'only a lead that has not started can start')
      return ok({ state: { status: 'in_progress', substatus: 'scheduled' }, stepId: event.stepId })
    case 'step-advanced':
      if (state.status !== 'in_progress')
        return refuse('in_progress', 'only a lead in progress moves to its next step')
      return ok({ state: { status: 'in_progress', substatus: 'scheduled' }, stepId: event.stepId })
    case 'wait-changed':
      if (state.status !== 'in_progress') return refuse('in_progress', 'only a lead in progress can wait')
      return ok({ state: withDetail({ status: 'in_progress', substatus: event.substatus }, event.detail) })
    case 'sequence-completed':
      if (state.status !== 'in_progress')
        return refuse('finished', 'only a lead in progress can complete its sequence')
      return ok({ state: finished(event.outcome ?? 'no_response'), stepId: null })
    case 'step-failed':
      if (state.status !== 'in_progress' && state.status !== 'not_started') {
        return refuse('error', 'only a lead that is running can fail a step')
      }
      return ok({ state: withDetail({ status: 'error', substatus: event.substatus }, event.detail) })
    case 'errors-retried':
      if (state.status !== 'error') return refuse('in_progress', 'only a lead in error can be retried')
      return ok({ state: { status: 'in_progress', substatus: 'scheduled' } })
    case 'lead-paused':
      if (!active)
        return refuse('paused', 'only a lead that is not started, in progress or in error can be paused')
      return ok({ state: { status: 'paused', resumeTo: state } })
    case 'lead-resumed':
      if (state.status !== 'paused') return refuse(state.status, 'only a paused lead can be resumed')
      return ok({ state: state.resumeTo })
    case 'lead-removed':
      if (state.status === 'finished' && state.substatus === 'deleted') {
        return refuse('finished', 'the lead is already removed')
      }
      return ok({ state: finished('deleted'), stepId: null })
    case 'lead-blocked':
      if (!active && state.status !== 'paused')
        return refuse('finished', 'only a lead still in the sequence can be blocked')
      return ok({ state: finished('blocked'), stepId: null })
    case 'reply-received':
      // A reply stops the sequence, and also counts when it comes after the sequence ended unanswered.
      if (active || state.status === 'paused' || isUnansweredEnd(state)) {
        return ok({ state: { status: 'replied', channel: event.channel }, stepId: null })
      }
      return ok(null)
    case 'out-of-office-received':
      if (active || state.status === 'paused') return ok({ state: finished('out_of_office'), stepId: null })
      return ok(null)
    case 'email-bounced':
      if (event.bounce === 'hard' && (active || state.status === 'paused')) {
        return ok({ state: finished('bounced'), stepId: null })
      }
      return ok(null)
  }
}

function isActive(state: LeadState): state is ActiveLeadState {
  return state.status === 'not_started' || state.status === 'in_progress' || state.status === 'error'
}

function isUnansweredEnd(state: LeadState): boolean {
  return (
    state.status === 'finished' && (state.substatus === 'no_response' || state.substatus === 'not_connected')
  )
}

function finished(substatus: FinishedSubstatus): LeadState {
  return { status: 'finished', substatus }
}

function withDetail<S extends ActiveLeadState>(state: S, detail: string | undefined): S {
  return detail === undefined ? state : { ...state, detail }
}

function illegalLeadTransition(
  enrolment: Enrolment,
  event: LeadEvent,
  to: LeadState['status'],
  why: string,
): PacelineError {
  const from = enrolment.state.status
  return new PacelineError(
    PacelineErrorCodes.illegalTransition,
    `Cannot apply ${event.type} to lead '${enrolment.leadId}' in campaign '${enrolment.campaignId}': it would move from ${from} to ${to}, but ${why}.`,
    {
      details: {
        entity: 'lead',
        id: enrolment.leadId,
        campaignId: enrolment.campaignId,
        action: event.type,
        from,
        to,
      },
    },
  )
}

/**
 * The state to show for a lead, given its campaign: every active lead of a paused campaign counts as
 * paused: a lead is paused either on its own or because its campaign is.
 */
export function effectiveLeadState(campaign: Campaign, enrolment: Enrolment): LeadState {
  const state = enrolment.state
  if (pausesLeads(campaign) && isActive(state)) return { status: 'paused', resumeTo: state }
  return state
}
