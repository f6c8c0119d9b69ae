import { describe, expect, it } from 'vitest'
import { idempotencyKey, sequence } from '../../src/index'
import type { StorageV1 } from '../../src/ports'
import { createMemoryStorage } from '../../src/testing'
import { fixture } from './engine-fixture'

const message = sequence()
  .linkedinMessage({ id: 'hello', body: 'Hello {{firstName}}' })
  .linkedinMessage({ id: 'again', delay: { days: 1 }, body: 'Again' })
  .build()
const mail = sequence()
  .email({ id: 'intro', subject: 'Hi', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()

describe('at most once', () => {
  it('a channel that throws after the claim leaves the lead in "delivery unknown" and never sends again', async () => {
    let calls = 0
    const { engine, linkedin, runUntil } = await fixture({
      sequence: message,
      linkedin: {
        respond: (call) => {
          if (call.method !== 'sendMessage') return undefined
          calls++
          throw new Error('socket hang up after the request was written')
        },
      },
    })
    await runUntil('2026-03-06T18:00:00Z')
    expect(calls).toBe(1)
    expect(linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1)
    const lead = await engine.leads.get('c', 'l0')
    expect(lead).toMatchObject({ status: 'error', substatus: 'delivery_unknown', stepId: 'hello' })
    const log = await engine.actions({ leadId: 'l0', types: ['delivery-unknown'] })
    expect(log).toHaveLength(1)
  })

  it('an email whose connection drops after DATA is "delivery unknown", and not resent', async () => {
    const { engine, email, runUntil } = await fixture({
      sequence: mail,
      email: {
        respond: () => ({ ok: false, reason: 'delivery_unknown', message: 'connection closed after DATA' }),
      },
    })
    await runUntil('2026-03-06T18:00:00Z')
    expect(email.attempts).toHaveLength(1)
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'error',
      substatus: 'delivery_unknown',
    })
  })

  it('after "retry errors", a person-approved retry reuses the same idempotency key, once', async () => {
    let failFirst = true
    const { engine, email, runUntil, clock } = await fixture({
      sequence: mail,
      email: {
        respond: () => {
          if (!failFirst) return undefined
          failFirst = false
          return { ok: false, reason: 'delivery_unknown', message: 'timeout' }
        },
      },
    })
    await runUntil('2026-03-02T18:00:00Z')
    expect(email.attempts).toHaveLength(1)
    const { retried } = await engine.leads.retryErrors(['l0'])
    expect(retried).toEqual([{ campaignId: 'c', leadId: 'l0' }])
    await runUntil(clock.now() + 4 * 86_400_000)
    const keys = email.attempts.map((message) => message.idempotencyKey)
    expect(keys[0]).toBe(keys[1])
    expect(keys[0]).toBe(idempotencyKey('default', 'c', 'l0', 'intro'))
    expect(email.sent.map((message) => message.subject)).toEqual(['Hi', 'Re: Hi'])
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'finished', substatus: 'no_response' })
  })

  it('a worker that dies after sending but before recording leaves the send to "delivery unknown"; another worker never resends', async () => {
    const shared = createMemoryStorage()
    let died = false
    // The first worker's process dies right after the provider accepted the message: its next write fails.
    const dying: StorageV1 = {
      specificationVersion: 'v1',
      transaction: (workspace, work, options) =>
        died ? Promise.reject(new Error('process killed')) : shared.transaction(workspace, work, options),
    }
    const first = await fixture({
      sequence: message,
      storage: dying,
      workerId: 'first',
      linkedin: {
        respond: (call) => {
          if (call.method === 'sendMessage') died = true
          return undefined
        },
      },
    })
    let crash: unknown
    for (let round = 0; round < 100 && crash === undefined; round++) {
      try {
        const report = await first.engine.tick()
        if (report.nextWakeAt !== undefined) first.clock.set(report.nextWakeAt)
      } catch (error) {
        crash = error
      }
    }
    expect(String(crash)).toContain('process killed')
    expect(first.linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1)

    // A second worker on the same store, 15 minutes later: the first worker's claim lease has run out.
    const second = await fixture({
      sequence: message,
      storage: shared,
      workerId: 'second',
      start: '2026-03-02T08:20:00Z',
    })
    await second.runUntil('2026-03-06T18:00:00Z')
    expect(second.linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(0)
    expect(await second.engine.leads.get('c', 'l0')).toMatchObject({
      status: 'error',
      substatus: 'delivery_unknown',
    })
  })

  it('a second worker does not touch an identity while the first one holds its lease', async () => {
    const shared = createMemoryStorage()
    const first = await fixture({ sequence: message, storage: shared, workerId: 'first', leads: 3 })
    await first.engine.tick()
    const second = await fixture({ sequence: message, storage: shared, workerId: 'second', leads: 3 })
    second.clock.set(first.clock.now() + 60_000)
    const report = await second.engine.tick()
    expect(report.executed).toBe(0)
    expect(second.linkedin.calls).toHaveLength(0)
  })

  it('two workers sharing a store never send a (lead, step) twice and keep the daily limit together', async () => {
    const shared = createMemoryStorage()
    const options = {
      sequence: message,
      storage: shared,
      leads: 40,
      identity: { linkedin: { accountId: 'li-ana', limits: { messagesPerDay: 12 } } },
      settings: { identityLeaseMs: 60_000 },
    }
    const a = await fixture({ ...options, workerId: 'a' })
    const b = await fixture({ ...options, workerId: 'b' })
    // The workers take turns with gaps longer than the lease, so the identity changes hands all day.
    for (let minute = 0; minute < 3 * 24 * 60; minute += 7) {
      const at = Date.parse('2026-03-02T08:00:00Z') + minute * 60_000
      const worker = minute % 14 === 0 ? a : b
      worker.clock.set(at)
      await worker.engine.tick()
    }
    const sends = [...a.linkedin.calls, ...b.linkedin.calls].filter((call) => call.method === 'sendMessage')
    expect(a.linkedin.calls.length).toBeGreaterThan(0)
    expect(b.linkedin.calls.length).toBeGreaterThan(0)
    const keys = sends.map((call) => String(call.request.idempotencyKey))
    expect(new Set(keys).size).toBe(keys.length)
    const perDay = new Map<string, number>()
    for (const event of await a.engine.actions({ types: ['message-sent'] })) {
      const day = event.at.slice(0, 10)
      perDay.set(day, (perDay.get(day) ?? 0) + 1)
    }
    expect([...perDay.values()].every((count) => count <= 12)).toBe(true)
    expect(perDay.get('2026-03-02')).toBe(12)
  })
})
