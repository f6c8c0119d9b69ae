import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'

/** The sync options of a mapped field: which way its value flows in automatic syncs. */
export const CRM_SYNC_DIRECTIONS = [
  'bidirectional',
  'crm_overwrites',
  'paceline_overwrites',
  'sync_if_empty',
  'deactivated',
] as const
export type CrmSyncDirection = (typeof CRM_SYNC_DIRECTIONS)[number]

const fieldName = z.string().trim().min(1).max(200)
/** A paceline field: a path in the lead's profile (`firstName`, `company.domain`, a custom field). */
const leadPath = z
  .string()
  .trim()
  .regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'must be a field path like jobTitle or company.domain')

const condition = z.strictObject({ paceline: leadPath, crm: fieldName })
/** Custom identifiers: OR of AND groups of (paceline field = CRM field). */
const customRule = z.strictObject({
  type: z.literal('custom'),
  anyOf: z.array(z.array(condition).min(1).max(6)).min(1).max(5),
})

const contactIdentifier = z.discriminatedUnion('type', [
  /** First name + last name + company name must all be equal. */
  z.strictObject({ type: z.literal('name_and_company') }),
  /** The LinkedIn profile URL is equal, or first name + last name + company name are. */
  z.strictObject({ type: z.literal('linkedin_url_or_name_and_company') }),
  customRule,
])

const companyIdentifier = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('domain'), anyExtension: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('domain_or_name'), anyExtension: z.boolean().default(false) }),
  customRule,
])

const mappedField = z.strictObject({
  paceline: leadPath,
  crm: fieldName,
  direction: z.enum(CRM_SYNC_DIRECTIONS).default('paceline_overwrites'),
})
const crmValue = z.union([z.string().max(10_000), z.number(), z.boolean()])

const objectMapping = z
  .strictObject({
    /** paceline fields mapped onto CRM fields, each with its sync direction. */
    fields: z.array(mappedField).max(500).default([]),
    /** CRM fields that always get the same value ("Source" = "paceline"). */
    fixed: z
      .array(z.strictObject({ crm: fieldName, value: crmValue }))
      .max(200)
      .default([]),
    /** CRM fields whose value is given at export time (`engine.crm.export({ values })`). */
    manual: z
      .array(z.strictObject({ crm: fieldName }))
      .max(200)
      .default([]),
    /** The one CRM field set to `value` whenever an activity is logged on the record. */
    engagement: z.strictObject({ crm: fieldName, value: crmValue }).optional(),
  })
  .superRefine((mapping, context) => {
    const seen = new Map<string, string>()
    const targets = [
      ...mapping.fields.map((each, index) => [each.crm, `fields.${index}`] as const),
      ...mapping.fixed.map((each, index) => [each.crm, `fixed.${index}`] as const),
      ...mapping.manual.map((each, index) => [each.crm, `manual.${index}`] as const),
    ]
    for (const [crm, where] of targets) {
      const first = seen.get(crm)
      if (first !== undefined)
        context.addIssue({
          code: 'custom',
          path: [...where.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)), 'crm'],
          message: `maps the CRM field '${crm}' a second time (already in ${first}): a field gets one value`,
          params: { rule: 'unique_crm_field' },
        })
      else seen.set(crm, where)
    }
  })

/** Campaign properties (computed from the action log) written onto CRM contact fields (all optional). */
const campaignProperties = z.strictObject({
  sequenceDetails: fieldName.optional(),
  engagementStatus: fieldName.optional(),
  sequenceStatus: fieldName.optional(),
  replyAnalysis: fieldName.optional(),
  opens: fieldName.optional(),
  clicks: fieldName.optional(),
  openAnalysis: fieldName.optional(),
  clickAnalysis: fieldName.optional(),
  campaigns: fieldName.optional(),
  senders: fieldName.optional(),
  activities: fieldName.optional(),
  conversationTags: fieldName.optional(),
  conversationTagCategories: fieldName.optional(),
})
export type CampaignPropertyName = keyof z.output<typeof campaignProperties>

const crmUserId = z.string().trim().min(1).max(200)

export const crmConfigSchema = z.strictObject({
  /** Step 1: how a lead is found among the CRM's contacts. */
  contactIdentifier: contactIdentifier.default({ type: 'linkedin_url_or_name_and_company' }),
  /** Step 1: how a lead's company is found among the CRM's companies. */
  companyIdentifier: companyIdentifier.default({ type: 'domain', anyExtension: false }),
  /** Step 1, General: associate exported contacts with their company (and the company with them). */
  associateContactsWithCompanies: z.boolean().default(true),
  /** Step 2: the default association type (a manual export may choose another). */
  associationType: z.enum(['additional', 'primary', 'primary_replacing']).default('additional'),
  /** Step 2: the Contacts tab and the Companies tab. */
  contacts: objectMapping.default({ fields: [], fixed: [], manual: [] }),
  companies: objectMapping.default({ fields: [], fixed: [], manual: [] }),
  /** Step 3 (optional). */
  campaignProperties: campaignProperties.default({}),
  /** Step 4: who acts and who owns. */
  users: z
    .strictObject({
      /** paceline identity id -> CRM user id: the author of the identity's activities. */
      identities: z.record(z.string().min(1), crmUserId).default({}),
      /** paceline user id -> CRM user id: the owner of records that user exports. */
      users: z.record(z.string().min(1), crmUserId).default({}),
      /** The owner of records exported by a user who is not mapped. */
      defaultOwner: crmUserId.optional(),
    })
    .default({ identities: {}, users: {} }),
})

export type CrmConfigInput = z.input<typeof crmConfigSchema>
export type CrmConfig = z.output<typeof crmConfigSchema>
export type CrmObjectMapping = CrmConfig['contacts']
export type CrmMappedField = CrmObjectMapping['fields'][number]
export type CrmIdentifierRule = z.output<typeof customRule>

/** Validates a CRM configuration; the error names each wrong field and its rule. */
export function parseCrmConfig(input: unknown): CrmConfig {
  const result = crmConfigSchema.safeParse(input, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidCrmConfig, 'The CRM configuration', result.error)
  return result.data
}
