import { describe, expect, it } from 'vitest'
import { type ErrorSubstatus, type SequenceInput, sequence } from '../../src/index'
import type { AiProviderV1 } from '../../src/ports'
import { createDeterministicAi } from '../../src/testing'
import { fixture } from './engine-fixture'
import { identity, leadProfile } from './harness'

/** An AI provider that writes nothing (no text, no subject): what a provider's empty answer looks like. */
function silentAi(): AiProviderV1 {
  const base = createDeterministicAi()
  return { ...base, generateMessage: async () => ({ text: '   ' }) }
}

interface Case {
  readonly name: string
  readonly substatus: ErrorSubstatus
  readonly sequence: SequenceInput
  readonly profile?: Record<string, unknown>
  readonly ai?: AiProviderV1
  /** Nothing may reach the lead: the error comes before any send. */
  readonly sends?: 'none'
}

const longPitch = 'We help HR teams digitise admin work. '.repeat(60)

// Each substatus of the lead status table the engine produces when a lead reaches its step, with what
// causes it. The lead is in error with that substatus, and nothing was sent for that step.
const cases: readonly Case[] = [
  {
    name: 'an email whose subject renders empty for the lead',
    substatus: 'missing_email_subject',
    sequence: sequence().email({ id: 'e', subject: '{{topic | ""}}', body: 'Hello' }).build(),
  },
  {
    name: 'an email the AI writes without a subject to open its thread',
    substatus: 'missing_email_subject',
    sequence: sequence()
      .email({ id: 'e', ai: { prompt: 'Introduce our product' } })
      .build(),
    ai: { ...createDeterministicAi(), generateMessage: async () => ({ text: 'Hello there' }) },
  },
  {
    name: 'an InMail whose subject renders empty for the lead',
    substatus: 'missing_inmail_subject',
    sequence: sequence().linkedinInmail({ id: 'i', subject: '{{topic | ""}}', body: 'Hello' }).build(),
  },
  {
    name: 'an InMail the AI writes nothing for',
    substatus: 'missing_inmail_message',
    sequence: sequence()
      .linkedinInmail({ id: 'i', subject: 'Hello', ai: { prompt: 'Introduce our product' } })
      .build(),
    ai: silentAi(),
  },
  {
    name: 'a LinkedIn message the AI writes nothing for',
    substatus: 'missing_linkedin_message',
    sequence: sequence()
      .linkedinMessage({ id: 'm', ai: { prompt: 'Introduce our product' } })
      .build(),
    ai: silentAi(),
  },
  {
    name: 'a LinkedIn message whose text renders empty for the lead',
    substatus: 'empty_message',
    sequence: sequence().linkedinMessage({ id: 'm', body: '{{opener | ""}}' }).build(),
  },
  {
    name: 'an InMail whose message renders empty for the lead',
    substatus: 'empty_message',
    sequence: sequence().linkedinInmail({ id: 'i', subject: 'Hello', body: '{{opener | ""}}' }).build(),
  },
  {
    name: 'an email whose body renders empty for the lead',
    substatus: 'empty_message',
    sequence: sequence().email({ id: 'e', subject: 'Hello', body: '{{opener | ""}}' }).build(),
  },
  {
    name: "an InMail over LinkedIn's 1,900 characters once the lead's data is in",
    substatus: 'inmail_message_too_long',
    sequence: sequence().linkedinInmail({ id: 'i', subject: 'Hello', body: '{{pitch}}' }).build(),
    profile: { pitch: longPitch },
  },
  {
    name: "a connection note over LinkedIn's 300 characters once the lead's data is in",
    substatus: 'message_too_long',
    sequence: sequence().sendConnection({ id: 'c', note: 'Hi {{firstName}}, {{pitch}}' }).build(),
    profile: { pitch: longPitch.slice(0, 400) },
  },
]

describe('error substatuses produced where the lead reaches its step', () => {
  it.each(cases)('$substatus: $name', async (each) => {
    const { engine, linkedin, email, runUntil } = await fixture({
      sequence: each.sequence,
      leads: 0,
      launch: false,
      ...(each.ai === undefined ? {} : { ai: each.ai }),
    })
    await engine.leads.add('c', [{ id: 'l0', profile: leadProfile('l0', each.profile ?? {}) }])
    await engine.campaigns.launch('c')
    await runUntil('2026-03-03T17:00:00Z')
    const lead = await engine.leads.get('c', 'l0')
    expect(lead).toMatchObject({ status: 'error', substatus: each.substatus })
    expect(lead.state).toMatchObject({ detail: expect.any(String) })
    expect(linkedin.calls.filter((call) => call.method !== 'checkConnection')).toEqual([])
    expect(email.attempts).toEqual([])
  })

  it('invalid_identity_email: the mail server refuses the identity’s sender address', async () => {
    const { engine, email, runUntil } = await fixture({
      sequence: sequence().email({ id: 'e', subject: 'Hello', body: 'Hi {{firstName}}' }).build(),
      email: {
        respond: () => ({
          ok: false,
          reason: 'invalid_sender',
          message: '553 5.7.1 <ana@acme.example>: Sender address rejected: not owned by user',
        }),
      },
    })
    await runUntil('2026-03-02T17:00:00Z')
    expect(email.attempts).toHaveLength(1)
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'error',
      substatus: 'invalid_identity_email',
    })
  })

  it('identity_misconfiguration: the identity lost its LinkedIn account while leads were on their way', async () => {
    const { engine, linkedin, runUntil } = await fixture({
      sequence: sequence()
        .email({ id: 'e', subject: 'Hello', body: 'Hi {{firstName}}' })
        .linkedinMessage({ id: 'm', delay: { days: 1 }, body: 'Hi again' })
        .build(),
    })
    await runUntil('2026-03-02T17:00:00Z')
    const { linkedin: _removed, ...withoutLinkedIn } = identity({ id: 'ana' })
    await engine.identities.put(withoutLinkedIn)
    await runUntil('2026-03-04T17:00:00Z')
    expect(linkedin.calls).toEqual([])
    expect(await engine.leads.get('c', 'l0')).toMatchObject({
      status: 'error',
      substatus: 'identity_misconfiguration',
    })
  })
})
