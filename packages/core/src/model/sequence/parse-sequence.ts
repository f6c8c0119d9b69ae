import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { err, ok, type Result } from '../../errors/result'
import { issue, type ValidationIssue } from '../../errors/validation-issue'
import { issuesFromZod } from '../../errors/zod-issues'
import { partialSequence } from './partial-sequence'
import { MAX_STEPS, sequenceRuleIssues } from './sequence-rules'
import { type Sequence, sequenceSchema, stepSchema } from './sequence-schema'
import { DEFAULT_TEXT_LIMITS, type TextLimits } from './text-limits'

export interface ParseSequenceOptions {
  /** Override text length limits (connection note 300, InMail subject 200 and body 1,900 by default). */
  readonly limits?: Partial<TextLimits>
}

/** Deeper JSON than this is refused before validation; real sequences nest a few levels. */
const MAX_DEPTH = 40

/**
 * JSON text longer than this is refused before it is parsed: 200 steps with long HTML emails stay far below
 * it, and a document many times larger is an attack or a mistake that should cost nothing to refuse.
 */
export const MAX_SEQUENCE_JSON_LENGTH = 5_000_000

/**
 * Validates a sequence document (an object, or JSON text) and returns it with defaults applied. Throws a
 * `PacelineError` with code `invalid_sequence` whose `issues` name the step id, the field and the rule of
 * every problem: unknown kinds, missing or dangling references, cycles, conditions without both
 * branches, unreachable steps, text over its limit, template syntax, missing subjects.
 */
export function parseSequence(input: unknown, options: ParseSequenceOptions = {}): Sequence {
  const result = validateSequence(input, options)
  if (!result.ok) throw result.error
  return result.value
}

/** Like `parseSequence`, but returns the error instead of throwing it (for editors that show every issue). */
export function validateSequence(input: unknown, options: ParseSequenceOptions = {}): Result<Sequence> {
  const issues = collectIssues(input, options)
  if (issues.ok) return ok(issues.value)
  return err(
    PacelineError.fromIssues(PacelineErrorCodes.invalidSequence, sequenceSubject(input), issues.error),
  )
}

function collectIssues(input: unknown, options: ParseSequenceOptions): Result<Sequence, ValidationIssue[]> {
  let document = input
  if (typeof input === 'string') {
    if (input.length > MAX_SEQUENCE_JSON_LENGTH)
      return err([
        issue(
          'too_large',
          [],
          `is ${input.length} characters of JSON; a sequence document may have at most ${MAX_SEQUENCE_JSON_LENGTH}`,
        ),
      ])
    try {
      document = JSON.parse(input)
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause)
      return err([issue('invalid_json', [], `is not valid JSON: ${detail}`)])
    }
  }
  let parsed: ReturnType<typeof sequenceSchema.safeParse>
  try {
    // Counted before anything walks the steps, so a document with 100,000 of them is refused at once.
    const count = stepCount(document)
    if (count > MAX_STEPS)
      return err([
        issue(
          'too_many_steps',
          ['steps'],
          `has ${count} steps; the most a sequence may have is ${MAX_STEPS}`,
        ),
      ])
    if (depthExceeds(document, MAX_DEPTH)) {
      return err([
        issue('too_deep', [], `nests deeper than ${MAX_DEPTH} levels; a sequence is a flat map of steps`),
      ])
    }
    parsed = sequenceSchema.safeParse(document, { reportInput: true })
  } catch (cause) {
    // Only inputs that are not plain data (getters that throw, proxies) get here.
    const detail = cause instanceof Error ? cause.message : String(cause)
    return err([issue('unreadable_input', [], `could not be read as a sequence document: ${detail}`)])
  }
  if (!parsed.success) {
    const shapeIssues = issuesFromZod(parsed.error, { stepIdOf, knownFields: knownFieldsIn(document) }).map(
      (each) => {
        if (each.rule !== 'required' || each.stepId === undefined || each.path.length !== 3) return each
        const field = each.path[2]
        if (field === 'then' || field === 'else') {
          return {
            ...each,
            rule: 'missing_branch',
            message: `is missing: a condition needs both branches; set it to a step id, or null to end that path`,
          }
        }
        if (field === 'next') {
          return {
            ...each,
            rule: 'missing_next',
            message: 'is missing: set it to the following step id, or null to end the path',
          }
        }
        return each
      },
    )
    // Report in one round: the rules that span steps still run on every step whose shape was right.
    const partial = partialSequence(document)
    if (partial === undefined) return err(shapeIssues)
    const ruleIssues = sequenceRuleIssues(
      partial.sequence,
      { ...DEFAULT_TEXT_LIMITS, ...options.limits },
      partial.standIns,
    )
    const seen = new Set(shapeIssues.map((each) => `${each.rule}|${each.field}`))
    return err([...shapeIssues, ...ruleIssues.filter((each) => !seen.has(`${each.rule}|${each.field}`))])
  }
  const limits = { ...DEFAULT_TEXT_LIMITS, ...options.limits }
  const issues = sequenceRuleIssues(parsed.data, limits)
  return issues.length === 0 ? ok(parsed.data) : err(issues)
}

/** The fields of each step kind, for "did you mean" on a misspelt one. */
const STEP_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  stepSchema.options.map((option) => [String(option.shape.kind.value), Object.keys(option.shape)]),
)
const TOP_FIELDS = Object.keys(sequenceSchema.shape)

function knownFieldsIn(document: unknown) {
  return (path: readonly (string | number)[]): readonly string[] | undefined => {
    if (path.length === 0) return TOP_FIELDS
    if (path[0] !== 'steps' || path.length !== 2) return undefined
    const steps = (document as { steps?: Record<string, { kind?: unknown }> }).steps
    const kind = steps?.[String(path[1])]?.kind
    return typeof kind === 'string' ? STEP_FIELDS.get(kind) : undefined
  }
}

function stepIdOf(path: readonly (string | number)[]): string | undefined {
  return path[0] === 'steps' && path.length >= 2 ? String(path[1]) : undefined
}

function stepCount(document: unknown): number {
  if (typeof document !== 'object' || document === null || !('steps' in document)) return 0
  const steps = document.steps
  return typeof steps === 'object' && steps !== null ? Object.keys(steps).length : 0
}

function depthExceeds(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }]
  while (stack.length > 0) {
    const top = stack.pop()
    if (top === undefined || typeof top.value !== 'object' || top.value === null) continue
    if (top.depth >= limit) return true
    for (const child of Object.values(top.value)) stack.push({ value: child, depth: top.depth + 1 })
  }
  return false
}

function sequenceSubject(input: unknown): string {
  if (typeof input === 'object' && input !== null && 'name' in input && typeof input.name === 'string') {
    return `Sequence '${input.name}'`
  }
  return 'Sequence'
}
