import { describe, expect, it } from 'vitest'
import { createEngine, type SequenceInput } from '../../src/index'
import { createDeterministicAi, createMemoryEmailChannel, createMemoryStorage } from '../../src/testing'
import { identity } from './harness'

const sequence = {
  version: 1,
  start: 'intro',
  aiVariables: { opener: { prompt: 'One line about their company' } },
  steps: {
    intro: {
      kind: 'email',
      subject: 'Hi {{firstName}}',
      body: '{{ai.opener}}. Worth a chat?',
      next: 'accepted',
    },
    accepted: {
      kind: 'condition',
      if: { type: 'has_been_contacted', withinDays: 30 },
      then: 'follow',
      else: null,
    },
    follow: { kind: 'email', delay: { days: 2 }, ai: { prompt: 'Follow up in two lines' }, next: null },
  },
} satisfies SequenceInput

async function engineWith(mode: 'manual' | 'copilot' | 'automatic') {
  const email = createMemoryEmailChannel()
  const storage = createMemoryStorage()
  const engine = createEngine({ storage, email, ai: createDeterministicAi() })
  await engine.identities.put(identity({ id: 'ana' }))
  await engine.campaigns.create({
    id: 'c',
    identityId: 'ana',
    sequence,
    settings: {
      replies: mode === 'manual' ? { mode } : { mode, prompt: 'Offer a 20-minute call', maxAnswers: 2 },
    },
  })
  return { engine, email, storage }
}

const eva = { id: 'eva', profile: { firstName: 'Eva', professionalEmail: 'eva@northwind.example' } }

describe('previewing a campaign for one lead', () => {
  it("renders every message, AI text and variables included, and the agent's answers; nothing is sent or added", async () => {
    const { engine, email } = await engineWith('automatic')
    const preview = await engine.preview('c', {
      lead: eva,
      replies: [
        'Sounds interesting, who else uses it?',
        'Nice. Does it work with Outlook?',
        'And the next step?',
        'Stop emailing me',
      ],
    })
    expect(preview.messages).toEqual([
      {
        stepId: 'intro',
        kind: 'email',
        channel: 'email',
        subject: 'Hi Eva',
        text: 'One line about their company (for Eva). Worth a chat?',
      },
      {
        stepId: 'follow',
        kind: 'email',
        channel: 'email',
        subject: 'Re: Hi Eva',
        text: 'Hi Eva, Follow up in two lines. Best, ana',
      },
    ])
    expect(preview.conversation.map((turn) => [turn.answer !== undefined, turn.handOff?.reason])).toEqual([
      [true, undefined],
      [true, undefined],
      [false, 'answer_limit'], // maxAnswers: 2
      [false, undefined], // a person has it now
    ])
    expect(preview.conversation[0]?.answer).toMatch(
      /^Thanks Eva! About "Sounds interesting, who else uses it\?"/,
    )
    expect(email.sent).toEqual([])
    expect(await engine.leads.list('c')).toEqual([])
    expect(await engine.conversations.list()).toEqual({ items: [] })
    await engine.close()
  })

  it('says what a step could not write, answers nothing in manual mode, and hands an opt-out over in copilot mode', async () => {
    const manual = await engineWith('manual')
    const noEmail = await manual.engine.preview('c', {
      lead: { id: 'tom', profile: { lastName: 'Ng' } },
      replies: ['Tell me more'],
    })
    expect(noEmail.messages[0]).toMatchObject({
      stepId: 'intro',
      problem: expect.stringMatching(/^lead_not_scraped/),
    })
    expect(noEmail.conversation).toEqual([{ reply: 'Tell me more' }])
    await manual.engine.close()

    const copilot = await engineWith('copilot')
    const preview = await copilot.engine.preview('c', { lead: eva, replies: ['Please unsubscribe me'] })
    expect(preview.conversation).toEqual([
      {
        reply: 'Please unsubscribe me',
        handOff: { reason: 'opt_out', detail: 'the lead asked not to be contacted again' },
      },
    ])
    await expect(copilot.engine.preview('nope', { lead: eva })).rejects.toMatchObject({ code: 'not_found' })
    await expect(copilot.engine.preview('c', { lead: { id: '' } as never })).rejects.toMatchObject({
      code: 'invalid_lead',
    })
    await copilot.engine.close()
  })
})
