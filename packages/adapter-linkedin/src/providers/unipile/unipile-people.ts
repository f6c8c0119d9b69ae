import type { ProviderTarget } from '../../provider/linkedin-provider'
import { profileHandleOf } from '../../provider/same-person'
import { profileUrlOfHandle } from './unipile-rows'

const MAX_PEOPLE = 10_000

/**
 * The people this provider has looked up: LinkedIn's provider id (`ACoAA…`) and public identifier (the
 * `/in/<handle>` of a URL) of each. Unipile acts on provider ids while leads often carry only a URL, and
 * each lookup is a profile visit that counts against LinkedIn's daily limit: a message sent in three chunks
 * costs one lookup, not three. Events and listings name people by provider id; the handle known for it is
 * added, so they match leads the channel knows by URL. Bounded, oldest forgotten first.
 */
export class UnipilePeople {
  private readonly idOfHandle = new Map<string, string>()
  private readonly handleOfId = new Map<string, string>()

  remember(providerId: string, handle: string | null | undefined): void {
    if (handle == null || handle === '' || handle.toLowerCase() === providerId.toLowerCase()) return
    const key = handle.toLowerCase()
    this.idOfHandle.delete(key)
    this.idOfHandle.set(key, providerId)
    this.handleOfId.delete(providerId)
    this.handleOfId.set(providerId, handle)
    for (const map of [this.idOfHandle, this.handleOfId] as Map<string, string>[])
      if (map.size > MAX_PEOPLE) map.delete(map.keys().next().value as string)
  }

  /** The provider id Unipile needs for this person, when the lead or an earlier lookup gave it. */
  providerIdOf(target: ProviderTarget): string | undefined {
    if (target.profileId !== undefined && target.profileId !== '') return target.profileId
    const handle = profileHandleOf(target.profileUrl)
    return handle === undefined ? undefined : this.idOfHandle.get(handle)
  }

  /** A person named by provider id, with the profile URL of the handle known for them. */
  targetOf(providerId: string, profileUrl?: string | null): ProviderTarget {
    const handle = this.handleOfId.get(providerId)
    // Unipile builds some URLs from the provider id (`/in/ACoAA…/`): they add nothing to the id.
    const given = profileHandleOf(profileUrl ?? undefined)
    const url =
      handle !== undefined
        ? profileUrlOfHandle(handle)
        : profileUrl != null && given !== undefined && given !== providerId.toLowerCase()
          ? profileUrl
          : undefined
    return { profileId: providerId, ...(url === undefined ? {} : { profileUrl: url }) }
  }
}
