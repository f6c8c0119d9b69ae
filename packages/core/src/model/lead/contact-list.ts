import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { parseInput } from '../../errors/parse-input'
import { entityIdSchema } from '../entity-id'
import { type CustomRuleGroup, customRuleGroupSchema, customRuleSchema } from '../sequence/condition-schema'
import { customRuleIssues } from '../sequence/sequence-rules'

/**
 * A contact list of the workspace: leads gathered to be a campaign's audience. Contacts can be added at any
 * time; campaigns that use the list enrol them as they come. Its filters choose which of its contacts those
 * campaigns take: the same field rules as a sequence's custom condition (`{ field: 'company.size',
 * operator: 'greater_than', value: 50 }`, combined with `match: 'all'` or `'any'`), on the lead's standard
 * fields (`jobTitle`, `location`, `company.industry`, ...) or the host's custom fields.
 */
export interface ContactList {
  readonly id: string
  readonly name: string
  readonly filters?: CustomRuleGroup
  readonly tags: readonly string[]
  /** ISO 8601. */
  readonly createdAt: string
  /** How many contacts it holds. */
  readonly size: number
  /** The campaigns that take their audience from it. */
  readonly campaignIds: readonly string[]
}

const filtersSchema = z.strictObject({
  match: z.enum(['all', 'any']).default('all'),
  rules: z
    .array(z.union([customRuleSchema, customRuleGroupSchema]))
    .min(1)
    .max(50),
})

const tagsSchema = z.array(z.string().trim().min(1).max(100)).max(50)

export const contactListInputSchema = z.strictObject({
  id: entityIdSchema,
  name: z.string().trim().min(1).max(300),
  filters: filtersSchema.optional(),
  tags: tagsSchema.optional(),
})

export const contactListChangesSchema = z.strictObject({
  name: z.string().trim().min(1).max(300).optional(),
  /** `null` removes the filters. */
  filters: filtersSchema.nullable().optional(),
  tags: tagsSchema.optional(),
})

export type ContactListInput = z.input<typeof contactListInputSchema>
export type ContactListChanges = z.input<typeof contactListChangesSchema>

/** Validates a new list's input, filters' values included. */
export function parseContactListInput(input: unknown): z.output<typeof contactListInputSchema> {
  const subject =
    typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string'
      ? `Contact list '${input.id}'`
      : 'Contact list'
  const parsed = parseInput(contactListInputSchema, input, subject, PacelineErrorCodes.invalidContactList)
  checkFilters(parsed.filters, subject)
  return parsed
}

export function parseContactListChanges(
  id: string,
  input: unknown,
): z.output<typeof contactListChangesSchema> {
  const subject = `Changes to contact list '${id}'`
  const parsed = parseInput(contactListChangesSchema, input, subject, PacelineErrorCodes.invalidContactList)
  checkFilters(parsed.filters ?? undefined, subject)
  return parsed
}

function checkFilters(filters: CustomRuleGroup | undefined, subject: string): void {
  if (filters === undefined) return
  const issues = filters.rules.flatMap((rule, index) =>
    customRuleIssues(undefined, rule, ['filters', 'rules', index]),
  )
  if (issues.length > 0)
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidContactList, subject, issues)
}
