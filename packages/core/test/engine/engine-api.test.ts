import { describe, expect, it } from 'vitest'
import { PacelineError, sequence, templates } from '../../src/index'
import type { StorageV1 } from '../../src/ports'
import { createDeterministicAi, createMemoryStorage } from '../../src/testing'
import { fixture } from './engine-fixture'
import { identity, leadProfile, slidingMax } from './harness'

const DAY = 86_400_000
const hello = sequence().linkedinMessage({ id: 'hello', body: 'Hello {{firstName}}' }).build()
const mail = sequence()
  .email({ id: 'intro', subject: 'Hi {{firstName}}', body: 'Hello' })
  .email({ id: 'follow', delay: { days: 1 }, body: 'Bump' })
  .build()

describe('campaigns and leads through the engine', () => {
  it('rejects bad input with a PacelineError that names the field, and stores nothing', async () => {
    const { engine } = await fixture({ sequence: hello })
    await expect(
      engine.identities.put({
        ...identity({ id: 'x' }),
        email: { inboxes: [{ address: 'x@acme.io', limits: { perDay: 81 } }] },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_identity',
      issues: [expect.objectContaining({ field: 'email.inboxes[0].limits.perDay' })],
    })
    await expect(engine.identities.get('x')).rejects.toMatchObject({ code: 'not_found' })
    const bad = engine.leads.add('c', [
      { id: 'ok', profile: leadProfile('ok') },
      { id: 'broken', profile: { professionalEmail: 'not an email' } },
    ])
    await expect(bad).rejects.toBeInstanceOf(PacelineError)
    await expect(bad).rejects.toMatchObject({
      code: 'invalid_lead',
      issues: [expect.objectContaining({ field: '[1].profile.professionalEmail' })],
    })
    await expect(engine.leads.get('c', 'ok')).rejects.toMatchObject({ code: 'not_found' })
    // A profile field that looks like a standard one under another name is kept, with a warning.
    const added = await engine.leads.add('c', [
      {
        id: 'w1',
        profile: { firstName: 'Wu', email: 'wu@corp.example', first_name: 'Wu', industry: 'Retail' },
      },
    ])
    expect(added.warnings.map((each) => [each.leadId, each.field])).toEqual([
      ['w1', 'email'],
      ['w1', 'first_name'],
    ])
    expect(added.warnings[0]?.message).toMatch(
      /profile\.email is not a standard field.*did you mean professionalEmail\?/,
    )
    // Which of the two is missing, with the ids where they belong.
    await expect(engine.leads.get('nope', 'l0')).rejects.toThrow("No campaign 'nope' in this workspace.")
    await expect(engine.leads.get('c', 'nobody')).rejects.toThrow("No lead 'nobody' in this workspace.")
    await engine.campaigns.create({ id: 'other', identityId: 'ana', sequence: hello })
    await expect(engine.leads.pause('other', 'l0')).rejects.toThrow(
      "Lead 'l0' is not in campaign 'other': add it with engine.leads.add('other', [...]).",
    )
    await expect(
      engine.campaigns.create({ id: 'c2', identityId: 'nobody', sequence: hello }),
    ).rejects.toMatchObject({ code: 'not_found' })
    await expect(
      engine.campaigns.create({ id: 'c', identityId: 'ana', sequence: hello }),
    ).rejects.toMatchObject({ code: 'invalid_campaign' })
  })

  it('starts leads added to a running campaign at once, and never re-adds a removed lead', async () => {
    const { engine, linkedin, runUntil } = await fixture({ sequence: hello })
    await runUntil('2026-03-02T12:00:00Z')
    const added = await engine.leads.add('c', [{ id: 'late', profile: leadProfile('late') }])
    expect(added.added).toEqual(['late'])
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls.map((call) => call.target.leadId).sort()).toEqual(['l0', 'late'])
    await engine.leads.remove('c', 'late')
    expect(await engine.leads.get('c', 'late')).toMatchObject({ status: 'finished', substatus: 'deleted' })
    const again = await engine.leads.add('c', [{ id: 'late', profile: leadProfile('late') }])
    expect(again.added).toEqual([])
    expect(again.skipped).toEqual([
      expect.objectContaining({ leadId: 'late', code: 'lead_previously_removed' }),
    ])
  })

  it('pausing a campaign pauses all its leads; resuming continues where they were', async () => {
    const { engine, linkedin, runUntil, clock } = await fixture({ sequence: hello, leads: 3 })
    await engine.campaigns.pause('c')
    expect(
      (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items.map((lead) => lead.status),
    ).toEqual(['paused', 'paused', 'paused'])
    await runUntil('2026-03-03T17:00:00Z')
    expect(linkedin.calls).toHaveLength(0)
    await engine.campaigns.resume('c')
    await runUntil(clock.now() + DAY)
    expect(linkedin.calls).toHaveLength(3)
    await expect(engine.campaigns.resume('c')).rejects.toMatchObject({
      code: 'illegal_transition',
      details: { from: 'running', to: 'running' },
    })
  })

  it('a launch or pause cut short by a dying process is finished by the next tick, on any worker', async () => {
    const shared = createMemoryStorage()
    // 450 leads take three batches; the process "dies" (its storage stops) after the first one.
    let transactions = 0
    let limit = Number.POSITIVE_INFINITY
    const dying: StorageV1 = {
      specificationVersion: 'v1',
      transaction: (workspace, work, options) =>
        ++transactions > limit
          ? Promise.reject(new Error('process killed'))
          : shared.transaction(workspace, work, options),
    }
    const first = await fixture({ sequence: hello, leads: 450, storage: dying, launch: false })
    limit = transactions + 2
    await expect(first.engine.campaigns.launch('c')).rejects.toThrow('process killed')
    const second = await fixture({ sequence: hello, storage: shared, workerId: 'second' })
    const started = async () =>
      (await second.engine.leads.list('c', { order: 'oldest', limit: 500 })).items.filter(
        (lead) => lead.status !== 'not_started',
      ).length
    expect((await second.engine.campaigns.get('c')).status).toBe('running')
    expect(await started()).toBe(200)
    await second.engine.tick()
    expect(await started()).toBe(450)

    limit = transactions + 2
    await expect(first.engine.campaigns.pause('c')).rejects.toThrow('process killed')
    const waiting = async () =>
      (await second.engine.leads.list('c', { order: 'oldest', limit: 500 })).items.filter(
        (lead) => lead.status === 'in_progress',
      ).length
    const sent = second.linkedin.calls.length
    second.clock.set(second.clock.now() + 60_000)
    await second.engine.tick()
    expect(await waiting()).toBe(0)
    expect(second.linkedin.calls).toHaveLength(sent)
  })

  it('pauses and resumes one lead', async () => {
    const { engine, linkedin, runUntil } = await fixture({ sequence: hello, leads: 2 })
    await engine.leads.pause('c', 'l1')
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls.map((call) => call.target.leadId)).toEqual(['l0'])
    expect(await engine.leads.get('c', 'l1')).toMatchObject({ status: 'paused' })
    await engine.leads.resume('c', 'l1')
    await runUntil('2026-03-03T17:00:00Z')
    expect(linkedin.calls.map((call) => call.target.leadId)).toEqual(['l0', 'l1'])
    await expect(engine.leads.resume('c', 'l1')).rejects.toMatchObject({ code: 'illegal_transition' })
  })

  it('starts a scheduled campaign at its start time', async () => {
    const { engine, linkedin, runUntil } = await fixture({ sequence: hello, launch: false })
    await engine.campaigns.schedule('c', '2026-03-04T07:00:00Z')
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'not_started',
      reason: 'campaign_not_started',
      nextEligibleAt: '2026-03-04T07:00:00.000Z',
    })
    await runUntil('2026-03-04T06:59:00Z')
    expect(linkedin.calls).toHaveLength(0)
    await runUntil('2026-03-04T17:00:00Z')
    expect(linkedin.calls).toHaveLength(1)
    expect((await engine.campaigns.get('c')).status).toBe('running')
  })

  it('keeps a campaign priority change for leads already waiting', async () => {
    const { engine } = await fixture({ sequence: hello })
    const updated = await engine.campaigns.update('c', { priority: 'high', settings: { tags: ['vip'] } })
    expect(updated).toMatchObject({ priority: 'high', tags: ['vip'] })
    expect(updated.settings).not.toHaveProperty('tags')
    await expect(
      engine.campaigns.update('c', { sequence: templates.emailOnly.sequence }),
    ).rejects.toMatchObject({ code: 'sequence_locked' })
  })

  it('emits typed events to listeners', async () => {
    const { engine, runUntil } = await fixture({ sequence: hello })
    const seen: string[] = []
    const stop = engine.on('message-sent', (event) => seen.push(`${event.leadId}:${event.action}`))
    const all: string[] = []
    engine.on('*', (event) => all.push(event.type))
    await runUntil('2026-03-02T17:00:00Z')
    stop()
    expect(seen).toEqual(['l0:linkedin_message'])
    expect(all).toEqual(expect.arrayContaining(['message-sent', 'lead-status-changed']))
  })
})

describe('secrets', () => {
  it('keeps credentials by name, and rejects bad names and values without echoing the value', async () => {
    const { engine } = await fixture({ sequence: hello })
    await engine.secrets.put('smtp:ana@acme.io', 'app-password-1')
    expect(await engine.secrets.get('smtp:ana@acme.io')).toBe('app-password-1')
    await engine.secrets.delete('smtp:ana@acme.io')
    expect(await engine.secrets.get('smtp:ana@acme.io')).toBeUndefined()
    await expect(engine.secrets.put('', 'x')).rejects.toMatchObject({
      code: 'invalid_options',
      issues: [expect.objectContaining({ field: 'name', rule: 'required' })],
    })
    await expect(engine.secrets.get('smtp\nx')).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'name', rule: 'control_characters' })],
    })
    const tooLong = 's3cret'.repeat(20_000)
    const error = await engine.secrets.put('token', tooLong).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ issues: [expect.objectContaining({ field: 'value', rule: 'too_long' })] })
    expect(String((error as Error).message)).not.toContain('s3cret')
    await expect(engine.secrets.put('token', 42 as never)).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'value', rule: 'invalid_type' })],
    })
  })
})

describe('inbound events', () => {
  it('applies an event once, however often the provider delivers it', async () => {
    const { engine } = await fixture({ sequence: hello, leads: 1 })
    const event = {
      type: 'reply-received' as const,
      channel: 'linkedin' as const,
      lead: { linkedinProfileId: 'li-l0' },
      eventId: 'msg-1',
    }
    expect(await engine.ingest(event)).toMatchObject({
      matched: true,
      duplicate: false,
      affected: [{ campaignId: 'c', leadId: 'l0' }],
    })
    expect(await engine.ingest(event)).toMatchObject({ duplicate: true, affected: [] })
    expect(await engine.actions({ types: ['reply-received'] })).toHaveLength(1)
  })

  it('reports events it cannot match without changing anything', async () => {
    const { engine } = await fixture({ sequence: hello })
    expect(
      await engine.ingest({
        type: 'reply-received',
        channel: 'email',
        lead: { email: 'stranger@nowhere.io' },
      }),
    ).toMatchObject({ matched: false })
    expect(await engine.ingest({ type: 'task-completed', taskId: 'nope' })).toMatchObject({ matched: false })
  })

  it('rejects malformed events, naming the field, before anything changes', async () => {
    const { engine } = await fixture({ sequence: hello })
    const before = (await engine.actions()).length
    await expect(
      engine.ingest({ type: 'email-bounced', bounce: 'permanent', lead: {} } as never),
    ).rejects.toMatchObject({
      code: 'invalid_event',
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'bounce', rule: 'invalid_value' }),
        expect.objectContaining({ field: 'lead', rule: 'required' }),
      ]),
    })
    await expect(
      engine.ingest({ type: 'reply-received', channel: 'email', at: 'yesterday' }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'at' })],
    })
    expect(await engine.actions()).toHaveLength(before)
  })

  it('finds the lead by any Message-ID of the thread (a colleague answering the lead)', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, leads: 1 })
    await runUntil('2026-03-02T12:00:00Z')
    const sent = email.sent[0]?.messageId ?? ''
    expect(
      await engine.ingest({
        type: 'reply-received',
        channel: 'email',
        lead: {
          email: 'colleague@northwind.io',
          messageId: '<their-reply@northwind.io>',
          messageIds: [sent],
        },
      }),
    ).toMatchObject({ matched: true, affected: [{ campaignId: 'c', leadId: 'l0' }] })
    expect((await engine.leads.get('c', 'l0')).status).toBe('replied')
  })

  it('credits a reply to the thread it answers, and stops the lead in every campaign of the identity', async () => {
    const { engine, runUntil, email } = await fixture({ sequence: mail, leads: 1 })
    const other = sequence().email({ id: 'pitch', subject: 'Pricing for {{lastName}}', body: 'Hi' }).build()
    await engine.campaigns.create({ id: 'd', identityId: 'ana', sequence: other })
    await engine.leads.add('d', [{ id: 'l0', profile: leadProfile('l0') }])
    await engine.campaigns.launch('d')
    await runUntil('2026-03-02T12:00:00Z')
    const pricing = email.sent.find((sent) => sent.subject.startsWith('Pricing'))
    expect(pricing).toBeDefined()
    // No thread headers: the sender and the repeated subject say which campaign was answered.
    await engine.ingest({
      type: 'reply-received',
      channel: 'email',
      lead: { email: leadProfile('l0').professionalEmail },
      subject: `RE: AW: ${pricing?.subject}`,
    })
    const replies = await engine.actions({ types: ['reply-received'] })
    expect(replies.map((reply) => reply.campaignId)).toEqual(['d'])
    expect((await engine.leads.get('c', 'l0')).status).toBe('replied')
    expect((await engine.leads.get('d', 'l0')).status).toBe('replied')
  })

  it('classifies replies with the AI: positive, negative, out of office', async () => {
    const { engine } = await fixture({ sequence: hello, leads: 3 })
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      lead: { leadId: 'l0' },
      text: 'Sounds good, book a demo',
    })
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      lead: { leadId: 'l1' },
      text: 'Not interested, thanks',
    })
    await engine.ingest({
      type: 'reply-received',
      channel: 'email',
      lead: { leadId: 'l2' },
      text: 'Respuesta automática: estoy fuera de la oficina',
    })
    expect((await engine.leads.get('c', 'l2')).substatus).toBe('out_of_office')
    expect(await engine.campaigns.stats('c')).toMatchObject({ replied: 2, positive: 1 })
  })

  it('puts leads in error when LinkedIn disconnects, and resumes them after reconnecting and retrying', async () => {
    const { engine, linkedin, runUntil, clock } = await fixture({ sequence: hello, leads: 2 })
    await engine.ingest({ type: 'channel-disconnected', identityId: 'ana', channel: 'linkedin' })
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls).toHaveLength(0)
    expect(
      (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items.map((lead) => lead.substatus),
    ).toEqual(['linkedin_disconnected', 'linkedin_disconnected'])
    await engine.ingest({ type: 'channel-reconnected', identityId: 'ana', channel: 'linkedin' })
    await engine.leads.retryErrors(['l0', 'l1'], 'c')
    await runUntil(clock.now() + DAY)
    expect(linkedin.calls).toHaveLength(2)
  })
})

describe('channel outcomes map onto the status table', () => {
  const cases = [
    ['disconnected', 'error', 'linkedin_disconnected'],
    ['restricted', 'error', 'linkedin_disconnected'],
    ['inmail_credits_exhausted', 'error', 'inmail_credits_limit'],
    ['invalid_profile', 'error', 'invalid_linkedin_id'],
    ['profile_not_found', 'error', 'linkedin_url_not_found'],
    ['not_connected', 'finished', 'not_connected'],
    ['unsupported', 'error', 'system_error'],
  ] as const
  it.each(cases)('%s -> %s / %s, with the counter given back', async (reason, status, substatus) => {
    const { engine, runUntil } = await fixture({
      sequence: hello,
      linkedin: {
        respond: (call) =>
          call.method === 'sendMessage'
            ? { ok: false, reason, message: reason, raw: { provider: 'x' } }
            : undefined,
      },
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status, substatus })
    expect(await engine.actions({ types: ['message-sent'] })).toEqual([])
  })

  it('retries a rate-limited send after Retry-After, without counting it against the lead', async () => {
    let limited = 2
    const { engine, linkedin, runUntil } = await fixture({
      sequence: hello,
      linkedin: {
        respond: (call) =>
          call.method === 'sendMessage' && limited-- > 0
            ? { ok: false, reason: 'rate_limited', retryAfterMs: 30 * 60_000, message: '429' }
            : undefined,
      },
    })
    await runUntil('2026-03-02T17:00:00Z')
    const attempts = linkedin.calls.filter((call) => call.method === 'sendMessage')
    expect(attempts).toHaveLength(3)
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'finished', substatus: 'no_response' })
  })

  it('backs off after failures known not to have sent, and gives up into "system error"', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: hello,
      settings: { maxAttempts: 3, retryBaseMs: 10 * 60_000 },
      linkedin: {
        respond: (call) =>
          call.method === 'sendMessage'
            ? { ok: false, reason: 'transient', message: 'ECONNREFUSED' }
            : undefined,
      },
    })
    await runUntil('2026-03-03T17:00:00Z')
    expect(linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(3)
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'error', substatus: 'system_error' })
  })

  it('bounces a lead whose address the server refuses', async () => {
    const { engine, runUntil } = await fixture({
      sequence: mail,
      email: {
        respond: () => ({ ok: false, reason: 'invalid_recipient', message: '550 5.1.1 user unknown' }),
      },
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'finished', substatus: 'bounced' })
    expect((await engine.campaigns.stats('c')).email.bounced).toBe(1)
  })

  it('marks the inbox disconnected when its credentials stop working', async () => {
    const { engine, runUntil } = await fixture({
      sequence: mail,
      leads: 2,
      email: { respond: () => ({ ok: false, reason: 'disconnected', message: '535 authentication failed' }) },
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(
      (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items.map((lead) => lead.substatus),
    ).toEqual(['email_disconnected', 'email_disconnected'])
    expect(await engine.actions({ types: ['channel-disconnected'] })).toHaveLength(1)
  })
})

describe('message content at send time', () => {
  it('a missing variable without a fallback errors the lead ("lead not scraped"); nothing is sent', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: sequence().linkedinMessage({ body: 'About {{industry}}' }).build(),
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls).toHaveLength(0)
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'error',
      substatus: 'lead_not_scraped',
    })
  })

  it('an AI failure errors the lead and never sends an empty message', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: sequence()
        .linkedinMessage({ ai: { prompt: 'Write a short opener' } })
        .build(),
      ai: createDeterministicAi({ fail: true }),
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls).toHaveLength(0)
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'error', substatus: 'system_error' })
  })

  it('writes AI messages and AI variables at send time', async () => {
    const { linkedin, runUntil } = await fixture({
      sequence: sequence({ aiVariables: { opener: { prompt: 'Mention their company' } } })
        .linkedinMessage({ id: 'one', body: '{{ai.opener}}!' })
        .linkedinMessage({ id: 'two', ai: { prompt: 'Ask for a call' } })
        .build(),
    })
    await runUntil('2026-03-02T17:00:00Z')
    const texts = linkedin.calls.map((call) => (call.request.chunks as string[]).join(' '))
    expect(texts).toEqual(['Mention their company (for Firstl0)!', 'Hi Firstl0, Ask for a call. Best, ana'])
  })

  it('errors a lead whose rendered connection note is too long', async () => {
    const { engine, runUntil } = await fixture({
      sequence: sequence().sendConnection({ note: '{{bio}}' }).build(),
      settings: {
        textLimits: { connectionNote: 300, inmailSubject: 200, inmailBody: 1900, linkedinMessage: 8000 },
      },
    })
    await engine.leads.add('c', [{ id: 'long', profile: { ...leadProfile('long'), bio: 'x'.repeat(400) } }])
    await runUntil('2026-03-02T17:00:00Z')
    expect(await engine.leads.get('c', 'long')).toMatchObject({
      status: 'error',
      substatus: 'message_too_long',
    })
  })

  it('threads follow-up emails: same subject with "Re: ", In-Reply-To and References', async () => {
    const { email, runUntil } = await fixture({ sequence: templates.emailOnly.sequence })
    await runUntil('2026-03-12T17:00:00Z')
    const [first, second, third] = email.sent
    expect(first?.subject).toBe('Quick question, Firstl0')
    expect(second?.subject).toBe('Re: Quick question, Firstl0')
    expect(third?.subject).toBe('Re: Quick question, Firstl0')
    expect(second?.inReplyTo).toBe(first?.messageId)
    expect(third?.references).toEqual([first?.messageId, second?.messageId])
    expect(first?.messageId).toMatch(/^<pl-[0-9a-f]{16}@acme\.example>$/)
  })

  it('skips contacts with a prior LinkedIn conversation when the campaign asks it to', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: hello,
      leads: 2,
      campaign: { settings: { skipPriorConversations: true } },
    })
    await engine.ingest({
      type: 'reply-received',
      channel: 'linkedin',
      identityId: 'ana',
      lead: { leadId: 'l1' },
      campaignId: 'elsewhere',
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls.map((call) => call.target.leadId)).toEqual(['l0'])
  })
})

describe('identity limits beyond the daily caps', () => {
  it('holds new conversations to the monthly conversation limit', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: hello,
      leads: 5,
      identity: { monthlyConversationLimit: 3 },
    })
    await runUntil('2026-03-06T17:00:00Z')
    expect(linkedin.calls).toHaveLength(3)
    const waiting = (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items.filter(
      (lead) => lead.status === 'in_progress',
    )
    expect(waiting.map((lead) => lead.substatus)).toEqual([
      'monthly_conversation_limit',
      'monthly_conversation_limit',
    ])
    expect(waiting[0]?.nextEligibleAt?.slice(0, 10)).toBe('2026-04-01')
  })

  it('checks pending invitations itself, at most 5 per 30 minutes, when the channel does not push acceptances', async () => {
    const connect = sequence()
      .sendConnection({ id: 'connect' })
      .condition(
        { type: 'connection_accepted', withinDays: 10 },
        {
          then: (path) => path.linkedinMessage({ id: 'thanks', body: 'Thanks' }),
          else: (path) => path.end(),
        },
      )
      .build()
    const accepted = new Set<string>()
    const { engine, linkedin, runUntil } = await fixture({
      sequence: connect,
      leads: 20,
      settings: { acceptanceCheckIntervalMs: 4 * 3_600_000 },
      linkedin: {
        pushesEvents: false,
        respond: (call) => {
          if (call.method === 'sendInvitation' && Number(call.target.leadId.slice(1)) % 2 === 0)
            accepted.add(call.target.leadId)
          if (call.method === 'checkConnection')
            return { ok: true, status: accepted.has(call.target.leadId) ? 'connected' : 'pending' }
          return undefined
        },
      },
    })
    await runUntil('2026-03-13T17:00:00Z')
    const checks = linkedin.calls.filter((call) => call.method === 'checkConnection')
    expect(checks.length).toBeGreaterThan(20)
    const times = (await engine.actions({ types: ['connection-checked'] })).map((event) =>
      Date.parse(event.at),
    )
    expect(slidingMax(times, 30 * 60_000)).toBeLessThanOrEqual(5)
    expect(linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(10)
  })
})

describe('tasks, moves and inboxes', () => {
  it('creates tasks and records their completion', async () => {
    const { engine, runUntil } = await fixture({
      sequence: sequence()
        .task({ id: 'call', type: 'call', title: 'Call {{firstName}}', dueInDays: 2 })
        .build(),
    })
    await runUntil('2026-03-02T09:00:00Z')
    const [task] = (await engine.tasks.list('c', { order: 'oldest', limit: 500 })).items
    expect(task).toMatchObject({ title: 'Call Firstl0', type: 'call', status: 'pending' })
    await engine.ingest({ type: 'task-completed', taskId: task?.taskId ?? '' })
    expect((await engine.campaigns.stats('c')).tasks).toEqual({ pending: 0, completed: 1 })
  })

  it('adds the lead to another campaign', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: sequence().addToCampaign({ campaignId: 'next' }).build(),
      launch: false,
    })
    await engine.campaigns.create({ id: 'next', identityId: 'ana', sequence: hello })
    await engine.campaigns.launch('next')
    await engine.campaigns.launch('c')
    await runUntil('2026-03-02T17:00:00Z')
    expect(linkedin.calls.map((call) => call.target.leadId)).toEqual(['l0'])
    expect(await engine.leads.get('next', 'l0')).toMatchObject({ status: 'finished' })
    // A move, not a copy: the lead left the source campaign, which says where it went.
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'finished',
      substatus: 'moved',
      state: { status: 'finished', substatus: 'moved', detail: "moved to campaign 'next'" },
    })
    expect(await engine.actions({ campaignId: 'c', leadId: 'l0' })).toContainEqual(
      expect.objectContaining({ type: 'lead-moved', detail: { toCampaignId: 'next' } }),
    )
  })

  it('names a campaign without a name after its identity: "<identity name>\'s Campaign"', async () => {
    const { engine } = await fixture({ sequence: hello, launch: false })
    await engine.identities.put({ ...identity({ id: 'bo' }), name: 'Bo Lind' })
    expect(await engine.campaigns.create({ id: 'unnamed', identityId: 'bo', sequence: hello })).toMatchObject(
      {
        name: "Bo Lind's Campaign",
      },
    )
    expect((await engine.campaigns.get('unnamed')).name).toBe("Bo Lind's Campaign")
    expect(
      (await engine.campaigns.create({ id: 'named', identityId: 'bo', name: 'Q3', sequence: hello })).name,
    ).toBe('Q3')
  })

  it('refuses steps after a move: the lead has left the campaign', async () => {
    expect(() => sequence().addToCampaign({ campaignId: 'next' }).visitProfile()).toThrow(
      /after end\(\) or addToCampaign\(\)/,
    )
    const { engine } = await fixture({ sequence: hello, launch: false })
    await expect(
      engine.campaigns.create({
        id: 'moves',
        identityId: 'ana',
        sequence: {
          version: 1,
          start: 'move',
          steps: {
            move: { kind: 'add_to_campaign', campaignId: 'c', next: 'visit' },
            visit: { kind: 'visit_profile', next: null },
          },
        },
      }),
    ).rejects.toMatchObject({
      code: 'invalid_campaign',
      issues: [
        expect.objectContaining({ rule: 'step_after_move', path: ['sequence', 'steps', 'move', 'next'] }),
      ],
    })
  })

  it('launches email steps on an identity without an inbox: leads wait at the email, then continue once one is added', async () => {
    const { engine, email, linkedin, runUntil } = await fixture({
      sequence: sequence()
        .linkedinMessage({ id: 'hello', body: 'Hi {{firstName}}' })
        .email({ id: 'mail', delay: { days: 1 }, subject: 'Hello {{firstName}}', body: 'Following up' })
        .build(),
      identity: { email: { inboxes: [] } },
      leads: 2,
      launch: false,
    })
    const launched = await engine.campaigns.launch('c')
    expect(launched).toMatchObject({ status: 'running' })
    expect(launched.warnings).toEqual([expect.objectContaining({ code: 'no_email_account' })])
    await runUntil('2026-03-05T17:00:00Z')
    expect(linkedin.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(2)
    expect(email.sent).toHaveLength(0)
    const waiting = await engine.leads.get('c', 'l0')
    expect(waiting).toMatchObject({
      status: 'in_progress',
      substatus: 'waiting_for_email_account',
      reason: 'waiting_for_email_account',
      stepId: 'mail',
    })
    expect(waiting.nextEligibleAt).toBeUndefined()
    expect(waiting.inbox).toBeUndefined()
    await engine.identities.put({
      ...identity({ id: 'ana' }),
      email: { inboxes: [{ address: 'ana@acme.io' }] },
    })
    await runUntil('2026-03-06T17:00:00Z')
    expect(email.sent.map((message) => message.from.address)).toEqual(['ana@acme.io', 'ana@acme.io'])
    expect(await engine.leads.get('c', 'l0')).toMatchObject({ status: 'finished', inbox: 'ana@acme.io' })
  })

  it('errors a lead whose inbox was removed rather than switching sender', async () => {
    const { engine, email, runUntil } = await fixture({
      sequence: mail,
      identity: { email: { inboxes: [{ address: 'one@acme.io' }, { address: 'two@acme.io' }] } },
      leads: 2,
    })
    await runUntil('2026-03-02T17:00:00Z')
    const inboxOf = new Map(email.sent.map((message) => [message.to.address, message.from.address]))
    expect(new Set(inboxOf.values()).size).toBe(2)
    const removedInbox = inboxOf.get('l0@corp.example') as string
    const kept = removedInbox === 'one@acme.io' ? 'two@acme.io' : 'one@acme.io'
    await engine.identities.put({ ...identity({ id: 'ana' }), email: { inboxes: [{ address: kept }] } })
    await runUntil('2026-03-04T17:00:00Z')
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'error',
      substatus: 'missing_email',
      inbox: removedInbox,
    })
    expect(email.sent.filter((message) => message.to.address === 'l0@corp.example')).toHaveLength(1)
    expect(await engine.leads.get('c', 'l1')).toMatchObject({ status: 'finished' })
  })

  it('errors a lead that is already due in a removed inbox, instead of leaving it queued', async () => {
    const { engine, email, runUntil } = await fixture({
      sequence: mail,
      identity: { email: { inboxes: [{ address: 'one@acme.io', limits: { perDay: 1, perHour: 1 } }] } },
      leads: 3,
    })
    // One email a day: by the afternoon, two leads are due and waiting in the inbox's lane.
    await runUntil('2026-03-02T15:00:00Z')
    expect(email.sent).toHaveLength(1)
    await engine.identities.put({
      ...identity({ id: 'ana' }),
      email: { inboxes: [{ address: 'two@acme.io' }] },
    })
    // The two leads due now error at once; the third, waiting for its follow-up, errors when it is due.
    const missing = async () =>
      (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items.filter(
        (lead) => lead.substatus === 'missing_email',
      )
    expect(await missing()).toHaveLength(2)
    await runUntil('2026-03-04T15:00:00Z')
    expect(await missing()).toHaveLength(3)
    expect(email.sent).toHaveLength(1)
  })

  it('uses only the named inboxes of a campaign', async () => {
    const { email, runUntil } = await fixture({
      sequence: mail,
      identity: { email: { inboxes: [{ address: 'one@acme.io' }, { address: 'two@acme.io' }] } },
      campaign: { settings: { email: { inboxes: ['two@acme.io'] } } },
      leads: 4,
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(new Set(email.sent.map((message) => message.from.address))).toEqual(new Set(['two@acme.io']))
  })

  it('errors a lead without a professional email at its email step', async () => {
    const { engine, runUntil } = await fixture({ sequence: mail })
    await engine.leads.add('c', [{ id: 'nomail', profile: { firstName: 'No' } }])
    await runUntil('2026-03-02T17:00:00Z')
    expect(await engine.leads.get('c', 'nomail')).toMatchObject({
      status: 'error',
      substatus: 'missing_contact_email',
    })
  })
})

describe('the background loop', () => {
  it("start() runs the engine and delivers the channels' events until stop()", async () => {
    const storage = createMemoryStorage()
    const { engine, linkedin } = await fixture({ sequence: hello, storage, start: new Date().toISOString() })
    const events: string[] = []
    engine.on('reply-received', (event) => events.push(event.leadId ?? ''))
    engine.start()
    await linkedin.deliver({ type: 'reply-received', channel: 'linkedin', lead: { leadId: 'l0' } })
    await engine.stop()
    expect(events).toEqual(['l0'])
    await engine.close()
  })
})

describe('the audience summary and the lead views', () => {
  it('always agree, a paused campaign included', async () => {
    const { engine, runUntil } = await fixture({ sequence: mail, leads: 6 })
    const agree = async () => {
      const counted = (await engine.campaigns.stats('c')).statuses
      const shown: Record<string, number> = {
        not_started: 0,
        in_progress: 0,
        paused: 0,
        error: 0,
        finished: 0,
        replied: 0,
      }
      for (const lead of (await engine.leads.list('c', { order: 'oldest', limit: 500 })).items)
        shown[lead.status] = (shown[lead.status] ?? 0) + 1
      expect(counted).toEqual(shown)
      return counted
    }
    await runUntil('2026-03-02T12:00:00Z')
    await engine.leads.pause('c', 'l1')
    await agree()
    await engine.campaigns.pause('c')
    expect((await agree()).paused).toBe(6)
    await engine.campaigns.resume('c')
    expect((await agree()).paused).toBe(1)
    await engine.close()
  })
})
