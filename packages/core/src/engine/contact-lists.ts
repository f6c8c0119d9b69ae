import { z } from 'zod'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import { parseInput } from '../errors/parse-input'
import { issue } from '../errors/validation-issue'
import type { Campaign } from '../model/campaign/campaign'
import {
  type ContactList,
  type ContactListChanges,
  type ContactListInput,
  parseContactListChanges,
  parseContactListInput,
} from '../model/lead/contact-list'
import type { Lead, LeadInput } from '../model/lead/lead'
import { type AddLeadsResult, LEAD_BATCH, leadWarnings, notFound, validateLeads } from './admin'
import { type EngineContext, inTransaction } from './engine-context'
import type { EngineEvent } from './engine-events'
import { type EnrolSkip, enrolOne, leadRecord } from './enrol-lead'
import { type Page, queryId, readCursor } from './lists/list-cursor'
import { pageOfState } from './lists/state-page'
import { compoundKey, type Store } from './store'

/** What adding contacts to a list did: new members, and their enrolment in the campaigns using the list. */
export interface AddContactsResult {
  /** Leads that were not in the list before. */
  readonly added: readonly string[]
  /** Leads that were in the list already (their profiles are updated). */
  readonly updated: readonly string[]
  /** Leads enrolled in a campaign that uses the list. */
  readonly enrolled: readonly { readonly campaignId: string; readonly leadId: string }[]
  /** Leads a campaign using the list did not take, with why (`lead_blocklisted`, `lead_filtered_out`, ...). */
  readonly skipped: readonly (EnrolSkip & { readonly campaignId: string })[]
  readonly warnings: AddLeadsResult['warnings']
}

/** What enrolling a list in a campaign did. Leads already in that campaign are not reported. */
export interface ListEnrolmentResult {
  readonly added: readonly string[]
  readonly skipped: readonly EnrolSkip[]
}

export interface ContactListListOptions {
  /** Lists whose name contains this text (any case). */
  readonly search?: string
  /** The previous page's `next`. */
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

export interface ContactListContactsOptions {
  readonly after?: string
  /** Default 50, at most 500. */
  readonly limit?: number
}

const LIST = 'contact-list'
const MEMBER = 'contact-list-member'
const listKey = (id: string) => compoundKey(LIST, id)
const memberKey = (listId: string, leadId: string) => compoundKey(MEMBER, listId, leadId)
/** Ids have no control characters, so this prefix holds exactly one list's members. */
const memberPrefix = (listId: string) => compoundKey(MEMBER, listId, '')
const LISTS_PREFIX = compoundKey(LIST, '')

const pageSchema = z.strictObject({
  search: z.string().trim().min(1).max(300).optional(),
  after: z.string().min(1).max(2000).optional(),
  limit: z.number().int().min(1).max(500).optional(),
})

async function readList(store: Store, id: string): Promise<ContactList | undefined> {
  return (await store.get('state', listKey(id)))?.value as ContactList | undefined
}

async function requireList(store: Store, id: string): Promise<ContactList> {
  const list = await readList(store, id)
  if (list === undefined) throw notFound('contact list', id)
  return list
}

async function saveList(store: Store, list: ContactList): Promise<void> {
  await store.put('state', listKey(list.id), { key: listKey(list.id), value: list })
}

export async function createList(context: EngineContext, input: ContactListInput): Promise<ContactList> {
  const parsed = parseContactListInput(input)
  const list: ContactList = {
    id: parsed.id,
    name: parsed.name,
    ...(parsed.filters === undefined ? {} : { filters: parsed.filters }),
    tags: parsed.tags ?? [],
    createdAt: new Date(context.now()).toISOString(),
    size: 0,
    campaignIds: [],
  }
  await inTransaction(context, async (store) => {
    if ((await readList(store, list.id)) !== undefined)
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidContactList, `Contact list '${list.id}'`, [
        issue(
          'already_exists',
          ['id'],
          'is already used by another list; pick another id or update that list',
        ),
      ])
    await saveList(store, list)
  })
  return list
}

export async function getList(context: EngineContext, id: string): Promise<ContactList> {
  return inTransaction(context, (store) => requireList(store, id), { readOnly: true })
}

/** Renames a list, or changes its tags or filters (`filters: null` removes them); they apply to contacts enrolled from now on. */
export async function updateList(
  context: EngineContext,
  id: string,
  changes: ContactListChanges,
): Promise<ContactList> {
  const parsed = parseContactListChanges(id, changes)
  return inTransaction(context, async (store) => {
    const current = await requireList(store, id)
    const { filters: _dropped, ...rest } = current
    const filters = parsed.filters === undefined ? current.filters : (parsed.filters ?? undefined)
    const next: ContactList = {
      ...rest,
      ...(parsed.name === undefined ? {} : { name: parsed.name }),
      ...(parsed.tags === undefined ? {} : { tags: parsed.tags }),
      ...(filters === undefined ? {} : { filters }),
    }
    await saveList(store, next)
    return next
  })
}

/** The workspace's lists by id, a page at a time. */
export async function listLists(
  context: EngineContext,
  options: ContactListListOptions = {},
): Promise<Page<ContactList>> {
  const subject = 'engine.lists.list options'
  const filter = parseInput(pageSchema, options ?? {}, subject, PacelineErrorCodes.invalidQuery)
  const query = queryId('contact-lists', filter)
  const start = filter.after === undefined ? LISTS_PREFIX : readCursor(filter.after, query, subject).k
  const search = filter.search?.toLowerCase()
  return inTransaction(
    context,
    (store) =>
      pageOfState(store, LISTS_PREFIX, start, filter.limit ?? 50, query, (value) => {
        const list = value as ContactList
        return search === undefined || list.name.toLowerCase().includes(search) ? list : undefined
      }),
    { readOnly: true },
  )
}

/** A list's contacts, in order of lead id, a page at a time. */
export async function listContacts(
  context: EngineContext,
  listId: string,
  options: ContactListContactsOptions = {},
): Promise<Page<Lead>> {
  const subject = 'engine.lists.contacts options'
  const filter = parseInput(
    pageSchema.omit({ search: true }),
    options ?? {},
    subject,
    PacelineErrorCodes.invalidQuery,
  )
  const query = queryId('contact-list-members', { listId })
  const prefix = memberPrefix(listId)
  const start = filter.after === undefined ? prefix : readCursor(filter.after, query, subject).k
  return inTransaction(
    context,
    async (store) => {
      await requireList(store, listId)
      const page = await pageOfState(
        store,
        prefix,
        start,
        filter.limit ?? 50,
        query,
        (value) => value as string,
      )
      const leads = await store.getMany('leads', page.items)
      return {
        items: leads.map((record) => record.lead),
        ...(page.next === undefined ? {} : { next: page.next }),
      }
    },
    { readOnly: true },
  )
}

/**
 * Stores leads (creating or updating their profiles) as contacts of a list, and enrols them, in the same
 * transaction, in every campaign that uses the list and is not archived: through the list's filters, never
 * a blocklisted lead, never a lead already in another campaign of the same identity.
 */
export async function addContacts(
  context: EngineContext,
  listId: string,
  inputs: readonly LeadInput[],
): Promise<AddContactsResult> {
  const leads = validateLeads(inputs)
  const result = {
    added: [] as string[],
    updated: [] as string[],
    enrolled: [] as { campaignId: string; leadId: string }[],
    skipped: [] as (EnrolSkip & { campaignId: string })[],
  }
  const events: EngineEvent[] = []
  for (let offset = 0; offset < leads.length; offset += LEAD_BATCH) {
    // What a batch did comes back as its result: a store may run the callback again after a conflict.
    const batch = await inTransaction(context, async (store) => {
      const list = await requireList(store, listId)
      const now = context.now()
      const out = {
        added: [] as string[],
        updated: [] as string[],
        enrolled: [] as { campaignId: string; leadId: string }[],
        skipped: [] as (EnrolSkip & { campaignId: string })[],
        events: [] as EngineEvent[],
      }
      const campaigns = await activeCampaigns(store, list)
      for (const lead of leads.slice(offset, offset + LEAD_BATCH)) {
        await store.put('leads', lead.id, leadRecord(lead))
        const key = memberKey(listId, lead.id)
        if ((await store.get('state', key)) === undefined) {
          await store.put('state', key, { key, value: lead.id })
          out.added.push(lead.id)
        } else out.updated.push(lead.id)
        for (const campaign of campaigns) {
          const outcome = await enrolOne(context, store, campaign, lead, now, {
            storeLead: false,
            list: { listId, filters: list.filters },
          })
          if (outcome.added) {
            out.enrolled.push({ campaignId: campaign.id, leadId: lead.id })
            out.events.push(...outcome.events)
          } else if (outcome.skip.code !== PacelineErrorCodes.leadAlreadyEnrolled)
            out.skipped.push({ ...outcome.skip, campaignId: campaign.id })
        }
      }
      if (out.added.length > 0) await saveList(store, { ...list, size: list.size + out.added.length })
      for (const campaign of campaigns) context.wake(campaign.identityId)
      return out
    })
    result.added.push(...batch.added)
    result.updated.push(...batch.updated)
    result.enrolled.push(...batch.enrolled)
    result.skipped.push(...batch.skipped)
    events.push(...batch.events)
  }
  context.emit(events)
  return { ...result, warnings: leadWarnings(leads) }
}

/** Takes contacts out of a list; leads it enrolled stay in their campaigns. Returns those that were in it. */
export async function removeContacts(
  context: EngineContext,
  listId: string,
  leadIds: readonly string[],
): Promise<{ readonly removed: readonly string[] }> {
  const removed: string[] = []
  for (let offset = 0; offset < leadIds.length; offset += LEAD_BATCH) {
    const batch = await inTransaction(context, async (store) => {
      const list = await requireList(store, listId)
      const out: string[] = []
      for (const leadId of leadIds.slice(offset, offset + LEAD_BATCH)) {
        const key = memberKey(listId, leadId)
        if ((await store.get('state', key)) === undefined) continue
        await store.delete('state', key)
        out.push(leadId)
      }
      if (out.length > 0) await saveList(store, { ...list, size: Math.max(0, list.size - out.length) })
      return out
    })
    removed.push(...batch)
  }
  return { removed }
}

/** Deletes a list and its membership; the leads, and their places in campaigns, stay. */
export async function removeList(context: EngineContext, id: string): Promise<void> {
  // The list goes first, so no campaign enrols from it while its members are being deleted.
  await inTransaction(context, async (store) => {
    await requireList(store, id)
    await store.delete('state', listKey(id))
  })
  const prefix = memberPrefix(id)
  for (;;) {
    const done = await inTransaction(context, async (store) => {
      const page = await store.query('state', { after: prefix, limit: LEAD_BATCH })
      const members = page.filter((document) => document.key.startsWith(prefix))
      for (const member of members) await store.delete('state', member.key)
      return members.length < LEAD_BATCH
    })
    if (done) return
  }
}

/**
 * Makes a list a campaign's audience: its contacts are enrolled now (through the list's filters, skipping
 * blocklisted leads and leads already in another campaign of the same identity), and contacts added to the
 * list later are enrolled as they are added. A draft or scheduled campaign's leads start when it launches.
 */
export async function useList(
  context: EngineContext,
  campaignId: string,
  listId: string,
): Promise<ListEnrolmentResult> {
  await inTransaction(context, async (store) => {
    const campaign = await store.get('campaigns', campaignId)
    if (campaign === undefined) throw notFound('campaign', campaignId)
    if (campaign.campaign.status === 'archived')
      throw new PacelineError(
        PacelineErrorCodes.illegalTransition,
        `Campaign '${campaignId}' is archived: it takes no audience. Duplicate it to run it again.`,
        {
          details: {
            entity: 'campaign',
            id: campaignId,
            action: 'use_list',
            from: 'archived',
            to: 'archived',
          },
        },
      )
    const list = await requireList(store, listId)
    if (!list.campaignIds.includes(campaignId))
      await saveList(store, { ...list, campaignIds: [...list.campaignIds, campaignId] })
  })
  const added: string[] = []
  const skipped: EnrolSkip[] = []
  const events: EngineEvent[] = []
  const prefix = memberPrefix(listId)
  let after = prefix
  for (;;) {
    const batch = await inTransaction(context, async (store) => {
      const list = await requireList(store, listId)
      const campaign = (await store.get('campaigns', campaignId))?.campaign
      if (campaign === undefined) throw notFound('campaign', campaignId)
      const page = (await store.query('state', { after, limit: LEAD_BATCH })).filter((document) =>
        document.key.startsWith(prefix),
      )
      const now = context.now()
      const out = { added: [] as string[], skipped: [] as EnrolSkip[], events: [] as EngineEvent[] }
      const records = await store.getMany(
        'leads',
        page.map((document) => document.value as string),
      )
      for (const record of records) {
        const outcome = await enrolOne(context, store, campaign, record.lead, now, {
          storeLead: false,
          list: { listId, filters: list.filters },
        })
        if (outcome.added) {
          out.added.push(record.id)
          out.events.push(...outcome.events)
        } else if (outcome.skip.code !== PacelineErrorCodes.leadAlreadyEnrolled)
          out.skipped.push(outcome.skip)
      }
      context.wake(campaign.identityId)
      return { ...out, last: page[page.length - 1]?.key, full: page.length === LEAD_BATCH }
    })
    added.push(...batch.added)
    skipped.push(...batch.skipped)
    events.push(...batch.events)
    if (!batch.full || batch.last === undefined) break
    after = batch.last
  }
  context.emit(events)
  return { added, skipped }
}

/** The campaign stops taking contacts added to the list from now on; leads it enrolled stay. */
export async function dropList(context: EngineContext, campaignId: string, listId: string): Promise<void> {
  await inTransaction(context, async (store) => {
    const list = await requireList(store, listId)
    await saveList(store, { ...list, campaignIds: list.campaignIds.filter((id) => id !== campaignId) })
  })
}

/**
 * The campaigns a list enrols into now: those not archived and still with their identity (a deleted
 * campaign is forgotten).
 */
async function activeCampaigns(store: Store, list: ContactList): Promise<Campaign[]> {
  const records = await store.getMany('campaigns', list.campaignIds)
  return records
    .map((record) => record.campaign)
    .filter((campaign) => campaign.status !== 'archived' && campaign.identityDeletedAt === undefined)
}
