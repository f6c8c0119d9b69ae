import { closestName } from '../did-you-mean'

/** The profile fields conditions, templates and channels read by name. */
export const STANDARD_PROFILE_FIELDS = [
  'firstName',
  'lastName',
  'jobTitle',
  'company',
  'linkedinUrl',
  'linkedinProfileId',
  'professionalEmail',
  'personalEmail',
  'mobilePhone',
  'location',
] as const

/** Names spreadsheets and CRMs use for standard fields (compared without case, `_`, `-` or spaces). */
const ALIASES: Readonly<Record<string, (typeof STANDARD_PROFILE_FIELDS)[number]>> = {
  email: 'professionalEmail',
  emailaddress: 'professionalEmail',
  workemail: 'professionalEmail',
  businessemail: 'professionalEmail',
  phone: 'mobilePhone',
  phonenumber: 'mobilePhone',
  mobile: 'mobilePhone',
  title: 'jobTitle',
  position: 'jobTitle',
  linkedin: 'linkedinUrl',
  linkedinprofile: 'linkedinUrl',
  linkedinprofileurl: 'linkedinUrl',
  companyname: 'company',
  organization: 'company',
  organisation: 'company',
  givenname: 'firstName',
  surname: 'lastName',
  familyname: 'lastName',
}

export interface ProfileWarning {
  readonly field: string
  readonly suggestion: string
  readonly message: string
}

/**
 * Profile fields that look like a standard one under another name (`email`, `first_name`, `jobtitle`). They
 * are kept as custom fields, as any unknown field is, but nothing reads them where the standard one is
 * expected: an email step would find no address. Said as a warning, since a custom field may be meant.
 */
export function profileWarnings(profile: Readonly<Record<string, unknown>>): ProfileWarning[] {
  const standard: readonly string[] = STANDARD_PROFILE_FIELDS
  const warnings: ProfileWarning[] = []
  for (const field of Object.keys(profile)) {
    if (standard.includes(field)) continue
    const suggestion = ALIASES[field.toLowerCase().replace(/[\s_-]/g, '')] ?? closestName(field, standard)
    if (suggestion === undefined) continue
    warnings.push({
      field,
      suggestion,
      message: `profile.${field} is not a standard field, so it is kept as a custom field and nothing reads it as ${suggestion}; did you mean ${suggestion}?`,
    })
  }
  return warnings
}
