import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { issue } from '../../errors/validation-issue'
import type { ParseSequenceOptions } from '../sequence/parse-sequence'
import type { Campaign } from './campaign'
import { identityGone } from './campaign-lifecycle'
import type { CampaignSettingsInput } from './campaign-settings'
import { type CampaignInput, validateCampaign } from './define-campaign'
import { missingRecordings } from './launch-readiness'
import { sequenceShapeChanges } from './sequence-shape'

export interface CampaignChanges {
  readonly name?: string
  readonly priority?: Campaign['priority']
  readonly identityId?: string
  readonly sequence?: CampaignInput['sequence']
  /** Merged into the current settings: name only the settings that change. */
  readonly settings?: CampaignSettingsInput
  /** Moves it to a folder, or out of any folder with null. */
  readonly folder?: string | null
  /** Replaces its tags. */
  readonly tags?: readonly string[]
}

/**
 * Edits a campaign. Drafts may change anything. Once launched (no longer a draft) the sequence's shape is
 * locked: delays, message content and condition settings stay editable and apply to future steps only,
 * but adding, removing or re-linking steps fails with `sequence_locked`, and the identity cannot change.
 * Archived campaigns cannot be edited; one whose identity was deleted cannot take another (`identity_deleted`).
 */
export function updateCampaign(
  campaign: Campaign,
  changes: CampaignChanges,
  options: ParseSequenceOptions = {},
): Result<Campaign> {
  if (campaign.status === 'archived') {
    return err(
      new PacelineError(
        PacelineErrorCodes.illegalTransition,
        `Cannot edit campaign '${campaign.id}': it is archived, and archived campaigns are terminal. Duplicate it to make an editable draft.`,
        {
          details: { entity: 'campaign', id: campaign.id, action: 'edit', from: 'archived', to: 'archived' },
        },
      ),
    )
  }
  if (changes.identityId !== undefined && changes.identityId !== campaign.identityId) {
    const detached = identityGone(campaign, 'change the identity of')
    if (!detached.ok) return detached
  }
  const launched = campaign.status !== 'draft'
  if (launched && changes.identityId !== undefined && changes.identityId !== campaign.identityId) {
    return err(
      PacelineError.fromIssues(PacelineErrorCodes.invalidCampaign, `Campaign '${campaign.id}'`, [
        issue(
          'identity_locked',
          ['identityId'],
          `cannot change after launch: leads keep the sender they started with. Duplicate the campaign to use identity '${changes.identityId}'`,
        ),
      ]),
    )
  }
  const next = validateCampaign(
    {
      id: campaign.id,
      name: changes.name ?? campaign.name,
      identityId: changes.identityId ?? campaign.identityId,
      priority: changes.priority ?? campaign.priority,
      sequence: changes.sequence ?? campaign.sequence,
      ...folderAndTags(campaign, changes),
    },
    options,
  )
  if (!next.ok) return next
  if (launched) {
    const unrecorded = missingRecordings(next.value.sequence, ['sequence'])
    if (unrecorded.length > 0)
      return err(
        PacelineError.fromIssues(PacelineErrorCodes.invalidCampaign, `Campaign '${campaign.id}'`, unrecorded),
      )
    const shape = sequenceShapeChanges(campaign.sequence, next.value.sequence)
    if (shape.length > 0) {
      return err(
        PacelineError.fromIssues(
          PacelineErrorCodes.sequenceLocked,
          `Campaign '${campaign.id}' is ${campaign.status}, so its sequence shape is locked (delays and content can still change); the new sequence`,
          shape,
        ),
      )
    }
  }
  const { name, identityId, priority, sequence, settings, folder, tags } = next.value
  const { folder: _previousFolder, ...rest } = campaign
  return ok({
    ...rest,
    name,
    identityId,
    priority,
    sequence,
    settings,
    tags,
    ...(folder === undefined ? {} : { folder }),
  })
}

/**
 * The settings, folder and tags to validate. The changes' folder and tags win over the campaign's; given
 * in `settings` (the older place) they are passed on there, so validation moves them to the top, or
 * refuses them when the same change also gives them at the top.
 */
function folderAndTags(
  campaign: Campaign,
  changes: CampaignChanges,
): Pick<CampaignInput, 'settings' | 'folder' | 'tags'> {
  const { tags: storedTags, folder: storedFolder, ...stored } = campaign.settings as Record<string, unknown>
  const given = (changes.settings ?? {}) as Record<string, unknown>
  const settings: Record<string, unknown> = { ...stored, ...given }
  const out: { settings: Record<string, unknown>; folder?: string; tags?: readonly string[] } = { settings }
  if (changes.tags !== undefined) out.tags = changes.tags
  else if (given.tags === undefined) {
    if (campaign.tags !== undefined) out.tags = campaign.tags
    else if (storedTags !== undefined) settings.tags = storedTags
  }
  if (changes.folder === null) {
    // Out of any folder; a folder also given in settings is then given twice.
    if (given.folder !== undefined) out.folder = given.folder as string
  } else if (changes.folder !== undefined) out.folder = changes.folder
  else if (given.folder === undefined) {
    if (campaign.folder !== undefined) out.folder = campaign.folder
    else if (storedFolder !== undefined) settings.folder = storedFolder
  }
  return out as Pick<CampaignInput, 'settings' | 'folder' | 'tags'>
}
