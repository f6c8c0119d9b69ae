import type { Sequence } from '../sequence/sequence-schema'
import type { CampaignSettings } from './campaign-settings'

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'archived'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

export const CAMPAIGN_PRIORITIES = ['high', 'medium', 'low'] as const
export type CampaignPriority = (typeof CAMPAIGN_PRIORITIES)[number]

/** A campaign: one identity, one sequence, a priority, settings and a lifecycle status. */
export interface Campaign {
  readonly id: string
  readonly name: string
  readonly identityId: string
  readonly priority: CampaignPriority
  readonly status: CampaignStatus
  readonly sequence: Sequence
  readonly settings: CampaignSettings
  /** A folder to group campaigns in lists (one level, by name). */
  readonly folder?: string
  /** Labels to filter campaigns by (matched without case). */
  readonly tags: readonly string[]
  /** When it was created (ISO 8601); set by the engine. */
  readonly createdAt?: string
  /** When a scheduled campaign starts (ISO 8601). */
  readonly startAt?: string
  readonly launchedAt?: string
  readonly pausedAt?: string
  readonly archivedAt?: string
  /** The campaign this one was duplicated from. */
  readonly duplicatedFrom?: string
  /**
   * When its identity was deleted (ISO 8601). `identityId` stays as the record of the sender it had, but
   * the campaign no longer uses it: an identity put again under that id is not reattached, and the
   * campaign cannot launch, resume, be scheduled or take another identity (duplicate it instead).
   */
  readonly identityDeletedAt?: string
}

/**
 * Campaigns stored before `folder` and `tags` moved to the top of the campaign kept them in `settings`:
 * these read either place.
 */
export function campaignTags(campaign: Campaign): readonly string[] {
  return campaign.tags ?? (campaign.settings as { readonly tags?: readonly string[] }).tags ?? []
}

export function campaignFolder(campaign: Campaign): string | undefined {
  return campaign.folder ?? (campaign.settings as { readonly folder?: string }).folder
}

/**
 * Whether the campaign's pause is what its active leads show (as paused, until it resumes). A campaign
 * paused because its identity was deleted never resumes: its leads show why they stopped instead.
 */
export function pausesLeads(campaign: Campaign): boolean {
  return campaign.status === 'paused' && campaign.identityDeletedAt === undefined
}
