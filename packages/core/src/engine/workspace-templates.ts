import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { parseInput } from '../errors/parse-input'
import { issue } from '../errors/validation-issue'
import { type CampaignPriority, campaignFolder, campaignTags } from '../model/campaign/campaign'
import type { CampaignSettings } from '../model/campaign/campaign-settings'
import { entityIdSchema } from '../model/entity-id'
import type { Sequence } from '../model/sequence/sequence-schema'
import { type CampaignTemplate, type TemplateId, templates } from '../model/templates/campaign-templates'
import { campaignNotFound } from './campaign-deletion'
import { type EngineContext, inTransaction } from './engine-context'
import { compoundKey, type Store } from './store'

/**
 * What a campaign created from a template takes from it. Spread it into `engine.campaigns.create` with the
 * new campaign's id and identity: `create({ id: 'q3', identityId: 'ana', ...template.campaign })`.
 */
export interface TemplateCampaign {
  readonly sequence: Sequence
  readonly priority?: CampaignPriority
  readonly settings?: CampaignSettings
  readonly tags?: readonly string[]
  readonly folder?: string
}

/** One of paceline's own templates, as `engine.templates` lists it. */
export interface BuiltInTemplateEntry extends CampaignTemplate {
  readonly source: 'built-in'
  readonly campaign: TemplateCampaign
}

/** A template a workspace saved from one of its campaigns: its sequence and settings, never its leads. */
export interface WorkspaceTemplate {
  readonly source: 'workspace'
  readonly id: string
  readonly name: string
  readonly description?: string
  readonly sequence: Sequence
  readonly campaign: TemplateCampaign
  /** The campaign it was saved from, and when (ISO 8601). */
  readonly savedFrom: string
  readonly savedAt: string
}

export type TemplateEntry = BuiltInTemplateEntry | WorkspaceTemplate

export interface SaveTemplateInput {
  /** The campaign whose sequence and settings (priority, settings, tags, folder) the template keeps. */
  readonly fromCampaign: string
  /** The template's id in this workspace; not a built-in template's id. */
  readonly id: string
  readonly name: string
  readonly description?: string
  /** Replaces a saved template with the same id. Default false: that id is refused. */
  readonly replace?: boolean
}

const saveSchema = z.strictObject({
  fromCampaign: entityIdSchema,
  id: entityIdSchema,
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(2000).optional(),
  replace: z.boolean().optional(),
})

const PREFIX = compoundKey('campaign-template', '')
const keyOf = (id: string) => `${PREFIX}${id}`

const isBuiltIn = (id: string): id is TemplateId => Object.hasOwn(templates, id)

function builtIn(id: TemplateId): BuiltInTemplateEntry {
  const template = templates[id]
  return { ...template, source: 'built-in', campaign: { sequence: template.sequence } }
}

/** Saves a campaign's sequence and settings as a template of this workspace. */
export async function saveTemplate(
  context: EngineContext,
  input: SaveTemplateInput,
): Promise<WorkspaceTemplate> {
  const fields = parseInput(saveSchema, input, 'The template', PacelineErrorCodes.invalidCampaignTemplate)
  if (isBuiltIn(fields.id))
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidCampaignTemplate, 'The template', [
      issue('built_in_id', ['id'], `'${fields.id}' is a built-in template's id; pick another id`),
    ])
  return inTransaction(context, async (store) => {
    const record = await store.get('campaigns', fields.fromCampaign)
    if (record === undefined) throw await campaignNotFound(store, fields.fromCampaign)
    if (fields.replace !== true && (await readTemplate(store, fields.id)) !== undefined)
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidCampaignTemplate, 'The template', [
        issue(
          'already_exists',
          ['id'],
          `'${fields.id}' is already a saved template; pick another id, or pass replace: true to overwrite it`,
        ),
      ])
    const campaign = record.campaign
    const folder = campaignFolder(campaign)
    const {
      tags: _tags,
      folder: _folder,
      ...settings
    } = campaign.settings as CampaignSettings & {
      tags?: unknown
      folder?: unknown
    }
    const template: WorkspaceTemplate = {
      source: 'workspace',
      id: fields.id,
      name: fields.name,
      ...(fields.description === undefined ? {} : { description: fields.description }),
      sequence: campaign.sequence,
      campaign: {
        sequence: campaign.sequence,
        priority: campaign.priority,
        settings,
        tags: [...campaignTags(campaign)],
        ...(folder === undefined ? {} : { folder }),
      },
      savedFrom: campaign.id,
      savedAt: new Date(context.now()).toISOString(),
    }
    await store.put('state', keyOf(template.id), { key: keyOf(template.id), value: template })
    return template
  })
}

/** The built-in templates, then this workspace's saved ones (by name). */
export async function listTemplates(context: EngineContext): Promise<TemplateEntry[]> {
  const saved = await inTransaction(
    context,
    async (store) => {
      const found: WorkspaceTemplate[] = []
      let after = PREFIX
      for (;;) {
        const page = await store.query('state', { after, limit: 200 })
        const mine = page.filter((document) => document.key.startsWith(PREFIX))
        found.push(...mine.map((document) => document.value as WorkspaceTemplate))
        if (page.length < 200 || mine.length < page.length) return found
        after = page[page.length - 1]?.key ?? after
      }
    },
    { readOnly: true },
  )
  saved.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1))
  return [...(Object.keys(templates) as TemplateId[]).map(builtIn), ...saved]
}

export async function getTemplate(context: EngineContext, id: string): Promise<TemplateEntry> {
  if (isBuiltIn(id)) return builtIn(id)
  const saved = await inTransaction(context, (store) => readTemplate(store, id), { readOnly: true })
  if (saved === undefined) throw templateNotFound(id)
  return saved
}

/** Deletes a saved template; campaigns created from it keep their copy of its sequence and settings. */
export async function deleteTemplate(context: EngineContext, id: string): Promise<void> {
  if (isBuiltIn(id))
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidCampaignTemplate, `Template '${id}'`, [
      issue('built_in', ['id'], 'is a built-in template, which cannot be deleted; only saved templates can'),
    ])
  await inTransaction(context, async (store) => {
    if ((await readTemplate(store, id)) === undefined) throw templateNotFound(id)
    await store.delete('state', keyOf(id))
  })
}

async function readTemplate(store: Store, id: string): Promise<WorkspaceTemplate | undefined> {
  return (await store.get('state', keyOf(id)))?.value as WorkspaceTemplate | undefined
}

function templateNotFound(id: string): PacelineError {
  return new PacelineError(
    PacelineErrorCodes.notFound,
    `No template '${id}': neither a built-in template nor one saved in this workspace (engine.templates.list() shows them).`,
    { details: { what: 'template', id } },
  )
}
