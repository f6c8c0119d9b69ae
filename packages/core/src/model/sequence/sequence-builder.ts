import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { issue } from '../../errors/validation-issue'
import type { ConditionInput } from './condition-schema'
import { type ParseSequenceOptions, parseSequence } from './parse-sequence'
import type { Sequence, SequenceInput, StepInput } from './sequence-schema'

type ActionInput<K extends StepInput['kind']> = Omit<Extract<StepInput, { kind: K }>, 'kind' | 'next'> & {
  /** The step id; generated from the kind when omitted (`email`, `email_2`, ...). */
  readonly id?: string
}

type ConditionOptions = Omit<Extract<StepInput, { kind: 'condition' }>, 'kind' | 'if' | 'then' | 'else'> & {
  readonly id?: string
}

/** Builds one branch on the builder it receives; returning the builder is optional. */
type Branch = (path: SequenceBuilder) => unknown

export interface Branches {
  /** The path for leads that meet the condition; leave it empty to go straight to what follows. */
  readonly then: Branch
  /** The path for leads that do not. */
  readonly else: Branch
}

type Edge = { readonly stepId: string; readonly field: 'next' | 'then' | 'else' }

interface Draft {
  readonly name: string | undefined
  readonly aiVariables: SequenceInput['aiVariables']
  readonly steps: Record<string, Record<string, unknown>>
  start: string | null
}

/**
 * Starts a fluent, typed sequence builder. It produces the same canonical JSON as writing the document by
 * hand; `build()` validates it with `parseSequence`.
 *
 * ```ts
 * const followUp = sequence()
 *   .visitProfile()
 *   .sendConnection({ note: 'Hi {{firstName}}' })
 *   .condition({ type: 'connection_accepted', withinDays: 14 }, {
 *     then: (path) => path.linkedinMessage({ body: 'Thanks for connecting', delay: { days: 1 } }),
 *     else: (path) => path.email({ subject: 'Quick question', body: 'Hi {{firstName | "there"}}' }),
 *   })
 *   .build()
 * ```
 * Steps added after a condition continue both branches (unless a branch called `end()`).
 */
export function sequence(
  options: { name?: string; aiVariables?: SequenceInput['aiVariables'] } = {},
): SequenceBuilder {
  return new SequenceBuilder(
    { name: options.name, aiVariables: options.aiVariables, steps: {}, start: null },
    null,
  )
}

export class SequenceBuilder {
  readonly #draft: Draft
  /** Open edges the next step will be linked from; null before the first step of the sequence. */
  #tails: Edge[] | null
  #ended = false

  /** @internal Use `sequence()`. */
  constructor(draft: Draft, tails: Edge[] | null) {
    this.#draft = draft
    this.#tails = tails
  }

  visitProfile(step: ActionInput<'visit_profile'> = {}): this {
    return this.#action('visit_profile', step)
  }

  reactToLastPost(step: ActionInput<'react_to_last_post'> = {}): this {
    return this.#action('react_to_last_post', step)
  }

  sendConnection(step: ActionInput<'send_connection'> = {}): this {
    return this.#action('send_connection', step)
  }

  linkedinMessage(step: ActionInput<'linkedin_message'>): this {
    return this.#action('linkedin_message', step)
  }

  linkedinInmail(step: ActionInput<'linkedin_inmail'>): this {
    return this.#action('linkedin_inmail', step)
  }

  linkedinAttachment(step: ActionInput<'linkedin_attachment'>): this {
    return this.#action('linkedin_attachment', step)
  }

  linkedinVoice(step: ActionInput<'linkedin_voice'>): this {
    return this.#action('linkedin_voice', step)
  }

  email(step: ActionInput<'email'>): this {
    return this.#action('email', step)
  }

  task(step: ActionInput<'task'>): this {
    return this.#action('task', step)
  }

  /** Moves the lead into another campaign. The lead leaves this one, so the path ends here. */
  addToCampaign(step: ActionInput<'add_to_campaign'>): this {
    this.#action('add_to_campaign', step)
    return this.end()
  }

  /** Branches on a condition: each branch builds its own path, and both continue with the steps that follow. */
  condition(condition: ConditionInput, branches: Branches, options: ConditionOptions = {}): this {
    const { id: requestedId, ...rest } = options
    const id = this.#add('condition', requestedId, { ...rest, if: condition, then: null, else: null })
    const follow = (field: 'then' | 'else', branch: Branch): Edge[] => {
      const path = new SequenceBuilder(this.#draft, [{ stepId: id, field }])
      const returned = branch(path)
      return (returned instanceof SequenceBuilder ? returned : path).#openEdges()
    }
    this.#tails = [...follow('then', branches.then), ...follow('else', branches.else)]
    // When both branches ended, nothing can follow the condition on this path.
    if (this.#tails.length === 0) this.#ended = true
    return this
  }

  /** Ends the current path: no step may follow it. */
  end(): this {
    this.#tails = []
    this.#ended = true
    return this
  }

  /** The canonical JSON document, not yet validated. */
  toJSON(): SequenceInput {
    const draft = this.#draft
    return {
      version: 1,
      ...(draft.name === undefined ? {} : { name: draft.name }),
      start: draft.start ?? '',
      steps: structuredClone(draft.steps) as SequenceInput['steps'],
      ...(draft.aiVariables === undefined ? {} : { aiVariables: structuredClone(draft.aiVariables) }),
    }
  }

  /** Validates and returns the sequence; throws `PacelineError` (`invalid_sequence`) naming what is wrong. */
  build(options: ParseSequenceOptions = {}): Sequence {
    if (this.#draft.start === null) {
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidSequence, 'Sequence', [
        issue('no_steps', ['steps'], 'is empty; add at least one step before build()'),
      ])
    }
    return parseSequence(this.toJSON(), options)
  }

  #openEdges(): Edge[] {
    return this.#tails ?? []
  }

  #action<K extends StepInput['kind']>(kind: K, step: ActionInput<K>): this {
    const { id: requestedId, ...rest } = step as { id?: string } & Record<string, unknown>
    const id = this.#add(kind, requestedId, { ...rest, next: null })
    this.#tails = [{ stepId: id, field: 'next' }]
    return this
  }

  #add(kind: string, requestedId: string | undefined, fields: Record<string, unknown>): string {
    if (this.#ended) {
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidSequence, 'Sequence', [
        issue(
          'step_after_end',
          ['steps'],
          `cannot add a ${kind} step after end() or addToCampaign(): that path is closed`,
        ),
      ])
    }
    const steps = this.#draft.steps
    const id = requestedId ?? this.#freshId(kind)
    if (Object.hasOwn(steps, id)) {
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidSequence, 'Sequence', [
        issue('duplicate_step_id', ['steps', id], `is used by two steps; give each step its own id`, id),
      ])
    }
    steps[id] = { kind, ...fields }
    if (this.#tails === null) this.#draft.start = id
    else for (const edge of this.#tails) (steps[edge.stepId] as Record<string, unknown>)[edge.field] = id
    return id
  }

  #freshId(kind: string): string {
    const steps = this.#draft.steps
    if (!Object.hasOwn(steps, kind)) return kind
    let n = 2
    while (Object.hasOwn(steps, `${kind}_${n}`)) n++
    return `${kind}_${n}`
  }
}
