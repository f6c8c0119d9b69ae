import { describe, expect, it } from 'vitest'
import { sequence } from '../../src/index'
import { simulate } from '../../src/testing'
import { actionsOf, identity, leadProfile } from './harness'

const connectOnly = sequence().sendConnection({ id: 'connect' }).build()

describe('priority among waiting LinkedIn actions', () => {
  it('gives a high-priority campaign the invitations before a low-priority one when capacity is short', async () => {
    const leads = ['low', 'high'].flatMap((campaignId) =>
      Array.from({ length: 15 }, (_, n) => ({
        id: `${campaignId}-${n}`,
        campaignId,
        profile: leadProfile(`${campaignId}-${n}`),
      })),
    )
    const result = await simulate({
      start: '2026-03-02T06:00:00Z',
      days: 1,
      identities: [identity({ id: 'ana', linkedin: { accountId: 'li', limits: { connectionsPerDay: 10 } } })],
      campaigns: [
        { id: 'low', identityId: 'ana', priority: 'low', sequence: connectOnly },
        { id: 'high', identityId: 'ana', priority: 'high', sequence: connectOnly },
      ],
      leads,
    })
    const invitations = actionsOf(result.events, 'ana', 'send_connection')
    expect(invitations).toHaveLength(10)
    expect(invitations.every((event) => event.campaignId === 'high')).toBe(true)
  })

  it('sends first to the lead who has already received more LinkedIn messages', async () => {
    const chat = sequence()
      .linkedinMessage({ id: 'm1', body: 'one' })
      .linkedinMessage({ id: 'm2', body: 'two' })
      .linkedinMessage({ id: 'm3', body: 'three' })
      .build()
    const result = await simulate({
      start: '2026-03-02T06:00:00Z',
      days: 1,
      identities: [identity({ id: 'ana', linkedin: { accountId: 'li', limits: { messagesPerDay: 10 } } })],
      campaigns: [{ id: 'chat', identityId: 'ana', sequence: chat }],
      leads: Array.from({ length: 20 }, (_, n) => ({
        id: `l${n}`,
        campaignId: 'chat',
        profile: leadProfile(`l${n}`),
      })),
    })
    const messages = actionsOf(result.events, 'ana', 'linkedin_message')
    expect(messages).toHaveLength(10)
    // Depth first: each lead's conversation moves on before a new one starts.
    expect(messages.map((event) => event.stepId)).toEqual([
      'm1',
      'm2',
      'm3',
      'm1',
      'm2',
      'm3',
      'm1',
      'm2',
      'm3',
      'm1',
    ])
    expect(new Set(messages.map((event) => event.leadId)).size).toBe(4)
  })

  it('puts message depth before campaign priority', async () => {
    const twoStep = sequence()
      .linkedinMessage({ id: 'm1', body: 'one' })
      .linkedinMessage({ id: 'm2', delay: { hours: 12 }, body: 'two' })
      .build()
    const oneStep = sequence().linkedinMessage({ id: 'm1', body: 'one' }).build()
    const result = await simulate({
      start: '2026-03-02T06:00:00Z',
      days: 2,
      identities: [identity({ id: 'ana', linkedin: { accountId: 'li', limits: { messagesPerDay: 4 } } })],
      campaigns: [
        { id: 'low', identityId: 'ana', priority: 'low', sequence: twoStep },
        // Starts on Tuesday morning, when the low campaign's second messages are due too.
        {
          id: 'high',
          identityId: 'ana',
          priority: 'high',
          sequence: oneStep,
          startAt: '2026-03-03T06:00:00Z',
        },
      ],
      leads: [
        ...Array.from({ length: 2 }, (_, n) => ({
          id: `low-${n}`,
          campaignId: 'low',
          profile: leadProfile(`low-${n}`),
        })),
        ...Array.from({ length: 10 }, (_, n) => ({
          id: `high-${n}`,
          campaignId: 'high',
          profile: leadProfile(`high-${n}`),
        })),
      ],
    })
    const tuesday = actionsOf(result.events, 'ana', 'linkedin_message').filter((event) =>
      event.at.startsWith('2026-03-03'),
    )
    expect(tuesday.map((event) => `${event.campaignId}:${event.stepId}`)).toEqual([
      'low:m2',
      'low:m2',
      'high:m1',
      'high:m1',
    ])
  })

  it('breaks ties with the seed: the same seed gives the same order, another seed another order', async () => {
    const run = (seed: number) =>
      simulate({
        start: '2026-03-02T06:00:00Z',
        days: 1,
        seed,
        identities: [
          identity({ id: 'ana', linkedin: { accountId: 'li', limits: { connectionsPerDay: 8 } } }),
        ],
        campaigns: [{ id: 'c', identityId: 'ana', sequence: connectOnly }],
        leads: Array.from({ length: 40 }, (_, n) => ({
          id: `l${n}`,
          campaignId: 'c',
          profile: leadProfile(`l${n}`),
        })),
      })
    const order = (result: Awaited<ReturnType<typeof run>>) =>
      actionsOf(result.events, 'ana').map((event) => `${event.at} ${event.leadId}`)
    const [first, again, other] = await Promise.all([run(1), run(1), run(2)])
    expect(order(first)).toEqual(order(again))
    expect(first).toEqual(again)
    const leadsOf = (result: Awaited<ReturnType<typeof run>>) =>
      actionsOf(result.events, 'ana').map((event) => event.leadId)
    expect(leadsOf(other)).not.toEqual(leadsOf(first))
  })

  it('orders waiting emails the same way (campaign priority)', async () => {
    const mail = sequence().email({ id: 'e', subject: 'Hi', body: 'Hello' }).build()
    const result = await simulate({
      start: '2026-03-02T06:00:00Z',
      days: 1,
      identities: [
        identity({
          id: 'ana',
          email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 5, perHour: 5 } }] },
        }),
      ],
      campaigns: [
        { id: 'low', identityId: 'ana', priority: 'low', sequence: mail },
        { id: 'high', identityId: 'ana', priority: 'high', sequence: mail },
      ],
      leads: ['low', 'high'].flatMap((campaignId) =>
        Array.from({ length: 6 }, (_, n) => ({
          id: `${campaignId}-${n}`,
          campaignId,
          profile: leadProfile(`${campaignId}-${n}`),
        })),
      ),
    })
    const emails = actionsOf(result.events, 'ana', 'email')
    expect(emails).toHaveLength(5)
    expect(emails.every((event) => event.campaignId === 'high')).toBe(true)
  })
})
