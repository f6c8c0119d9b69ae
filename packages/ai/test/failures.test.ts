import { PacelineError } from '@paceline/core'
import { describe, expect, it } from 'vitest'
import { createAiProvider } from '../src/index'
import { apiError, hangingModel, mockModel } from './support/mock-model'
import { classifyRequest, messageRequest, suggestRequest, variablesRequest } from './support/requests'

async function failure(promise: Promise<unknown>): Promise<PacelineError> {
  const error = await promise.then(
    () => undefined,
    (each: unknown) => each,
  )
  if (!(error instanceof PacelineError)) throw new Error(`expected a PacelineError, got ${String(error)}`)
  return error
}

describe('timeouts', () => {
  it('gives up after timeoutMs, aborting the call, as a retryable channel_failed', async () => {
    const model = hangingModel()
    const ai = createAiProvider({ model, timeoutMs: 50 })
    const started = Date.now()
    const error = await failure(ai.classifyReply(classifyRequest('Hello?')))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(error).toMatchObject({
      code: 'channel_failed',
      isRetryable: true,
      message: 'AI classifyReply with mock/slow-model got no answer within 50 ms',
      details: { operation: 'classifyReply', model: 'mock/slow-model', reason: 'timeout', timeoutMs: 50 },
    })
    expect(model.doGenerateCalls[0]?.abortSignal?.aborted).toBe(true)
  })

  it('gives up even when the model ignores the abort signal', async () => {
    const ai = createAiProvider({ model: hangingModel({ ignoreAbort: true }), timeoutMs: 50 })
    const error = await failure(ai.generateMessage(messageRequest()))
    expect(error.details).toMatchObject({ reason: 'timeout' })
  })

  it('counts the retries and their waits inside the timeout', async () => {
    // Without a Retry-After, the AI SDK waits 2 s before its first retry: the timeout comes first.
    const model = mockModel(apiError(503, { retryAfterMs: null }))
    const ai = createAiProvider({ model, timeoutMs: 300, maxRetries: 10 })
    const error = await failure(ai.suggestReply(suggestRequest()))
    expect(error.details).toMatchObject({ reason: 'timeout', timeoutMs: 300 })
    expect(model.doGenerateCalls).toHaveLength(1)
  })
})

describe('retries', () => {
  it('retries a retryable error (429, 503) through the AI SDK, then succeeds', async () => {
    const model = mockModel(apiError(429), apiError(503), { json: { opener: 'Hi', industry: 'saas' } })
    const ai = createAiProvider({ model })
    expect((await ai.fillVariables(variablesRequest())).values).toEqual({ opener: 'Hi', industry: 'saas' })
    expect(model.doGenerateCalls).toHaveLength(3)
  })

  it('stops after maxRetries, retryable, saying how many attempts were made', async () => {
    const model = mockModel(apiError(503))
    const ai = createAiProvider({ model, maxRetries: 2 })
    const error = await failure(ai.generateMessage(messageRequest()))
    expect(model.doGenerateCalls).toHaveLength(3)
    expect(error).toMatchObject({
      code: 'channel_failed',
      isRetryable: true,
      message:
        'AI generateMessage with mock/mock-model failed after 3 attempts: the API answered HTTP 503 (retryable)',
      details: { reason: 'api_error', status: 503, attempts: 3, errorName: 'AI_APICallError' },
    })
  })

  it('does not retry a non-retryable error', async () => {
    const model = mockModel(apiError(400), { json: { text: 'unused', confident: true, handOffReason: null } })
    const ai = createAiProvider({ model })
    const error = await failure(ai.suggestReply(suggestRequest()))
    expect(model.doGenerateCalls).toHaveLength(1)
    expect(error).toMatchObject({
      isRetryable: false,
      message: 'AI suggestReply with mock/mock-model failed: the API answered HTTP 400 (not retryable)',
      details: { operation: 'suggestReply', reason: 'api_error', status: 400 },
    })
  })

  it('is not retryable when a retry met a non-retryable error', async () => {
    const model = mockModel(apiError(503), apiError(401))
    const ai = createAiProvider({ model })
    const error = await failure(ai.classifyReply(classifyRequest('Hi')))
    expect(model.doGenerateCalls).toHaveLength(2)
    expect(error).toMatchObject({ isRetryable: false, details: { status: 401, attempts: 2 } })
  })

  it('makes one attempt with maxRetries 0, still reporting the error as retryable', async () => {
    const model = mockModel(apiError(503))
    const ai = createAiProvider({ model, maxRetries: 0 })
    const error = await failure(ai.classifyReply(classifyRequest('Hi')))
    expect(model.doGenerateCalls).toHaveLength(1)
    expect(error).toMatchObject({ isRetryable: true, details: { status: 503 } })
    expect(error.details).not.toHaveProperty('attempts')
  })
})

describe('error contents', () => {
  it('names the call and the model, never the prompt, the lead or the key; the request is not attached', async () => {
    const ai = createAiProvider({ model: mockModel(apiError(400)), system: 'TOP-SECRET-HOST-PROMPT' })
    const error = await failure(
      ai.generateMessage(
        messageRequest({
          prompt: 'TOP-SECRET-STEP-PROMPT',
          lead: { id: 'eva', profile: { firstName: 'Evangelina' } },
        }),
      ),
    )
    const everything = `${error.message} ${JSON.stringify(error.details)} ${JSON.stringify(error.issues)}`
    for (const secret of ['TOP-SECRET', 'Evangelina', 'sk-test-SECRET-KEY', 'whole request body', 'refused'])
      expect(everything).not.toContain(secret)
    expect(error.cause).toBeUndefined()
  })

  it('reports anything else the AI SDK throws as a failure that is not retryable', async () => {
    const ai = createAiProvider({ model: mockModel(new TypeError('boom')) })
    expect(await failure(ai.generateMessage(messageRequest()))).toMatchObject({
      code: 'channel_failed',
      isRetryable: false,
      message: 'AI generateMessage with mock/mock-model failed: an error TypeError was thrown',
      details: { reason: 'failed', errorName: 'TypeError' },
    })
  })
})
