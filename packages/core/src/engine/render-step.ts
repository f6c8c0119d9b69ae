import type { Campaign } from '../model/campaign/campaign'
import type { Identity } from '../model/identity/identity-schema'
import type { Lead } from '../model/lead/lead'
import type { ErrorSubstatus } from '../model/lead/lead-status'
import { renderMessage } from '../model/personalisation/render-message'
import { templateVariables } from '../model/personalisation/template-syntax'
import type { ActionStep } from '../model/sequence/sequence-schema'
import type { TextLimits } from '../model/sequence/text-limits'
import type { AiContext, AiProviderV1, AiUsage } from '../ports/ai-provider'
import type { AiOperation } from './ai-usage'
import type { AiVariableCache } from './ai-variable-cache'
import type { EnrolmentRecord } from './records'

/** An action with its text resolved: what the channel is asked to send. */
export type RenderedAction =
  | { readonly kind: 'visit_profile' }
  | { readonly kind: 'react_to_last_post'; readonly reaction: StepReaction }
  | { readonly kind: 'send_connection'; readonly note?: string }
  | { readonly kind: 'linkedin_message'; readonly chunks: readonly string[] }
  | { readonly kind: 'linkedin_inmail'; readonly subject: string; readonly body: string }
  | {
      readonly kind: 'linkedin_attachment'
      readonly file: { readonly url: string; readonly name?: string }
      readonly caption?: string
    }
  | { readonly kind: 'linkedin_voice'; readonly audio: { readonly url: string; readonly name?: string } }
  | { readonly kind: 'email'; readonly subject: string; readonly text: string }

type StepReaction = Extract<ActionStep, { kind: 'react_to_last_post' }>['reaction']

export interface RenderFailure {
  readonly ok: false
  readonly substatus: ErrorSubstatus
  readonly detail: string
}

export type RenderResult = { readonly ok: true; readonly action: RenderedAction } | RenderFailure

/** A step that sends something through a channel. */
export type SendableStep = Exclude<ActionStep, { kind: 'task' | 'add_to_campaign' }>

export interface RenderContext {
  readonly step: SendableStep
  readonly campaign: Campaign
  readonly identity: Identity
  readonly lead: Lead
  readonly enrolment: EnrolmentRecord
  readonly ai: AiProviderV1 | undefined
  readonly limits: TextLimits
  /** Where AI variables are kept once written, so a retry or a preview does not pay for them again. */
  readonly variables?: AiVariableCache
  /** Told of every AI call and the tokens it used (the engine meters them per campaign and day). */
  readonly onUsage?: (operation: AiOperation, usage: AiUsage | undefined) => void
}

type Text = { readonly ok: true; readonly text: string } | RenderFailure
type Generated =
  | { readonly ok: true; readonly text: string; readonly subject: string | undefined }
  | RenderFailure

/**
 * Resolves the text of an action at send time: fills AI variables, writes "generate with AI" content,
 * renders templates with the lead's data, and checks lengths and emptiness. Any failure becomes a lead
 * error with the matching substatus of the lead status table; an empty or missing text is never sent.
 */
export async function renderStep(context: RenderContext): Promise<RenderResult> {
  const { step } = context
  const fail = (substatus: ErrorSubstatus, detail: string): RenderFailure => ({
    ok: false,
    substatus,
    detail,
  })
  const variables = await aiVariables(context)
  if (!variables.ok) return variables
  const render = (template: string, header = false): Text => {
    const result = renderMessage(template, context.lead, {
      ai: variables.values,
      sender: { name: context.identity.name, ...context.identity.contact },
      target: header ? 'header' : 'body',
    })
    if (result.ok) return { ok: true, text: result.value }
    if (result.error.code === 'missing_variable') {
      return { ok: false, substatus: 'lead_not_scraped', detail: result.error.message }
    }
    return { ok: false, substatus: 'system_error', detail: result.error.message }
  }
  const generate = async (prompt: string, withSubject: boolean, maxLength?: number): Promise<Generated> => {
    if (context.ai === undefined) {
      return fail('system_error', 'this step writes its message with AI, but the engine has no AI provider')
    }
    try {
      const generated = await context.ai.generateMessage({
        ...aiContext(context),
        prompt,
        withSubject,
        ...(maxLength === undefined ? {} : { maxLength }),
      })
      context.onUsage?.('generate', generated.usage)
      return { ok: true, text: generated.text, subject: generated.subject }
    } catch (error) {
      return fail(
        'system_error',
        `AI generation failed: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  const limits = context.limits

  switch (step.kind) {
    case 'visit_profile':
      return { ok: true, action: { kind: 'visit_profile' } }
    case 'react_to_last_post':
      return { ok: true, action: { kind: 'react_to_last_post', reaction: step.reaction } }
    case 'send_connection': {
      if (step.note === undefined) return { ok: true, action: { kind: 'send_connection' } }
      const note = render(step.note)
      if (!note.ok) return note
      if (note.text.length > limits.connectionNote) {
        return fail(
          'message_too_long',
          `the note is ${note.text.length} characters; the limit is ${limits.connectionNote}`,
        )
      }
      const trimmed = note.text.trim()
      return {
        ok: true,
        action: trimmed === '' ? { kind: 'send_connection' } : { kind: 'send_connection', note: trimmed },
      }
    }
    case 'linkedin_message': {
      let chunks: string[]
      if (step.ai !== undefined) {
        const generated = await generate(step.ai.prompt, false, limits.linkedinMessage)
        if (!generated.ok) return generated
        // The AI wrote nothing: there is no message, as opposed to a written one that renders empty.
        if (generated.text.trim() === '')
          return fail('missing_linkedin_message', 'the AI wrote no message for this lead')
        chunks = [generated.text]
      } else {
        chunks = []
        for (const template of step.chunks ?? (step.body === undefined ? [] : [step.body])) {
          const chunk = render(template)
          if (!chunk.ok) return chunk
          chunks.push(chunk.text)
        }
      }
      chunks = chunks.map((chunk) => chunk.trim())
      if (chunks.length === 0) return fail('missing_linkedin_message', 'the step has no message')
      if (chunks.some((chunk) => chunk === '')) return fail('empty_message', 'a message would be empty')
      const long = chunks.find((chunk) => chunk.length > limits.linkedinMessage)
      if (long !== undefined) {
        return fail(
          'message_too_long',
          `a message is ${long.length} characters; the limit is ${limits.linkedinMessage}`,
        )
      }
      return { ok: true, action: { kind: 'linkedin_message', chunks } }
    }
    case 'linkedin_inmail': {
      if (step.subject === undefined) return fail('missing_inmail_subject', 'the InMail has no subject')
      const subject = render(step.subject, true)
      if (!subject.ok) return subject
      let body: string
      if (step.ai !== undefined) {
        const generated = await generate(step.ai.prompt, false, limits.inmailBody)
        if (!generated.ok) return generated
        body = generated.text.trim()
        if (body === '') return fail('missing_inmail_message', 'the AI wrote no InMail message for this lead')
      } else if (step.body !== undefined) {
        const rendered = render(step.body)
        if (!rendered.ok) return rendered
        body = rendered.text.trim()
      } else return fail('missing_inmail_message', 'the InMail has no message')
      if (subject.text.trim() === '')
        return fail('missing_inmail_subject', 'the InMail subject would be empty for this lead')
      if (body === '') return fail('empty_message', 'the InMail message would be empty for this lead')
      if (subject.text.length > limits.inmailSubject) {
        return fail(
          'message_too_long',
          `the InMail subject is ${subject.text.length} characters; the limit is ${limits.inmailSubject}`,
        )
      }
      if (body.length > limits.inmailBody) {
        return fail(
          'inmail_message_too_long',
          `the InMail is ${body.length} characters; the limit is ${limits.inmailBody}`,
        )
      }
      return { ok: true, action: { kind: 'linkedin_inmail', subject: subject.text.trim(), body } }
    }
    case 'linkedin_attachment': {
      let caption: string | undefined
      if (step.ai !== undefined) {
        const generated = await generate(step.ai.prompt, false, limits.linkedinMessage)
        if (!generated.ok) return generated
        caption = generated.text.trim()
        if (caption === '') return fail('empty_message', 'the AI wrote an empty caption')
      } else if (step.body !== undefined) {
        const rendered = render(step.body)
        if (!rendered.ok) return rendered
        caption = rendered.text.trim() || undefined
      }
      const file =
        step.attachment.name === undefined
          ? { url: step.attachment.url }
          : { url: step.attachment.url, name: step.attachment.name }
      return {
        ok: true,
        action:
          caption === undefined
            ? { kind: 'linkedin_attachment', file }
            : { kind: 'linkedin_attachment', file, caption },
      }
    }
    case 'linkedin_voice': {
      // A campaign cannot launch without the recording; one stored by an older version may have a script.
      if (step.audio === undefined)
        return fail(
          'missing_linkedin_message',
          'the voice message has no recording: give the step `audio: { url }`, then retry the lead',
        )
      return { ok: true, action: { kind: 'linkedin_voice', audio: step.audio } }
    }
    case 'email': {
      const thread = context.enrolment.thread
      let subject: string
      let text: string
      if (step.ai !== undefined) {
        const generated = await generate(step.ai.prompt, step.subject === undefined && thread === null)
        if (!generated.ok) return generated
        text = generated.text.trim()
        subject = generated.subject ?? ''
      } else {
        const body = render(step.body ?? '')
        if (!body.ok) return body
        text = body.text.trim()
        subject = ''
      }
      if (step.subject !== undefined) {
        const rendered = render(step.subject, true)
        if (!rendered.ok) return rendered
        subject = rendered.text.trim()
      } else if (thread !== null) {
        subject = /^re:/i.test(thread.subject) ? thread.subject : `Re: ${thread.subject}`
      }
      if (subject.trim() === '') return fail('missing_email_subject', 'the email has no subject')
      if (text === '') return fail('empty_message', 'the email body would be empty')
      return { ok: true, action: { kind: 'email', subject, text } }
    }
  }
}

function aiContext(context: RenderContext): AiContext {
  return {
    lead: { id: context.lead.id, profile: context.lead.profile },
    sender: {
      name: context.identity.name,
      ...(context.identity.contact === undefined ? {} : { contact: context.identity.contact }),
    },
    channel: context.step.kind === 'email' ? 'email' : 'linkedin',
    stepKind: context.step.kind,
  }
}

/** Fills the AI variables the step's templates use, through the AI port. */
async function aiVariables(
  context: RenderContext,
): Promise<{ ok: true; values: Record<string, string> } | RenderFailure> {
  const step = context.step as Record<string, unknown>
  const texts = ['note', 'body', 'subject']
    .map((field) => step[field])
    .filter((value): value is string => typeof value === 'string')
  if (Array.isArray(step.chunks)) texts.push(...(step.chunks as string[]))
  const names = new Set<string>()
  for (const text of texts) {
    for (const variable of templateVariables(text)) {
      if (variable.startsWith('ai.')) names.add(variable.slice(3))
    }
  }
  if (names.size === 0) return { ok: true, values: {} }
  const declared = context.campaign.sequence.aiVariables ?? {}
  if (context.ai === undefined) {
    return {
      ok: false,
      substatus: 'system_error',
      detail: 'the message uses AI variables, but the engine has no AI provider',
    }
  }
  const kept = (await context.variables?.read([...names])) ?? {}
  const wanted = Object.fromEntries(
    [...names].flatMap((name) =>
      declared[name] === undefined || kept[name] !== undefined ? [] : [[name, declared[name]]],
    ),
  )
  try {
    const filledNow =
      Object.keys(wanted).length === 0
        ? { values: {} }
        : await context.ai.fillVariables({ ...aiContext(context), variables: wanted })
    if (Object.keys(wanted).length > 0) context.onUsage?.('fill', filledNow.usage)
    const values: Readonly<Record<string, string>> = { ...kept, ...filledNow.values }
    const filled: Record<string, string> = {}
    for (const name of names) {
      const value = values[name]?.trim()
      if (value === undefined || value === '') {
        return { ok: false, substatus: 'system_error', detail: `AI variable '${name}' came back empty` }
      }
      const options = declared[name]?.options
      if (options !== undefined && !options.includes(value)) {
        return {
          ok: false,
          substatus: 'system_error',
          detail: `AI variable '${name}' must be one of ${options.map((each) => JSON.stringify(each)).join(', ')}, and the AI answered ${JSON.stringify(value.slice(0, 100))}`,
        }
      }
      const maxLength = declared[name]?.maxLength
      filled[name] = maxLength === undefined ? value : value.slice(0, maxLength)
    }
    const fresh = Object.fromEntries(
      Object.keys(wanted).flatMap((name) =>
        filled[name] === undefined ? [] : [[name, filled[name] as string]],
      ),
    )
    if (Object.keys(fresh).length > 0) await context.variables?.write(fresh)
    return { ok: true, values: filled }
  } catch (error) {
    return {
      ok: false,
      substatus: 'system_error',
      detail: `AI variables failed: ${error instanceof Error ? error.message : String(error)}`,
    }
  }
}
