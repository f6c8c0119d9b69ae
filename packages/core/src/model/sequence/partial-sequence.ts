import { type Sequence, type SequenceStep, stepIdSchema, stepSchema } from './sequence-schema'

/**
 * A sequence document whose shape is partly wrong, made whole enough to run the rules that span steps:
 * every step that parses is kept; one that does not becomes a stand-in with only its links (so the graph
 * is still right about what points where). This is what lets one round of validation report a bad step
 * kind, a dangling reference and a template error together, instead of one after the other.
 */
export interface PartialSequence {
  readonly sequence: Sequence
  /** Steps whose shape was wrong (their own issues come from the schema). */
  readonly standIns: ReadonlySet<string>
}

/** The partial sequence of a document, or undefined when even its outline (an object of steps) is missing. */
export function partialSequence(document: unknown): PartialSequence | undefined {
  if (typeof document !== 'object' || document === null) return undefined
  const raw = document as Record<string, unknown>
  const rawSteps = raw.steps
  if (typeof rawSteps !== 'object' || rawSteps === null || Array.isArray(rawSteps)) return undefined
  const start = stepIdSchema.safeParse(raw.start)
  if (!start.success) return undefined
  const steps: Record<string, SequenceStep> = {}
  const standIns = new Set<string>()
  for (const [id, value] of Object.entries(rawSteps)) {
    if (!stepIdSchema.safeParse(id).success) continue
    const parsed = stepSchema.safeParse(value)
    if (parsed.success) {
      steps[id] = parsed.data
      continue
    }
    steps[id] = standIn(value)
    standIns.add(id)
  }
  const aiVariables =
    typeof raw.aiVariables === 'object' && raw.aiVariables !== null ? raw.aiVariables : undefined
  return {
    sequence: {
      version: 1,
      start: start.data,
      steps,
      ...(aiVariables === undefined ? {} : { aiVariables: aiVariables as Sequence['aiVariables'] }),
    },
    standIns,
  }
}

/** Keeps only a step's links (the ones that are step ids); its kind and content are not judged. */
function standIn(value: unknown): SequenceStep {
  const raw = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const link = (target: unknown): string | null =>
    typeof target === 'string' && stepIdSchema.safeParse(target).success ? target : null
  if (raw.kind === 'condition')
    return { kind: 'condition', if: { type: 'is_connection' }, then: link(raw.then), else: link(raw.else) }
  return { kind: 'visit_profile', next: link(raw.next) }
}
