import type { CrmField, CrmObjectType, CrmValue } from '../ports/crm'
import type { CrmConfig, CrmObjectMapping } from './crm-config'

/** The kind of value a paceline field holds, for the compatibility check. */
export type PacelineFieldType = 'text' | 'email' | 'url' | 'phone' | 'number'

/** The types of the lead profile's standard fields; custom fields are text. */
const CONTACT_FIELD_TYPES: Readonly<Record<string, PacelineFieldType>> = {
  firstName: 'text',
  lastName: 'text',
  jobTitle: 'text',
  linkedinUrl: 'url',
  linkedinProfileId: 'text',
  professionalEmail: 'email',
  personalEmail: 'email',
  mobilePhone: 'phone',
  location: 'text',
}
const COMPANY_FIELD_TYPES: Readonly<Record<string, PacelineFieldType>> = {
  name: 'text',
  domain: 'text',
  industry: 'text',
  size: 'number',
  linkedinUrl: 'url',
}

/** Whether a paceline path names a company field (the Companies tab's own fields). */
export const isCompanyPath = (path: string): boolean => path === 'company' || path.startsWith('company.')

/** The type of a paceline field as the tab reads it: Contacts paths are in the profile, Companies paths in its company. */
export function pacelineFieldType(object: CrmObjectType, path: string): PacelineFieldType {
  if (object === 'company') return COMPANY_FIELD_TYPES[path.replace(/^company\./, '')] ?? 'text'
  if (isCompanyPath(path)) return COMPANY_FIELD_TYPES[path.slice('company.'.length)] ?? 'text'
  return CONTACT_FIELD_TYPES[path] ?? 'text'
}

/** A mapping is fine (`ok`), may fail for some values (`warning`), or cannot work at all (`error`). */
export type MappingVerdict = 'ok' | 'warning' | 'error'

export interface MappingCheck {
  readonly object: CrmObjectType
  /** Where in the configuration: `contacts.fields.2`, `companies.fixed.0`, `campaignProperties.opens`. */
  readonly path: string
  readonly crmField: string
  readonly verdict: MappingVerdict
  /** Why, and what to do, when not `ok`. */
  readonly message?: string
  /** A stable reason: `misplaced_field`, `read_only`, `unknown_field`, `type_mismatch`, `enumeration`, ... */
  readonly rule?: string
}

/**
 * The verdict of writing a paceline value of `type` into `field`: text into a number or a read-only field
 * cannot work, text into a dropdown works only for values that are the dropdown's internal option names.
 */
export function typeVerdict(
  type: PacelineFieldType,
  field: CrmField,
): { verdict: MappingVerdict; message?: string } {
  if (field.readOnly)
    return { verdict: 'error', message: `'${field.name}' is read-only in the CRM and cannot be updated` }
  switch (field.type) {
    case 'text':
    case 'textarea':
      return { verdict: 'ok' }
    case 'enumeration':
    case 'multi_enumeration':
      return {
        verdict: 'warning',
        message: `'${field.name}' is a dropdown: a value exports only when it is one of its internal names (${optionList(field)}), not a label`,
      }
    case 'email':
    case 'phone':
    case 'url':
      return type === field.type
        ? { verdict: 'ok' }
        : {
            verdict: 'warning',
            message: `'${field.name}' takes ${article(field.type)} ${field.type}: a ${type} value that is not one is refused`,
          }
    case 'number':
      return type === 'number'
        ? { verdict: 'ok' }
        : {
            verdict: 'error',
            message: `a ${type} field cannot be mapped to the number field '${field.name}'`,
          }
    case 'boolean':
    case 'date':
    case 'datetime':
    case 'reference':
      return {
        verdict: 'error',
        message: `a ${type} field cannot be mapped to the ${field.type} field '${field.name}'`,
      }
    case 'other':
      return { verdict: 'warning', message: `paceline cannot tell whether '${field.name}' accepts a ${type}` }
  }
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a')
const optionList = (field: CrmField) =>
  (field.options ?? [])
    .slice(0, 10)
    .map((option) => option.value)
    .join(', ') || 'none listed'

/** A fixed or manual value against the CRM field: dropdowns must get an internal name, numbers a number. */
export function valueVerdict(
  value: CrmValue,
  field: CrmField,
): { verdict: MappingVerdict; message?: string } {
  if (field.readOnly)
    return { verdict: 'error', message: `'${field.name}' is read-only in the CRM and cannot be updated` }
  if (value === null) return { verdict: 'ok' }
  if (field.type === 'enumeration' || field.type === 'multi_enumeration') {
    const text = String(value)
    const values = field.type === 'multi_enumeration' ? text.split(';') : [text]
    for (const each of values) {
      if ((field.options ?? []).some((option) => option.value === each)) continue
      const byLabel = (field.options ?? []).find(
        (option) => option.label.toLowerCase() === each.toLowerCase(),
      )
      return {
        verdict: 'error',
        message:
          byLabel === undefined
            ? `'${each}' is not an option of '${field.name}' (internal names: ${optionList(field)})`
            : `'${each}' is the label of an option of '${field.name}': use its internal name '${byLabel.value}'`,
      }
    }
    return { verdict: 'ok' }
  }
  if (field.type === 'number' && Number.isNaN(Number(value)))
    return { verdict: 'error', message: `'${field.name}' takes a number, not '${String(value)}'` }
  if (field.type === 'boolean' && !['true', 'false'].includes(String(value).toLowerCase()))
    return { verdict: 'error', message: `'${field.name}' takes true or false, not '${String(value)}'` }
  return { verdict: 'ok' }
}

/** Why a paceline field sits in the wrong tab, or undefined when it does not. */
function misplacedSource(config: CrmConfig, object: CrmObjectType, path: string): string | undefined {
  if (object === 'contact' && isCompanyPath(path)) {
    const own = path.slice('company.'.length)
    const alsoInCompanies = config.companies.fields.some(
      (each) => each.paceline.replace(/^company\./, '') === own,
    )
    return alsoInCompanies
      ? undefined
      : `'${path}' is a company field mapped in the Contacts tab: map it in the Companies tab as well (the same way), or remove it; it can cause export errors`
  }
  if (object === 'company' && CONTACT_FIELD_TYPES[path] !== undefined)
    return `'${path}' is a contact field mapped in the Companies tab: map it in the Contacts tab instead; it can cause export errors`
  return undefined
}

const TAB: Readonly<Record<CrmObjectType, string>> = { contact: 'Contacts', company: 'Companies' }
const OTHER: Readonly<Record<CrmObjectType, CrmObjectType>> = { contact: 'company', company: 'contact' }

/** The message for a field mapped in the wrong tab: what fails (the export), why, and how to fix it. */
export function misplacedMessage(object: CrmObjectType, crmField: string): string {
  const other = OTHER[object]
  return (
    `Export fails with field-mapping errors: the ${other} field '${crmField}' is mapped in the ${TAB[object]} tab. ` +
    `Open Step 2 (Field Mapping), verify that each tab only contains fields belonging to its own object type, ` +
    `and remove the misplaced mapping.`
  )
}

/**
 * Checks every mapping of the configuration against the CRM's field metadata: the compatibility verdict of
 * each (`ok`, `warning` or `error`), misplaced fields (a company field in the Contacts tab or the
 * reverse), read-only and unknown fields, and dropdown values.
 */
export function checkMappings(
  config: CrmConfig,
  fields: Readonly<Record<CrmObjectType, readonly CrmField[]>>,
): MappingCheck[] {
  const checks: MappingCheck[] = []
  const tab = (object: CrmObjectType, mapping: CrmObjectMapping, prefix: string) => {
    const own = fields[object]
    const other = fields[OTHER[object]]
    const locate = (path: string, crmField: string): CrmField | MappingCheck => {
      const field = own.find((each) => each.name === crmField)
      if (field !== undefined) return field
      if (other.some((each) => each.name === crmField))
        return {
          object,
          path,
          crmField,
          verdict: 'error',
          rule: 'misplaced_field',
          message: misplacedMessage(object, crmField),
        }
      return {
        object,
        path,
        crmField,
        verdict: 'error',
        rule: 'unknown_field',
        message: `the CRM has no ${object} field '${crmField}': pick one of its ${object} fields`,
      }
    }
    mapping.fields.forEach((each, index) => {
      const path = `${prefix}.fields.${index}`
      const field = locate(path, each.crm)
      if ('verdict' in field) {
        checks.push(field)
        return
      }
      // A paceline company field in the Contacts tab (or a contact field in the Companies tab) is the other
      // half of the same mistake: warn, unless the other tab maps that field as well.
      const misplaced = misplacedSource(config, object, each.paceline)
      if (misplaced !== undefined) {
        checks.push({
          object,
          path,
          crmField: each.crm,
          verdict: 'warning',
          rule: 'misplaced_field',
          message: misplaced,
        })
        return
      }
      const verdict = typeVerdict(pacelineFieldType(object, each.paceline), field)
      checks.push({
        object,
        path,
        crmField: each.crm,
        ...verdict,
        ...(verdict.verdict === 'ok' ? {} : { rule: field.readOnly ? 'read_only' : 'type_mismatch' }),
      })
    })
    mapping.fixed.forEach((each, index) => {
      const path = `${prefix}.fixed.${index}`
      const field = locate(path, each.crm)
      if ('verdict' in field) {
        checks.push(field)
        return
      }
      const verdict = valueVerdict(each.value, field)
      checks.push({
        object,
        path,
        crmField: each.crm,
        ...verdict,
        ...(verdict.verdict === 'ok' ? {} : { rule: field.readOnly ? 'read_only' : 'value' }),
      })
    })
    mapping.manual.forEach((each, index) => {
      const path = `${prefix}.manual.${index}`
      const field = locate(path, each.crm)
      if ('verdict' in field) {
        checks.push(field)
        return
      }
      checks.push(
        field.readOnly
          ? {
              object,
              path,
              crmField: each.crm,
              verdict: 'error',
              rule: 'read_only',
              message: `'${each.crm}' is read-only in the CRM and cannot be updated`,
            }
          : { object, path, crmField: each.crm, verdict: 'ok' },
      )
    })
    if (mapping.engagement !== undefined) {
      const path = `${prefix}.engagement`
      const field = locate(path, mapping.engagement.crm)
      if ('verdict' in field) checks.push(field)
      else {
        const verdict = valueVerdict(mapping.engagement.value, field)
        checks.push({
          object,
          path,
          crmField: mapping.engagement.crm,
          ...verdict,
          ...(verdict.verdict === 'ok' ? {} : { rule: 'value' }),
        })
      }
    }
  }
  tab('contact', config.contacts, 'contacts')
  tab('company', config.companies, 'companies')
  for (const [name, crmField] of Object.entries(config.campaignProperties)) {
    if (crmField === undefined) continue
    const path = `campaignProperties.${name}`
    const field = fields.contact.find((each) => each.name === crmField)
    if (field === undefined) {
      checks.push({
        object: 'contact',
        path,
        crmField,
        verdict: 'error',
        rule: fields.company.some((each) => each.name === crmField) ? 'misplaced_field' : 'unknown_field',
        message: fields.company.some((each) => each.name === crmField)
          ? misplacedMessage('contact', crmField)
          : `the CRM has no contact field '${crmField}': campaign properties are written on contacts`,
      })
      continue
    }
    const numeric = name === 'opens' || name === 'clicks'
    const verdict = typeVerdict(numeric ? 'number' : 'text', field)
    checks.push({
      object: 'contact',
      path,
      crmField,
      ...verdict,
      ...(verdict.verdict === 'ok' ? {} : { rule: field.readOnly ? 'read_only' : 'type_mismatch' }),
    })
  }
  return checks
}
