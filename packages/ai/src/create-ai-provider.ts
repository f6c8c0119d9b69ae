import type {
  AiProviderV1,
  AiUsage,
  AiVariableRequest,
  FilledVariables,
  GeneratedMessage,
  ReplyClassification,
  ReplySuggestion,
} from '@paceline/core/ports'
import { generateText, type LanguageModelUsage, Output } from 'ai'
import { z } from 'zod'
import { type AiOperation, aiFailed, aiFailureOf, modelNameOf } from './ai-failure'
import {
  AI_PROVIDER_DEFAULTS,
  type AiSdkLanguageModel,
  type CreateAiProviderOptions,
  parseAiProviderOptions,
} from './ai-provider-options'
import {
  type AiPrompt,
  classifyReplyPrompt,
  fillVariablesPrompt,
  generateMessagePrompt,
  REPLY_TAGS,
  SUBJECT_MAX_LENGTH,
  suggestReplyPrompt,
} from './prompts'

/** paceline's AI port on an AI SDK language model. */
export interface AiProvider extends AiProviderV1 {
  /** The model's name as errors give it: `provider/modelId` (`openai.responses/gpt-4o-mini`). */
  readonly modelName: string
}

const subjectAndText = z.object({ subject: z.string(), text: z.string() })

const classification = z.object({
  sentiment: z.enum(['positive', 'neutral', 'negative']),
  outOfOffice: z.boolean(),
  optOut: z.boolean(),
  tags: z.array(z.string()),
})

const suggestion = z.object({
  text: z.string(),
  confident: z.boolean(),
  handOffReason: z.string().nullable(),
})

const MAX_TAGS = 10

/**
 * The AI port (`AiProviderV1`) on the Vercel AI SDK: messages, AI variables, reply classifications and
 * suggested answers from the model you give, with structured output validated by zod, lengths bounded,
 * the lead's text passed as delimited data, and the tokens every call used.
 */
export function createAiProvider(input: CreateAiProviderOptions): AiProvider {
  const options = parseAiProviderOptions(input)
  const model: AiSdkLanguageModel = options.model
  const modelName = modelNameOf(model)
  const timeoutMs = options.timeoutMs ?? AI_PROVIDER_DEFAULTS.timeoutMs
  const maxRetries = options.maxRetries ?? AI_PROVIDER_DEFAULTS.maxRetries
  const settings = {
    model,
    maxRetries,
    ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
  }

  /** Runs one call within the timeout (the signal goes to the AI SDK; the race covers a model that ignores it). */
  async function call<T>(operation: AiOperation, run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController()
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    )
    const aborted = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true })
    })
    try {
      return await Promise.race([run(controller.signal), aborted])
    } catch (error) {
      throw aiFailureOf(operation, modelName, error, controller.signal.aborted ? { timeoutMs } : undefined)
    } finally {
      clearTimeout(timer)
    }
  }

  async function text(operation: AiOperation, prompt: AiPrompt) {
    return call(operation, async (abortSignal) => {
      const result = await generateText({
        ...settings,
        system: prompt.system,
        prompt: prompt.user,
        abortSignal,
      })
      return { text: result.text, usage: usageOf(result.totalUsage) }
    })
  }

  async function object<S extends z.ZodType>(
    operation: AiOperation,
    prompt: AiPrompt,
    name: string,
    schema: S,
  ) {
    return call(operation, async (abortSignal) => {
      const result = await generateText({
        ...settings,
        system: prompt.system,
        prompt: prompt.user,
        output: Output.object({ schema, name }),
        abortSignal,
      })
      return { output: result.output as z.output<S>, usage: usageOf(result.totalUsage) }
    })
  }

  /** A text the model wrote, trimmed, refused when empty or longer than allowed. */
  function bounded(
    operation: AiOperation,
    what: string,
    value: string,
    maxLength: number | undefined,
  ): string {
    const trimmed = value.trim()
    if (trimmed === '')
      throw aiFailed(operation, modelName, `wrote an empty ${what}`, false, { reason: 'empty_text' })
    if (maxLength !== undefined && trimmed.length > maxLength)
      throw aiFailed(
        operation,
        modelName,
        `wrote ${trimmed.length} characters for the ${what}; the limit is ${maxLength}`,
        false,
        { reason: 'too_long', length: trimmed.length, maxLength },
      )
    return trimmed
  }

  return {
    specificationVersion: 'v1',
    modelName,

    async generateMessage(request): Promise<GeneratedMessage> {
      const prompt = generateMessagePrompt(options.system, request)
      if (request.withSubject === true) {
        const { output, usage } = await object('generateMessage', prompt, 'message', subjectAndText)
        const subject = bounded(
          'generateMessage',
          'subject',
          output.subject.replace(/\s+/g, ' '),
          SUBJECT_MAX_LENGTH,
        )
        return { text: bounded('generateMessage', 'message', output.text, request.maxLength), subject, usage }
      }
      const generated = await text('generateMessage', prompt)
      return {
        text: bounded('generateMessage', 'message', generated.text, request.maxLength),
        usage: generated.usage,
      }
    },

    async fillVariables(request): Promise<FilledVariables> {
      const entries = Object.entries(request.variables)
      if (entries.length === 0)
        return { values: {}, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } }
      const schema = z.object(
        Object.fromEntries(entries.map(([name, variable]) => [name, fieldOf(variable)])),
      )
      const prompt = fillVariablesPrompt(options.system, request)
      const { output, usage } = await object('fillVariables', prompt, 'variables', schema)
      const values: Record<string, string> = {}
      for (const [name, variable] of entries) {
        const value = String(output[name] ?? '')
        // An option is returned exactly as listed; a free text is trimmed and bounded.
        values[name] =
          variable.options !== undefined && variable.options.length > 0
            ? value
            : bounded('fillVariables', `variable '${name}'`, value, variable.maxLength)
      }
      return { values, usage }
    },

    async classifyReply(request): Promise<ReplyClassification> {
      const prompt = classifyReplyPrompt(options.system, request)
      const { output, usage } = await object('classifyReply', prompt, 'classification', classification)
      return {
        sentiment: output.sentiment,
        outOfOffice: output.outOfOffice,
        optOut: output.optOut,
        tags: tagsOf(output.tags),
        usage,
      }
    },

    async suggestReply(request): Promise<ReplySuggestion> {
      const prompt = suggestReplyPrompt(options.system, request)
      const { output, usage } = await object('suggestReply', prompt, 'reply', suggestion)
      const reason = output.handOffReason?.trim()
      const handOff = reason === undefined || reason === '' ? {} : { handOffReason: reason }
      if (!output.confident) {
        // Handed to a person: the text is a draft for them, so an empty one is fine; a long one is cut.
        const draft = output.text.trim()
        return {
          text: request.maxLength === undefined ? draft : draft.slice(0, request.maxLength),
          confident: false,
          ...handOff,
          usage,
        }
      }
      return {
        text: bounded('suggestReply', 'reply', output.text, request.maxLength),
        confident: true,
        ...handOff,
        usage,
      }
    },
  }
}

/** One variable's field: one of its options ("One off"), or a string. */
function fieldOf(variable: AiVariableRequest): z.ZodType<string> {
  const [first, ...rest] = variable.options ?? []
  return first === undefined ? z.string() : z.enum([first, ...rest])
}

/** Trimmed, without duplicates or empty ones, a known tag spelled as listed, at most 10. */
function tagsOf(tags: readonly string[]): string[] {
  const out: string[] = []
  for (const tag of tags) {
    const trimmed = tag.trim()
    if (trimmed === '') continue
    const known = REPLY_TAGS.find((each) => each.toLowerCase() === trimmed.toLowerCase()) ?? trimmed
    if (!out.some((each) => each.toLowerCase() === known.toLowerCase())) out.push(known)
  }
  return out.slice(0, MAX_TAGS)
}

/** The tokens a call used, as the AI SDK reports them (a field the vendor did not report is left out). */
function usageOf(usage: LanguageModelUsage | undefined): AiUsage {
  const inputTokens = usage?.inputTokens
  const outputTokens = usage?.outputTokens
  const totalTokens =
    usage?.totalTokens ??
    (inputTokens !== undefined && outputTokens !== undefined ? inputTokens + outputTokens : undefined)
  return {
    ...(inputTokens === undefined ? {} : { inputTokens }),
    ...(outputTokens === undefined ? {} : { outputTokens }),
    ...(totalTokens === undefined ? {} : { totalTokens }),
  }
}
