import type { Store } from './store'

/**
 * Leads blocklisted for the whole workspace (a spam complaint, or a request not to be contacted again): no
 * campaign of the workspace may enrol them again, by id or by email, so a re-import under another id is
 * refused too.
 */
export interface BlocklistEntry {
  readonly leadId: string
  readonly email: string | null
  readonly reason: 'complaint' | 'opt_out'
  /** Epoch milliseconds. */
  readonly at: number
}

const byLead = (leadId: string) => `blocklist:lead:${leadId}`
const byEmail = (email: string) => `blocklist:email:${email.toLowerCase()}`

export async function blocklist(store: Store, entry: BlocklistEntry): Promise<void> {
  await store.put('state', byLead(entry.leadId), { key: byLead(entry.leadId), value: entry })
  if (entry.email !== null)
    await store.put('state', byEmail(entry.email), { key: byEmail(entry.email), value: entry })
}

/** The entry that blocks this lead, by its id or its email, if any. */
export async function blocklisted(
  store: Store,
  leadId: string,
  email: string | null | undefined,
): Promise<BlocklistEntry | undefined> {
  const [found] = await store.getMany('state', [byLead(leadId), ...(email ? [byEmail(email)] : [])])
  return found?.value as BlocklistEntry | undefined
}
