import type { AiProviderV1, ReplyClassification } from '../ports/ai-provider'

export interface DeterministicAiOptions {
  /** Make calls fail, to test that the engine never sends an empty or missing AI text. */
  readonly fail?: boolean | ((operation: 'generate' | 'fill' | 'classify') => boolean)
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
const NEGATIVE = [
  /not interested/i,
  /no thanks/i,
  /unsubscribe/i,
  /stop (emailing|messaging)/i,
  /remove me/i,
  /no interesa/i,
]
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
  const failing = (operation: 'generate' | 'fill' | 'classify') =>
    typeof options.fail === 'function' ? options.fail(operation) : options.fail === true
  return {
    specificationVersion: 'v1',
    async generateMessage(request) {
      if (failing('generate')) throw new Error('the AI provider is unavailable')
      const name =
        typeof request.lead.profile.firstName === 'string' ? request.lead.profile.firstName : 'there'
      const text = `Hi ${name}, ${request.prompt.trim().replace(/\.$/, '')}. Best, ${request.sender.name}`
      const bounded = request.maxLength === undefined ? text : text.slice(0, request.maxLength)
      return request.withSubject ? { text: bounded, subject: `A note for ${name}` } : { text: bounded }
    },
    async fillVariables(request) {
      if (failing('fill')) throw new Error('the AI provider is unavailable')
      const name = typeof request.lead.profile.firstName === 'string' ? request.lead.profile.firstName : 'you'
      return Object.fromEntries(
        Object.entries(request.variables).map(([variable, definition]) => {
          const text = `${definition.prompt.trim().replace(/\.$/, '')} (for ${name})`
          return [variable, definition.maxLength === undefined ? text : text.slice(0, definition.maxLength)]
        }),
      )
    },
    async classifyReply(request): Promise<ReplyClassification> {
      if (failing('classify')) throw new Error('the AI provider is unavailable')
      const text = `${request.subject ?? ''}\n${request.text}`
      if (OUT_OF_OFFICE.some((pattern) => pattern.test(text)))
        return { sentiment: 'neutral', outOfOffice: true, tags: ['Out of office'] }
      if (NEGATIVE.some((pattern) => pattern.test(text)))
        return { sentiment: 'negative', outOfOffice: false, tags: ['Not interested'] }
      if (POSITIVE.some((pattern) => pattern.test(text)))
        return { sentiment: 'positive', outOfOffice: false, tags: ['Interested'] }
      return { sentiment: 'neutral', outOfOffice: false, tags: [] }
    },
  }
}
