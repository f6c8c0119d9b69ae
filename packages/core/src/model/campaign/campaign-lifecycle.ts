import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { issue, type ValidationIssue } from '../../errors/validation-issue'
import type { Identity } from '../identity/identity-schema'
import { type InstantInput, toIsoInstant } from '../instant'
import { channelsOf } from '../sequence/channels-of'
import { type Campaign, type CampaignStatus, campaignFolder, campaignTags } from './campaign'
import { missingRecordings } from './launch-readiness'

/** Which statuses each status may move to. Archived is terminal. */
export const CAMPAIGN_TRANSITIONS: Readonly<Record<CampaignStatus, readonly CampaignStatus[]>> = {
  draft: ['scheduled', 'running', 'archived'],
  scheduled: ['draft', 'running', 'archived'],
  running: ['paused', 'archived'],
  paused: ['running', 'archived'],
  archived: [],
}

export function canTransition(from: CampaignStatus, to: CampaignStatus): boolean {
  return CAMPAIGN_TRANSITIONS[from].includes(to)
}

export interface LaunchOptions {
  /** The campaign's identity: launching checks that it has every channel the sequence uses. */
  readonly identity: Identity
  readonly at: InstantInput
}

/** Starts a draft or scheduled campaign now: draft/scheduled -> running. */
export function launchCampaign(campaign: Campaign, options: LaunchOptions): Result<Campaign> {
  const detached = identityGone(campaign, 'launch')
  if (!detached.ok) return detached
  const moved = transition(campaign, 'running', 'launch')
  if (!moved.ok) return moved
  const at = instant(campaign, options.at, 'at')
  if (!at.ok) return at
  const ready = checkIdentity(campaign, options.identity)
  if (!ready.ok) return ready
  const { startAt: _scheduled, ...rest } = campaign
  return ok({ ...rest, status: 'running', launchedAt: at.value })
}

export interface ScheduleOptions extends LaunchOptions {
  /** When the campaign starts; must be after `at`. */
  readonly startAt: InstantInput
}

/** Sets a draft campaign to start at a later time: draft -> scheduled (or moves the start of a scheduled one). */
export function scheduleCampaign(campaign: Campaign, options: ScheduleOptions): Result<Campaign> {
  const detached = identityGone(campaign, 'schedule')
  if (!detached.ok) return detached
  if (campaign.status !== 'scheduled') {
    const moved = transition(campaign, 'scheduled', 'schedule')
    if (!moved.ok) return moved
  }
  const at = instant(campaign, options.at, 'at')
  if (!at.ok) return at
  const startAt = instant(campaign, options.startAt, 'startAt')
  if (!startAt.ok) return startAt
  if (startAt.value <= at.value) {
    return err(
      invalid(campaign, [
        issue(
          'start_in_past',
          ['startAt'],
          `must be after the current time ${at.value}; launch the campaign to start it now`,
        ),
      ]),
    )
  }
  const ready = checkIdentity(campaign, options.identity)
  if (!ready.ok) return ready
  return ok({ ...campaign, status: 'scheduled', startAt: startAt.value })
}

/** Whether a scheduled campaign's start time has come. */
export function isCampaignDue(campaign: Campaign, at: InstantInput): boolean {
  const now = toIsoInstant(at)
  return (
    campaign.status === 'scheduled' &&
    campaign.startAt !== undefined &&
    now !== null &&
    campaign.startAt <= now
  )
}

/** Returns a scheduled campaign to draft. */
export function unscheduleCampaign(campaign: Campaign): Result<Campaign> {
  const moved = transition(campaign, 'draft', 'unschedule')
  if (!moved.ok) return moved
  const { startAt: _startAt, ...rest } = campaign
  return ok({ ...rest, status: 'draft' })
}

/** Stops a running campaign; every lead in it counts as paused until it resumes. */
export function pauseCampaign(campaign: Campaign, options: { readonly at: InstantInput }): Result<Campaign> {
  const moved = transition(campaign, 'paused', 'pause')
  if (!moved.ok) return moved
  const at = instant(campaign, options.at, 'at')
  if (!at.ok) return at
  return ok({ ...campaign, status: 'paused', pausedAt: at.value })
}

export function resumeCampaign(campaign: Campaign): Result<Campaign> {
  const detached = identityGone(campaign, 'resume')
  if (!detached.ok) return detached
  const moved = transition(campaign, 'running', 'resume')
  if (!moved.ok) return moved
  const { pausedAt: _pausedAt, ...rest } = campaign
  return ok({ ...rest, status: 'running' })
}

/** Deactivates a campaign for good. It stays readable; duplicate it to run it again. */
export function archiveCampaign(
  campaign: Campaign,
  options: { readonly at: InstantInput },
): Result<Campaign> {
  const moved = transition(campaign, 'archived', 'archive')
  if (!moved.ok) return moved
  const at = instant(campaign, options.at, 'at')
  if (!at.ok) return at
  return ok({ ...campaign, status: 'archived', archivedAt: at.value })
}

/**
 * A copy of any campaign (even archived, or one whose identity was deleted) as a new draft with the same
 * sequence, priority and settings, on the same identity or on `identityId`.
 */
export function duplicateCampaign(
  campaign: Campaign,
  options: { readonly id: string; readonly name?: string; readonly identityId?: string },
): Campaign {
  return {
    id: options.id,
    name: options.name ?? `${campaign.name} (copy)`,
    identityId: options.identityId ?? campaign.identityId,
    priority: campaign.priority,
    status: 'draft',
    sequence: structuredClone(campaign.sequence),
    settings: withoutFolderAndTags(structuredClone(campaign.settings)),
    ...(campaignFolder(campaign) === undefined ? {} : { folder: campaignFolder(campaign) as string }),
    tags: [...campaignTags(campaign)],
    duplicatedFrom: campaign.id,
  }
}

/**
 * Stops a campaign whose identity was deleted and detaches it: a running one pauses, a scheduled one goes
 * back to draft; `identityId` stays as the record of its sender. Archived campaigns only take the mark.
 */
export function detachCampaign(campaign: Campaign, options: { readonly at: InstantInput }): Result<Campaign> {
  const at = instant(campaign, options.at, 'at')
  if (!at.ok) return at
  if (campaign.status === 'running')
    return ok({ ...campaign, status: 'paused', pausedAt: at.value, identityDeletedAt: at.value })
  if (campaign.status === 'scheduled') {
    const { startAt: _startAt, ...rest } = campaign
    return ok({ ...rest, status: 'draft', identityDeletedAt: at.value })
  }
  return ok({ ...campaign, identityDeletedAt: at.value })
}

/** A campaign whose identity was deleted never runs again: it is kept as a record. */
export function identityGone(campaign: Campaign, action: string): Result<true> {
  if (campaign.identityDeletedAt === undefined) return ok(true)
  return err(
    new PacelineError(
      PacelineErrorCodes.identityDeleted,
      `Cannot ${action} campaign '${campaign.id}': its identity '${campaign.identityId}' was deleted at ${campaign.identityDeletedAt}, and a campaign never goes back to a deleted identity (not even one put again under the same id). Duplicate it with another identity: engine.campaigns.duplicate('${campaign.id}', { id, identityId }).`,
      {
        details: { id: campaign.id, identityId: campaign.identityId, deletedAt: campaign.identityDeletedAt },
      },
    ),
  )
}

function transition(campaign: Campaign, to: CampaignStatus, action: string): Result<true> {
  if (canTransition(campaign.status, to)) return ok(true)
  return err(illegalCampaignTransition(campaign, to, action))
}

export function illegalCampaignTransition(
  campaign: Campaign,
  to: CampaignStatus,
  action: string,
): PacelineError {
  const from = campaign.status
  const hint =
    from === 'archived'
      ? 'archived campaigns are terminal; duplicate it to run it again'
      : `from ${from} a campaign can move to ${CAMPAIGN_TRANSITIONS[from].join(' or ')}`
  return new PacelineError(
    PacelineErrorCodes.illegalTransition,
    `Cannot ${action} campaign '${campaign.id}': it would move from ${from} to ${to}, and ${hint}.`,
    { details: { entity: 'campaign', id: campaign.id, action, from, to } },
  )
}

/**
 * The identity must be the campaign's and have LinkedIn when the sequence uses it (inboxes named by the
 * settings must be its own), and every voice step needs its recording.
 */
function checkIdentity(campaign: Campaign, identity: Identity): Result<true> {
  if (identity.id !== campaign.identityId) {
    return err(
      invalid(campaign, [
        issue(
          'identity_mismatch',
          ['identityId'],
          `is '${campaign.identityId}', but identity '${identity.id}' was given; pass the campaign's own identity`,
        ),
      ]),
    )
  }
  const problems: ValidationIssue[] = []
  const channels = channelsOf(campaign.sequence)
  if (channels.includes('linkedin') && identity.linkedin === undefined) {
    problems.push(
      issue(
        'linkedin_not_connected',
        ['identity', 'linkedin'],
        'is not connected, but the sequence has LinkedIn steps',
      ),
    )
  }
  // An identity without any inbox is not a problem here: its leads wait at their email step until one is
  // added (see `campaignWarnings`). Named inboxes must be the identity's, though.
  if (channels.includes('email') && identity.email.inboxes.length > 0) {
    const inboxes = identity.email.inboxes.map((inbox) => inbox.address.toLowerCase())
    const named = campaign.settings.email.inboxes
    if (named !== 'shuffle') {
      named.forEach((address, index) => {
        if (!inboxes.includes(address.toLowerCase())) {
          problems.push(
            issue(
              'unknown_inbox',
              ['settings', 'email', 'inboxes', index],
              `${address} is not an inbox of identity '${identity.id}'`,
            ),
          )
        }
      })
    }
  }
  if (problems.length === 0) {
    const unrecorded = missingRecordings(campaign.sequence, ['sequence'])
    return unrecorded.length === 0 ? ok(true) : err(invalid(campaign, unrecorded))
  }
  return err(
    PacelineError.fromIssues(
      PacelineErrorCodes.identityMissingChannel,
      `Campaign '${campaign.id}' cannot run on identity '${identity.id}': it`,
      problems,
    ),
  )
}

function instant(campaign: Campaign, value: InstantInput, field: string): Result<string> {
  const iso = toIsoInstant(value)
  if (iso !== null) return ok(iso)
  return err(
    invalid(campaign, [
      issue('invalid_time', [field], `must be a Date or an ISO 8601 time, got ${String(value)}`),
    ]),
  )
}

function invalid(campaign: Campaign, issues: readonly ValidationIssue[]): PacelineError {
  return PacelineError.fromIssues(PacelineErrorCodes.invalidCampaign, `Campaign '${campaign.id}'`, issues)
}

/** Settings without the folder and tags campaigns stored by older versions kept there. */
function withoutFolderAndTags(settings: Campaign['settings']): Campaign['settings'] {
  const {
    tags: _tags,
    folder: _folder,
    ...rest
  } = settings as Campaign['settings'] & {
    tags?: unknown
    folder?: unknown
  }
  return rest
}
