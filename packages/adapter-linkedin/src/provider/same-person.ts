import type { ProviderTarget } from './linkedin-provider'

/** The `<handle>` of a profile URL (`/in/<handle>`, any host form, any case, trailing parts ignored). */
export function profileHandleOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  const match = /linkedin\.com\/(?:in|sales\/lead|sales\/people)\/([^/?#,]+)/i.exec(url)
  if (match?.[1] === undefined) return undefined
  try {
    return decodeURIComponent(match[1]).toLowerCase()
  } catch {
    return match[1].toLowerCase()
  }
}

/** Whether two ways of naming a person name the same one: the same profile id or the same URL handle. */
export function samePerson(a: ProviderTarget, b: ProviderTarget): boolean {
  if (a.profileId !== undefined && a.profileId === b.profileId) return true
  const handle = profileHandleOf(a.profileUrl) ?? a.profileId?.toLowerCase()
  const other = profileHandleOf(b.profileUrl) ?? b.profileId?.toLowerCase()
  return handle !== undefined && handle === other
}

/** The URL providers that act on profile URLs need: the lead's URL, else one built from the profile id. */
export function profileUrlOf(target: ProviderTarget): string | undefined {
  if (target.profileUrl !== undefined) return target.profileUrl
  return target.profileId === undefined
    ? undefined
    : `https://www.linkedin.com/in/${encodeURIComponent(target.profileId)}`
}
