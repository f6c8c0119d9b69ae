import type { CampaignPriority } from '../model/campaign/campaign'
import { priorityKey } from '../scheduler/priority'
import { hash32 } from '../scheduler/seeded-random'
import type { EnrolmentRecord, RelationRecord } from './records'
import { compoundKey } from './store'

export const enrolmentKey = (campaignId: string, leadId: string) => compoundKey(campaignId, leadId)
export const relationKey = (identityId: string, leadId: string) => compoundKey(identityId, leadId)

/** A new, not started lead in a campaign, with its seeded tie-break. */
export function newEnrolment(options: {
  readonly campaignId: string
  readonly leadId: string
  readonly identityId: string
  readonly priority: CampaignPriority
  readonly seed: number
  readonly at: number
}): EnrolmentRecord {
  const tieBreak = hash32(options.seed, 'tie-break', options.campaignId, options.leadId)
  return {
    key: enrolmentKey(options.campaignId, options.leadId),
    campaignId: options.campaignId,
    leadId: options.leadId,
    identityId: options.identityId,
    state: { status: 'not_started' },
    stepId: null,
    enrolledAt: options.at,
    updatedAt: options.at,
    stepSince: options.at,
    lane: null,
    dueAt: null,
    waitingDueAt: null,
    readyLane: null,
    priorityKey: priorityKey(0, options.priority, tieBreak),
    campaignPriority: options.priority,
    tieBreak,
    wait: null,
    linkedinMessages: 0,
    emails: 0,
    inbox: null,
    thread: null,
    notConnected: false,
    attempts: 0,
    retryAt: null,
    claimKey: null,
  }
}

/** What an identity knows of a lead it has never dealt with. */
export function newRelation(identityId: string, leadId: string): RelationRecord {
  return {
    key: relationKey(identityId, leadId),
    identityId,
    leadId,
    connection: 'unknown',
    invitedAt: null,
    acceptedAt: null,
    withdrawnAt: null,
    pendingSince: null,
    lastCheckedAt: null,
    conversationWith: null,
    withdrawDueAt: null,
    withdrawRequestedAt: null,
    withdrawFailure: null,
  }
}

/** Recomputes the priority key after the depth or the campaign's priority changed. */
export function withPriority(
  enrolment: EnrolmentRecord,
  priority: CampaignPriority = enrolment.campaignPriority,
): EnrolmentRecord {
  const depth = enrolment.lane?.startsWith('email:') ? enrolment.emails : enrolment.linkedinMessages
  return {
    ...enrolment,
    campaignPriority: priority,
    priorityKey: priorityKey(depth, priority, enrolment.tieBreak),
  }
}
