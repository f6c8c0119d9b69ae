import type { StoredDocument } from '@paceline/core/ports'

/**
 * Documents shaped like the ones the engine writes (a lead, its enrolment in a campaign, a claim), so the
 * benchmarks move rows of realistic size through realistic indexes.
 */
export const START = Date.parse('2026-03-02T08:00:00Z')
const DAY = 86_400_000

export function leadDocument(n: number): StoredDocument {
  const id = `lead-${n}`
  return {
    id,
    lead: {
      id,
      profile: {
        firstName: `First${n}`,
        lastName: `Last${n}`,
        companyName: `Company ${n % 997}`,
        jobTitle: 'Head of Operations',
        linkedinProfileId: `ACoAA${n.toString(36).padStart(8, '0')}`,
        professionalEmail: `first${n}@company${n % 997}.example`,
      },
      customVariables: { source: 'benchmark' },
    },
    emailKey: `first${n}@company${n % 997}.example`,
    linkedinProfileId: `ACoAA${n.toString(36).padStart(8, '0')}`,
  }
}

export type EnrolmentState = 'ready' | 'waiting' | 'finished' | 'not_started'

export function enrolmentDocument(
  n: number,
  options: { campaignId: string; identityId: string; state: EnrolmentState },
): StoredDocument {
  const leadId = `lead-${n}`
  const { state } = options
  const lane = state === 'ready' || state === 'waiting' ? 'linkedin:message' : null
  const dueAt =
    state === 'ready' ? START - (n % 3_600) * 1_000 : state === 'waiting' ? START + 30 * DAY : null
  return {
    key: `${options.campaignId}\u001f${leadId}`,
    campaignId: options.campaignId,
    leadId,
    identityId: options.identityId,
    state:
      state === 'finished'
        ? { status: 'completed' }
        : state === 'not_started'
          ? { status: 'not_started' }
          : { status: 'in_progress' },
    stepId: state === 'not_started' ? null : 'hello',
    enrolledAt: START - 7 * DAY,
    updatedAt: START - DAY,
    stepSince: START - DAY,
    lane,
    dueAt,
    waitingDueAt: state === 'waiting' ? dueAt : null,
    readyLane: state === 'ready' ? lane : null,
    priorityKey: 17_000_000_000_000 + ((n * 2_654_435_761) % 1_000_000_007),
    campaignPriority: 'medium',
    tieBreak: (n * 2_654_435_761) % 4_294_967_296,
    wait: null,
    linkedinMessages: n % 3,
    emails: 0,
    inbox: null,
    thread: null,
    notConnected: false,
    attempts: 0,
    retryAt: null,
    claimKey: null,
  }
}
