import { getDomainWithoutSuffix } from 'tldts'
import type { Lead } from '../model/lead/lead'
import type { Store } from './store'

/**
 * The workspace blocklist: leads no campaign of the workspace may contact. An entry names a lead (by id,
 * email, LinkedIn profile id or profile URL) or a whole company (by domain). Entries come from a person
 * (`engine.blocklist.add`), a spam complaint or a request not to be contacted again.
 *
 * Each entry is one `state` document under a key made of its kind and normalised value, so checking a lead
 * costs one keyed read of the few keys its profile gives, whatever the size of the blocklist.
 */
export type BlocklistKind = 'lead' | 'email' | 'linkedinId' | 'linkedinUrl' | 'domain'

export type BlocklistReason = 'manual' | 'complaint' | 'opt_out'

export interface BlocklistEntry {
  readonly kind: BlocklistKind
  /**
   * The normalised value matched: a lead id, an email in lower case, a LinkedIn profile id, a profile URL's
   * slug in lower case (`ana-perez-12`), or a company's domain name without its extension (`acme` for
   * `acme.com`, `acme.fr`, `acme.co.uk`).
   */
  readonly value: string
  /** What was given, when it differs from `value` (`https://www.linkedin.com/in/Ana-Perez-12/`, `acme.com`). */
  readonly original?: string
  readonly reason: BlocklistReason
  /** The lead whose complaint or opt-out made the entry. */
  readonly leadId?: string
  readonly note?: string
  /** When it was added, epoch milliseconds. */
  readonly at: number
}

/** The stored part of an entry: its kind and value are in its key. */
interface StoredEntry {
  readonly reason: BlocklistReason
  readonly at: number
  readonly leadId?: string
  readonly original?: string
  readonly note?: string
  /** Kept from the first version of the blocklist, which stored complaints with the lead's email. */
  readonly email?: string | null
}

export const BLOCKLIST_PREFIX = 'blocklist:'

/** The key segment of each kind; `lead` and `email` are those the first version of the blocklist wrote. */
const SEGMENTS: Readonly<Record<BlocklistKind, string>> = {
  lead: 'lead',
  email: 'email',
  linkedinId: 'linkedin-id',
  linkedinUrl: 'linkedin-url',
  domain: 'domain',
}
const KINDS = new Map(Object.entries(SEGMENTS).map(([kind, segment]) => [segment, kind as BlocklistKind]))

export const blocklistPrefixOf = (kind: BlocklistKind) => `${BLOCKLIST_PREFIX}${SEGMENTS[kind]}:`
export const blocklistKey = (kind: BlocklistKind, value: string) => `${blocklistPrefixOf(kind)}${value}`

/**
 * A company's name without its public suffix, so `acme.com`, `www.acme.fr` and `acme.co.uk` are one company;
 * undefined when the text is not a registrable domain (`acme`, `com`, `localhost`). Accepts a URL or an email
 * address too.
 */
export function companyDomainName(text: string): string | undefined {
  const trimmed = text.trim().toLowerCase()
  const host =
    trimmed.includes('@') && !trimmed.includes('/') ? trimmed.slice(trimmed.lastIndexOf('@') + 1) : trimmed
  const name = getDomainWithoutSuffix(host)
  return name === null || name === '' ? undefined : name
}

/**
 * The slug of a LinkedIn profile URL (`https://www.linkedin.com/in/Ana-Perez-12/?trk=x` gives
 * `ana-perez-12`): what stays the same however the URL was copied. Undefined for other URLs.
 */
export function linkedinSlug(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(url.trim()) ? url.trim() : `https://${url.trim()}`)
  } catch {
    return undefined
  }
  const host = parsed.hostname.toLowerCase()
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return undefined
  const match = /^\/in\/([^/]+)\/?/.exec(parsed.pathname)
  if (match?.[1] === undefined) return undefined
  let slug: string
  try {
    slug = decodeURIComponent(match[1])
  } catch {
    return undefined
  }
  slug = slug.trim().toLowerCase()
  return slug === '' ? undefined : slug
}

/** Adds an entry; one that is there already is kept as it was (a complaint stays a complaint). */
export async function putBlocklistEntry(store: Store, entry: BlocklistEntry): Promise<BlocklistEntry> {
  const key = blocklistKey(entry.kind, entry.value)
  const existing = await store.get('state', key)
  if (existing !== undefined) return toEntry(key, existing.value) ?? entry
  const stored: StoredEntry = {
    reason: entry.reason,
    at: entry.at,
    ...(entry.leadId === undefined ? {} : { leadId: entry.leadId }),
    ...(entry.original === undefined ? {} : { original: entry.original }),
    ...(entry.note === undefined ? {} : { note: entry.note }),
  }
  await store.put('state', key, { key, value: stored })
  return entry
}

/** Blocklists a lead that complained or opted out: by its id, and by its email so a re-import is refused too. */
export async function blocklist(
  store: Store,
  entry: { leadId: string; email: string | null; reason: 'complaint' | 'opt_out'; at: number },
): Promise<void> {
  const common = { reason: entry.reason, at: entry.at, leadId: entry.leadId }
  await putBlocklistEntry(store, { kind: 'lead', value: entry.leadId, ...common })
  if (entry.email !== null)
    await putBlocklistEntry(store, { kind: 'email', value: entry.email.toLowerCase(), ...common })
}

/** The keys a lead's profile could be blocklisted under, most specific first. */
function keysOf(lead: Lead): string[] {
  const profile = lead.profile
  const keys = [blocklistKey('lead', lead.id)]
  for (const email of [profile.professionalEmail, profile.personalEmail])
    if (email !== undefined) keys.push(blocklistKey('email', email.toLowerCase()))
  if (profile.linkedinProfileId !== undefined && profile.linkedinProfileId !== '')
    keys.push(blocklistKey('linkedinId', profile.linkedinProfileId))
  const slug = profile.linkedinUrl === undefined ? undefined : linkedinSlug(profile.linkedinUrl)
  if (slug !== undefined) keys.push(blocklistKey('linkedinUrl', slug))
  // A company is matched by the domain of the lead's work email and by its own domain or website.
  const company = profile.company as Readonly<Record<string, unknown>> | undefined
  const domains = [profile.professionalEmail, company?.domain, company?.website]
    .filter((each): each is string => typeof each === 'string' && each.trim() !== '')
    .map(companyDomainName)
    .filter((each): each is string => each !== undefined)
  for (const name of new Set(domains)) keys.push(blocklistKey('domain', name))
  return keys
}

/** The entry that blocks this lead, if any: one keyed read, never a scan of the blocklist. */
export async function blocklisted(store: Store, lead: Lead): Promise<BlocklistEntry | undefined> {
  const keys = keysOf(lead)
  const found = await store.getMany('state', keys)
  const first = found[0]
  return first === undefined ? undefined : toEntry(first.key, first.value)
}

/** An entry from its stored document; undefined for a key that is not a blocklist entry. */
export function toEntry(key: string, value: unknown): BlocklistEntry | undefined {
  if (!key.startsWith(BLOCKLIST_PREFIX)) return undefined
  const rest = key.slice(BLOCKLIST_PREFIX.length)
  const colon = rest.indexOf(':')
  const kind = KINDS.get(rest.slice(0, colon))
  if (colon < 0 || kind === undefined) return undefined
  const stored = (value ?? {}) as StoredEntry
  return {
    kind,
    value: rest.slice(colon + 1),
    ...(stored.original === undefined ? {} : { original: stored.original }),
    reason: stored.reason ?? 'manual',
    ...(stored.leadId === undefined ? {} : { leadId: stored.leadId }),
    ...(stored.note === undefined ? {} : { note: stored.note }),
    at: stored.at ?? 0,
  }
}

/** What an entry blocks, for messages: "the email ana@acme.com", "the company domain acme (acme.com)". */
export function describeEntry(entry: BlocklistEntry): string {
  const shown = entry.original === undefined ? `'${entry.value}'` : `'${entry.value}' (${entry.original})`
  switch (entry.kind) {
    case 'lead':
      return `the lead id ${shown}`
    case 'email':
      return `the email ${shown}`
    case 'linkedinId':
      return `the LinkedIn profile id ${shown}`
    case 'linkedinUrl':
      return `the LinkedIn profile ${shown}`
    case 'domain':
      return `the company domain ${shown}, any extension`
  }
}

/** Why a lead may not be enrolled, in the words of `addLeads`' skip messages. */
export function blockedMessage(leadId: string, entry: BlocklistEntry): string {
  const day = new Date(entry.at).toISOString().slice(0, 10)
  if (entry.reason === 'opt_out' || entry.reason === 'complaint')
    return `Lead '${leadId}' ${entry.reason === 'opt_out' ? 'asked not to be contacted again' : 'reported a message as spam'} on ${day}; it is blocklisted for this workspace and is never contacted again.`
  return `Lead '${leadId}' matches the workspace blocklist (${describeEntry(entry)}, added on ${day}); no campaign contacts it. Remove the entry with engine.blocklist.remove(...) if it should be contacted.`
}
