import { describe, expect, it } from 'vitest'
import { warmupProviderConformance } from '../../src/conformance'
import { sequence } from '../../src/index'
import { createMemoryWarmupProvider, type MemoryWarmupProvider, VirtualClock } from '../../src/testing'
import { fixture } from './engine-fixture'
import { identity, leadProfile, localTime } from './harness'

const ZONE = 'Europe/Madrid'
const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()
const inboxes = {
  email: {
    inboxes: [
      { address: 'ana@acme.io', limits: { perDay: 30, perHour: 10 } },
      { address: 'ana@acme.co', limits: { perDay: 30, perHour: 10 } },
    ],
  },
}

warmupProviderConformance({
  name: 'in-memory',
  create: () => createMemoryWarmupProvider({ clock: new VirtualClock('2026-03-02T08:00:00Z') }),
  inboxes: ['new@acme.io', 'other@acme.io'],
})

describe('warm-up', () => {
  it("excludes an inbox in warm-up from campaign mail (the default), while the identity's other inbox sends", async () => {
    let provider: MemoryWarmupProvider | undefined
    const { engine, email, runUntil } = await fixture({
      sequence: mail,
      identity: inboxes,
      leads: 0,
      launch: false,
      warmup: (clock) => {
        provider = createMemoryWarmupProvider({ clock })
        return provider
      },
    })
    const started = await engine.warmup.start('ana', 'ANA@acme.io')
    expect(started).toMatchObject({ address: 'ana@acme.io', state: 'warming', campaignMail: 'excluded' })
    await engine.leads.add(
      'c',
      Array.from({ length: 30 }, (_, n) => ({ id: `l${n}`, profile: leadProfile(`l${n}`) })),
    )
    await engine.campaigns.launch('c')
    await runUntil('2026-03-05T17:00:00Z')
    expect(email.sent.length).toBeGreaterThan(40)
    expect(email.sent.filter((message) => message.from.address === 'ana@acme.io')).toEqual([])
    expect((await engine.warmup.status('ana')).map((each) => [each.address, each.campaignMail])).toEqual([
      ['ana@acme.io', 'excluded'],
      ['ana@acme.co', 'not_held'],
    ])
    // The dashboard shows the inbox as warming.
    expect((await engine.analytics.identity('ana')).warmup).toEqual([
      { address: 'ana@acme.io', state: 'warming', campaignEmailsPerDay: 0 },
    ])
    // The provider is read while the engine runs, not on every send decision.
    const reads = provider?.calls.filter((call) => call.method === 'status').length ?? 0
    expect(reads).toBeGreaterThan(3)
    expect(reads).toBeLessThan(4 * 48)

    // Once it stops, new leads are given the inbox again.
    expect(await engine.warmup.stop('ana', 'ana@acme.io')).toMatchObject({
      state: 'off',
      campaignMail: 'not_held',
    })
    await engine.leads.add(
      'c',
      Array.from({ length: 10 }, (_, n) => ({ id: `m${n}`, profile: leadProfile(`m${n}`) })),
    )
    await runUntil('2026-03-06T17:00:00Z')
    expect(email.sent.filter((message) => message.from.address === 'ana@acme.io').length).toBeGreaterThan(0)
  })

  it('keeps campaign mail within the provider\'s daily allowance with the policy "limit", every local day', async () => {
    // The warm-up starts at local midnight, so the provider's days are the identity's days.
    const ramp = [0, 3, 5, 8]
    const { engine, email, runUntil } = await fixture({
      start: '2026-03-01T23:00:00Z',
      sequence: mail,
      identity: { email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 30, perHour: 10 } }] } },
      leads: 0,
      launch: false,
      settings: { warmupPolicy: 'limit' },
      warmup: (clock) => createMemoryWarmupProvider({ clock, campaignEmailsByDay: ramp }),
    })
    await engine.warmup.start('ana', 'ana@acme.io')
    await engine.leads.add(
      'c',
      Array.from({ length: 80 }, (_, n) => ({ id: `l${n}`, profile: leadProfile(`l${n}`) })),
    )
    await engine.campaigns.launch('c')
    await runUntil('2026-03-02T17:00:00Z')
    expect(email.sent).toEqual([])
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      substatus: 'identity_limits',
      reason: 'warming_up',
    })
    await runUntil('2026-03-07T17:00:00Z')
    const sends = (await engine.actions({ types: ['message-sent'] })).filter(
      (each) => each.channel === 'email',
    )
    expect(sends).toHaveLength(email.sent.length)
    const perDay = new Map<string, number>()
    for (const send of sends) {
      const date = localTime(send.at, ZONE).date
      perDay.set(date, (perDay.get(date) ?? 0) + 1)
    }
    const allowed: Record<string, number> = {
      '2026-03-02': 0,
      '2026-03-03': 3,
      '2026-03-04': 5,
      '2026-03-05': 8,
      '2026-03-06': 30, // ready: the inbox's own limit again
    }
    for (const [date, limit] of Object.entries(allowed)) {
      const sent = perDay.get(date) ?? 0
      expect(sent, date).toBeLessThanOrEqual(limit)
      if (limit > 0) expect(sent, date).toBeGreaterThan(0)
    }
  })

  it('keeps the last known allowance when the provider cannot be read, and refuses without a provider', async () => {
    let failing = false
    const { engine, email, runUntil } = await fixture({
      sequence: mail,
      identity: { email: { inboxes: [{ address: 'ana@acme.io' }] } },
      leads: 5,
      settings: { warmupPolicy: 'limit' },
      warmup: (clock) =>
        createMemoryWarmupProvider({
          clock,
          campaignEmailsByDay: [0, 0, 0, 0, 0],
          failStatus: () => failing,
        }),
    })
    await engine.warmup.start('ana', 'ana@acme.io')
    failing = true
    await runUntil('2026-03-10T17:00:00Z')
    // The provider would say "ready" by now, but it cannot be read: the inbox stays held.
    expect(email.sent).toEqual([])
    const [status] = await engine.warmup.status('ana')
    expect(status).toMatchObject({ state: 'warming', campaignMail: 'excluded' })
    expect(status?.message).toMatch(/could not be read/)
    failing = false
    await engine.warmup.refresh()
    await runUntil('2026-03-11T17:00:00Z')
    expect(email.sent.length).toBeGreaterThan(0)

    const bare = await fixture({ sequence: mail })
    await expect(bare.engine.warmup.start('ana', 'ana@acme.example')).rejects.toMatchObject({
      code: 'warmup_not_configured',
    })
    await expect(engine.warmup.start('ana', 'nobody@acme.io')).rejects.toMatchObject({ code: 'not_found' })
    await expect(engine.warmup.start('ana', 'not an address')).rejects.toMatchObject({
      code: 'invalid_options',
    })
    expect(identity({ id: 'x' }).email?.inboxes).toHaveLength(1)
  })
})
