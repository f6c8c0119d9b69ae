import { describe, expect, it } from 'vitest'
import { sequence } from '../../src/index'
import { simulate } from '../../src/testing'
import { identity, leadProfile } from './harness'

const mail = sequence()
  .email({ id: 'intro', subject: 'Quick question', body: 'Hi {{firstName}}, worth a chat?' })
  .email({ id: 'follow', delay: { days: 3 }, body: 'Bumping this up' })
  .build()

const world = (mode: 'copilot' | 'automatic') =>
  simulate({
    start: '2026-03-02T06:00:00Z',
    days: 5,
    identities: [identity({ id: 'ana' })],
    campaigns: [
      {
        id: 'c',
        identityId: 'ana',
        sequence: mail,
        settings: { replies: { mode, prompt: 'Offer a 20-minute call', maxAnswers: 2 } },
      },
    ],
    leads: [
      {
        id: 'eva',
        campaignId: 'c',
        profile: leadProfile('eva'),
        behavior: {
          repliesAfterStep: 'intro',
          replyText: 'Interesting, what does it cost to start?',
          conversation: [
            'Fair enough. Who else uses it?',
            'Nice. Does it work with Outlook calendars?',
            'Thanks!',
          ],
        },
      },
      {
        id: 'tom',
        campaignId: 'c',
        profile: leadProfile('tom'),
        behavior: {
          repliesAfterStep: 'intro',
          replyText: 'Sounds good, tell me more',
          conversation: ['Who else uses it?', 'Does it work with Outlook calendars?', 'Thanks!'],
        },
      },
    ],
  })

describe('copilot and automatic campaigns in the simulator', () => {
  it('automatic: answers each reply once inside working hours, up to the cap, and hands escalations to a person', async () => {
    const result = await world('automatic')
    const conversation = (lead: string) => result.conversations.find((each) => each.leadId === lead)
    // Eva's first reply asks about cost: a person's job, so no AI answer.
    expect(conversation('eva')?.agent).toMatchObject({
      status: 'handed_off',
      handOffReason: 'escalation',
      answers: 0,
    })
    expect(conversation('eva')?.messages.map((each) => each.author)).toEqual(['sequence', 'lead'])
    // Tom gets an answer per message up to the cap of 2, then a person takes over.
    expect(conversation('tom')?.messages.map((each) => each.author)).toEqual([
      'sequence',
      'lead',
      'agent',
      'lead',
      'agent',
      'lead',
    ])
    expect(conversation('tom')?.agent).toMatchObject({ status: 'handed_off', handOffReason: 'answer_limit' })
    const answers = result.events.filter((event) => event.type === 'auto-reply-sent')
    expect(answers.map((event) => event.leadId)).toEqual(['tom', 'tom'])
    for (const answer of answers) {
      const hour = Number(
        new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', hour: 'numeric' }).format(
          new Date(answer.at),
        ),
      )
      expect(hour >= 9 && hour < 18, answer.at).toBe(true)
    }
    expect(
      result.events
        .filter((event) => event.type === 'handed-off')
        .map((event) => [event.leadId, event.detail?.reason]),
    ).toEqual([
      ['eva', 'escalation'],
      ['tom', 'answer_limit'],
    ])
  })

  it('copilot: drafts an answer and sends nothing by itself; the same run gives the same result', async () => {
    const first = await world('copilot')
    expect(first.events.filter((event) => event.type === 'auto-reply-sent')).toEqual([])
    expect(
      first.events.filter((event) => event.type === 'suggestion-ready').map((event) => event.leadId),
    ).toEqual(['tom'])
    const tom = first.conversations.find((each) => each.leadId === 'tom')
    expect(tom?.agent.hasSuggestion).toBe(true)
    const again = await world('copilot')
    expect(again.events).toEqual(first.events)
  })
})
