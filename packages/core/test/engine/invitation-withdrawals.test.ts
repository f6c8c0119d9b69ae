import { describe, expect, it } from 'vitest'
import type { Engine, SequenceInput } from '../../src/index'
import type { LinkedInOutcome } from '../../src/ports'
import { createMemoryStorage, type LinkedInCall } from '../../src/testing'
import { retryingStorage } from '../storage/retrying-storage'
import { refusal } from '../test-helpers'
import { fixture } from './engine-fixture'
import { insideWindows, localTime, minGap } from './harness'

const DAY = 86_400_000
const MINUTE = 60_000

/** Invite; thank on acceptance within 30 days, otherwise write an email. */
const sequence: SequenceInput = {
  version: 1,
  start: 'connect',
  steps: {
    connect: { kind: 'send_connection', next: 'accepted' },
    accepted: {
      kind: 'condition',
      if: { type: 'connection_accepted', withinDays: 30 },
      then: 'thanks',
      else: 'mail',
    },
    thanks: { kind: 'linkedin_message', body: 'Thanks for connecting', next: null },
    mail: { kind: 'email', subject: 'Quick question', body: 'Hi {{firstName}}', next: null },
  },
}

const withdrawCalls = (calls: readonly LinkedInCall[]) =>
  calls.filter((call) => call.method === 'withdrawInvitation')

/** Every page of a list, following `next`. */
async function everything<T>(
  read: (after: string | undefined) => Promise<{ items: readonly T[]; next?: string }>,
): Promise<T[]> {
  const all: T[] = []
  let after: string | undefined
  do {
    const page = await read(after)
    all.push(...page.items)
    after = page.next
  } while (after !== undefined)
  return all
}

const pendingOf = (engine: Engine) =>
  everything((after) =>
    engine.invitations.pending({ identityId: 'ana', limit: 2, ...(after === undefined ? {} : { after }) }),
  )
const historyOf = (engine: Engine) =>
  everything((after) =>
    engine.invitations.history({ identityId: 'ana', limit: 2, ...(after === undefined ? {} : { after }) }),
  )

describe('withdrawing invitations by hand', () => {
  it.each([
    ['the memory store', () => createMemoryStorage()],
    // A store may run a transaction's callback again (serialization conflicts): nothing may happen twice.
    ['a store that runs every write transaction twice', () => retryingStorage(createMemoryStorage())],
  ])(
    'withdraws the chosen invitations through the channel, paced in working hours, once each (%s)',
    async (_, storage) => {
      const f = await fixture({ sequence, leads: 5, storage: storage() })
      // Monday: the five invitations go out.
      await f.runUntil('2026-03-02T18:00:00Z')
      expect(f.linkedin.calls.filter((call) => call.method === 'sendInvitation')).toHaveLength(5)
      const pending = await pendingOf(f.engine)
      expect(pending.map((invitation) => invitation.leadId).sort()).toEqual(['l0', 'l1', 'l2', 'l3', 'l4'])
      expect(pending.every((invitation) => invitation.withdrawal === undefined)).toBe(true)

      // Thursday evening, after working hours: nothing is withdrawn before Friday morning.
      f.clock.set('2026-03-05T19:30:00Z')
      const asked = await f.engine.invitations.withdraw({ identityId: 'ana', olderThanDays: 2 })
      expect([...asked.queued].sort()).toEqual(['l0', 'l1', 'l2', 'l3', 'l4'])
      expect(asked.alreadyQueued).toEqual([])
      // Asked again before they are carried out: nothing is queued twice.
      const again = await f.engine.invitations.withdraw({
        identityId: 'ana',
        leadIds: ['l0', 'l1', 'nobody'],
      })
      expect(again).toEqual({
        queued: [],
        alreadyQueued: ['l0', 'l1'],
        skipped: [{ leadId: 'nobody', why: 'not_pending' }],
      })
      const waiting = await pendingOf(f.engine)
      expect(
        waiting.every((invitation) => invitation.withdrawal?.requestedAt === '2026-03-05T19:30:00.000Z'),
      ).toBe(true)

      await f.runUntil('2026-03-06T18:00:00Z')
      const calls = withdrawCalls(f.linkedin.calls)
      expect(calls.map((call) => call.target.leadId).sort()).toEqual(['l0', 'l1', 'l2', 'l3', 'l4'])
      const withdrawals = (await f.engine.actions()).filter((event) => event.type === 'invitation-withdrawn')
      expect(withdrawals).toHaveLength(5)
      const times = withdrawals.map((event) => Date.parse(event.at))
      // The withdrawal lane's gap (2 minutes), inside Friday's working hours in Madrid.
      expect(minGap(times)).toBeGreaterThanOrEqual(2 * MINUTE)
      for (const event of withdrawals) {
        const local = localTime(event.at, 'Europe/Madrid')
        expect(local.date).toBe('2026-03-06')
        expect(insideWindows(local.minute, [{ start: '09:00', end: '18:00' }])).toBe(true)
      }
      expect(await pendingOf(f.engine)).toEqual([])

      // The history: newest first, every one manual, with when the invitation had been sent.
      const history = await historyOf(f.engine)
      expect(history.map((entry) => entry.at)).toEqual(
        [...withdrawals].map((event) => event.at).sort((a, b) => b.localeCompare(a)),
      )
      expect(history.every((entry) => entry.reason === 'manual' && entry.identityId === 'ana')).toBe(true)
      expect(history.every((entry) => entry.invitedAt?.startsWith('2026-03-02'))).toBe(true)

      // The leads took their "not accepted" branch: an email, not a LinkedIn message.
      await f.runUntil('2026-03-09T18:00:00Z')
      expect(f.email.sent.map((message) => message.to.address).sort()).toEqual(
        ['l0', 'l1', 'l2', 'l3', 'l4'].map((leadId) => `${leadId}@corp.example`),
      )
      expect(f.linkedin.calls.filter((call) => call.method === 'sendMessage')).toEqual([])

      // A third request finds nothing pending: the channel is not called again.
      const late = await f.engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0', 'l3'] })
      expect(late.queued).toEqual([])
      expect(late.skipped).toEqual([
        { leadId: 'l0', why: 'not_pending' },
        { leadId: 'l3', why: 'not_pending' },
      ])
      await f.runUntil('2026-03-10T18:00:00Z')
      expect(withdrawCalls(f.linkedin.calls)).toHaveLength(5)
      await f.engine.close()
    },
  )

  it('chooses by lead and by when the invitation was sent', async () => {
    const f = await fixture({ sequence, leads: 3 })
    await f.runUntil('2026-03-02T18:00:00Z')
    const sent = Object.fromEntries(
      (await pendingOf(f.engine)).map((invitation) => [invitation.leadId, invitation.invitedAt]),
    )
    const middle = Object.values(sent).sort()[1] as string
    f.clock.set('2026-03-03T10:00:00Z')
    const before = await f.engine.invitations.withdraw({
      identityId: 'ana',
      leadIds: ['l0', 'l1', 'l2'],
      sentBefore: middle,
    })
    // The second invitation was sent at `middle` itself: not before it.
    const earlier = Object.keys(sent).filter((leadId) => (sent[leadId] as string) < middle)
    expect(earlier.length).toBeGreaterThan(0)
    expect(before.queued).toEqual(earlier)
    expect(before.skipped).toEqual(
      ['l0', 'l1', 'l2']
        .filter((leadId) => !earlier.includes(leadId))
        .map((leadId) => ({ leadId, why: 'too_recent' })),
    )
    await f.runUntil('2026-03-03T18:00:00Z')
    expect(withdrawCalls(f.linkedin.calls).map((call) => call.target.leadId)).toEqual(earlier)
    // A lead given twice is asked once.
    const twice = await f.engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l2', 'l2'] })
    expect(twice.queued).toEqual(['l2'])
    await f.engine.close()
  })

  it('leaves an invitation pending when the channel fails: retried in an hour, or given up with its reason', async () => {
    let failures = 0
    const f = await fixture({
      sequence,
      leads: 2,
      linkedin: {
        respond: (call): LinkedInOutcome | undefined => {
          if (call.method !== 'withdrawInvitation') return undefined
          if (call.target.leadId === 'l1')
            return { ok: false, reason: 'unsupported', message: 'this provider cannot withdraw' }
          if (call.target.leadId === 'l0' && failures++ === 0)
            return { ok: false, reason: 'transient', message: 'provider hiccup' }
          return undefined
        },
      },
    })
    await f.runUntil('2026-03-02T18:00:00Z')
    f.clock.set('2026-03-03T09:00:00Z')
    await f.engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0', 'l1'] })
    await f.runUntil('2026-03-03T09:10:00Z')
    const first = withdrawCalls(f.linkedin.calls)
    expect(first.map((call) => call.target.leadId).sort()).toEqual(['l0', 'l1'])
    const failed = Object.fromEntries((await pendingOf(f.engine)).map((each) => [each.leadId, each]))
    // Neither is withdrawn; l0 is tried again in an hour, l1 is given up.
    expect(failed.l0?.withdrawalFailure).toMatchObject({ reason: 'transient', retrying: true })
    expect(failed.l0?.withdrawal?.dueAt).toBe(
      new Date(Date.parse(failed.l0?.withdrawalFailure?.at ?? '') + 3_600_000).toISOString(),
    )
    expect(failed.l1?.withdrawalFailure).toMatchObject({
      reason: 'unsupported',
      message: 'this provider cannot withdraw',
      retrying: false,
    })
    expect(failed.l1?.withdrawal).toBeUndefined()
    expect(await historyOf(f.engine)).toEqual([])

    await f.runUntil('2026-03-03T12:00:00Z')
    const calls = withdrawCalls(f.linkedin.calls)
    expect(calls.map((call) => call.target.leadId).sort()).toEqual(['l0', 'l0', 'l1'])
    // The retry names the same attempt.
    const keys = calls
      .filter((call) => call.target.leadId === 'l0')
      .map((call) => call.request.idempotencyKey)
    expect(new Set(keys).size).toBe(1)
    const history = await historyOf(f.engine)
    expect(history.map((entry) => [entry.leadId, entry.reason])).toEqual([['l0', 'manual']])
    expect(Date.parse(history[0]?.at ?? '')).toBeGreaterThanOrEqual(
      Date.parse(failed.l0?.withdrawalFailure?.at ?? '') + 3_600_000,
    )
    const left = await pendingOf(f.engine)
    expect(left.map((each) => each.leadId)).toEqual(['l1'])
    await f.engine.close()
  })

  it('does not withdraw an invitation accepted while it waited for its turn', async () => {
    const f = await fixture({ sequence, leads: 1 })
    await f.runUntil('2026-03-02T18:00:00Z')
    f.clock.set('2026-03-02T20:00:00Z')
    expect((await f.engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0'] })).queued).toEqual([
      'l0',
    ])
    await f.engine.ingest({ type: 'connection-accepted', identityId: 'ana', lead: { leadId: 'l0' } })
    await f.runUntil('2026-03-03T18:00:00Z')
    expect(withdrawCalls(f.linkedin.calls)).toEqual([])
    expect(await historyOf(f.engine)).toEqual([])
    expect(f.linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1)
    await f.engine.close()
  })

  it('lists automatic, manual and external withdrawals together, newest first', async () => {
    const f = await fixture({
      sequence,
      leads: 4,
      identity: { linkedin: { accountId: 'li-ana', autoWithdrawAfterDays: 7 } },
    })
    await f.runUntil('2026-03-02T18:00:00Z')
    f.clock.set('2026-03-04T10:00:00Z')
    await f.engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0'] })
    await f.runUntil('2026-03-04T12:00:00Z')
    await f.engine.ingest({ type: 'invitation-withdrawn', identityId: 'ana', lead: { leadId: 'l1' } })
    // l2 and l3 are withdrawn automatically after 7 days.
    await f.runUntil('2026-03-10T18:00:00Z')
    const history = await historyOf(f.engine)
    expect(history.map((entry) => entry.reason)).toEqual(['automatic', 'automatic', 'external', 'manual'])
    expect(history.map((entry) => entry.leadId).slice(2)).toEqual(['l1', 'l0'])
    expect(history[3]?.at.startsWith('2026-03-04')).toBe(true)
    for (const entry of history.slice(0, 2))
      expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(Date.parse('2026-03-09T08:00:00Z'))
    // The automatic ones went through the same channel call.
    expect(
      withdrawCalls(f.linkedin.calls)
        .map((call) => call.target.leadId)
        .sort(),
    ).toEqual(['l0', 'l2', 'l3'])
    // A cursor belongs to its list.
    const page = await f.engine.invitations.history({ identityId: 'ana', limit: 1 })
    expect(page.next).toBeDefined()
    const misuse = await refusal(
      f.engine.invitations.pending({ identityId: 'ana', after: page.next as string }),
    )
    expect(misuse.code).toBe('invalid_query')
    await f.engine.close()
  })

  it('refuses requests that choose nothing or cannot work, naming the field', async () => {
    const f = await fixture({ sequence, leads: 1 })
    const none = await refusal(f.engine.invitations.withdraw({ identityId: 'ana' }))
    expect(none.code).toBe('invalid_withdrawal')
    expect(none.message).toMatch(/leadIds.*sentBefore.*olderThanDays/)
    const both = await refusal(
      f.engine.invitations.withdraw({
        identityId: 'ana',
        olderThanDays: 3,
        sentBefore: '2026-03-01T00:00:00Z',
      }),
    )
    expect(both.issues.map((each) => each.field)).toEqual(['olderThanDays'])
    const many = await refusal(
      f.engine.invitations.withdraw({
        identityId: 'ana',
        leadIds: Array.from({ length: 1001 }, (_, n) => `l${n}`),
      }),
    )
    expect(many.issues[0]?.field).toBe('leadIds')
    const badDays = await refusal(f.engine.invitations.withdraw({ identityId: 'ana', olderThanDays: 0 }))
    expect(badDays.issues[0]?.field).toBe('olderThanDays')
    const unknown = await refusal(f.engine.invitations.withdraw({ identityId: 'bob', olderThanDays: 3 }))
    expect(unknown.code).toBe('not_found')
    expect((await refusal(f.engine.invitations.history({ identityId: 'bob' }))).code).toBe('not_found')
    await f.engine.identities.put({
      id: 'mail-only',
      name: 'Mail only',
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: 'mail-only@acme.example' }] },
    })
    const noLinkedIn = await refusal(
      f.engine.invitations.withdraw({ identityId: 'mail-only', olderThanDays: 3 }),
    )
    expect(noLinkedIn.code).toBe('identity_missing_channel')
    await f.engine.close()
  })
})

describe('withdrawals and the 3-week wait', () => {
  it('a lead invited again after a manual withdrawal waits out the cooldown', async () => {
    const reinvite: SequenceInput = {
      version: 1,
      start: 'connect',
      steps: {
        connect: { kind: 'send_connection', next: 'accepted' },
        accepted: {
          kind: 'condition',
          if: { type: 'connection_accepted', withinDays: 30 },
          then: null,
          else: 'again',
        },
        again: { kind: 'send_connection', next: null },
      },
    }
    const f = await fixture({ sequence: reinvite, leads: 1 })
    await f.runUntil('2026-03-02T18:00:00Z')
    f.clock.set('2026-03-03T10:00:00Z')
    await f.engine.invitations.withdraw({ identityId: 'ana', leadIds: ['l0'] })
    await f.runUntil('2026-03-20T18:00:00Z')
    const view = await f.engine.leads.get('c', 'l0')
    expect(view.substatus).toBe('connection_withdrawn')
    const [withdrawn] = await historyOf(f.engine)
    await f.runUntil('2026-03-30T18:00:00Z')
    const invitations = f.linkedin.calls.filter((call) => call.method === 'sendInvitation')
    expect(invitations).toHaveLength(2)
    const second = (await f.engine.actions()).filter((event) => event.action === 'send_connection')[1]
    expect(Date.parse(second?.at ?? '') - Date.parse(withdrawn?.at ?? '')).toBeGreaterThanOrEqual(21 * DAY)
    await f.engine.close()
  })
})
