import type { CrmCondition, CrmSearch } from '@paceline/core/ports'
import { NUMBER_TYPES, type SalesforceObjectDescribe } from './object-describe'
import { refusal } from './salesforce-failure'
import { isSoqlFieldName, soqlStartsWith, soqlString } from './soql'

const NOT_TEXT = new Set([...NUMBER_TYPES, 'boolean', 'date', 'datetime'])

/** A condition no record can meet (a number field compared with text, an empty value). */
const IMPOSSIBLE = Symbol('impossible')

function literal(condition: CrmCondition, type: string | undefined): string | typeof IMPOSSIBLE {
  const value = condition.value.trim()
  if (type === undefined || !NOT_TEXT.has(type)) return soqlString(condition.value)
  if (NUMBER_TYPES.has(type)) return /^-?\d+(\.\d+)?$/.test(value) ? value : IMPOSSIBLE
  if (type === 'boolean') return /^(true|false)$/i.test(value) ? value.toLowerCase() : IMPOSSIBLE
  if (type === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : IMPOSSIBLE
  // datetime: SOQL takes 2026-11-23T10:00:00Z (or with an offset), unquoted.
  const time = Date.parse(value)
  return Number.isNaN(time) ? IMPOSSIBLE : new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function conditionSoql(
  condition: CrmCondition,
  describe: SalesforceObjectDescribe,
  operation: string,
): string | typeof IMPOSSIBLE {
  if (!isSoqlFieldName(condition.field))
    throw refusal(operation, `'${condition.field}' is not a field API name`, { errorCode: 'INVALID_FIELD' })
  const type = describe.field(condition.field)?.type
  if (condition.operator === 'starts_with') {
    if (type !== undefined && NOT_TEXT.has(type))
      throw refusal(operation, `starts_with needs a text field; '${condition.field}' is ${type}`, {
        errorCode: 'INVALID_FIELD',
        fields: [condition.field],
      })
    return `${condition.field} LIKE ${soqlStartsWith(condition.value)}`
  }
  // paceline's eq never matches an empty value; SOQL's = on text is case-insensitive already.
  if (condition.value.trim() === '') return IMPOSSIBLE
  const value = literal(condition, type)
  return value === IMPOSSIBLE ? IMPOSSIBLE : `${condition.field} = ${value}`
}

/**
 * The WHERE clause of a search: an OR of parenthesised AND groups, string literals escaped, `starts_with`
 * as `LIKE 'value%'` with `%` and `_` escaped. Groups no record can meet are left out; `undefined` when none
 * is left (the search finds nothing, and no request is made).
 */
export function searchWhere(
  search: CrmSearch,
  describe: SalesforceObjectDescribe,
  operation: string,
): string | undefined {
  const groups: string[] = []
  for (const group of search.anyOf) {
    if (group.length === 0) continue
    const parts = group.map((condition) => conditionSoql(condition, describe, operation))
    if (parts.includes(IMPOSSIBLE)) continue
    groups.push(parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`)
  }
  if (groups.length === 0) return undefined
  return groups.length === 1
    ? (groups[0] as string)
    : groups.map((each) => (each.startsWith('(') ? each : `(${each})`)).join(' OR ')
}

/** The SELECT list: Id and OwnerId, then the fields asked for, each once (SOQL refuses a field twice). */
export function selectList(fields: readonly string[], operation: string): string {
  const seen = new Set<string>()
  const names: string[] = []
  for (const name of ['Id', 'OwnerId', ...fields]) {
    if (!isSoqlFieldName(name))
      throw refusal(operation, `'${name}' is not a field API name`, { errorCode: 'INVALID_FIELD' })
    if (seen.has(name.toLowerCase())) continue
    seen.add(name.toLowerCase())
    names.push(name)
  }
  return names.join(', ')
}
