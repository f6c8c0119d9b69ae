import type { CrmValue } from '@paceline/core/ports'

/**
 * A paceline value as HubSpot takes it: every property value is a string; booleans are `true`/`false`,
 * numbers their decimal form, and null (empty) is the empty string, which clears the property.
 */
export function toHubspotValue(value: CrmValue): string {
  if (value === null) return ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return typeof value === 'number' ? String(value) : value
}

export function toHubspotProperties(fields: Readonly<Record<string, CrmValue>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(fields)) out[name] = toHubspotValue(value)
  return out
}

/** A HubSpot property value as paceline reads it: HubSpot's string as is, empty or absent as null. */
export function fromHubspotValue(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : String(value)
}

/** The named fields of a HubSpot object's properties, each present (null when empty or not returned). */
export function fieldsOf(
  properties: Readonly<Record<string, string | null>> | undefined,
  names: readonly string[],
): Record<string, CrmValue> {
  const out: Record<string, CrmValue> = {}
  for (const name of names) out[name] = fromHubspotValue(properties?.[name])
  return out
}
