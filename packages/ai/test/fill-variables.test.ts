import { describe, expect, it } from 'vitest'
import { createAiProvider } from '../src/index'
import { mockModel, promptOf } from './support/mock-model'
import { variablesRequest } from './support/requests'

describe('fillVariables', () => {
  it('fills every variable in one structured-output call, an enum for a "One off" variable', async () => {
    const model = mockModel({
      json: { opener: '  Running ops at Lind & Co must keep you busy. ', industry: 'retail' },
    })
    const ai = createAiProvider({ model })
    const filled = await ai.fillVariables(variablesRequest())
    expect(filled).toEqual({
      values: { opener: 'Running ops at Lind & Co must keep you busy.', industry: 'retail' },
      usage: { inputTokens: 120, outputTokens: 30, totalTokens: 150 },
    })
    expect(model.doGenerateCalls).toHaveLength(1)
    const call = model.doGenerateCalls[0]
    expect(call?.responseFormat).toEqual({
      type: 'json',
      name: 'variables',
      schema: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          opener: { type: 'string' },
          industry: { type: 'string', enum: ['saas', 'retail', 'manufacturing'] },
        },
        required: ['opener', 'industry'],
        additionalProperties: false,
      },
    })
    const { system, user } = promptOf(call)
    expect(system).toContain(
      [
        'The variables, each with what its value must be and its instructions:',
        '<variable name="opener" answer="at most 80 characters">',
        "One sentence about the lead's role.",
        '</variable>',
        '<variable name="industry" answer="exactly one of &quot;saas&quot;, &quot;retail&quot;, &quot;manufacturing&quot;, copied as is">',
        "The lead's industry.",
        '</variable>',
      ].join('\n'),
    )
    expect(system).toContain(
      'Answer with JSON: one field per variable below, named like it, holding its value.',
    )
    expect(user).toMatch(
      /^<sender>\n[\s\S]*<\/sender>\n<lead_profile>\n[\s\S]*<\/lead_profile>\n\nFill the variables for this lead\.$/,
    )
  })

  it('refuses an answer outside a "One off" variable\'s options, without asking again', async () => {
    const model = mockModel({ json: { opener: 'Hello', industry: 'fintech' } })
    const ai = createAiProvider({ model })
    await expect(ai.fillVariables(variablesRequest())).rejects.toMatchObject({
      code: 'channel_failed',
      isRetryable: false,
      message: 'AI fillVariables with mock/mock-model failed: the answer did not match the expected JSON',
      details: { operation: 'fillVariables', model: 'mock/mock-model', reason: 'invalid_output' },
    })
    expect(model.doGenerateCalls).toHaveLength(1)
  })

  it('refuses an answer that leaves a variable out', async () => {
    const ai = createAiProvider({ model: mockModel({ json: { industry: 'saas' } }) })
    await expect(ai.fillVariables(variablesRequest())).rejects.toMatchObject({
      details: { reason: 'invalid_output' },
    })
  })

  it('refuses a free-text value longer than its maxLength, or empty', async () => {
    const long = createAiProvider({
      model: mockModel({ json: { opener: 'x'.repeat(81), industry: 'saas' } }),
    })
    await expect(long.fillVariables(variablesRequest())).rejects.toMatchObject({
      message:
        "AI fillVariables with mock/mock-model wrote 81 characters for the variable 'opener'; the limit is 80",
      details: { reason: 'too_long', length: 81, maxLength: 80 },
    })
    const empty = createAiProvider({ model: mockModel({ json: { opener: ' ', industry: 'saas' } }) })
    await expect(empty.fillVariables(variablesRequest())).rejects.toMatchObject({
      message: "AI fillVariables with mock/mock-model wrote an empty variable 'opener'",
      details: { reason: 'empty_text' },
    })
  })

  it('makes no call when no variable is asked', async () => {
    const model = mockModel('unused')
    const ai = createAiProvider({ model })
    expect(await ai.fillVariables(variablesRequest({ variables: {} }))).toEqual({
      values: {},
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    })
    expect(model.doGenerateCalls).toHaveLength(0)
  })
})
