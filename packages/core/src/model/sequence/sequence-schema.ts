import { z } from 'zod'
import { conditionSchema } from './condition-schema'
import { REACTIONS } from './step-kinds'
import { voiceRecordingSchema } from './voice-recording'

/** Step ids: letters, digits, `_` and `-`, starting with a letter or digit, at most 64 characters. */
export const stepIdSchema = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, {
    message: 'must start with a letter or digit and use only letters, digits, _ and -',
  })

const nextSchema = stepIdSchema.nullable()

/** Wait after the previous step completed. Absent means "as soon as possible". */
const delaySchema = z
  .strictObject({
    days: z.number().int().min(0).max(365).optional(),
    hours: z
      .number()
      .int()
      .min(0)
      .max(24 * 365)
      .optional(),
  })
  .refine((delay) => delay.days !== undefined || delay.hours !== undefined, {
    message: 'needs `days`, `hours` or both',
    params: { rule: 'required' },
  })

/** A message template with `{{variables}}` (see `renderMessage`). */
const templateSchema = z.string().max(20_000)

/** "Generate with AI": the message is written at send time from this prompt and the lead's data. */
const aiContentSchema = z.strictObject({ prompt: z.string().min(1).max(10_000) })

const common = {
  next: nextSchema,
  delay: delaySchema.optional(),
  /** A name for the step in user interfaces and reports. */
  label: z.string().max(200).optional(),
}

const attachmentSchema = z.strictObject({ url: z.url(), name: z.string().min(1).max(255).optional() })

const noVoiceScript = z
  .custom<undefined>((value) => value === undefined, {
    message:
      'cannot be sent: a LinkedIn voice message is a recording, not text; record it and give `audio: { url }` (an https URL, or a data: URL of an uploaded m4a, mp3, wav or flac file)',
    params: { rule: 'voice_needs_recording' },
  })
  .optional()

export const stepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('visit_profile'), ...common }),
  z.strictObject({
    kind: z.literal('react_to_last_post'),
    reaction: z.enum(REACTIONS).default('like'),
    ...common,
  }),
  z.strictObject({ kind: z.literal('send_connection'), note: templateSchema.optional(), ...common }),
  z.strictObject({
    kind: z.literal('linkedin_message'),
    body: templateSchema.optional(),
    /** Several short messages sent one after another, like a chat. */
    chunks: z.array(templateSchema).min(1).max(10).optional(),
    ai: aiContentSchema.optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('linkedin_inmail'),
    subject: templateSchema.optional(),
    body: templateSchema.optional(),
    ai: aiContentSchema.optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('linkedin_attachment'),
    attachment: attachmentSchema,
    /** Caption sent with the file. */
    body: templateSchema.optional(),
    ai: aiContentSchema.optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('linkedin_voice'),
    /**
     * The recording: an https URL, or an uploaded file as a `data:audio/...;base64,` URL. A draft may leave
     * it out (a template's voice step waits for your recording); launching needs it.
     */
    audio: voiceRecordingSchema.optional(),
    /** Refused: LinkedIn sends recordings, not text read aloud. */
    body: noVoiceScript,
    /** Refused, like `body`. */
    ai: noVoiceScript,
    ...common,
  }),
  z.strictObject({
    kind: z.literal('email'),
    /** Omit on a follow-up to reply in the same thread ("Re: " + the earlier subject). */
    subject: templateSchema.optional(),
    body: templateSchema.optional(),
    ai: aiContentSchema.optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('task'),
    title: templateSchema.min(1),
    body: templateSchema.optional(),
    type: z.enum(['call', 'todo', 'email', 'linkedin']).default('todo'),
    /** Days after creation the task is due; absent means due at once. */
    dueInDays: z.number().int().min(0).max(365).optional(),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('add_to_campaign'),
    campaignId: z.string().min(1).max(200),
    ...common,
  }),
  z.strictObject({
    kind: z.literal('condition'),
    if: conditionSchema,
    then: nextSchema,
    else: nextSchema,
    delay: common.delay,
    label: common.label,
  }),
])

/** An AI variable: `{{ai.<name>}}` in any template is filled from this prompt at send time. */
const aiVariableSchema = z.strictObject({
  prompt: z.string().min(1).max(10_000),
  maxLength: z.number().int().min(1).max(10_000).optional(),
  /**
   * "One off" output: the value must be exactly one of these, e.g. a CRM dropdown's internal values (so an
   * export to that field is accepted).
   */
  options: z
    .array(z.string().trim().min(1).max(200))
    .min(2)
    .max(100)
    .refine((options) => new Set(options).size === options.length, { message: 'must not repeat an option' })
    .optional(),
})

/**
 * The canonical, versioned JSON form of a sequence. This schema checks shape only; `parseSequence` adds
 * the rules that span steps (references, cycles, branches, text limits, template syntax).
 */
export const sequenceSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().max(200).optional(),
  start: stepIdSchema,
  steps: z.record(stepIdSchema, stepSchema),
  aiVariables: z
    .record(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a name such as "opener"' }),
      aiVariableSchema,
    )
    .optional(),
})

export type SequenceInput = z.input<typeof sequenceSchema>
export type Sequence = z.output<typeof sequenceSchema>
export type SequenceStep = Sequence['steps'][string]
export type StepInput = z.input<typeof stepSchema>
export type StepOfKind<K extends SequenceStep['kind']> = Extract<SequenceStep, { kind: K }>
export type ActionStep = Exclude<SequenceStep, { kind: 'condition' }>
export type ConditionStep = StepOfKind<'condition'>
export type Delay = NonNullable<SequenceStep['delay']>
export type AiVariable = NonNullable<Sequence['aiVariables']>[string]

/** JSON Schema (draft 2020-12) of the sequence document, for editors and form builders. */
export function sequenceJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(sequenceSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>
}
