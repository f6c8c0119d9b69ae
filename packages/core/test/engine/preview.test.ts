import { Effect, Fiber, Layer } from 'effect'
import * as TestClock from 'effect/testing/TestClock'
import { describe, expect, it } from 'vitest'
import {
  AiService,
  createEngine,
  EngineSettingsService,
  PacelineEngine,
  type SequenceInput,
  StorageService,
} from '../../src/index'
import type { AiProviderV1 } from '../../src/ports'
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

async function engineWith(
  mode: 'manual' | 'copilot' | 'automatic',
  ai: AiProviderV1 = createDeterministicAi(),
) {
  const email = createMemoryEmailChannel()
  const storage = createMemoryStorage()
  const engine = createEngine({ storage, email, ai })
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
    expect((await engine.leads.list('c', { order: 'oldest', limit: 500 })).items).toEqual([])
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

describe('the AI in a preview', () => {
  it('shows a failing AI as the "ai_failed" hand-off the live agent would end in, not as a storage error', async () => {
    const { engine } = await engineWith(
      'automatic',
      createDeterministicAi({ fail: (operation) => operation === 'suggest' }),
    )
    const preview = await engine.preview('c', { lead: eva, replies: ['Sounds good, tell me more', 'Hello?'] })
    expect(preview.conversation).toEqual([
      {
        reply: 'Sounds good, tell me more',
        handOff: { reason: 'ai_failed', detail: expect.stringMatching(/^the AI failed: .*unavailable/) },
      },
      { reply: 'Hello?' }, // a person has it now
    ])
    await engine.close()

    // An answer without a text and a confidence is a failure too; a failed classification is not needed.
    const inner = createDeterministicAi()
    const broken = await engineWith('automatic', {
      ...inner,
      classifyReply: () => Promise.reject(new Error('the classifier is down')),
      suggestReply: () => Promise.resolve({} as never),
    })
    const answered = await broken.engine.preview('c', { lead: eva, replies: ['Tell me more'] })
    expect(answered.conversation[0]?.handOff).toEqual({
      reason: 'ai_failed',
      detail: 'the AI failed: the AI answered without a text and a confidence',
    })
    await broken.engine.close()
  })

  it('meters its AI calls per campaign, like the live agent', async () => {
    const { engine } = await engineWith('automatic')
    await engine.preview('c', { lead: eva, replies: ['Sounds interesting', 'Stop emailing me'] })
    const [today] = await engine.aiUsage({ campaignId: 'c' })
    // One message and one set of variables written, two replies classified, one answer written.
    expect(today?.byOperation).toEqual({ generate: 1, fill: 1, classify: 2, suggest: 1 })
    expect(today?.totalTokens).toBeGreaterThan(0)
    await engine.close()
  })

  it("bounds classification and answers by the engine's channel timeout", async () => {
    const hanging: AiProviderV1 = {
      ...createDeterministicAi(),
      classifyReply: () => new Promise(() => {}),
      suggestReply: () => new Promise(() => {}),
    }
    const program = Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse('2026-03-02T08:00:00Z'))
      const engine = yield* PacelineEngine
      yield* engine.putIdentity(identity({ id: 'ana' }))
      yield* engine.createCampaign({
        id: 'c',
        identityId: 'ana',
        sequence,
        settings: { replies: { mode: 'automatic', prompt: 'Offer a call' } },
      })
      const previewing = yield* Effect.forkChild(
        engine.preview('c', { lead: eva, replies: ['Tell me more'] }),
      )
      for (let round = 0; round < 2; round++) {
        yield* settle
        yield* TestClock.adjust('61 seconds')
      }
      yield* settle
      return yield* Fiber.join(previewing)
    })
    const preview = await Effect.runPromise(
      program.pipe(
        Effect.provide(
          PacelineEngine.layer.pipe(
            Layer.provide(
              Layer.mergeAll(
                Layer.succeed(StorageService, createMemoryStorage()),
                Layer.succeed(AiService, hanging),
                Layer.succeed(EngineSettingsService, { channelTimeoutMs: 60_000 }),
              ),
            ),
            Layer.provideMerge(TestClock.layer()),
          ),
        ),
      ),
    )
    expect(preview.conversation).toEqual([
      {
        reply: 'Tell me more',
        handOff: { reason: 'ai_failed', detail: 'the AI failed: the AI did not answer in time' },
      },
    ])
  })
})

/** Lets forked fibers and the engine's promises settle without moving the clock. */
const settle = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
