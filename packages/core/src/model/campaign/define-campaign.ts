import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { issue, type ValidationIssue } from '../../errors/validation-issue'
import { issuesFromZod } from '../../errors/zod-issues'
import { entityIdSchema } from '../entity-id'
import { type ParseSequenceOptions, validateSequence } from '../sequence/parse-sequence'
import type { Sequence, SequenceInput } from '../sequence/sequence-schema'
import { CAMPAIGN_PRIORITIES, type Campaign } from './campaign'
import {
  type CampaignSettings,
  type CampaignSettingsInput,
  campaignSettingsSchema,
} from './campaign-settings'

/** Campaign tags: up to 20 labels, each named once whatever its case. */
export const campaignTagsSchema = z
  .array(z.string().trim().min(1).max(50))
  .max(20)
  .superRefine((tags, context) => {
    const seen = new Set<string>()
    tags.forEach((tag, index) => {
      const key = tag.toLowerCase()
      if (seen.has(key))
        context.addIssue({
          code: 'custom',
          path: [index],
          message: `repeats the tag ${JSON.stringify(tag)}; tags are matched without case`,
          params: { rule: 'duplicate_tag' },
        })
      seen.add(key)
    })
  })

const campaignInputSchema = z.strictObject({
  id: entityIdSchema,
  /**
   * Defaults to "<identity name>'s Campaign" (e.g. "Ana Ruiz's Campaign"), the usual name of a new
   * campaign in outreach tools; `defineCampaign` alone, which does not know the identity, uses its id.
   */
  name: z.string().trim().min(1).max(200).optional(),
  identityId: entityIdSchema,
  sequence: z.unknown(),
  priority: z.enum(CAMPAIGN_PRIORITIES).default('medium'),
  settings: z.unknown().optional(),
  folder: z.string().trim().min(1).max(200).optional(),
  tags: campaignTagsSchema.optional(),
})

export interface CampaignInput {
  readonly id: string
  readonly name?: string
  readonly identityId: string
  /** A sequence document, a parsed `Sequence`, or a builder's output. */
  readonly sequence: SequenceInput | Sequence
  readonly priority?: Campaign['priority']
  readonly settings?: CampaignSettingsInput
  /** A folder to group campaigns in lists. */
  readonly folder?: string
  /** Labels to filter campaigns by. */
  readonly tags?: readonly string[]
}

/**
 * Validates a new campaign and returns it as a draft. The sequence is validated with `parseSequence`
 * (its issues are reported under `sequence.`), and settings get their defaults: contacts CRM sync is `yes`
 * when the sequence has tasks, because a task needs the contact in the CRM. Throws a `PacelineError`
 * with code `invalid_campaign`.
 */
export function defineCampaign(input: CampaignInput, options: ParseSequenceOptions = {}): Campaign {
  const result = validateCampaign(input, options)
  if (!result.ok) throw result.error
  return result.value
}

/** Like `defineCampaign`, but returns the error instead of throwing it. */
export function validateCampaign(input: unknown, options: ParseSequenceOptions = {}): Result<Campaign> {
  const parsed = campaignInputSchema.safeParse(input, { reportInput: true })
  if (!parsed.success) return err(invalid(input, issuesFromZod(parsed.error)))
  const fields = parsed.data
  const sequence = validateSequence(fields.sequence, options)
  if (!sequence.ok) return err(invalid(input, prefixed(sequence.error.issues, 'sequence')))
  const placed = placeFolderAndTags(fields)
  if (!placed.ok) return err(invalid(input, placed.error))
  const settings = resolveSettings(placed.value.settings, sequence.value, fields.id)
  if (!settings.ok) return err(invalid(input, settings.error))
  const { folder, tags } = placed.value
  return ok({
    id: fields.id,
    name: fields.name ?? `${fields.identityId}'s Campaign`,
    identityId: fields.identityId,
    priority: fields.priority,
    status: 'draft',
    sequence: sequence.value,
    settings: settings.value,
    ...(folder === undefined ? {} : { folder }),
    tags,
  })
}

const legacyFolderAndTags = z.object({
  folder: z.string().trim().min(1).max(200).optional(),
  // Older campaigns could repeat a tag in another case: kept once.
  tags: z
    .array(z.string())
    .optional()
    .transform((tags) =>
      tags === undefined
        ? undefined
        : tags.filter(
            (tag, at) => tags.findIndex((other) => other.toLowerCase() === tag.toLowerCase()) === at,
          ),
    )
    .pipe(campaignTagsSchema.optional()),
})

/**
 * `folder` and `tags` belong at the top of the campaign; `settings.folder` and `settings.tags`, where older
 * code (and campaigns stored by older versions) put them, are still read and moved there. Given in both
 * places, they are refused rather than one silently winning.
 */
function placeFolderAndTags(fields: {
  readonly settings?: unknown
  readonly folder?: string | undefined
  readonly tags?: readonly string[] | undefined
}): Result<
  { readonly settings: unknown; readonly folder: string | undefined; readonly tags: readonly string[] },
  ValidationIssue[]
> {
  const raw = fields.settings
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || !('tags' in raw || 'folder' in raw))
    return ok({ settings: raw, folder: fields.folder, tags: fields.tags ?? [] })
  const { tags, folder, ...settings } = raw as { tags?: unknown; folder?: unknown }
  const issues: ValidationIssue[] = []
  if (tags !== undefined && fields.tags !== undefined)
    issues.push(issue('given_twice', ['settings', 'tags'], "give tags once, as the campaign's `tags`"))
  if (folder !== undefined && fields.folder !== undefined)
    issues.push(
      issue('given_twice', ['settings', 'folder'], "give the folder once, as the campaign's `folder`"),
    )
  if (issues.length > 0) return err(issues)
  const legacy = legacyFolderAndTags.safeParse({ tags, folder }, { reportInput: true })
  if (!legacy.success) return err(issuesFromZod(legacy.error, { prefix: ['settings'] }))
  return ok({
    settings,
    folder: fields.folder ?? legacy.data.folder,
    tags: fields.tags ?? legacy.data.tags ?? [],
  })
}

/** Validates settings against the sequence they belong to. */
export function resolveSettings(
  input: unknown,
  sequence: Sequence,
  campaignId: string,
): Result<CampaignSettings, ValidationIssue[]> {
  const parsed = campaignSettingsSchema.safeParse(input ?? {}, { reportInput: true })
  if (!parsed.success) return err(issuesFromZod(parsed.error, { prefix: ['settings'] }))
  const issues: ValidationIssue[] = []
  const steps = Object.entries(sequence.steps)
  const hasTasks = steps.some(([, step]) => step.kind === 'task')
  const contacts = parsed.data.crmSync.contacts ?? (hasTasks ? 'yes' : 'no')
  if (hasTasks && contacts !== 'yes') {
    issues.push(
      issue(
        'tasks_require_contacts_sync',
        ['settings', 'crmSync', 'contacts'],
        `must be 'yes' because the sequence has task steps: a task is created on the contact in the CRM, so the contact must be synced first`,
      ),
    )
  }
  for (const [id, step] of steps) {
    if (step.kind === 'add_to_campaign' && step.campaignId === campaignId) {
      issues.push(
        issue(
          'adds_to_itself',
          ['sequence', 'steps', id, 'campaignId'],
          'names this same campaign; add the lead to a different campaign',
          id,
        ),
      )
    }
  }
  if (issues.length > 0) return err(issues)
  return ok({ ...parsed.data, crmSync: { contacts, conversations: parsed.data.crmSync.conversations } })
}

export function prefixed(issues: readonly ValidationIssue[], prefix: string): ValidationIssue[] {
  return issues.map((each) => issue(each.rule, [prefix, ...each.path], each.message, each.stepId))
}

function invalid(input: unknown, issues: readonly ValidationIssue[]): PacelineError {
  const id =
    typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string'
      ? input.id
      : undefined
  return PacelineError.fromIssues(
    PacelineErrorCodes.invalidCampaign,
    id === undefined ? 'Campaign' : `Campaign '${id}'`,
    issues,
  )
}
