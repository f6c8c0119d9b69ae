import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { issuesFromZod } from '../../errors/zod-issues'
import { entityIdSchema } from '../entity-id'

const text = (max: number) => z.string().trim().max(max)

const companySchema = z.looseObject({
  name: text(300).optional(),
  domain: text(300).optional(),
  industry: text(300).optional(),
  size: z.union([z.number(), z.string()]).optional(),
})

/**
 * What paceline knows about a person: the fields conditions and templates read (`{{firstName}}`,
 * `{{company.name}}`, custom fields by name). Unknown fields are kept: they are the host's custom fields.
 */
const profileSchema = z.looseObject({
  firstName: text(200).optional(),
  lastName: text(200).optional(),
  jobTitle: text(300).optional(),
  /** A company name, or an object with `name`, `domain`, ...; a name is stored as `{ name }`. */
  company: z
    .union([text(300), companySchema])
    .transform((company) => (typeof company === 'string' ? { name: company } : company))
    .optional(),
  linkedinUrl: text(500).optional(),
  /** LinkedIn's own profile id (what "has LinkedIn profile" checks), not the URL. */
  linkedinProfileId: text(200).optional(),
  professionalEmail: z.email().optional(),
  personalEmail: z.email().optional(),
  mobilePhone: text(50).optional(),
  location: text(300).optional(),
})

export const leadSchema = z.strictObject({
  id: entityIdSchema,
  profile: profileSchema.default({}),
})

export type LeadInput = z.input<typeof leadSchema>
export type Lead = z.output<typeof leadSchema>
export type LeadProfile = Lead['profile']

/** Validates a lead. Throws a `PacelineError` with code `invalid_lead` naming each wrong field. */
export function defineLead(input: LeadInput): Lead {
  const result = validateLead(input)
  if (!result.ok) throw result.error
  return result.value
}

export function validateLead(input: unknown): Result<Lead> {
  const parsed = leadSchema.safeParse(input, { reportInput: true })
  if (parsed.success) return ok(parsed.data)
  const id =
    typeof input === 'object' && input !== null && 'id' in input && typeof input.id === 'string'
      ? input.id
      : undefined
  return err(
    PacelineError.fromIssues(
      PacelineErrorCodes.invalidLead,
      id === undefined ? 'Lead' : `Lead '${id}'`,
      issuesFromZod(parsed.error),
    ),
  )
}

/** Whether a field the profile conditions check is present and not blank. */
function present(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null
}

/** The "has LinkedIn profile" condition checks the LinkedIn profile id, not the URL. */
export function hasLinkedInProfile(lead: Lead): boolean {
  return present(lead.profile.linkedinProfileId)
}

export function hasProfessionalEmail(lead: Lead): boolean {
  return present(lead.profile.professionalEmail)
}

export function hasMobilePhone(lead: Lead): boolean {
  return present(lead.profile.mobilePhone)
}
