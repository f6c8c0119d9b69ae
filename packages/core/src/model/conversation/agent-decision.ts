import { escalationTopic } from './escalation'
import { judgedText, type LeadWords } from './lead-words'
import { isOptOut } from './opt-out'

export type ReplyMode = 'manual' | 'copilot' | 'automatic'

/** Why the AI agent gives a conversation to a person. */
export type HandOffReason =
  | 'out_of_office'
  | 'opt_out'
  | 'negative'
  | 'escalation'
  | 'answer_limit'
  | 'unsure'
  | 'invalid_answer'
  | 'bounced'
  | 'delivery_unknown'
  | 'ai_failed'

export interface InboundReading {
  /** What the lead wrote (`leadWords`): the rules judge it, never our own subject quoted back. */
  readonly text: string
  readonly outOfOffice: boolean
  /** From the AI's classification, when there is one. */
  readonly sentiment?: 'positive' | 'neutral' | 'negative'
  readonly optOut?: boolean
}

/**
 * How the agent reads a lead's message: the words the lead wrote (never our own subject quoted back), and
 * the AI's classification when there is one. The live agent and `engine.preview` read a reply this one way,
 * so a preview shows what the agent will do.
 */
export function readInbound(
  words: LeadWords,
  classification:
    | {
        readonly sentiment: 'positive' | 'neutral' | 'negative'
        readonly outOfOffice: boolean
        readonly optOut?: boolean
      }
    | undefined,
  outOfOffice = false,
): InboundReading {
  return {
    text: judgedText(words),
    outOfOffice: outOfOffice || classification?.outOfOffice === true,
    ...(classification === undefined ? {} : { sentiment: classification.sentiment }),
    ...(classification?.optOut === true ? { optOut: true } : {}),
  }
}

export type AgentDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'hand_off'; readonly reason: HandOffReason; readonly detail: string }
  | { readonly kind: 'suggest' }
  | { readonly kind: 'answer' }

/**
 * What the agent does about a lead's new message. Rules a user cannot switch off come first: an opt-out is
 * never answered by an AI (and blocks the lead), an out-of-office or a negative reply is never answered,
 * money, contracts, legal matters, refunds and complaints go to a person, and after `maxAnswers` answers
 * of its own the agent hands over. A person who answered once owns the conversation for good. Every
 * inbound message is judged on its own, so a later "actually, not interested" wins over an earlier yes.
 */
export function decideOnInbound(input: {
  readonly mode: ReplyMode
  readonly status: 'active' | 'handed_off' | 'stood_down'
  readonly answers: number
  readonly maxAnswers: number
  readonly reading: InboundReading
}): AgentDecision {
  const { reading } = input
  if (input.mode === 'manual' || input.status !== 'active') return { kind: 'none' }
  if (reading.optOut === true || isOptOut(reading.text))
    return { kind: 'hand_off', reason: 'opt_out', detail: 'the lead asked not to be contacted again' }
  if (reading.outOfOffice)
    return { kind: 'hand_off', reason: 'out_of_office', detail: 'an automatic out-of-office answer' }
  if (reading.sentiment === 'negative')
    return { kind: 'hand_off', reason: 'negative', detail: 'the reply reads as negative' }
  const topic = escalationTopic(reading.text)
  if (topic !== undefined)
    return {
      kind: 'hand_off',
      reason: 'escalation',
      detail: `the lead raises ${topic}, which a person should answer`,
    }
  if (input.mode === 'automatic' && input.answers >= input.maxAnswers)
    return {
      kind: 'hand_off',
      reason: 'answer_limit',
      detail: `the agent has answered ${input.answers} ${input.answers === 1 ? 'time' : 'times'} in this conversation (the most is ${input.maxAnswers})`,
    }
  return input.mode === 'copilot' ? { kind: 'suggest' } : { kind: 'answer' }
}
