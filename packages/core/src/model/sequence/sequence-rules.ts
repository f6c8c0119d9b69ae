import { issue, type ValidationIssue } from '../../errors/validation-issue'
import { parseTemplate } from '../personalisation/template-syntax'
import type { CustomRule, CustomRuleGroup } from './condition-schema'
import { alwaysPreceded, analyseGraph } from './sequence-graph'
import type { Sequence, SequenceStep } from './sequence-schema'
import type { TextLimits } from './text-limits'

/** The most steps one sequence may have; far above any sequence a person would run. */
export const MAX_STEPS = 200

/**
 * Every rule that spans fields or steps, after the shape has been checked by the schema. `standIns` are
 * steps whose own shape was wrong: they stand in the graph (so what points at them is not reported as
 * dangling) but their content is not judged, and rules that depend on step kinds along a path wait until
 * every step has a valid shape.
 */
export function sequenceRuleIssues(
  sequence: Sequence,
  limits: TextLimits,
  standIns: ReadonlySet<string> = new Set(),
): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const ids = Object.keys(sequence.steps)
  if (ids.length > MAX_STEPS) {
    issues.push(
      issue(
        'too_many_steps',
        ['steps'],
        `has ${ids.length} steps; the most a sequence may have is ${MAX_STEPS}`,
      ),
    )
  }
  const aiVariables = new Set(Object.keys(sequence.aiVariables ?? {}))
  for (const [id, step] of Object.entries(sequence.steps)) {
    if (standIns.has(id)) continue
    issues.push(...contentIssues(id, step))
    issues.push(...templateIssues(id, step, limits, aiVariables))
    if (step.kind === 'condition' && step.if.type === 'custom') {
      step.if.rules.forEach((rule, index) => {
        issues.push(...customRuleIssues(id, rule, ['steps', id, 'if', 'rules', index]))
      })
    }
  }
  const graph = analyseGraph(sequence)
  issues.push(...graph.issues)
  if (graph.order !== null && standIns.size === 0) issues.push(...pathIssues(sequence, graph))
  return issues
}

/** Steps whose message must come from exactly one source: a template, chunks, audio or an AI prompt. */
function contentIssues(id: string, step: SequenceStep): ValidationIssue[] {
  const sources = (names: readonly string[]) =>
    names.filter((name) => (step as Record<string, unknown>)[name] !== undefined)
  const exactlyOne = (names: readonly string[], what: string): ValidationIssue[] => {
    const given = sources(names)
    if (given.length === 1) return []
    const list = names.map((name) => `\`${name}\``).join(', ')
    if (given.length === 0) {
      return [issue('content_required', ['steps', id], `needs ${what}: set one of ${list}`, id)]
    }
    return [
      issue(
        'conflicting_content',
        ['steps', id, given[1] ?? ''],
        `sets ${given.map((name) => `\`${name}\``).join(' and ')}; use only one of ${list}`,
        id,
      ),
    ]
  }
  switch (step.kind) {
    case 'linkedin_message':
      return exactlyOne(['body', 'chunks', 'ai'], 'a message')
    case 'linkedin_inmail':
    case 'email':
      return exactlyOne(['body', 'ai'], 'a message')
    case 'add_to_campaign':
      return step.next === null
        ? []
        : [
            issue(
              'step_after_move',
              ['steps', id, 'next'],
              'must be null: this step moves the lead into another campaign, so nothing after it runs here; put the follow-up steps in that campaign',
              id,
            ),
          ]
    case 'linkedin_attachment': {
      const given = sources(['body', 'ai'])
      return given.length > 1
        ? [
            issue(
              'conflicting_content',
              ['steps', id, 'ai'],
              'sets `body` and `ai`; use only one for the caption',
              id,
            ),
          ]
        : []
    }
    default:
      return []
  }
}

interface TemplateField {
  readonly path: readonly (string | number)[]
  readonly text: string
  readonly limit?: number
  readonly limitName?: string
}

function templateFields(id: string, step: SequenceStep, limits: TextLimits): TemplateField[] {
  const at = (...rest: (string | number)[]) => ['steps', id, ...rest]
  switch (step.kind) {
    case 'send_connection':
      return step.note === undefined
        ? []
        : [{ path: at('note'), text: step.note, limit: limits.connectionNote, limitName: 'connection note' }]
    case 'linkedin_message':
      return [
        ...(step.body === undefined
          ? []
          : [
              {
                path: at('body'),
                text: step.body,
                limit: limits.linkedinMessage,
                limitName: 'LinkedIn message',
              },
            ]),
        ...(step.chunks ?? []).map((text, index) => ({
          path: at('chunks', index),
          text,
          limit: limits.linkedinMessage,
          limitName: 'LinkedIn message',
        })),
      ]
    case 'linkedin_inmail':
      return [
        ...(step.subject === undefined
          ? []
          : [
              {
                path: at('subject'),
                text: step.subject,
                limit: limits.inmailSubject,
                limitName: 'InMail subject',
              },
            ]),
        ...(step.body === undefined
          ? []
          : [{ path: at('body'), text: step.body, limit: limits.inmailBody, limitName: 'InMail body' }]),
      ]
    case 'linkedin_attachment':
      return step.body === undefined
        ? []
        : [
            {
              path: at('body'),
              text: step.body,
              limit: limits.linkedinMessage,
              limitName: 'LinkedIn message',
            },
          ]
    case 'email':
      return [
        ...(step.subject === undefined ? [] : [{ path: at('subject'), text: step.subject }]),
        ...(step.body === undefined ? [] : [{ path: at('body'), text: step.body }]),
      ]
    case 'task':
      return [
        { path: at('title'), text: step.title },
        ...(step.body === undefined ? [] : [{ path: at('body'), text: step.body }]),
      ]
    default:
      return []
  }
}

function templateIssues(
  id: string,
  step: SequenceStep,
  limits: TextLimits,
  aiVariables: ReadonlySet<string>,
): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  for (const field of templateFields(id, step, limits)) {
    if (field.limit !== undefined && field.text.length > field.limit) {
      issues.push(
        issue(
          'too_long',
          field.path,
          `is ${field.text.length} characters; the ${field.limitName} limit is ${field.limit}`,
          id,
        ),
      )
    }
    if (field.text.trim() === '' && field.path.at(-1) !== 'note') {
      issues.push(issue('empty_message', field.path, 'is empty; write the text or remove the field', id))
    }
    const parsed = parseTemplate(field.text)
    if (!parsed.ok) {
      for (const problem of parsed.problems)
        issues.push(issue('invalid_template', field.path, problem.message, id))
      continue
    }
    for (const part of parsed.parts) {
      if (part.type !== 'variable' || part.path[0] !== 'ai') continue
      const name = part.path[1]
      if (part.path.length !== 2 || name === undefined || !aiVariables.has(name)) {
        const known = [...aiVariables]
        issues.push(
          issue(
            'unknown_ai_variable',
            field.path,
            `uses {{${part.name}}}, which is not defined in \`aiVariables\`${known.length > 0 ? ` (defined: ${known.join(', ')})` : ''}`,
            id,
          ),
        )
      }
    }
    if (field.path.at(-1) === 'subject' && /[\r\n]/.test(field.text)) {
      issues.push(
        issue(
          'unsafe_header_value',
          field.path,
          'must be one line: a subject cannot contain line breaks',
          id,
        ),
      )
    }
  }
  return issues
}

const VALUELESS = new Set(['is_empty', 'is_not_empty'])
const NUMERIC = new Set(['greater_than', 'greater_or_equal', 'less_than', 'less_or_equal'])
const TEXTUAL = new Set(['contains', 'not_contains', 'starts_with', 'ends_with'])
const LISTS = new Set(['in', 'not_in'])

/** What is wrong with the values of custom rules (a number for `greater_than`, a list for `in`, ...). */
export function customRuleIssues(
  stepId: string | undefined,
  rule: CustomRule | CustomRuleGroup,
  path: readonly (string | number)[],
): ValidationIssue[] {
  if ('rules' in rule) {
    return rule.rules.flatMap((inner, index) => customRuleIssues(stepId, inner, [...path, 'rules', index]))
  }
  const problem = (message: string) => [issue('invalid_rule', [...path, 'value'], message, stepId)]
  const { operator, value } = rule
  if (VALUELESS.has(operator)) return value === undefined ? [] : problem(`must be absent for \`${operator}\``)
  if (value === undefined) return problem(`is required for \`${operator}\``)
  if (NUMERIC.has(operator) && typeof value !== 'number')
    return problem(`must be a number for \`${operator}\``)
  if (TEXTUAL.has(operator) && typeof value !== 'string') return problem(`must be text for \`${operator}\``)
  if (LISTS.has(operator) && !Array.isArray(value)) return problem(`must be a list for \`${operator}\``)
  return []
}

/** Rules about what must come before a step on every path that reaches it. */
function pathIssues(sequence: Sequence, graph: ReturnType<typeof analyseGraph>): ValidationIssue[] {
  const issues: ValidationIssue[] = []
  const afterEmail = alwaysPreceded(sequence, graph, (step) => step.kind === 'email')
  const afterConnection = alwaysPreceded(sequence, graph, (step) => step.kind === 'send_connection')
  for (const id of graph.order ?? []) {
    const step = sequence.steps[id]
    if (step === undefined) continue
    // An email the AI writes (`ai`) gets its subject from the AI when it opens the thread.
    if (
      step.kind === 'email' &&
      step.subject === undefined &&
      step.ai === undefined &&
      afterEmail.get(id) !== true
    ) {
      issues.push(
        issue(
          'missing_subject',
          ['steps', id, 'subject'],
          'is required: this email can be the first of its thread on some path, so it has no earlier subject to reply under',
          id,
        ),
      )
    }
    if (step.kind === 'linkedin_inmail' && step.subject === undefined) {
      issues.push(
        issue('missing_subject', ['steps', id, 'subject'], 'is required: InMail messages need a subject', id),
      )
    }
    if (
      step.kind === 'condition' &&
      step.if.type === 'connection_accepted' &&
      afterConnection.get(id) !== true
    ) {
      issues.push(
        issue(
          'connection_request_required',
          ['steps', id, 'if'],
          'checks for an accepted connection request, but some path reaches it without a send_connection step',
          id,
        ),
      )
    }
  }
  return issues
}
