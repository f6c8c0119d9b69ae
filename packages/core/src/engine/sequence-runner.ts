import type { Campaign } from '../model/campaign/campaign'
import { hasControlCharacter } from '../model/control-characters'
import { INVITATION_WITHDRAWAL_COOLDOWN_DAYS } from '../model/identity/linkedin-limits'
import { hasLinkedInProfile, hasMobilePhone, hasProfessionalEmail, type Lead } from '../model/lead/lead'
import type { ErrorSubstatus, FinishedSubstatus, LeadState } from '../model/lead/lead-status'
import type { Condition } from '../model/sequence/condition-schema'
import { matchesCustomRules } from '../model/sequence/custom-condition'
import type { SequenceStep, StepOfKind } from '../model/sequence/sequence-schema'
import { STEP_KIND_INFO } from '../model/sequence/step-kinds'
import { AWAITING_INBOX_LANE, type Lane, laneOfStep } from '../scheduler/lanes'
import { substatusForWait, type WaitReason } from '../scheduler/wait-reason'
import type { EnrolmentRecord, IdentityRecord, RelationRecord } from './records'

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const WITHDRAWAL_COOLDOWN_MS = INVITATION_WITHDRAWAL_COOLDOWN_DAYS * DAY

/** Everything the runner needs to know, read by the engine before it runs. */
export interface RunnerInput {
  readonly now: number
  readonly campaign: Campaign
  readonly identity: IdentityRecord
  readonly lead: Lead
  readonly relation: RelationRecord
  readonly enrolment: EnrolmentRecord
  /** When any identity last sent this lead a message, per channel (for "has been contacted"). */
  readonly lastContactAt: { readonly linkedin?: number; readonly email?: number }
  /**
   * The inbox a lead without one gets (shuffle or named inboxes, least used first): when it starts, or at
   * its first email step if the identity had no inbox when it started.
   */
  readonly inboxForLead: string | null
  readonly pushesEvents: boolean
  readonly acceptanceCheckIntervalMs: number
}

/** Side effects the engine carries out after writing the runner's result. */
export type RunnerEffect =
  | { readonly type: 'lead-started' }
  | { readonly type: 'condition-evaluated'; readonly stepId: string; readonly result: boolean }
  | { readonly type: 'task-created'; readonly stepId: string; readonly step: StepOfKind<'task'> }
  | { readonly type: 'lead-moved'; readonly stepId: string; readonly campaignId: string }
  | { readonly type: 'invitation-skipped'; readonly stepId: string; readonly why: 'connected' | 'pending' }

export interface RunnerOutput {
  readonly enrolment: EnrolmentRecord
  readonly effects: readonly RunnerEffect[]
}

/** A step's delay in milliseconds. */
export function delayMs(step: SequenceStep): number {
  return ((step.delay?.days ?? 0) * 24 + (step.delay?.hours ?? 0)) * HOUR
}

/**
 * Moves a lead forward from where it stands: starts it, runs instant steps (conditions, tasks, moving to
 * another campaign) at once, and stops at the first thing that must wait: a delay, a queued action,
 * an invitation not yet answered, a cooldown. The result says in which lane the lead waits and from when.
 * Pure: everything it needs comes in `input`.
 */
export function advance(input: RunnerInput): RunnerOutput {
  const { now, campaign } = input
  const sequence = campaign.sequence
  const effects: RunnerEffect[] = []
  let enrolment = input.enrolment

  if (enrolment.state.status === 'not_started') {
    enrolment = {
      ...enrolment,
      state: { status: 'in_progress', substatus: 'scheduled' },
      stepId: sequence.start,
      stepSince: now,
      inbox: enrolment.inbox ?? input.inboxForLead,
    }
    effects.push({ type: 'lead-started' })
  }
  if (enrolment.state.status !== 'in_progress') return { enrolment: parked(enrolment, now), effects }

  for (let guard = 0; guard <= Object.keys(sequence.steps).length + 1; guard++) {
    const stepId = enrolment.stepId
    if (stepId === null) return { enrolment: finish(enrolment, now), effects }
    const step = sequence.steps[stepId]
    if (step === undefined || !Object.hasOwn(sequence.steps, stepId)) {
      return {
        enrolment: failed(enrolment, 'system_error', now, `step '${stepId}' is not in the sequence`),
        effects,
      }
    }
    const due = enrolment.stepSince + delayMs(step)

    if (step.kind === 'condition') {
      if (due > now) return { enrolment: waiting(enrolment, 'internal', due, 'delay', now), effects }
      const verdict = evaluate(step.if, input, enrolment)
      if (verdict.kind === 'wait') {
        return { enrolment: waiting(enrolment, verdict.lane, verdict.at, verdict.reason, now), effects }
      }
      effects.push({ type: 'condition-evaluated', stepId, result: verdict.result })
      const rejectedInvitation = step.if.type === 'connection_accepted' && !verdict.result
      enrolment = moveTo(enrolment, verdict.result ? step.then : step.else, now, {
        notConnected: rejectedInvitation ? true : enrolment.notConnected,
      })
      continue
    }
    if (step.kind === 'task') {
      if (due > now) return { enrolment: waiting(enrolment, 'internal', due, 'delay', now), effects }
      effects.push({ type: 'task-created', stepId, step })
      enrolment = moveTo(enrolment, step.next, now)
      continue
    }
    if (step.kind === 'add_to_campaign') {
      if (due > now) return { enrolment: waiting(enrolment, 'internal', due, 'delay', now), effects }
      // A move, not a copy: the lead leaves this campaign and continues in the other one only.
      effects.push({ type: 'lead-moved', stepId, campaignId: step.campaignId })
      return {
        enrolment: finished(enrolment, 'moved', now, `moved to campaign '${step.campaignId}'`),
        effects,
      }
    }

    if (step.kind === 'email' && enrolment.inbox === null) {
      if (input.inboxForLead !== null) enrolment = { ...enrolment, inbox: input.inboxForLead }
      else if (input.identity.identity.email.inboxes.length === 0) {
        // No email account yet: the lead waits here, out of every queue, until an inbox is added.
        if (due > now) return { enrolment: waiting(enrolment, 'internal', due, 'delay', now), effects }
        return {
          enrolment: waiting(enrolment, AWAITING_INBOX_LANE, now, 'waiting_for_email_account', now),
          effects,
        }
      }
    }
    const problem = channelProblem(step, input.identity, input.lead, enrolment)
    if (problem !== undefined) return { enrolment: failed(enrolment, problem, now), effects }

    if (step.kind === 'send_connection') {
      const connection = input.relation.connection
      if (connection === 'connected' || connection === 'pending') {
        // Nothing to send: the lead is already a connection, or already has this identity's invitation.
        effects.push({ type: 'invitation-skipped', stepId, why: connection })
        enrolment = moveTo(enrolment, step.next, now)
        continue
      }
      const withdrawnAt = input.relation.withdrawnAt
      if (withdrawnAt !== null && withdrawnAt + WITHDRAWAL_COOLDOWN_MS > Math.max(now, due)) {
        const at = withdrawnAt + WITHDRAWAL_COOLDOWN_MS
        return {
          enrolment: waiting(enrolment, 'linkedin:connection', at, 'withdrawal_cooldown', now),
          effects,
        }
      }
    }
    const lane = laneOfStep(step, enrolment.inbox ?? undefined)
    const retryAt = enrolment.retryAt ?? 0
    const at = Math.max(due, retryAt)
    const reason: WaitReason =
      retryAt > due && retryAt > now ? 'retry_backoff' : due > now ? 'delay' : 'queued'
    return { enrolment: waiting(enrolment, lane, at, reason, now), effects }
  }
  return { enrolment: failed(enrolment, 'system_error', now, 'the sequence did not settle'), effects }
}

/** When a connection condition gives up waiting for the invitation's acceptance and takes its No branch. */
export function acceptanceDeadline(
  condition: Extract<Condition, { type: 'connection_accepted' }>,
  relation: Pick<RelationRecord, 'invitedAt'>,
  enrolment: Pick<EnrolmentRecord, 'stepSince'>,
): number {
  return (relation.invitedAt ?? enrolment.stepSince) + condition.withinDays * DAY
}

type Verdict =
  | { readonly kind: 'result'; readonly result: boolean }
  | { readonly kind: 'wait'; readonly lane: Lane; readonly at: number; readonly reason: WaitReason }

function evaluate(condition: Condition, input: RunnerInput, enrolment: EnrolmentRecord): Verdict {
  const { now, relation, lead } = input
  const result = (value: boolean): Verdict => ({ kind: 'result', result: value })
  switch (condition.type) {
    case 'connection_accepted': {
      if (relation.connection === 'connected') return result(true)
      if (relation.connection !== 'pending') return result(false)
      const deadline = acceptanceDeadline(condition, relation, enrolment)
      if (now >= deadline) return result(false)
      if (input.pushesEvents)
        return { kind: 'wait', lane: 'internal', at: deadline, reason: 'waiting_for_acceptance' }
      const lastLook = relation.lastCheckedAt ?? relation.invitedAt ?? now
      const nextCheck = Math.max(now, lastLook + input.acceptanceCheckIntervalMs)
      if (nextCheck >= deadline)
        return { kind: 'wait', lane: 'internal', at: deadline, reason: 'waiting_for_acceptance' }
      return { kind: 'wait', lane: 'linkedin:check', at: nextCheck, reason: 'waiting_for_acceptance' }
    }
    case 'is_connection':
      if (relation.connection === 'connected') return result(true)
      if (
        relation.connection === 'unknown' &&
        relation.lastCheckedAt === null &&
        input.identity.identity.linkedin
      ) {
        return { kind: 'wait', lane: 'linkedin:check', at: now, reason: 'queued' }
      }
      return result(false)
    case 'has_been_contacted': {
      const { linkedin, email } = input.lastContactAt
      const last =
        condition.channel === 'linkedin'
          ? linkedin
          : condition.channel === 'email'
            ? email
            : Math.max(linkedin ?? Number.NEGATIVE_INFINITY, email ?? Number.NEGATIVE_INFINITY)
      if (last === undefined || !Number.isFinite(last)) return result(false)
      return result(condition.withinDays === undefined || last >= now - condition.withinDays * DAY)
    }
    case 'has_linkedin_profile':
      return result(hasLinkedInProfile(lead))
    case 'has_professional_email':
      return result(hasProfessionalEmail(lead))
    case 'has_mobile_phone':
      return result(hasMobilePhone(lead))
    case 'custom':
      return result(matchesCustomRules({ match: condition.match, rules: condition.rules }, lead))
  }
}

/**
 * Why an action cannot run for this lead and identity, as an error substatus of the lead status table, or
 * undefined when it can. Checked when the lead reaches the step and again just before sending.
 */
export function channelProblem(
  step: SequenceStep,
  identity: IdentityRecord,
  lead: Lead,
  enrolment: Pick<EnrolmentRecord, 'inbox'>,
): ErrorSubstatus | undefined {
  const channel = STEP_KIND_INFO[step.kind].channel
  if (channel === 'linkedin') {
    if (identity.identity.linkedin === undefined) return 'identity_misconfiguration'
    if (!identity.linkedinConnected) return 'linkedin_disconnected'
    if (!hasLinkedInProfile(lead) && !lead.profile.linkedinUrl) return 'linkedin_url_not_found'
    return undefined
  }
  if (channel === 'email') {
    const inboxes = identity.identity.email.inboxes
    const inbox = enrolment.inbox
    if (inbox === null || !inboxes.some((each) => each.address.toLowerCase() === inbox))
      return 'missing_email'
    if (identity.disconnectedInboxes.includes(inbox)) return 'email_disconnected'
    if (!hasProfessionalEmail(lead)) return 'missing_contact_email'
  }
  return undefined
}

/**
 * The lead field that cannot go into the headers of this step's message (a name or address holding a line
 * break or another control character), with why; undefined when the step is safe to send. Checked before the
 * claim so the lead waits with a reason a person can act on, instead of the channel refusing the send.
 */
export function unsafeLeadField(step: SequenceStep, lead: Lead): string | undefined {
  if (STEP_KIND_INFO[step.kind].channel !== 'email') return undefined
  const profile = lead.profile
  for (const [field, value] of [
    ['firstName', profile.firstName],
    ['lastName', profile.lastName],
    ['professionalEmail', profile.professionalEmail],
  ] as const) {
    if (value !== undefined && hasControlCharacter(value))
      return `the lead's ${field} holds a line break or another control character, and it would go into the email's To header: fix it, then retry`
  }
  return undefined
}

/** Moves to the next step (or the end), resetting what belonged to the step left behind. */
export function moveTo(
  enrolment: EnrolmentRecord,
  next: string | null,
  now: number,
  changes: Partial<EnrolmentRecord> = {},
): EnrolmentRecord {
  return {
    ...enrolment,
    ...changes,
    stepId: next,
    stepSince: now,
    attempts: 0,
    retryAt: null,
    claimKey: null,
  }
}

/** The lead waits in `lane` until `at`; due work goes straight to the lane's ready queue. */
export function waiting(
  enrolment: EnrolmentRecord,
  lane: Lane,
  at: number,
  reason: WaitReason,
  now: number,
): EnrolmentRecord {
  const ready = lane !== 'internal' && at <= now
  return {
    ...enrolment,
    state: { status: 'in_progress', substatus: substatusForWait(reason) },
    lane,
    dueAt: at,
    waitingDueAt: ready ? null : at,
    readyLane: ready ? lane : null,
    wait: reason,
    updatedAt: now,
  }
}

/** Takes the lead out of every queue (paused, finished, in error, replied). */
export function parked(
  enrolment: EnrolmentRecord,
  now: number,
  state: LeadState = enrolment.state,
): EnrolmentRecord {
  return {
    ...enrolment,
    state,
    lane: null,
    dueAt: null,
    waitingDueAt: null,
    readyLane: null,
    wait: null,
    claimKey: null,
    updatedAt: now,
  }
}

export function failed(
  enrolment: EnrolmentRecord,
  substatus: ErrorSubstatus,
  now: number,
  detail?: string,
): EnrolmentRecord {
  return parked(
    enrolment,
    now,
    detail === undefined ? { status: 'error', substatus } : { status: 'error', substatus, detail },
  )
}

export function finished(
  enrolment: EnrolmentRecord,
  substatus: FinishedSubstatus,
  now: number,
  detail?: string,
): EnrolmentRecord {
  const state: LeadState =
    detail === undefined ? { status: 'finished', substatus } : { status: 'finished', substatus, detail }
  return { ...parked(enrolment, now, state), stepId: null }
}

/** The end of a path: "not connected" when the lead declined the invitation and got nothing since. */
function finish(enrolment: EnrolmentRecord, now: number): EnrolmentRecord {
  return finished(enrolment, enrolment.notConnected ? 'not_connected' : 'no_response', now)
}
