import { issue, type ValidationIssue } from '../../errors/validation-issue'
import { edgesOf } from '../sequence/sequence-graph'
import type { Sequence } from '../sequence/sequence-schema'

/**
 * What changed in a sequence's shape: steps added or removed, a step's kind, where its paths lead, or the
 * type of a condition. Delays, message content and condition settings are not shape: they stay editable
 * after launch and apply to future steps only.
 */
export function sequenceShapeChanges(before: Sequence, after: Sequence): ValidationIssue[] {
  const changes: ValidationIssue[] = []
  if (before.start !== after.start) {
    changes.push(
      issue('start_changed', ['sequence', 'start'], `changed from '${before.start}' to '${after.start}'`),
    )
  }
  for (const [id, old] of Object.entries(before.steps)) {
    const now = after.steps[id]
    if (now === undefined || !Object.hasOwn(after.steps, id)) {
      changes.push(issue('step_removed', ['sequence', 'steps', id], 'was removed', id))
      continue
    }
    if (now.kind !== old.kind) {
      changes.push(
        issue(
          'kind_changed',
          ['sequence', 'steps', id, 'kind'],
          `changed from ${old.kind} to ${now.kind}`,
          id,
        ),
      )
      continue
    }
    const oldEdges = edgesOf(old)
    const newEdges = edgesOf(now)
    oldEdges.forEach((edge, index) => {
      const target = newEdges[index]?.target ?? null
      if (target !== edge.target) {
        changes.push(
          issue(
            'path_changed',
            ['sequence', 'steps', id, edge.field],
            `changed from ${show(edge.target)} to ${show(target)}`,
            id,
          ),
        )
      }
    })
    if (old.kind === 'condition' && now.kind === 'condition' && old.if.type !== now.if.type) {
      changes.push(
        issue(
          'condition_changed',
          ['sequence', 'steps', id, 'if', 'type'],
          `changed from ${old.if.type} to ${now.if.type}`,
          id,
        ),
      )
    }
  }
  for (const id of Object.keys(after.steps)) {
    if (!Object.hasOwn(before.steps, id))
      changes.push(issue('step_added', ['sequence', 'steps', id], 'was added', id))
  }
  return changes
}

function show(target: string | null): string {
  return target === null ? 'the end' : `'${target}'`
}
