/** The value at a dotted path inside a record, following own properties only (never the prototype). */
export function valueAt(root: unknown, path: readonly string[]): unknown {
  let current = root
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return undefined
    current = (current as Record<string, unknown>)[segment]
  }
  return current
}

/**
 * A lead's field by path, as templates and custom conditions read it: in the lead's `profile` first, then
 * on the lead itself, so both a lead (`{ id, profile }`) and a bare profile work. `usable` decides whether
 * the profile's value counts or the lookup falls through.
 */
export function leadField(
  lead: Readonly<Record<string, unknown>>,
  path: readonly string[],
  usable: (value: unknown) => boolean = (value) => value !== undefined,
): unknown {
  const profile = lead.profile
  if (typeof profile === 'object' && profile !== null) {
    const fromProfile = valueAt(profile, path)
    if (usable(fromProfile)) return fromProfile
  }
  return valueAt(lead, path)
}
