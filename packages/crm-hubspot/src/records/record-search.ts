import type { CrmCondition, CrmSearch } from '@paceline/core/ports'

/** One filter of HubSpot's CRM search request. */
export interface HubspotFilter {
  readonly propertyName: string
  readonly operator: 'EQ' | 'CONTAINS_TOKEN' | 'HAS_PROPERTY'
  readonly value?: string
}

export type HubspotFilterGroup = readonly HubspotFilter[]

/** HubSpot's search limits: filter groups per request, filters per group, filters per request. */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, filters: 18, pageSize: 200 } as const

/**
 * A condition as a HubSpot filter, or `false` when nothing can match it, or `true` when everything does.
 * `eq` is HubSpot's EQ. `starts_with` is CONTAINS_TOKEN with a trailing `*` wildcard (HubSpot documents
 * wildcards for CONTAINS_TOKEN, e.g. `*@hubspot.com`); the trailing punctuation of the prefix is left out
 * (`acme.` searches `acme*`), since how HubSpot splits a value into tokens at punctuation is not
 * documented: the answer may hold more records than the prefix, never fewer, and core filters again.
 */
export function filterOf(condition: CrmCondition): HubspotFilter | boolean {
  const value = condition.value.trim()
  if (condition.operator === 'eq')
    return value === '' ? false : { propertyName: condition.field, operator: 'EQ', value }
  const prefix = value.replace(/[^\p{L}\p{N}]+$/u, '')
  if (prefix === '') return true
  return { propertyName: condition.field, operator: 'CONTAINS_TOKEN', value: `${prefix}*` }
}

/**
 * A paceline search (an OR of AND groups) as HubSpot search requests, each within HubSpot's limits. A group
 * with more filters than HubSpot takes keeps its first six (a broader match, which core narrows again); a
 * search with more groups than one request takes is split over several requests, whose answers the
 * caller merges. An empty list means nothing can match.
 */
export function searchRequestsOf(search: CrmSearch): HubspotFilterGroup[][] {
  const groups: HubspotFilterGroup[] = []
  const seen = new Set<string>()
  for (const conditions of search.anyOf) {
    const filters: HubspotFilter[] = []
    let impossible = false
    for (const condition of conditions) {
      const filter = filterOf(condition)
      if (filter === false) impossible = true
      else if (filter !== true) filters.push(filter)
    }
    if (impossible) continue
    // Every record has an id: a group whose conditions all match anything matches every record.
    const group = (
      filters.length === 0 ? [{ propertyName: 'hs_object_id', operator: 'HAS_PROPERTY' } as const] : filters
    ).slice(0, SEARCH_LIMITS.filtersPerGroup)
    const key = JSON.stringify(group)
    if (seen.has(key)) continue
    seen.add(key)
    groups.push(group)
  }
  const requests: HubspotFilterGroup[][] = []
  let current: HubspotFilterGroup[] = []
  let count = 0
  for (const group of groups) {
    if (current.length === SEARCH_LIMITS.groups || count + group.length > SEARCH_LIMITS.filters) {
      requests.push(current)
      current = []
      count = 0
    }
    current.push(group)
    count += group.length
  }
  if (current.length > 0) requests.push(current)
  return requests
}

const comparable = (value: string | null | undefined) => (value ?? '').trim().toLowerCase()

/**
 * Whether an object HubSpot returned matches the search as the port defines it (case-insensitive `eq` on
 * a non-empty value, `starts_with` a prefix): HubSpot's answer may be broader (tokens, dropped filters),
 * so it is narrowed here to exactly what was asked.
 */
export function matchesSearch(
  properties: Readonly<Record<string, string | null>>,
  anyOf: CrmSearch['anyOf'],
): boolean {
  return anyOf.some((conditions) =>
    conditions.every((condition) => {
      const value = comparable(properties[condition.field])
      const wanted = comparable(condition.value)
      return condition.operator === 'eq' ? value !== '' && value === wanted : value.startsWith(wanted)
    }),
  )
}

/** The properties a search must read: the fields asked for and the fields its conditions test. */
export function searchedProperties(search: CrmSearch): string[] {
  return [...new Set([...search.fields, ...search.anyOf.flat().map((condition) => condition.field)])]
}
