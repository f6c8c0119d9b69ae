import { describe, expect, it } from 'vitest'
import { decideOnInbound, readInbound } from '../../src/model/conversation/agent-decision'
import { judgedText, leadWords } from '../../src/model/conversation/lead-words'

const reading = { text: 'And the next step?', outOfOffice: false }

describe('the answer cap', () => {
  it('says "time" for one answer and "times" for more', () => {
    expect(
      decideOnInbound({ mode: 'automatic', status: 'active', answers: 1, maxAnswers: 1, reading }),
    ).toEqual({
      kind: 'hand_off',
      reason: 'answer_limit',
      detail: 'the agent has answered 1 time in this conversation (the most is 1)',
    })
    expect(
      decideOnInbound({ mode: 'automatic', status: 'active', answers: 3, maxAnswers: 3, reading }),
    ).toMatchObject({ detail: 'the agent has answered 3 times in this conversation (the most is 3)' })
  })
})

describe('what the lead wrote', () => {
  const sent = ['Cut your software costs', 'No more emails lost in shared inboxes']

  it('leaves out our own subject quoted back, whatever the prefixes, case and spacing', () => {
    for (const subject of [
      'Re: Cut your software costs',
      'RE: RE: cut your  SOFTWARE costs',
      'Fwd: Cut your software costs',
      'AW: Cut your software costs',
      'SV: No more emails lost in shared inboxes ',
      'Cut your software costs',
      'Re:',
      '',
    ])
      expect(leadWords({ text: 'Sounds good', subject }, sent), subject).toEqual({ text: 'Sounds good' })
    expect(leadWords({ text: 'Sounds good' }, sent)).toEqual({ text: 'Sounds good' })
  })

  it('keeps a subject the lead wrote, and the rules read it', () => {
    const words = leadWords({ text: 'Thanks', subject: ' Unsubscribe ' }, sent)
    expect(words).toEqual({ text: 'Thanks', subject: 'Unsubscribe' })
    expect(judgedText(words)).toBe('Unsubscribe\nThanks')
    expect(
      decideOnInbound({
        mode: 'copilot',
        status: 'active',
        answers: 0,
        maxAnswers: 3,
        reading: readInbound(words, undefined),
      }),
    ).toMatchObject({ kind: 'hand_off', reason: 'opt_out' })
  })

  it('hands nothing over for our sales subject once it is left out', () => {
    for (const [subject, text] of [
      ['Re: Cut your software costs', 'Sounds good, tell me more'],
      ['Re: No more emails lost in shared inboxes', 'Yes please, tell me more'],
    ] as const) {
      const words = leadWords({ text, subject }, sent)
      expect(
        decideOnInbound({
          mode: 'automatic',
          status: 'active',
          answers: 0,
          maxAnswers: 3,
          reading: readInbound(words, { sentiment: 'positive', outOfOffice: false }),
        }),
        subject,
      ).toEqual({ kind: 'answer' })
    }
  })
})
