import { describe, expect, it } from 'vitest'
import { isPermanentRejection, PacelineError, sequence } from '../../src/index'
import type { InboundEvent, StorageV1 } from '../../src/ports'
import { createMemoryStorage } from '../../src/testing'
import { fixture } from './engine-fixture'

const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()

/** A store that fails every transaction while `down` is set, like a database that went away. */
function flakyStorage(): StorageV1 & { down: boolean } {
  const inner = createMemoryStorage()
  const flaky = {
    specificationVersion: 'v1' as const,
    down: false,
    transaction: ((workspace, work, options) => {
      if (flaky.down) return Promise.reject(new Error('connection refused'))
      return inner.transaction(workspace, work, options)
    }) as StorageV1['transaction'],
  }
  return flaky
}

const poison = {
  type: 'reply-received',
  channel: 'email',
  lead: { email: 'l0@corp.example', messageId: `<${'x'.repeat(1200)}@spam.example>` },
  eventId: 'email:poison',
} as InboundEvent

describe('inbound events a channel delivers', () => {
  it('records an event refused for good as a dead letter and rejects permanently, so the channel moves on', async () => {
    const { engine, email, clock } = await fixture({ sequence: mail })
    engine.start()
    const rejection = await email.deliver(poison).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isPermanentRejection(rejection)).toBe(true)
    const id = (rejection as PacelineError).details.deadLetterId as string
    expect(id).toMatch(/^dead-letter:/)

    const page = await engine.deadLetters.list()
    expect(page.items).toHaveLength(1)
    const [letter] = page.items
    expect(letter).toMatchObject({
      id,
      at: new Date(clock.now()).toISOString(),
      source: 'email',
      truncated: false,
      error: { code: 'invalid_event', issues: [expect.objectContaining({ field: 'lead.messageId' })] },
    })
    expect(JSON.parse(letter?.payload ?? '{}')).toEqual(poison)
    expect(await engine.deadLetters.get(id)).toEqual(letter)
    // Nothing else happened: the lead is untouched, nothing was logged.
    expect((await engine.leads.get('c', 'l0')).status).not.toBe('replied')
    expect(await engine.actions({ types: ['reply-received'] })).toEqual([])

    // A valid reply after it is applied as usual.
    await email.deliver({ type: 'reply-received', channel: 'email', lead: { email: 'l0@corp.example' } })
    expect((await engine.leads.get('c', 'l0')).status).toBe('replied')
    await engine.close()
  })

  it('passes a transient failure on as it is (not permanent, no dead letter), so the channel keeps the event', async () => {
    const storage = flakyStorage()
    const { engine, email } = await fixture({ sequence: mail, storage })
    engine.start()
    storage.down = true
    const rejection = await email
      .deliver({ type: 'reply-received', channel: 'email', lead: { email: 'l0@corp.example' } })
      .then(
        () => undefined,
        (error: unknown) => error,
      )
    expect(rejection).toBeInstanceOf(PacelineError)
    expect(isPermanentRejection(rejection)).toBe(false)
    expect(rejection).toMatchObject({ code: 'storage_failed', isRetryable: true })
    // A refused event while the store is down is not lost either: recording it fails, so it is transient.
    const poisoned = await email.deliver(poison).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isPermanentRejection(poisoned)).toBe(false)
    storage.down = false
    expect((await engine.deadLetters.list()).items).toEqual([])
    await email.deliver({ type: 'reply-received', channel: 'email', lead: { email: 'l0@corp.example' } })
    expect((await engine.leads.get('c', 'l0')).status).toBe('replied')
    await engine.close()
  })

  it('pages dead letters newest first, keeps one per payload and instant, truncates huge payloads, and discards', async () => {
    const { engine, clock } = await fixture({ sequence: mail })
    const deliver = (event: unknown) => engine.effect.deliver('linkedin', event as InboundEvent)
    const { Effect } = await import('effect')
    const run = (event: unknown) => Effect.runPromise(Effect.flip(deliver(event)))
    await run({ type: 'connection-accepted', identityId: 'ana', lead: {}, eventId: 'a' })
    await run({ type: 'connection-accepted', identityId: 'ana', lead: {}, eventId: 'a' })
    clock.advance(1000)
    await run({ type: 'task-completed', taskId: '' })
    clock.advance(1000)
    await run({ type: 'reply-received', channel: 'linkedin', text: 'y'.repeat(2_000_000) })

    const first = await engine.deadLetters.list({ limit: 2 })
    expect(first.items.map((each) => each.truncated)).toEqual([true, false])
    expect(first.items[0]?.payload.length).toBe(64 * 1024)
    expect(first.items[1]?.payload).toBe('{"type":"task-completed","taskId":""}')
    expect(first.next).toBe(first.items[1]?.id)
    const second = await engine.deadLetters.list({ limit: 2, before: first.next as string })
    expect(second.items.map((each) => each.source)).toEqual(['linkedin'])
    expect(JSON.parse(second.items[0]?.payload ?? '{}')).toMatchObject({ eventId: 'a' })
    expect(second.next).toBeUndefined()

    await engine.deadLetters.discard(second.items[0]?.id as string)
    expect((await engine.deadLetters.list()).items).toHaveLength(2)
    await expect(engine.deadLetters.list({ limit: 0 })).rejects.toMatchObject({ code: 'invalid_query' })
    expect(await engine.deadLetters.get('not-a-dead-letter')).toBeUndefined()
    await engine.close()
  })

  it('a host calling engine.ingest itself gets the refusal and no dead letter', async () => {
    const { engine } = await fixture({ sequence: mail })
    await expect(engine.ingest(poison)).rejects.toMatchObject({ code: 'invalid_event' })
    expect((await engine.deadLetters.list()).items).toEqual([])
    await engine.close()
  })
})

describe('spam complaints', () => {
  it('finish the lead on every campaign, blocklist it for the workspace and count against the inbox', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, leads: 2 })
    await runUntil('2026-03-02T12:00:00Z')
    const sent = email.sent.find((message) => message.to.address === 'l0@corp.example')
    expect(sent).toBeDefined()
    const complaint: InboundEvent = {
      type: 'complaint-received',
      channel: 'email',
      lead: { messageId: sent?.messageId as string },
      inbox: 'ANA@acme.example',
      feedbackType: 'abuse',
      eventId: 'email:<arf-1@feedback.example>',
    }
    expect(await engine.ingest(complaint)).toMatchObject({
      matched: true,
      affected: [{ campaignId: 'c', leadId: 'l0' }],
    })
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'finished', substatus: 'blocked' })
    expect((await engine.leads.get('c', 'l1')).status).toBe('in_progress')
    expect(await engine.actions({ types: ['complaint-received'] })).toEqual([
      expect.objectContaining({
        leadId: 'l0',
        campaignId: 'c',
        inbox: 'ana@acme.example',
        detail: { blocklisted: true, feedbackType: 'abuse' },
      }),
    ])
    // The same report delivered again changes nothing and is not counted twice.
    expect(await engine.ingest(complaint)).toMatchObject({ duplicate: true })
    expect(await engine.identities.complaints('ana')).toEqual([
      { inbox: 'ana@acme.example', count: 1, lastAt: Date.parse('2026-03-02T12:00:00Z') },
    ])

    // No campaign of the workspace may enrol the lead again, under its id or another one with its email.
    await engine.campaigns.create({ id: 'other', identityId: 'ana', sequence: mail })
    const again = await engine.leads.add('other', [
      { id: 'l0', profile: { firstName: 'Again', professionalEmail: 'l0@corp.example' } },
      { id: 'renamed', profile: { firstName: 'New id', professionalEmail: 'L0@corp.example' } },
      { id: 'fresh', profile: { firstName: 'Fresh', professionalEmail: 'fresh@corp.example' } },
    ])
    expect(again.added).toEqual(['fresh'])
    expect(again.skipped.map((each) => [each.leadId, each.code])).toEqual([
      ['l0', 'lead_blocklisted'],
      ['renamed', 'lead_blocklisted'],
    ])
    expect(again.skipped[0]?.message).toMatch(/reported a message as spam on 2026-03-02/)
    // Its follow-up never goes out.
    await runUntil('2026-03-05T12:00:00Z')
    expect(email.sent.filter((message) => message.to.address === 'l0@corp.example')).toHaveLength(1)
    await engine.close()
  })

  it('from an unknown sender still counts against the inbox', async () => {
    const { engine } = await fixture({ sequence: mail })
    expect(
      await engine.ingest({
        type: 'complaint-received',
        channel: 'email',
        lead: { email: 'stranger@elsewhere.example' },
        inbox: 'ana@acme.example',
      }),
    ).toMatchObject({ matched: true, affected: [] })
    expect((await engine.identities.complaints('ana'))[0]?.count).toBe(1)
    expect(
      await engine.ingest({ type: 'complaint-received', channel: 'email', lead: { email: 'x@y.example' } }),
    ).toMatchObject({ matched: false })
    await engine.close()
  })
})

describe('lead data that would break a header', () => {
  it('waits in "unsafe characters in lead data" naming the field, sends nothing, and goes out once fixed', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, launch: false })
    await engine.leads.add('c', [
      {
        id: 'eva',
        profile: { firstName: 'Eva\r\nBcc: everyone@corp.example', professionalEmail: 'eva@corp.example' },
      },
    ])
    await engine.campaigns.launch('c')
    await runUntil('2026-03-02T12:00:00Z')
    const eva = await engine.leads.get('c', 'eva')
    expect(eva).toMatchObject({ status: 'error', substatus: 'unsafe_lead_data' })
    expect((eva.state as { detail?: string }).detail).toMatch(/firstName holds a line break/)
    expect(email.sent.filter((message) => message.to.address === 'eva@corp.example')).toEqual([])

    // The user fixes the data and retries: the email goes out, with the fixed name.
    await engine.leads.add('c', [
      { id: 'eva', profile: { firstName: 'Eva', professionalEmail: 'eva@corp.example' } },
    ])
    await engine.leads.retryErrors(['eva'], 'c')
    await runUntil('2026-03-02T16:00:00Z')
    expect(
      email.sent.filter((message) => message.to.address === 'eva@corp.example').map((m) => m.to.name),
    ).toEqual(['Eva'])
    await engine.close()
  })
})
