import type {
  AiProviderV1,
  AiUsage,
  ReplyClassification,
  ReplySuggestion,
  SuggestReplyRequest,
} from '../ports/ai-provider'
import { hash32 } from '../scheduler/seeded-random'

type Operation = 'generate' | 'fill' | 'classify' | 'suggest'

export interface DeterministicAiOptions {
  /** Make calls fail, to test that the engine never sends an empty or missing AI text. */
  readonly fail?: boolean | ((operation: Operation) => boolean)
  /**
   * The answer to suggest for a conversation, instead of the default one (which thanks the lead and quotes
   * the campaign prompt). Return `confident: false` to test hand-offs.
   */
  readonly suggest?: (request: SuggestReplyRequest) => ReplySuggestion | undefined
}

const OUT_OF_OFFICE = [
  /out of (the )?office/i,
  /automatic reply/i,
  /auto-?reply/i,
  /on (annual )?leave|on vacation|on holiday/i,
  /fuera de la oficina|respuesta autom[aá]tica|de vacaciones/i,
  /absent du bureau|r[ée]ponse automatique|en cong[ée]/i,
  /abwesenheit|nicht im b[üu]ro|automatische antwort/i,
]
const OPT_OUT = [
  /unsubscribe/i,
  /\bstop (emailing|messaging|contacting)/i,
  /remove me/i,
  /^\s*stop\s*[.!]?\s*$/i,
]
const NEGATIVE = [/not interested/i, /no thanks/i, /no interesa/i, ...OPT_OUT]
const POSITIVE = [
  /interested/i,
  /sounds good/i,
  /let'?s (talk|chat|meet)/i,
  /book/i,
  /demo/i,
  /\byes\b/i,
  /me interesa/i,
]

/**
 * A deterministic AiProvider for tests and simulations: the same request always gives the same text, and
 * replies are classified by keywords (out-of-office in English, Spanish, French and German).
 */
export function createDeterministicAi(options: DeterministicAiOptions = {}): AiProviderV1 {
  const failing = (operation: Operation) =>
    typeof options.fail === 'function' ? options.fail(operation) : options.fail === true
  return {
    specificationVersion: 'v1',
    async generateMessage(request) {
      if (failing('generate')) throw new Error('the AI provider is unavailable')
      const name =
        typeof request.lead.profile.firstName === 'string' ? request.lead.profile.firstName : 'there'
      const text = `Hi ${name}, ${request.prompt.trim().replace(/\.$/, '')}. Best, ${request.sender.name}`
      const bounded = request.maxLength === undefined ? text : text.slice(0, request.maxLength)
      const usage = tokens(request.prompt, bounded)
      return request.withSubject
        ? { text: bounded, subject: `A note for ${name}`, usage }
        : { text: bounded, usage }
    },
    async fillVariables(request) {
      if (failing('fill')) throw new Error('the AI provider is unavailable')
      const name = typeof request.lead.profile.firstName === 'string' ? request.lead.profile.firstName : 'you'
      const values: Record<string, string> = Object.fromEntries(
        Object.entries(request.variables).map(([variable, definition]): [string, string] => {
          // "One off": the option picked from the lead's id, the same every time.
          if (definition.options !== undefined)
            return [
              variable,
              definition.options[hash32(7, request.lead.id, variable) % definition.options.length] ?? '',
            ]
          const text = `${definition.prompt.trim().replace(/\.$/, '')} (for ${name})`
          return [variable, definition.maxLength === undefined ? text : text.slice(0, definition.maxLength)]
        }),
      )
      return {
        values,
        usage: tokens(
          Object.values(request.variables)
            .map((each) => each.prompt)
            .join(' '),
          Object.values(values).join(' '),
        ),
      }
    },
    async classifyReply(request): Promise<ReplyClassification> {
      if (failing('classify')) throw new Error('the AI provider is unavailable')
      const text = `${request.subject ?? ''}\n${request.text}`
      const usage = tokens(text, 'classified')
      if (OUT_OF_OFFICE.some((pattern) => pattern.test(text)))
        return { sentiment: 'neutral', outOfOffice: true, tags: ['Out of office'], usage }
      if (OPT_OUT.some((pattern) => pattern.test(text)))
        return { sentiment: 'negative', outOfOffice: false, optOut: true, tags: ['Not interested'], usage }
      if (NEGATIVE.some((pattern) => pattern.test(text)))
        return { sentiment: 'negative', outOfOffice: false, tags: ['Not interested'], usage }
      if (POSITIVE.some((pattern) => pattern.test(text)))
        return { sentiment: 'positive', outOfOffice: false, tags: ['Interested'], usage }
      return { sentiment: 'neutral', outOfOffice: false, tags: [], usage }
    },
    async suggestReply(request): Promise<ReplySuggestion> {
      if (failing('suggest')) throw new Error('the AI provider is unavailable')
      const scripted = options.suggest?.(request)
      if (scripted !== undefined) return scripted
      const name =
        typeof request.lead.profile.firstName === 'string' ? request.lead.profile.firstName : 'there'
      // Answers what the lead said last, so two answers in one conversation never read the same.
      const last =
        [...request.conversation].reverse().find((turn) => turn.direction === 'inbound')?.text ?? ''
      const quoted = last.replace(/\s+/g, ' ').trim().slice(0, 80)
      const text = `Thanks ${name}! About "${quoted}": ${request.prompt.trim().replace(/\.$/, '')}. Best, ${request.sender.name}`
      const bounded = request.maxLength === undefined ? text : text.slice(0, request.maxLength)
      return {
        text: bounded,
        confident: true,
        usage: tokens(request.conversation.map((turn) => turn.text).join(' '), bounded),
      }
    },
  }
}

/** Token counts the way a model would report them, about four characters a token: enough to test metering. */
function tokens(input: string, output: string): AiUsage {
  const inputTokens = Math.ceil(input.length / 4)
  const outputTokens = Math.ceil(output.length / 4)
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
}
