import { distance } from 'fastest-levenshtein'

/** Compared without case, `_`, `-` or spaces: `first_name` is `firstName`. */
const normal = (name: string) => name.toLowerCase().replace(/[\s_-]/g, '')

/**
 * The name a probably-mistyped one meant (`linkedin_mesage` → `linkedin_message`, `folow_up` →
 * `follow_up`, `delya` → `delay`), or undefined when no candidate is close: at most one edit for every three
 * characters, so short unrelated names are not "corrected".
 */
export function closestName(given: string, candidates: Iterable<string>): string | undefined {
  const wanted = normal(given)
  if (wanted === '') return undefined
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    if (candidate === given) continue
    const d = distance(wanted, normal(candidate))
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return bestDistance <= Math.ceil(wanted.length / 3) ? best : undefined
}

/** ` (did you mean "x"?)` for a message, or nothing. */
export function didYouMean(given: string, candidates: Iterable<string>, quote = '"'): string {
  const found = closestName(given, candidates)
  return found === undefined ? '' : ` (did you mean ${quote}${found}${quote}?)`
}
