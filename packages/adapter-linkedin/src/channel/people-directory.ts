import type { LeadReference, LinkedInTarget, StorageV1 } from '@paceline/core/ports'
import type { ProviderTarget } from '../provider/linkedin-provider'
import { profileHandleOf } from '../provider/same-person'

/**
 * The leads the channel acted on, by every identifier it was given for them. Providers name the same
 * person differently (Edges a numeric member id and the vanity URL, Unipile the `ACoAA...` provider id,
 * the lead a URL typed by a user), so a reply is matched to its lead by any identifier the channel saw
 * when it acted, before falling back to LinkedIn's profile id alone.
 */
export interface PeopleDirectory {
  remember(target: LinkedInTarget): Promise<void>
  leadOf(person: ProviderTarget): Promise<LeadReference | undefined>
}

/** Longer than any identifier LinkedIn gives: a provider's (or a forger's) longer one is not looked up. */
const MAX_IDENTIFIER = 1_000

function keysOf(person: { readonly profileId?: string; readonly profileUrl?: string }): string[] {
  const keys: string[] = []
  const id = person.profileId
  if (typeof id === 'string' && id !== '' && id.length <= MAX_IDENTIFIER) keys.push(`id:${id}`)
  const handle = profileHandleOf(person.profileUrl)
  if (handle !== undefined && handle.length <= MAX_IDENTIFIER) keys.push(`in:${handle}`)
  return keys
}

export function peopleDirectory(input: {
  readonly provider: string
  readonly storage?: StorageV1
  readonly workspaceId: string
}): PeopleDirectory {
  // The lead as the engine named it when the channel acted: its id and LinkedIn profile id.
  const known = new Map<string, LeadReference>()
  const stateKey = (key: string) => `linkedin-person:${input.provider}:${key}`
  const storage = input.storage

  return {
    async remember(target) {
      const lead: LeadReference = {
        leadId: target.leadId,
        ...(target.profileId === undefined ? {} : { linkedinProfileId: target.profileId }),
      }
      const fresh = keysOf(target).filter((key) => known.get(key)?.leadId !== target.leadId)
      if (fresh.length === 0) return
      if (storage !== undefined)
        await storage.transaction(input.workspaceId, async (tx) => {
          for (const key of fresh) await tx.put('state', stateKey(key), { key: stateKey(key), value: lead })
        })
      for (const key of fresh) known.set(key, lead)
    },
    async leadOf(person) {
      for (const key of keysOf(person)) {
        let lead = known.get(key)
        if (lead === undefined && storage !== undefined) {
          const document = await storage.transaction(
            input.workspaceId,
            (tx) => tx.get('state', stateKey(key)),
            { readOnly: true },
          )
          lead = document?.value as LeadReference | undefined
          if (lead !== undefined) known.set(key, lead)
        }
        if (lead !== undefined) return lead
      }
      return person.profileId === undefined ? undefined : { linkedinProfileId: person.profileId }
    },
  }
}
