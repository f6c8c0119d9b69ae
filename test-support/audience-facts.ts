import { expect } from 'vitest'
import type { AudienceObservations } from './audience-scenario'

/** The key segment of each blocklist kind, to order entries as their `state` keys order. */
const SEGMENTS: Readonly<Record<string, string>> = {
  lead: 'lead',
  email: 'email',
  linkedinId: 'linkedin-id',
  linkedinUrl: 'linkedin-url',
  domain: 'domain',
}

/** `kind:value` as its `state` key's UTF-8 bytes: the order of SQLite's BINARY and PostgreSQL's "C". */
function keyBytes(entry: string): Buffer {
  const colon = entry.indexOf(':')
  return Buffer.from(`blocklist:${SEGMENTS[entry.slice(0, colon)]}:${entry.slice(colon + 1)}`, 'utf8')
}

/**
 * What the audience scenario must show on any store, checked on that store's own observations (not only
 * by comparison with the memory store, which could be wrong the same way).
 */
export function expectAudienceFacts(observed: AudienceObservations): void {
  // Every entry listed exactly once across full pages of three, in key order by code point.
  const expected = [...observed.added, 'domain:acme', 'lead:gil']
  expect(new Set(expected).size).toBe(31)
  const listed = observed.blocklistPages.flat()
  expect([...listed].sort()).toEqual([...expected].sort())
  expect(observed.blocklistPages.map((page) => page.length)).toEqual([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1])
  expect(listed).toEqual([...expected].sort((a, b) => Buffer.compare(keyBytes(a), keyBytes(b))))
  // Case, dashes and accents do not mix kinds nor reorder values.
  expect(observed.blocklistByKind.linkedinId).toEqual([
    'linkedinId:9zeta',
    'linkedinId:ACoAAB-x',
    'linkedinId:Zeta9',
    'linkedinId:acoaab',
    'linkedinId:id-\uFF21',
    'linkedinId:id-\u{1F600}',
    'linkedinId:zeta-9',
    'linkedinId:ärger',
  ])
  for (const [kind, entries] of Object.entries(observed.blocklistByKind))
    expect(entries).toEqual(listed.filter((entry) => entry.startsWith(`${kind}:`)))
  expect(observed.blocklistByKind.linkedinUrl).toEqual([
    'linkedinUrl:elise',
    'linkedinUrl:jose-perez-2',
    'linkedinUrl:josé-pérez',
    'linkedinUrl:élise',
  ])
  expect(observed.removed).toEqual(['domain:xy', 'linkedinId:Zeta9'])
  expect(observed.afterRemoval).toEqual(listed.filter((entry) => !observed.removed.includes(entry)))
  expect(observed.notes).toContain('Ärger mit Öl')
  expect(observed.notes).toContain('déjà contacté')
  expect(observed.notes).not.toContain('another note')

  // The company blocked as acme.com never heard again at acme.fr; the lead blocked by id neither.
  const eve = observed.sent['eve@acme.fr'] ?? []
  expect(eve).toHaveLength(1)
  for (const message of eve) expect(message.at).toBeLessThan(observed.domainBlockedAt)
  expect(observed.blockedByIndex).toEqual(['mail/gil'])
  expect(observed.sent['gil@corp.example']).toHaveLength(1)
  expect(observed.statuses).toEqual({
    eve: 'finished/blocked',
    fay: 'finished/no_response',
    gil: 'finished/blocked',
  })
  for (const address of ['dee@blocked.example', 'ian@initech.de', 'cai@corp.example', 'eli@corp.example'])
    expect(observed.sent[address]).toBeUndefined()
  // One sender never reaches a person twice: fay hears from ana's first campaign, then from bob.
  const fayFrom = (observed.sent['fay@corp.example'] ?? []).map((message) => message.from)
  expect(fayFrom.filter((from) => from === 'ana@sender.example')).toHaveLength(3)
  expect(fayFrom.filter((from) => from === 'bob@sender.example')).toHaveLength(2)

  // The skip codes, before and after the list is used.
  expect(observed.lists.usedBefore).toEqual({
    added: ['Ana-2'],
    skipped: [
      'bea:lead_filtered_out',
      'cai:lead_filtered_out',
      'dee:lead_blocklisted',
      'fay:lead_in_other_campaign',
      'ian:lead_blocklisted',
    ],
  })
  expect(observed.lists.addedAfter).toEqual({
    added: ['dan', 'eli', 'eve', 'Zoë'],
    updated: ['bea'],
    enrolled: ['listed/bea', 'listed/dan', 'listed/Zoë'],
    skipped: ['listed/eli:lead_filtered_out', 'listed/eve:lead_blocklisted'],
  })
  expect(observed.lists.otherIdentity.added).toEqual(['Ana-2', 'Zoë', 'bea', 'dan', 'fay'])
  expect(observed.lists.contactPages).toEqual([
    ['Ana-2', 'Zoë'],
    ['bea', 'cai'],
    ['dan', 'dee'],
    ['eli', 'eve'],
    ['fay', 'ian'],
  ])
  expect(observed.lists).toMatchObject({
    listed: ['heads', 'other'],
    searched: ['heads'],
    size: 9,
    removedContacts: ['cai'],
  })

  // Tasks by hand: listed by status and age; completing one twice keeps its first completion.
  expect(observed.tasks).toMatchObject({
    pending: ['mail/fay/Write a note'],
    completed: ['listed/Ana-2/Send the deck', 'listed/dan/Call Dan'],
    oldestFirst: ['listed/dan/Call Dan', 'listed/Ana-2/Send the deck'],
  })
  const [first, second, again] = observed.tasks.completedAt
  expect(typeof first).toBe('number')
  expect(second).toBe(first)
  expect(again).toBe(first)
}
