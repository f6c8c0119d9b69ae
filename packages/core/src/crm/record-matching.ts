import type { LeadProfile } from '../model/lead/lead'
import { valueAt } from '../model/lead/lead-field'
import type { CrmCondition, CrmRecord, CrmSearch, CrmValue } from '../ports/crm'
import type { CrmConfig, CrmObjectMapping } from './crm-config'

/** One way a record can match: every (paceline path, CRM field) pair must be equal. */
type Group = ReadonlyArray<{ readonly paceline: string; readonly crm: string; readonly kind: Comparison }>
type Comparison = 'text' | 'linkedin' | 'domain' | 'domain_any_extension'

/** What identifying a record needs that the configuration does not give: the paceline fields to map. */
export interface MissingIdentifierField {
  readonly identifier: 'contactIdentifier' | 'companyIdentifier'
  readonly paceline: string
  readonly tab: 'contacts' | 'companies'
}

const crmFieldOf = (mapping: CrmObjectMapping, paceline: string, alias?: string): string | undefined =>
  mapping.fields.find(
    (each) => each.paceline === paceline || (alias !== undefined && each.paceline === alias),
  )?.crm

/** The groups of the contact identifier, or the paceline fields that must be mapped for it to work. */
export function contactGroups(config: CrmConfig): { groups: Group[]; missing: MissingIdentifierField[] } {
  const rule = config.contactIdentifier
  if (rule.type === 'custom')
    return {
      groups: rule.anyOf.map((group) => group.map((each) => ({ ...each, kind: kindOf(each.paceline) }))),
      missing: [],
    }
  const missing: MissingIdentifierField[] = []
  const need = (paceline: string): string => {
    const crm = crmFieldOf(config.contacts, paceline)
    if (crm === undefined) missing.push({ identifier: 'contactIdentifier', paceline, tab: 'contacts' })
    return crm ?? ''
  }
  const names: Group = [
    { paceline: 'firstName', crm: need('firstName'), kind: 'text' },
    { paceline: 'lastName', crm: need('lastName'), kind: 'text' },
    { paceline: 'company.name', crm: need('company.name'), kind: 'text' },
  ]
  const groups: Group[] = [names]
  if (rule.type === 'linkedin_url_or_name_and_company')
    groups.unshift([{ paceline: 'linkedinUrl', crm: need('linkedinUrl'), kind: 'linkedin' }])
  return { groups, missing }
}

/** The groups of the company identifier (paths in the lead's profile: `company.domain`, `company.name`). */
export function companyGroups(config: CrmConfig): { groups: Group[]; missing: MissingIdentifierField[] } {
  const rule = config.companyIdentifier
  if (rule.type === 'custom')
    return {
      groups: rule.anyOf.map((group) =>
        group.map((each) => ({ ...each, paceline: companyPath(each.paceline), kind: kindOf(each.paceline) })),
      ),
      missing: [],
    }
  const missing: MissingIdentifierField[] = []
  const need = (paceline: string): string => {
    const crm = crmFieldOf(config.companies, paceline, `company.${paceline}`)
    if (crm === undefined) missing.push({ identifier: 'companyIdentifier', paceline, tab: 'companies' })
    return crm ?? ''
  }
  const domain: Group = [
    {
      paceline: 'company.domain',
      crm: need('domain'),
      kind: rule.anyExtension ? 'domain_any_extension' : 'domain',
    },
  ]
  if (rule.type === 'domain') return { groups: [domain], missing }
  return { groups: [domain, [{ paceline: 'company.name', crm: need('name'), kind: 'text' }]], missing }
}

const companyPath = (path: string) => (path.startsWith('company.') ? path : `company.${path}`)
const kindOf = (paceline: string): Comparison =>
  /linkedin(Url)?$/i.test(paceline) ? 'linkedin' : /(^|\.)domain$/.test(paceline) ? 'domain' : 'text'

const text = (value: unknown): string =>
  value === null || value === undefined ? '' : String(value).trim().replace(/\s+/g, ' ').toLowerCase()

/** `https://www.Acme.com/about` -> `acme.com`. */
export function normalDomain(value: unknown): string {
  return text(value)
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#:].*$/, '')
}

/** The domain without its extension: `acme.com` and `acme.co.uk` -> `acme`. */
export function domainStem(domain: string): string {
  const labels = normalDomain(domain).split('.')
  if (labels.length <= 1) return labels[0] ?? ''
  const last = labels.at(-1) ?? ''
  const second = labels.at(-2) ?? ''
  // A two-part extension (co.uk, com.au): a short second-level label under a country code.
  const twoPart = labels.length >= 3 && last.length === 2 && second.length <= 3
  return labels.slice(0, twoPart ? -2 : -1).join('.')
}

/** `https://linkedin.com/in/Ada-L/` -> `ada-l` (the public handle), else the text. */
export function linkedinHandle(value: unknown): string {
  const match = /linkedin\.com\/(?:in|company|school)\/([^/?#]+)/i.exec(String(value ?? ''))
  return match?.[1] === undefined ? text(value) : decodeURIComponent(match[1]).toLowerCase()
}

function comparable(kind: Comparison, value: unknown): string {
  switch (kind) {
    case 'text':
      return text(value)
    case 'linkedin':
      return linkedinHandle(value)
    case 'domain':
      return normalDomain(value)
    case 'domain_any_extension':
      return domainStem(text(value))
  }
}

/** The CRM conditions that find the candidates of one group (the CRM may return more; never fewer). */
function conditionsOf(kind: Comparison, crm: string, value: string): CrmCondition[][] {
  switch (kind) {
    case 'text':
      return [[{ field: crm, operator: 'eq', value: value.trim() }]]
    case 'linkedin': {
      const handle = linkedinHandle(value)
      return [
        [{ field: crm, operator: 'starts_with', value: `https://www.linkedin.com/in/${handle}` }],
        [{ field: crm, operator: 'starts_with', value: `linkedin.com/in/${handle}` }],
      ]
    }
    case 'domain':
    case 'domain_any_extension': {
      const stem = kind === 'domain' ? normalDomain(value) : `${domainStem(value)}.`
      return [
        [{ field: crm, operator: kind === 'domain' ? 'eq' : 'starts_with', value: stem }],
        [{ field: crm, operator: 'starts_with', value: `www.${stem}` }],
        [{ field: crm, operator: 'starts_with', value: `https://${stem}` }],
        [{ field: crm, operator: 'starts_with', value: `https://www.${stem}` }],
      ]
    }
  }
}

const leadValue = (profile: LeadProfile, path: string): string => {
  const value = valueAt(profile, path.split('.'))
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : ''
}

/**
 * The search for a lead's record: one CRM query per identifier group whose paceline values are all known
 * (a group with a blank value cannot match anything). Undefined when no group can be searched.
 */
export function searchFor(
  profile: LeadProfile,
  groups: readonly Group[],
  fields: readonly string[],
): CrmSearch[] {
  const searches: CrmSearch[] = []
  for (const group of groups) {
    const values = group.map((each) => leadValue(profile, each.paceline))
    if (group.some((each) => each.crm === '') || values.some((value) => value === '')) continue
    // The product of each condition's variants, as an OR of AND groups.
    let anyOf: CrmCondition[][] = [[]]
    group.forEach((each, index) => {
      const variants = conditionsOf(each.kind, each.crm, values[index] as string)
      anyOf = anyOf.flatMap((prefix) => variants.map((variant) => [...prefix, ...variant]))
    })
    searches.push({ anyOf, fields: [...new Set([...fields, ...group.map((each) => each.crm)])], limit: 20 })
  }
  return searches
}

/** Whether a CRM record matches the lead under one of the groups, compared by paceline's rules. */
export function matches(profile: LeadProfile, record: CrmRecord, groups: readonly Group[]): boolean {
  return groups.some((group) =>
    group.every((each) => {
      const mine = comparable(each.kind, leadValue(profile, each.paceline))
      return mine !== '' && mine === comparable(each.kind, record.fields[each.crm] as CrmValue | undefined)
    }),
  )
}
