import { PacelineError } from '@paceline/core'
import { describe, expect, it } from 'vitest'
import { AI_PROVIDER_DEFAULTS, type CreateAiProviderOptions, createAiProvider } from '../src/index'
import { mockModel } from './support/mock-model'

function refusal(options: unknown): PacelineError {
  try {
    createAiProvider(options as CreateAiProviderOptions)
  } catch (error) {
    if (error instanceof PacelineError) return error
    throw error
  }
  throw new Error('the options were accepted')
}

describe('createAiProvider options', () => {
  it('gives a v1 AI provider named after its model', () => {
    const ai = createAiProvider({ model: mockModel('hi') })
    expect(ai.specificationVersion).toBe('v1')
    expect(ai.modelName).toBe('mock/mock-model')
    expect(AI_PROVIDER_DEFAULTS).toEqual({ timeoutMs: 30_000, maxRetries: 2 })
  })

  it('requires a model', () => {
    const error = refusal({})
    expect(error.code).toBe('invalid_options')
    expect(error.issues).toEqual([
      expect.objectContaining({
        field: 'model',
        rule: 'required',
        message: expect.stringMatching(/^is required: an AI SDK language model/),
      }),
    ])
    expect(error.message).toMatch(/^createAiProvider options has 1 problem:\n {2}- model: is required/)
  })

  it('refuses a model id string and an object that is not an AI SDK model', () => {
    expect(refusal({ model: 'openai/gpt-4o-mini' }).issues).toEqual([
      expect.objectContaining({
        field: 'model',
        message: expect.stringContaining('a model id string such as "openai/gpt-4o-mini" is not accepted'),
      }),
    ])
    expect(refusal({ model: { modelId: 'gpt-4o-mini' } }).issues).toEqual([
      expect.objectContaining({
        field: 'model',
        message: expect.stringContaining('(an object with specificationVersion and doGenerate)'),
      }),
    ])
  })

  it('names each invalid field', () => {
    const error = refusal({
      model: mockModel('hi'),
      timeoutMs: 0,
      maxRetries: 11,
      temperature: 3,
      system: 42,
    })
    expect(error.issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['system', 'invalid_type'],
      ['timeoutMs', 'too_small'],
      ['maxRetries', 'too_large'],
      ['temperature', 'too_large'],
    ])
    expect(refusal({ model: mockModel('hi'), timeoutMs: 1.5 }).issues[0]).toMatchObject({
      field: 'timeoutMs',
      rule: 'not_integer',
    })
  })

  it('refuses an unknown option by name', () => {
    expect(refusal({ model: mockModel('hi'), retries: 3 }).issues).toEqual([
      expect.objectContaining({ field: 'retries', rule: 'unknown_field' }),
    ])
  })
})
