const canonicalNames = new Map<string, string | null>()

/**
 * The canonical spelling of an IANA time zone name (`europe/madrid` -> `Europe/Madrid`), or null when the
 * runtime does not know the zone. Fixed offsets such as `+01:00` are refused on purpose: working hours
 * must follow the sender's daylight-saving changes.
 */
export function canonicalTimeZone(name: string): string | null {
  const cached = canonicalNames.get(name)
  if (cached !== undefined) return cached
  let canonical: string | null = null
  if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
    } catch {
      canonical = null
    }
  }
  canonicalNames.set(name, canonical)
  return canonical
}
