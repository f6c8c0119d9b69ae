import { type BlocklistEntryInput, createEngine, type Engine, type LeadInput, sequence } from '@paceline/core'
import type { StorageV1 } from '@paceline/core/ports'
import { createMemoryEmailChannel, VirtualClock } from '@paceline/core/testing'
import { runEngineUntil } from './run-engine-until'

/** What the audience scenario observed, to compare a store against the memory store. */
export interface AudienceObservations {
  /** Every blocklist entry as `kind:value`, in list order, three a page. */
  readonly blocklistPages: readonly (readonly string[])[]
  /** The same entries listed one kind at a time, two a page, pages joined. */
  readonly blocklistByKind: Readonly<Record<string, readonly string[]>>
  /** The entries as added (`kind:value`), for the test to check that each is listed exactly once. */
  readonly added: readonly string[]
  /** Entries removed again, and the list after their removal. */
  readonly removed: readonly string[]
  readonly afterRemoval: readonly string[]
  /** Notes as listed (accents kept). */
  readonly notes: readonly string[]
  /** When the company domain entry was added (epoch ms). */
  readonly domainBlockedAt: number
  /** Every message sent, per lead address: sender, subject and when. */
  readonly sent: Readonly<
    Record<string, readonly { readonly from: string; readonly subject: string; readonly at: number }[]>
  >
  /** Status and substatus of the leads of the first campaign at the end. */
  readonly statuses: Readonly<Record<string, string>>
  readonly blockedByIndex: readonly string[]
  readonly lists: {
    readonly usedBefore: { readonly added: readonly string[]; readonly skipped: readonly string[] }
    readonly addedAfter: {
      readonly added: readonly string[]
      readonly updated: readonly string[]
      readonly enrolled: readonly string[]
      readonly skipped: readonly string[]
    }
    readonly otherIdentity: { readonly added: readonly string[]; readonly skipped: readonly string[] }
    /** The list's contacts, two a page. */
    readonly contactPages: readonly (readonly string[])[]
    readonly listed: readonly string[]
    readonly searched: readonly string[]
    readonly size: number
    readonly removedContacts: readonly string[]
  }
  readonly tasks: {
    readonly pending: readonly string[]
    readonly completed: readonly string[]
    readonly oldestFirst: readonly string[]
    readonly completedAt: readonly (number | null)[]
  }
}

const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, subject: 'Bump {{firstName}}', body: 'Bump' })
  .email({ id: 'last', delay: { days: 2 }, subject: 'Last {{firstName}}', body: 'Last try' })
  .build()

/**
 * Entries of every kind whose keys order differently under a collation-sensitive comparison (case, digits,
 * dashes, underscores, accents) than byte by byte, with characters beyond the Basic Multilingual Plane and
 * just below its end, which order differently by UTF-16 code unit than by code point.
 */
const ENTRIES: readonly BlocklistEntryInput[] = [
  { email: 'Zed@Example.com', note: 'asked by phone' },
  { email: 'a-b@example.com' },
  { email: 'ab@example.com', note: 'déjà contacté' },
  { email: 'a_b@example.com' },
  { email: '9lives@example.com' },
  { linkedinId: 'ACoAAB-x' },
  { linkedinId: 'acoaab' },
  { linkedinId: 'Zeta9' },
  { linkedinId: '9zeta' },
  { linkedinId: 'zeta-9' },
  { linkedinId: 'ärger', note: 'Ärger mit Öl' },
  { linkedinId: 'id-\u{1F600}' },
  { linkedinId: 'id-\uFF21' },
  { linkedinUrl: 'https://www.linkedin.com/in/Jos%C3%A9-P%C3%A9rez/', note: 'José' },
  { linkedinUrl: 'linkedin.com/in/jose-perez-2' },
  { linkedinUrl: 'https://fr.linkedin.com/in/%C3%A9lise?trk=x' },
  { linkedinUrl: 'https://www.linkedin.com/in/Elise' },
  { leadId: 'Lead-10' },
  { leadId: 'lead-9' },
  { leadId: 'LEAD_1' },
  { leadId: 'lead1' },
  { leadId: 'ñandú' },
  { leadId: 'nandu' },
  { domain: 'Globex.co.uk', note: 'competitor' },
  { domain: 'https://www.initech.fr/about' },
  { domain: 'x-y.io' },
  { domain: 'xy.io' },
  { domain: 'bücher.de', note: 'Bücher' },
  { email: 'dee@blocked.example', note: 'asked not to be contacted' },
]

const contact = (id: string, jobTitle: string, size: number, address = `${id}@corp.example`): LeadInput => ({
  id,
  profile: { firstName: id, jobTitle, professionalEmail: address, company: { name: `${id} Inc`, size } },
})

async function allPages<T>(
  read: (after: string | undefined) => Promise<{ items: readonly T[]; next?: string }>,
): Promise<T[][]> {
  const pages: T[][] = []
  let after: string | undefined
  do {
    const page = await read(after)
    pages.push([...page.items])
    after = page.next
  } while (after !== undefined)
  return pages
}

const named = (entry: { kind: string; value: string }) => `${entry.kind}:${entry.value}`

/**
 * For store tests: the workspace blocklist paged through the `state` collection by key (every kind of entry,
 * keys that sort differently under other orders), a company domain stopping a lead at another extension
 * before its next message, a contact list with filters used by a running campaign (contacts added before
 * and after, de-duplication within an identity, the skip codes), and tasks made and completed by hand.
 */
export async function audienceScenario(storage: StorageV1): Promise<AudienceObservations> {
  const clock = new VirtualClock('2026-03-02T08:00:00Z')
  const sends: { address: string; from: string; subject: string; at: number }[] = []
  const email = createMemoryEmailChannel({
    respond: (message) => {
      sends.push({
        address: message.to.address,
        from: message.from.address,
        subject: message.subject,
        at: clock.now(),
      })
      return undefined
    },
  })
  const engine = createEngine({ storage, email, clock, random: 7 })
  for (const id of ['ana', 'bob'])
    await engine.identities.put({
      id,
      name: id,
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: `${id}@sender.example` }] },
    })

  // A campaign already running when a company is blocked: eve's company is acme, at another extension.
  await engine.campaigns.create({ id: 'mail', identityId: 'ana', sequence: mail })
  await engine.leads.add('mail', [
    contact('eve', 'Head of Sales', 200, 'eve@acme.fr'),
    contact('fay', 'CFO', 80),
    contact('gil', 'Head of Ops', 90),
  ])
  await engine.campaigns.launch('mail')
  await runEngineUntil(engine, clock, '2026-03-02T17:00:00Z')
  const domainBlockedAt = clock.now()
  await engine.blocklist.add([{ domain: 'acme.com', note: 'customer' }])

  const added = await engine.blocklist.add(ENTRIES)
  // Added again: kept as it was.
  await engine.blocklist.add([{ email: 'ab@example.com', note: 'another note' }])
  const blockedByIndex = (await engine.blocklist.add([{ leadId: 'gil', note: 'by id' }])).blocked.map(
    (each) => `${each.campaignId}/${each.leadId}`,
  )
  await runEngineUntil(engine, clock, '2026-03-06T17:00:00Z')

  const blocklistPages = (
    await allPages((after) => engine.blocklist.list({ limit: 3, ...(after === undefined ? {} : { after }) }))
  ).map((page) => page.map(named))
  const blocklistByKind: Record<string, string[]> = {}
  for (const kind of ['lead', 'email', 'linkedinId', 'linkedinUrl', 'domain'] as const)
    blocklistByKind[kind] = (
      await allPages((after) =>
        engine.blocklist.list({ kind, limit: 2, ...(after === undefined ? {} : { after }) }),
      )
    )
      .flat()
      .map(named)
  const notes = (await engine.blocklist.list({ limit: 500 })).items.flatMap((entry) =>
    entry.note === undefined ? [] : [entry.note],
  )
  const removed = (
    await engine.blocklist.remove([
      { domain: 'xy.fr' },
      { linkedinId: 'Zeta9' },
      { email: 'nobody@example.com' },
    ])
  ).map(named)
  const afterRemoval = (await engine.blocklist.list({ limit: 500 })).items.map(named)

  // A contact list used by a running campaign of ana's, and by one of bob's.
  await engine.campaigns.create({ id: 'listed', identityId: 'ana', sequence: mail })
  await engine.campaigns.create({ id: 'bobs', identityId: 'bob', sequence: mail })
  await engine.leads.add('listed', [contact('kim', 'Head of Data', 70)])
  await engine.campaigns.launch('listed')
  await engine.campaigns.launch('bobs')
  await engine.lists.create({
    id: 'heads',
    name: 'Heads of Sales — Q2',
    tags: ['q2'],
    filters: {
      match: 'all',
      rules: [
        { field: 'jobTitle', operator: 'contains', value: 'head' },
        { field: 'company.size', operator: 'greater_or_equal', value: 50 },
      ],
    },
  })
  await engine.lists.create({ id: 'other', name: 'Everyone else' })
  await engine.lists.addContacts('heads', [
    contact('Ana-2', 'Head of Growth', 120),
    contact('bea', 'Head of Growth', 8),
    contact('cai', 'Engineer', 900),
    contact('fay', 'Head of Finance', 80),
    contact('dee', 'Head of People', 60, 'dee@blocked.example'),
    contact('ian', 'Head of IT', 300, 'ian@initech.de'),
  ])
  const used = await engine.campaigns.useList('listed', 'heads')
  const later = await engine.lists.addContacts('heads', [
    contact('bea', 'Head of Growth', 55),
    contact('dan', 'Head of Partnerships', 60),
    contact('eli', 'Designer', 70),
    contact('eve', 'Head of Sales', 200, 'eve@acme.fr'),
    contact('Zoë', 'Head of Support', 75, 'zoe@corp.example'),
  ])
  const otherIdentity = await engine.campaigns.useList('bobs', 'heads')
  const contactPages = (
    await allPages((after) =>
      engine.lists.contacts('heads', { limit: 2, ...(after === undefined ? {} : { after }) }),
    )
  ).map((page) => page.map((lead) => lead.id))
  const listed = (
    await allPages((after) => engine.lists.list({ limit: 1, ...(after === undefined ? {} : { after }) }))
  )
    .flat()
    .map((list) => list.id)
  const searched = (await engine.lists.list({ search: 'sales' })).items.map((list) => list.id)
  const removedContacts = (await engine.lists.removeContacts('heads', ['cai', 'nobody'])).removed
  const size = (await engine.lists.get('heads')).size
  await runEngineUntil(engine, clock, '2026-03-10T17:00:00Z')

  // Tasks by hand, beside the sequence.
  const call = await engine.tasks.create('listed', 'dan', {
    id: 'call-Dan',
    title: 'Call Dan',
    type: 'call',
    note: 'Référence: devis n°2',
    dueAt: '2026-03-11T09:00:00+01:00',
  })
  clock.set(clock.now() + 60_000)
  const deck = await engine.tasks.create('listed', 'Ana-2', { id: 'deck', title: 'Send the deck' })
  clock.set(clock.now() + 60_000)
  await engine.tasks.create('mail', 'fay', { id: 'note-1', title: 'Write a note', type: 'todo' })
  clock.set(clock.now() + 60_000)
  const completedAt = [
    (await engine.tasks.complete(call.taskId)).completedAt,
    (await engine.tasks.complete(deck.taskId)).completedAt,
  ]
  clock.set(clock.now() + 60_000)
  // Done already: returned as it was.
  completedAt.push((await engine.tasks.complete(call.taskId)).completedAt)
  const taskIds = async (campaignId: string, options: Parameters<Engine['tasks']['list']>[1]) =>
    (await engine.tasks.list(campaignId, options)).items.map(
      (task) => `${task.campaignId}/${task.leadId}/${task.title}`,
    )
  const tasks = {
    pending: [
      ...(await taskIds('listed', { status: 'pending' })),
      ...(await taskIds('mail', { status: 'pending' })),
    ],
    completed: await taskIds('listed', { status: 'completed' }),
    oldestFirst: await taskIds('listed', { order: 'oldest' }),
    completedAt,
  }

  const statuses: Record<string, string> = {}
  for (const leadId of ['eve', 'fay', 'gil']) {
    const lead = await engine.leads.get('mail', leadId)
    statuses[leadId] = `${lead.status}/${lead.substatus ?? ''}`
  }
  await engine.close()

  const sent: Record<string, { from: string; subject: string; at: number }[]> = {}
  for (const { address, ...each } of sends) sent[address] = [...(sent[address] ?? []), each]
  const skips = (skipped: readonly { leadId: string; code: string; campaignId?: string }[]) =>
    skipped.map(
      (each) => `${each.campaignId === undefined ? '' : `${each.campaignId}/`}${each.leadId}:${each.code}`,
    )
  return {
    blocklistPages,
    blocklistByKind,
    added: added.entries.map(named),
    removed,
    afterRemoval,
    notes,
    domainBlockedAt,
    sent,
    statuses,
    blockedByIndex,
    lists: {
      usedBefore: { added: used.added, skipped: skips(used.skipped) },
      addedAfter: {
        added: later.added,
        updated: later.updated,
        enrolled: later.enrolled.map((each) => `${each.campaignId}/${each.leadId}`),
        skipped: skips(later.skipped),
      },
      otherIdentity: { added: otherIdentity.added, skipped: skips(otherIdentity.skipped) },
      contactPages,
      listed,
      searched,
      size,
      removedContacts,
    },
    tasks,
  }
}
