import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { LanguageModel } from 'ai'
import { z } from 'zod'

/** An AI SDK language model object, as a provider package creates it (`openai('gpt-4o-mini')`, ...). */
export type AiSdkLanguageModel = Exclude<LanguageModel, string>

export interface CreateAiProviderOptions {
  /**
   * The language model every call uses: any AI SDK model object, such as `openai('gpt-4o-mini')` from
   * `@ai-sdk/openai`, `anthropic('claude-haiku-4-5')` from `@ai-sdk/anthropic`, `google('gemini-2.5-flash')`
   * from `@ai-sdk/google` or `xai('grok-3-mini')` from `@ai-sdk/xai`. A model id string is not accepted: it
   * would go through the AI SDK's global provider (the Vercel AI Gateway) without you choosing it.
   */
  readonly model: AiSdkLanguageModel
  /**
   * Your own instructions, put first in the system prompt of every call (your company's tone, what you sell,
   * words to avoid). The provider's rules follow them, so they cannot switch those rules off.
   */
  readonly system?: string
  /**
   * How long one call may take, retries and their waits included, before it fails as retryable. Default
   * 30,000 ms.
   */
  readonly timeoutMs?: number
  /**
   * Retries of a request the model's API refused for a passing reason (429, 5xx, a dropped connection),
   * done by the AI SDK, which honours `Retry-After`. Default 2; 0 turns them off.
   */
  readonly maxRetries?: number
  /** Passed to the model as is; its range depends on the vendor (0 to 2 for OpenAI). Default the vendor's. */
  readonly temperature?: number
}

/** The defaults of `createAiProvider`'s options. */
export const AI_PROVIDER_DEFAULTS = { timeoutMs: 30_000, maxRetries: 2 } as const

const MODEL_HINT =
  "an AI SDK language model, such as openai('gpt-4o-mini') from @ai-sdk/openai or anthropic('claude-haiku-4-5') from @ai-sdk/anthropic"

const modelSchema = z.unknown().superRefine((value, context) => {
  if (value === undefined) {
    context.addIssue({ code: 'custom', message: `is required: ${MODEL_HINT}`, params: { rule: 'required' } })
    return
  }
  if (typeof value === 'string') {
    context.addIssue({
      code: 'custom',
      message: `must be ${MODEL_HINT}; a model id string such as ${JSON.stringify(value.slice(0, 60))} is not accepted`,
    })
    return
  }
  const candidate = value as { specificationVersion?: unknown; doGenerate?: unknown } | null
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.specificationVersion !== 'string' ||
    typeof candidate.doGenerate !== 'function'
  ) {
    context.addIssue({
      code: 'custom',
      message: `must be ${MODEL_HINT} (an object with specificationVersion and doGenerate)`,
    })
  }
})

const schema = z.strictObject({
  model: modelSchema,
  system: z.string().max(20_000).optional(),
  timeoutMs: z.number().int().min(10).max(600_000).optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  temperature: z.number().min(0).max(2).optional(),
})

/** Validates `createAiProvider`'s options: `invalid_options`, with one issue per field. */
export function parseAiProviderOptions(options: unknown): CreateAiProviderOptions {
  const result = schema.safeParse(options, { reportInput: true })
  if (!result.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'createAiProvider options', result.error)
  return result.data as CreateAiProviderOptions
}
