import type { CrmValue } from '@paceline/core/ports'
import { NUMBER_TYPES, type SalesforceObjectDescribe } from './object-describe'

/**
 * A value paceline writes, as Salesforce's JSON takes it: `null` clears the field (so does `''` for a
 * number, date or checkbox field); numbers given as text become numbers and `'true'`/`'false'` become
 * booleans for fields of those types. Anything else is sent as given, and Salesforce's refusal names it.
 */
export function toSalesforceValue(value: CrmValue, type: string | undefined): CrmValue {
  if (value === null) return null
  if (type === undefined || typeof value !== 'string') return value
  const trimmed = value.trim()
  if (NUMBER_TYPES.has(type)) {
    if (trimmed === '') return null
    const number = Number(trimmed)
    return Number.isFinite(number) ? number : value
  }
  if (type === 'boolean') {
    if (trimmed === '') return null
    if (/^true$/i.test(trimmed)) return true
    if (/^false$/i.test(trimmed)) return false
    return value
  }
  if ((type === 'date' || type === 'datetime') && trimmed === '') return null
  return value
}

/** The JSON body of a create or update: the fields with their values converted by the object's describe. */
export function toSalesforceFields(
  fields: Readonly<Record<string, CrmValue>>,
  describe: SalesforceObjectDescribe,
): Record<string, CrmValue> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      toSalesforceValue(value, describe.field(name)?.type),
    ]),
  )
}

/** A value Salesforce returns, as paceline reads it (compound fields such as addresses become JSON text). */
export function fromSalesforceValue(value: unknown): CrmValue {
  if (value === undefined || value === null) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  return JSON.stringify(value)
}

function lookup(record: unknown, path: string): unknown {
  let current: unknown = record
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    const wanted = part.toLowerCase()
    const key = Object.keys(current).find((each) => each.toLowerCase() === wanted)
    current = key === undefined ? undefined : (current as Record<string, unknown>)[key]
  }
  return current
}

/**
 * The fields asked for, read from a Salesforce record. Salesforce answers with the canonical spelling of
 * each API name (`firstname` comes back as `FirstName`), and a relationship field (`Account.Name`) as a
 * nested object; both are found, and returned under the name asked for.
 */
export function readFields(record: unknown, names: readonly string[]): Record<string, CrmValue> {
  return Object.fromEntries(names.map((name) => [name, fromSalesforceValue(lookup(record, name))]))
}
