import { describe, expect, it } from 'vitest'
import { conversationId, type SequenceInput } from '../../src/index'
import type { AiProviderV1 } from '../../src/ports'
import { createDeterministicAi } from '../../src/testing'
import { fixture } from './engine-fixture'

const withVariables = {
  version: 1,
  start: 'intro',
  aiVariables: {
    opener: { prompt: 'One line about their company' },
    segment: { prompt: 'Their segment', options: ['smb', 'mid_market', 'enterprise'] },
  },
  steps: {
    intro: {
      kind: 'email',
      subject: 'Quick question',
      body: '{{ai.opener}} ({{ai.segment}})',
      next: 'follow',
    },
    follow: { kind: 'email', delay: { days: 1 }, ai: { prompt: 'Follow up briefly' }, next: null },
  },
} satisfies SequenceInput

/** The deterministic AI, counting the calls it gets. */
function countingAi() {
  const inner = createDeterministicAi()
  const calls = { generate: 0, fill: 0, classify: 0, suggest: 0 }
  const counted =
    <R, T>(operation: keyof typeof calls, call: (request: R) => Promise<T>) =>
    (request: R): Promise<T> => {
      calls[operation]++
      return call(request)
    }
  const ai: AiProviderV1 = {
    specificationVersion: 'v1',
    generateMessage: counted('generate', (request) => inner.generateMessage(request)),
    fillVariables: counted('fill', (request) => inner.fillVariables(request)),
    classifyReply: counted('classify', (request) => inner.classifyReply(request)),
    suggestReply: counted('suggest', (request) => inner.suggestReply(request)),
  }
  return { ai, calls }
}

describe('AI usage and kept AI variables', () => {
  it('writes AI variables once per lead (a retried send reuses them) and meters every call per campaign and day', async () => {
    const { ai, calls } = countingAi()
    let refuse = true
    const world = await fixture({
      sequence: withVariables,
      ai,
      campaign: { settings: { replies: { mode: 'automatic', prompt: 'Offer a call' } } },
      email: {
        respond: (message) => {
          if (!refuse || message.subject !== 'Quick question') return undefined
          refuse = false
          return { ok: false, reason: 'retryable', message: '421 try later', retryAfterMs: 60_000 }
        },
      },
    })
    await world.runUntil('2026-03-02T12:00:00Z')
    const intro = world.email.sent.find((message) => message.subject === 'Quick question')
    expect(intro?.text).toMatch(
      /^One line about their company \(for Firstl0\) \((smb|mid_market|enterprise)\)$/,
    )
    expect(world.email.attempts.filter((message) => message.subject === 'Quick question')).toHaveLength(2)
    expect(calls.fill).toBe(1) // the retry read the kept values

    await world.engine.ingest({
      type: 'reply-received',
      channel: 'email',
      lead: { messageId: intro?.messageId },
      text: 'Sounds interesting, tell me more',
    })
    await world.runUntil('2026-03-02T16:00:00Z')
    expect((await world.engine.conversations.get(conversationId('ana', 'l0', 'email'))).agent.answers).toBe(1)

    const usage = await world.engine.aiUsage({ campaignId: 'c' })
    expect(usage).toEqual([
      expect.objectContaining({
        campaignId: 'c',
        date: '2026-03-02',
        calls: 3,
        byOperation: { generate: 0, fill: 1, classify: 1, suggest: 1 },
      }),
    ])
    expect(usage[0]?.totalTokens).toBe((usage[0]?.inputTokens ?? 0) + (usage[0]?.outputTokens ?? 0))
    expect(usage[0]?.totalTokens).toBeGreaterThan(0)
    expect(await world.engine.aiUsage({ from: '2026-03-03' })).toEqual([])
    expect(await world.engine.aiUsage()).toHaveLength(1)
    await expect(world.engine.aiUsage({ from: 'yesterday' })).rejects.toMatchObject({ code: 'invalid_query' })
    await world.engine.close()
  })
})
