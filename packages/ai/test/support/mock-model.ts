import { APICallError } from 'ai'
import { MockLanguageModelV3 } from 'ai/test'

type LanguageModelV3CallOptions = MockLanguageModelV3['doGenerateCalls'][number]
type LanguageModelV3GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>

/** What the mock model answers: a text, or a value sent as its JSON text. */
export type MockAnswer = string | { readonly json: unknown } | Error

/** A model result carrying `text`, with the token counts a vendor would report. */
export function result(text: string, input = 120, output = 30): LanguageModelV3GenerateResult {
  return {
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop', raw: 'stop' },
    usage: {
      inputTokens: { total: input, noCache: input, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: output, text: output, reasoning: undefined },
    },
    warnings: [],
  }
}

/**
 * A `MockLanguageModelV3` that gives the answers in order (the last one again when they run out): a string
 * as the model's text, `{ json }` as its JSON, an Error thrown as the call's failure.
 */
export function mockModel(...answers: MockAnswer[]): MockLanguageModelV3 {
  let next = 0
  return new MockLanguageModelV3({
    provider: 'mock',
    modelId: 'mock-model',
    doGenerate: async () => {
      const answer = answers[Math.min(next, answers.length - 1)]
      next++
      if (answer instanceof Error) throw answer
      if (answer === undefined) throw new Error('the mock model has no answer')
      return result(typeof answer === 'string' ? answer : JSON.stringify(answer.json))
    },
  })
}

/** A model that answers only when the call is aborted (it never answers by itself). */
export function hangingModel(options: { readonly ignoreAbort?: boolean } = {}): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'mock',
    modelId: 'slow-model',
    doGenerate: (call: LanguageModelV3CallOptions) =>
      new Promise<LanguageModelV3GenerateResult>((_, reject) => {
        if (options.ignoreAbort === true) return
        call.abortSignal?.addEventListener('abort', () => reject(call.abortSignal?.reason), { once: true })
      }),
  })
}

/**
 * What an AI SDK provider throws when the vendor's API refuses a request (`isRetryable` like a 429 or 5xx).
 * Its `retry-after-ms` header (5 ms unless given; `null` for none) keeps the AI SDK's wait between retries
 * short in tests; without one, the AI SDK waits 2 s, then 4 s, ...
 */
export function apiError(
  statusCode: number,
  options: { readonly isRetryable?: boolean; readonly retryAfterMs?: number | null } = {},
): APICallError {
  const retryAfterMs = options.retryAfterMs === undefined ? 5 : options.retryAfterMs
  return new APICallError({
    message: `HTTP ${statusCode} from the vendor; key sk-test-SECRET-KEY-1234`,
    url: 'https://api.vendor.example/v1/responses',
    requestBodyValues: { prompt: 'the whole request body' },
    statusCode,
    responseHeaders: retryAfterMs === null ? {} : { 'retry-after-ms': String(retryAfterMs) },
    responseBody: '{"error":{"message":"refused"}}',
    isRetryable: options.isRetryable ?? (statusCode === 429 || statusCode >= 500),
  })
}

/** The system prompt and the user message's text of one call the mock received. */
export function promptOf(call: LanguageModelV3CallOptions | undefined): { system: string; user: string } {
  if (call === undefined) throw new Error('the model was not called')
  const [system, user, ...rest] = call.prompt
  if (system?.role !== 'system' || user?.role !== 'user' || rest.length > 0)
    throw new Error(`unexpected prompt shape: ${call.prompt.map((message) => message.role).join(', ')}`)
  const parts = user.content
  if (parts.length !== 1 || parts[0]?.type !== 'text')
    throw new Error('the user message is not one text part')
  return { system: system.content, user: parts[0].text }
}
