import { issue, type ValidationIssue } from '../../errors/validation-issue'
import { didYouMean } from '../did-you-mean'
import type { Sequence, SequenceStep } from './sequence-schema'

export type EdgeField = 'next' | 'then' | 'else'

export interface Edge {
  readonly field: EdgeField
  readonly target: string | null
}

/** The outgoing edges of a step: `next` for actions, `then` and `else` for conditions. */
export function edgesOf(step: SequenceStep): readonly Edge[] {
  return step.kind === 'condition'
    ? [
        { field: 'then', target: step.then },
        { field: 'else', target: step.else },
      ]
    : [{ field: 'next', target: step.next }]
}

export interface GraphAnalysis {
  readonly issues: readonly ValidationIssue[]
  /** Steps reachable from start in an order where every step comes after all its predecessors; null if cyclic. */
  readonly order: readonly string[] | null
  /** For each reachable step, the reachable steps with an edge into it. */
  readonly predecessors: ReadonlyMap<string, readonly string[]>
}

/**
 * Checks the sequence as a graph: the start step exists, every `next`/`then`/`else` names a step, no path
 * loops, and every step can be reached from the start.
 */
export function analyseGraph(sequence: Sequence): GraphAnalysis {
  const issues: ValidationIssue[] = []
  const steps = sequence.steps
  const has = (id: string) => Object.hasOwn(steps, id)

  if (!has(sequence.start)) {
    const known = Object.keys(steps)
    issues.push(
      issue(
        'unknown_start',
        ['start'],
        `names step '${sequence.start}', which does not exist${didYouMean(sequence.start, known, "'")}${known.length > 0 ? ` (steps: ${known.slice(0, 10).join(', ')})` : ''}`,
      ),
    )
  }
  for (const [id, step] of Object.entries(steps)) {
    for (const edge of edgesOf(step)) {
      if (edge.target !== null && !has(edge.target)) {
        issues.push(
          issue(
            'dangling_reference',
            ['steps', id, edge.field],
            `points to step '${edge.target}', which does not exist${didYouMean(edge.target, Object.keys(steps), "'")}; use an existing step id, or null to end the path`,
            id,
          ),
        )
      }
    }
  }

  const { order, cycleIssues, reached } = walk(sequence)
  issues.push(...cycleIssues)

  if (has(sequence.start)) {
    for (const id of Object.keys(steps)) {
      if (!reached.has(id)) {
        issues.push(
          issue(
            'unreachable_step',
            ['steps', id],
            `cannot be reached from the start step '${sequence.start}'; link it from another step or remove it`,
            id,
          ),
        )
      }
    }
  }

  const predecessors = new Map<string, string[]>()
  for (const id of reached) predecessors.set(id, [])
  for (const id of reached) {
    const step = steps[id]
    if (step === undefined) continue
    for (const edge of edgesOf(step)) {
      if (edge.target !== null) predecessors.get(edge.target)?.push(id)
    }
  }
  return { issues, order, predecessors }
}

/** Depth-first walk from the start: reverse post-order gives a topological order; back edges are cycles. */
function walk(sequence: Sequence): {
  order: string[] | null
  cycleIssues: ValidationIssue[]
  reached: Set<string>
} {
  const steps = sequence.steps
  const reached = new Set<string>()
  const cycleIssues: ValidationIssue[] = []
  if (!Object.hasOwn(steps, sequence.start)) return { order: null, cycleIssues, reached }

  const postOrder: string[] = []
  const onPath = new Set<string>()
  const path: string[] = []
  // Iterative, so that a very long sequence cannot overflow the stack.
  const stack: { id: string; edges: readonly Edge[]; next: number }[] = []
  const enter = (id: string) => {
    const step = steps[id]
    reached.add(id)
    onPath.add(id)
    path.push(id)
    stack.push({ id, edges: step === undefined ? [] : edgesOf(step), next: 0 })
  }
  enter(sequence.start)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame === undefined) break
    const edge = frame.edges[frame.next]
    if (edge === undefined) {
      stack.pop()
      path.pop()
      onPath.delete(frame.id)
      postOrder.push(frame.id)
      continue
    }
    frame.next++
    const target = edge.target
    if (target === null || !Object.hasOwn(steps, target)) continue
    if (onPath.has(target)) {
      const loop = [...path.slice(path.indexOf(target)), target].join(' → ')
      cycleIssues.push(
        issue(
          'cycle',
          ['steps', frame.id, edge.field],
          `leads back to '${target}' (${loop}); a sequence must not loop`,
          frame.id,
        ),
      )
      continue
    }
    if (!reached.has(target)) enter(target)
  }
  return { order: cycleIssues.length === 0 ? postOrder.reverse() : null, cycleIssues, reached }
}

/**
 * For each step, whether every path from the start to it passes through a step matching `predicate`
 * (the step itself excluded). Needs the topological order of an acyclic sequence.
 */
export function alwaysPreceded(
  sequence: Sequence,
  analysis: GraphAnalysis,
  predicate: (step: SequenceStep) => boolean,
): Map<string, boolean> {
  const result = new Map<string, boolean>()
  for (const id of analysis.order ?? []) {
    if (id === sequence.start) {
      result.set(id, false)
      continue
    }
    const predecessors = analysis.predecessors.get(id) ?? []
    const every = predecessors.every((from) => {
      const step = sequence.steps[from]
      return (step !== undefined && predicate(step)) || result.get(from) === true
    })
    result.set(id, predecessors.length > 0 && every)
  }
  return result
}
