import { z } from 'zod'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { decideOnInbound, type HandOffReason, readInbound } from '../../model/conversation/agent-decision'
import { answerProblem } from '../../model/conversation/answer-check'
import { leadWords } from '../../model/conversation/lead-words'
import { type LeadInput, validateLead } from '../../model/lead/lead'
import { analyseGraph } from '../../model/sequence/sequence-graph'
import { STEP_KIND_INFO } from '../../model/sequence/step-kinds'
import { DEFAULT_TEXT_LIMITS } from '../../model/sequence/text-limits'
import type { AiUsage, ConversationTurn } from '../../ports/ai-provider'
import { notFound } from '../admin'
import { type AiOperation, recordAiUsage } from '../ai-usage'
import { aiVariableCache } from '../ai-variable-cache'
import { type EngineContext, inTransaction } from '../engine-context'
import { newEnrolment } from '../record-factory'
import { type RenderedAction, renderStep, type SendableStep } from '../render-step'
import { classifyReply, EMAIL_ANSWER_LIMIT, suggestReply } from './agent-ai'
import { outboundText } from './outbound-text'

export interface PreviewInput {
  /** The lead to write for (not added to the campaign). */
  readonly lead: LeadInput
  /** What the lead answers, in order: each gets the agent's answer under the campaign's current mode and prompt. */
  readonly replies?: readonly string[]
}

/** One message of the sequence as the lead would read it, or why it could not be written. */
export type PreviewMessage =
  | {
      readonly stepId: string
      readonly kind: string
      readonly channel: 'linkedin' | 'email'
      readonly subject: string | null
      readonly text: string
    }
  | { readonly stepId: string; readonly kind: string; readonly problem: string }

/** What the agent would do about one simulated reply. */
export interface PreviewTurn {
  readonly reply: string
  /** The answer it would send (automatic) or suggest (copilot). */
  readonly answer?: string
  /** Why a person would take over instead. */
  readonly handOff?: { readonly reason: HandOffReason; readonly detail: string }
}

export interface Preview {
  /** Every message of the sequence, in step order (both branches of conditions included). */
  readonly messages: readonly PreviewMessage[]
  /** The agent's answers to `replies`; empty in manual mode (a person answers). */
  readonly conversation: readonly PreviewTurn[]
}

const inputSchema = z.strictObject({
  lead: z.unknown(),
  replies: z.array(z.string().trim().min(1).max(10_000)).max(20).optional(),
})

/**
 * The campaign as a lead would see it: every message rendered for that lead (templates, AI messages and AI
 * variables included), then the agent's answers to replies the lead might send, under the campaign's
 * current mode, prompt and guardrails, read and bounded as the live agent reads them. Nothing is sent and
 * nothing is added to the campaign; AI variables written here are kept for the lead, so sending later does not
 * pay for them again, and every AI call is metered for the campaign (`engine.aiUsage`): it is spent all the
 * same. An AI that fails while answering shows as an `ai_failed` hand-off, as the live agent would end.
 */
export async function previewCampaign(
  context: EngineContext,
  campaignId: string,
  input: PreviewInput,
): Promise<Preview> {
  const parsed = inputSchema.safeParse(input, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'engine.preview', parsed.error)
  const lead = validateLead(parsed.data.lead)
  if (!lead.ok) throw lead.error
  const { campaign, identity } = await inTransaction(
    context,
    async (store) => {
      const record = await store.get('campaigns', campaignId)
      if (record === undefined) throw notFound('campaign', campaignId)
      const owner = await store.get('identities', record.campaign.identityId)
      if (owner === undefined) throw notFound('identity', record.campaign.identityId)
      return { campaign: record.campaign, identity: owner.identity }
    },
    { readOnly: true },
  )
  const sequence = campaign.sequence
  const enrolment = newEnrolment({
    campaignId,
    leadId: lead.value.id,
    identityId: identity.id,
    priority: campaign.priority,
    seed: context.settings.seed,
    at: context.now(),
  })
  const variables = aiVariableCache(context, campaignId, lead.value.id, sequence.aiVariables ?? {})
  const messages: PreviewMessage[] = []
  const turns: ConversationTurn[] = []
  // A preview's AI calls are real spend: metered for the campaign like the live ones.
  const usage: { operation: AiOperation; usage: AiUsage | undefined }[] = []
  let thread: { subject: string; messageIds: string[] } | null = null
  const order = analyseGraph(sequence).order ?? Object.keys(sequence.steps)
  for (const stepId of order) {
    const step = sequence.steps[stepId]
    if (step === undefined || step.kind === 'condition') continue
    const channel = STEP_KIND_INFO[step.kind].channel
    if (channel !== 'linkedin' && channel !== 'email') continue
    const rendered = await renderStep({
      step: step as SendableStep,
      campaign,
      identity,
      lead: lead.value,
      enrolment: { ...enrolment, stepId, thread: channel === 'email' ? thread : null },
      ai: context.ai,
      limits: context.settings.textLimits,
      variables,
      onUsage: (operation, reported) => usage.push({ operation, usage: reported }),
    })
    if (!rendered.ok) {
      messages.push({ stepId, kind: step.kind, problem: `${rendered.substatus}: ${rendered.detail}` })
      continue
    }
    const said = outboundText(rendered.action)
    if (said === undefined) continue
    messages.push({ stepId, kind: step.kind, channel, subject: said.subject, text: said.text })
    turns.push({
      direction: 'outbound',
      text: said.text,
      ...(said.subject === null ? {} : { subject: said.subject }),
      at: new Date(context.now()).toISOString(),
    })
    if (isEmail(rendered.action) && thread === null)
      thread = { subject: rendered.action.subject, messageIds: [`<preview-${stepId}@preview.invalid>`] }
  }
  if (usage.length > 0)
    await inTransaction(context, async (store) => {
      for (const each of usage)
        await recordAiUsage(store, campaignId, context.now(), each.operation, each.usage)
    })
  return {
    messages,
    conversation: await answerReplies(
      context,
      campaignId,
      campaign,
      identity,
      lead.value,
      turns,
      parsed.data.replies ?? [],
    ),
  }
}

const isEmail = (action: RenderedAction): action is Extract<RenderedAction, { kind: 'email' }> =>
  action.kind === 'email'

async function answerReplies(
  context: EngineContext,
  campaignId: string,
  campaign: Parameters<typeof renderStep>[0]['campaign'],
  identity: Parameters<typeof renderStep>[0]['identity'],
  lead: Parameters<typeof renderStep>[0]['lead'],
  sent: ConversationTurn[],
  replies: readonly string[],
): Promise<PreviewTurn[]> {
  const settings = campaign.settings.replies
  const channel = sent.some((turn) => turn.subject !== undefined) ? 'email' : 'linkedin'
  const maxLength = channel === 'linkedin' ? DEFAULT_TEXT_LIMITS.linkedinMessage : EMAIL_ANSWER_LIMIT
  const subjects = sent.flatMap((turn) => (turn.subject === undefined ? [] : [turn.subject]))
  const turns = [...sent]
  const out: PreviewTurn[] = []
  let answers = 0
  let status: 'active' | 'handed_off' = 'active'
  for (const reply of replies) {
    const at = new Date(context.now()).toISOString()
    turns.push({ direction: 'inbound', text: reply, at })
    // Read as the live agent reads a reply: what the lead wrote, classified with the same timeout and metered.
    const words = leadWords({ text: reply }, subjects)
    const classification = await classifyReply(context, words, channel)
    if (classification !== undefined)
      await inTransaction(context, (store) =>
        recordAiUsage(store, campaignId, context.now(), 'classify', classification.usage),
      )
    const decision = decideOnInbound({
      mode: settings.mode,
      status,
      answers,
      maxAnswers: settings.maxAnswers,
      reading: readInbound(words, classification),
    })
    if (decision.kind === 'none') {
      out.push({ reply })
      continue
    }
    if (decision.kind === 'hand_off') {
      status = 'handed_off'
      out.push({ reply, handOff: { reason: decision.reason, detail: decision.detail } })
      continue
    }
    if (context.ai === undefined || settings.prompt === undefined) {
      status = 'handed_off'
      out.push({
        reply,
        handOff: { reason: 'ai_failed', detail: 'the engine has no AI provider to write answers' },
      })
      continue
    }
    const suggestion = await suggestReply(context, campaignId, {
      lead: { id: lead.id, profile: lead.profile },
      sender: {
        name: identity.name,
        ...(identity.contact === undefined ? {} : { contact: identity.contact }),
      },
      channel,
      stepKind: 'reply',
      prompt: settings.prompt,
      conversation: turns,
      maxLength,
    })
    // The live agent tries again later and hands over after a few failures; a preview cannot wait, so one
    // failure shows as the hand-off it would end in, instead of failing the whole preview.
    if (!suggestion.ok) {
      status = 'handed_off'
      out.push({ reply, handOff: { reason: 'ai_failed', detail: `the AI failed: ${suggestion.message}` } })
      continue
    }
    const { value } = suggestion
    const problem = value.confident
      ? answerProblem(value.text, {
          maxLength,
          earlier: turns.filter((turn) => turn.direction === 'outbound').map((turn) => turn.text),
        })
      : undefined
    if (!value.confident || problem !== undefined) {
      status = 'handed_off'
      out.push({
        reply,
        handOff: value.confident
          ? { reason: 'invalid_answer', detail: problem as string }
          : { reason: 'unsure', detail: value.handOffReason ?? 'the AI is not sure it can answer this well' },
      })
      continue
    }
    answers++
    turns.push({ direction: 'outbound', text: value.text.trim(), at })
    out.push({ reply, answer: value.text.trim() })
  }
  return out
}
