import { issue, type ValidationIssue } from '../../errors/validation-issue'
import type { Identity } from '../identity/identity-schema'
import { channelsOf } from '../sequence/channels-of'
import type { Sequence } from '../sequence/sequence-schema'
import type { Campaign } from './campaign'

/** Something about a campaign that does not stop it from running, but that a person should know. */
export interface CampaignWarning {
  /** `no_email_account`: the sequence has email steps and the identity has no inbox yet. */
  readonly code: 'no_email_account'
  readonly message: string
}

/**
 * Voice steps without a recording (a template's voice step waits for yours): a campaign cannot launch,
 * or change while launched, with one, because there would be nothing to send.
 */
export function missingRecordings(sequence: Sequence, prefix: readonly string[] = []): ValidationIssue[] {
  return Object.entries(sequence.steps).flatMap(([id, step]) =>
    step.kind === 'linkedin_voice' && step.audio === undefined
      ? [
          issue(
            'missing_recording',
            [...prefix, 'steps', id, 'audio'],
            'needs a recording before launch: record the voice message and give `{ url }` (an https URL, or a data: URL of an uploaded m4a, mp3, wav or flac file)',
            id,
          ),
        ]
      : [],
  )
}

/**
 * What to know before launching: a sequence with email steps on an identity without an inbox launches,
 * and its leads wait at their first email step until an inbox is added, then continue by themselves.
 */
export function campaignWarnings(campaign: Campaign, identity: Identity): CampaignWarning[] {
  const warnings: CampaignWarning[] = []
  if (channelsOf(campaign.sequence).includes('email') && identity.email.inboxes.length === 0) {
    warnings.push({
      code: 'no_email_account',
      message: `Identity '${identity.id}' has no email inbox, but the sequence has email steps: leads will wait at their first email step (substatus "Waiting for an email account") until an inbox is added to the identity, then continue.`,
    })
  }
  return warnings
}
