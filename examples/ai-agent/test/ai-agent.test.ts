import { describe, expect, it } from 'vitest'
import { type AiAgentDemo, PROMPT, runAiAgentDemo } from '../src/ai-agent-demo'
import { formatTranscript } from '../src/transcript'

const demo: AiAgentDemo = await runAiAgentDemo()
const to = (address: string) => demo.emails.filter((message) => message.to.address === address)
const ofType = (type: string, leadId?: string) =>
  demo.events.filter((event) => event.type === type && (leadId === undefined || event.leadId === leadId))

describe('part 1: copilot', () => {
  it('drafts an answer to the reply and sends nothing by itself', () => {
    expect(demo.draft).toBe(
      `Thanks Eva! About "Sounds interesting. How would it work for a team of 12?": ${PROMPT}. Best, Ana Ruiz`,
    )
    expect(ofType('suggestion-ready')).toHaveLength(1) // one draft in the whole run: only for Eva's first reply
    expect(ofType('auto-reply-sent', 'eva')).toEqual([])
  })

  it("sends the person's edited draft in the lead's thread, and the agent stands down for good", () => {
    expect(demo.sentByHand).toBe(
      'Thanks Eva! It works the same for 12 people: each gets their own login. Would Tuesday at 10:00 suit you for a 20-minute call? Best, Ana Ruiz',
    )
    const [intro, answer, ...more] = to('eva@northwind.example')
    expect(more).toEqual([]) // no follow-up: the reply stopped the sequence
    expect(answer).toMatchObject({
      text: demo.sentByHand,
      subject: 'Re: Month-end at Northwind',
      inReplyTo: '<eva-1@northwind.example>',
      references: [intro?.messageId, '<eva-1@northwind.example>'],
    })
    expect(ofType('reply-sent', 'eva')).toHaveLength(1)
    expect(demo.conversations.eva.agent).toMatchObject({ status: 'stood_down', hasSuggestion: false })
    // Eva's second reply got no draft and no answer, and waits for a person.
    expect(demo.conversations.eva.messages.map((each) => each.author)).toEqual([
      'sequence',
      'lead',
      'person',
      'lead',
    ])
    expect(demo.conversations.eva.needsAnswer).toBe(true)
  })
})

describe('part 2: automatic', () => {
  it('answers once by itself, in the thread, a human-like delay after the reply', () => {
    expect(demo.automaticAnswer).toBe(
      `Thanks Tom! About "Interesting. Do you work with logistics companies?": ${PROMPT}. Best, Ana Ruiz`,
    )
    const answers = to('tom@fabrikam.example').filter((message) => message.text === demo.automaticAnswer)
    expect(answers).toHaveLength(1)
    expect(answers[0]?.inReplyTo).toBe('<tom-1@fabrikam.example>')
    const sent = ofType('auto-reply-sent', 'tom')
    expect(sent).toHaveLength(1)
    const delay = Date.parse(sent[0]?.at ?? '') - Date.parse('2026-03-02T11:10:00Z')
    expect(delay).toBeGreaterThanOrEqual(5 * 60_000)
    expect(delay).toBeLessThanOrEqual(30 * 60_000)
  })

  it('hands the pricing question to a person, who answers it', () => {
    expect(demo.handOff).toEqual({
      reason: 'escalation',
      why: 'the lead raises pricing, which a person should answer',
    })
    expect(ofType('handed-off').map((event) => event.leadId)).toEqual(['tom'])
    expect(demo.conversations.tom.agent).toMatchObject({
      status: 'stood_down', // the person's answer came after the hand-off
      answers: 1,
      pending: null,
    })
    expect(demo.conversations.tom.messages.map((each) => [each.author, each.text])).toEqual([
      [
        'sequence',
        'Hi Tom, Acme Close helps finance teams close the books in 2 days instead of 8. Worth 20 minutes?',
      ],
      ['lead', 'Interesting. Do you work with logistics companies?'],
      ['agent', demo.automaticAnswer],
      ['lead', 'Good to know. What would it cost for 12 seats?'],
      ['person', demo.answeredByHand],
    ])
  })
})

describe('the whole run', () => {
  it('sends nothing twice and no follow-up after a reply', () => {
    const ids = demo.emails.map((message) => message.messageId)
    expect(new Set(ids).size).toBe(ids.length)
    const texts = demo.emails.map((message) => `${message.to.address} ${message.text}`)
    expect(new Set(texts).size).toBe(texts.length)
    expect(demo.emails).toHaveLength(5) // two intros, the agent's answer, two answers by hand
    expect(demo.emails.some((message) => message.text.includes('bumping this up'))).toBe(false)
  })

  it('meters the AI calls: every reply classified, one draft and one answer written', () => {
    expect(demo.aiUsage).toHaveLength(1)
    expect(demo.aiUsage[0]).toMatchObject({
      campaignId: 'q2',
      date: '2026-03-02',
      calls: 6,
      byOperation: { generate: 0, fill: 0, classify: 4, suggest: 2 },
    })
  })

  it('prints a transcript with who said what, the draft and the events', () => {
    const text = formatTranscript(demo.transcript)
    expect(text).toContain('Mon 10:05  Eva -> Ana')
    expect(text).toContain('AI draft for Eva (waits for a person):')
    expect(text).toContain('Mon 10:20  Ana (by hand) -> Eva')
    expect(text).toContain('Ana (AI agent) -> Tom')
    expect(text).toContain(
      '[handed-off] Tom: reason escalation: the lead raises pricing, which a person should answer',
    )
    expect(text).toContain('No draft this time: the agent stood down when Ana answered.')
    expect(text).toContain('A week later: 5 emails sent in all, 0 of them twice; 0 follow-ups')
  })

  it('gives the same transcript every run', async () => {
    expect((await runAiAgentDemo()).transcript).toEqual(demo.transcript)
  })
})
