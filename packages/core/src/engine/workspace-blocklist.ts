import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { parseInput } from '../errors/parse-input'
import { issue, type ValidationIssue } from '../errors/validation-issue'
import { entityIdSchema } from '../model/entity-id'
import { type ActionInput, logActions } from './action-log'
import {
  BLOCKLIST_PREFIX,
  type BlocklistEntry,
  type BlocklistKind,
  blocklistKey,
  blocklistPrefixOf,
  companyDomainName,
  linkedinSlug,
  putBlocklistEntry,
  toEntry,
} from './blocklist'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { applyFact } from './lead-facts'
import { type Page, queryId, readCursor } from './lists/list-cursor'
import { pageOfState } from './lists/state-page'
import type { Store } from './store'

/**
 * One thing to blocklist: a lead by `email`, `linkedinId` (LinkedIn's profile id), `linkedinUrl` (any form of
 * its profile URL) or `leadId`, or a whole company by `domain` (`acme.com` blocks `acme.fr` too). Exactly
 * one of them; `note` says why, for the people who read the list.
 */
export type BlocklistEntryInput = (
  | { readonly email: string }
  | { readonly linkedinId: string }
  | { readonly linkedinUrl: string }
  | { readonly domain: string }
  | { readonly leadId: string }
) & { readonly note?: string }

export interface BlocklistListOptions {
  /** Only entries of this kind. */
  readonly kind?: BlocklistKind
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

export interface BlocklistAddResult {
  /** The entries as stored (an entry that was there already is returned as it was). */
  readonly entries: readonly BlocklistEntry[]
  /**
   * Leads finished as blocked at once, in every campaign where they were still going: those found by id,
   * email or LinkedIn profile id. Leads matched by a LinkedIn URL or a company domain are stopped before the
   * engine's next action for them.
   */
  readonly blocked: readonly { readonly campaignId: string; readonly leadId: string }[]
}

const FIELDS = ['email', 'linkedinId', 'linkedinUrl', 'domain', 'leadId'] as const

const entrySchema = z.strictObject({
  email: z.email().max(320).optional(),
  linkedinId: z.string().trim().min(1).max(200).optional(),
  linkedinUrl: z.string().trim().min(1).max(500).optional(),
  domain: z.string().trim().min(1).max(300).optional(),
  leadId: entityIdSchema.optional(),
  note: z.string().trim().max(1000).optional(),
})

const entriesSchema = z.array(entrySchema).max(10_000)

const listSchema = z.strictObject({
  kind: z.enum(['lead', 'email', 'linkedinId', 'linkedinUrl', 'domain']).optional(),
  after: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

const BATCH = 500

/** Validates entries and gives each its kind and normalised value; one bad entry refuses them all. */
function normalise(inputs: readonly BlocklistEntryInput[], subject: string, at: number): BlocklistEntry[] {
  const parsed = parseInput(entriesSchema, inputs, subject, PacelineErrorCodes.invalidBlocklistEntry)
  const problems: ValidationIssue[] = []
  const entries: BlocklistEntry[] = []
  parsed.forEach((input, index) => {
    const given = FIELDS.filter((field) => input[field] !== undefined)
    if (given.length !== 1) {
      problems.push(
        issue(
          given.length === 0 ? 'required' : 'too_many_fields',
          [index],
          `must have exactly one of ${FIELDS.map((field) => `\`${field}\``).join(', ')}${given.length > 1 ? `, got ${given.join(' and ')}: add them as separate entries` : ''}`,
        ),
      )
      return
    }
    const note = input.note === undefined || input.note === '' ? {} : { note: input.note }
    const base = { reason: 'manual' as const, at, ...note }
    if (input.email !== undefined) entries.push({ kind: 'email', value: input.email.toLowerCase(), ...base })
    else if (input.linkedinId !== undefined)
      entries.push({ kind: 'linkedinId', value: input.linkedinId, ...base })
    else if (input.leadId !== undefined) entries.push({ kind: 'lead', value: input.leadId, ...base })
    else if (input.linkedinUrl !== undefined) {
      const slug = linkedinSlug(input.linkedinUrl)
      if (slug === undefined)
        problems.push(
          issue(
            'invalid_format',
            [index, 'linkedinUrl'],
            `must be a LinkedIn profile URL such as https://www.linkedin.com/in/ana-perez, got '${input.linkedinUrl}'`,
          ),
        )
      else
        entries.push({
          kind: 'linkedinUrl',
          value: slug,
          ...(slug === input.linkedinUrl ? {} : { original: input.linkedinUrl }),
          ...base,
        })
    } else if (input.domain !== undefined) {
      const name = companyDomainName(input.domain)
      if (name === undefined)
        problems.push(
          issue(
            'invalid_format',
            [index, 'domain'],
            `must be a company domain such as acme.com (a name and a public extension), got '${input.domain}'`,
          ),
        )
      else
        entries.push({
          kind: 'domain',
          value: name,
          ...(name === input.domain ? {} : { original: input.domain }),
          ...base,
        })
    }
  })
  if (problems.length > 0)
    throw PacelineError.fromIssues(PacelineErrorCodes.invalidBlocklistEntry, subject, problems)
  return entries
}

/**
 * Adds entries to the workspace blocklist. No campaign enrols a matching lead from now on, and a matching
 * lead already in a campaign is finished as "blocked" before anything more is sent to it.
 */
export async function addToBlocklist(
  context: EngineContext,
  inputs: readonly BlocklistEntryInput[],
): Promise<BlocklistAddResult> {
  const entries = normalise(inputs, 'engine.blocklist.add entries', context.now())
  const stored: BlocklistEntry[] = []
  const blocked: { campaignId: string; leadId: string }[] = []
  const events: EngineEvent[] = []
  for (let offset = 0; offset < entries.length; offset += BATCH) {
    // What a batch did comes back as its result: a store may run the callback again after a conflict.
    const batch = await inTransaction(context, async (store) => {
      const now = context.now()
      const out = { stored: [] as BlocklistEntry[], affected: [] as { campaignId: string; leadId: string }[] }
      const log: ActionInput[] = []
      for (const entry of entries.slice(offset, offset + BATCH)) {
        out.stored.push(await putBlocklistEntry(store, entry))
        for (const leadId of await leadsOf(store, entry)) {
          for (const enrolment of await store.query('enrolments', { index: 'byLead', equals: [leadId] })) {
            await applyFact(store, enrolment, { type: 'lead-blocked' }, now, {
              affected: out.affected,
              entries: log,
            })
            context.wake(enrolment.identityId)
          }
        }
      }
      const logged = await logActions(
        context,
        store,
        now,
        log.map((each) => ({ ...each, detail: { ...each.detail, why: 'blocklist' } })),
      )
      return { ...out, events: logged }
    })
    stored.push(...batch.stored)
    blocked.push(...batch.affected)
    events.push(...batch.events)
  }
  context.emit(events)
  return { entries: stored, blocked }
}

/** The leads an entry names that can be found by an index; URLs and domains are checked at the next action. */
async function leadsOf(store: Store, entry: BlocklistEntry): Promise<string[]> {
  switch (entry.kind) {
    case 'lead':
      return [entry.value]
    case 'email':
      return (await store.query('leads', { index: 'byEmail', equals: [entry.value] })).map((lead) => lead.id)
    case 'linkedinId':
      return (await store.query('leads', { index: 'byLinkedInProfile', equals: [entry.value] })).map(
        (lead) => lead.id,
      )
    case 'linkedinUrl':
    case 'domain':
      return []
  }
}

/**
 * Removes entries (given as they were added: `{ domain: 'acme.fr' }` removes the `acme` entry). Leads already
 * finished as blocked stay finished; they can be added to a campaign again. Returns the entries removed.
 */
export async function removeFromBlocklist(
  context: EngineContext,
  inputs: readonly BlocklistEntryInput[],
): Promise<BlocklistEntry[]> {
  const entries = normalise(inputs, 'engine.blocklist.remove entries', context.now())
  const removed: BlocklistEntry[] = []
  for (let offset = 0; offset < entries.length; offset += BATCH) {
    const batch = await inTransaction(context, async (store) => {
      const out: BlocklistEntry[] = []
      for (const entry of entries.slice(offset, offset + BATCH)) {
        const key = blocklistKey(entry.kind, entry.value)
        const existing = await store.get('state', key)
        if (existing === undefined) continue
        const found = toEntry(key, existing.value)
        if (found !== undefined) out.push(found)
        await store.delete('state', key)
      }
      return out
    })
    removed.push(...batch)
  }
  return removed
}

/** The blocklist a page at a time, by kind then value. */
export async function listBlocklist(
  context: EngineContext,
  options: BlocklistListOptions = {},
): Promise<Page<BlocklistEntry>> {
  const subject = 'engine.blocklist.list options'
  const filter = parseInput(listSchema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const query = queryId('blocklist', filter)
  const prefix = filter.kind === undefined ? BLOCKLIST_PREFIX : blocklistPrefixOf(filter.kind)
  const start = filter.after === undefined ? prefix : readCursor(filter.after, query, subject).k
  return inTransaction(
    context,
    (store) =>
      pageOfState(store, prefix, start, filter.limit ?? 50, query, (value, key) => toEntry(key, value)),
    { readOnly: true },
  )
}
