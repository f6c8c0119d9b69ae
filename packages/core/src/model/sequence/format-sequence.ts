import type { Condition } from './condition-schema'
import type { Delay, Sequence, SequenceStep } from './sequence-schema'
import { STEP_KIND_INFO } from './step-kinds'

export interface FormatSequenceOptions {
  /** Longest excerpt of a message shown after a step; default 48 characters. */
  readonly excerptLength?: number
}

/**
 * The sequence as a readable tree for terminals and logs: one line per step, conditions branching into
 * indented `yes`/`no` paths. A step reached from two branches is printed once; the second branch points
 * to it.
 */
export function formatSequence(sequence: Sequence, options: FormatSequenceOptions = {}): string {
  const excerptLength = options.excerptLength ?? 48
  const lines: string[] = []
  const printed = new Set<string>()

  const printPath = (from: string | null, indent: string) => {
    let current = from
    while (current !== null) {
      if (printed.has(current)) {
        lines.push(`${indent}↪ continues at '${current}' (above)`)
        return
      }
      const step = sequence.steps[current]
      if (step === undefined) {
        lines.push(`${indent}? '${current}' (missing step)`)
        return
      }
      printed.add(current)
      lines.push(
        `${indent}${step.kind === 'condition' ? '◆' : '●'} ${current}: ${describeStep(step, excerptLength)}`,
      )
      if (step.kind === 'condition') {
        lines.push(`${indent}├─ yes`)
        printPath(step.then, `${indent}│  `)
        lines.push(`${indent}└─ no`)
        printPath(step.else, `${indent}   `)
        return
      }
      current = step.next
    }
    lines.push(`${indent}■ end`)
  }

  printPath(sequence.start, '')
  return lines.join('\n')
}

/** One line describing a step: what it does, when, and an excerpt of its message. */
export function describeStep(step: SequenceStep, excerptLength = 48): string {
  const when = step.delay === undefined ? '' : `, after ${describeDelay(step.delay)}`
  const quote = (text: string | undefined) => (text === undefined ? '' : ` "${excerpt(text, excerptLength)}"`)
  switch (step.kind) {
    case 'condition':
      return `if ${describeCondition(step.if)}${when}`
    case 'react_to_last_post':
      return `${STEP_KIND_INFO[step.kind].label} (${step.reaction.replace('_', ' ')})${when}`
    case 'send_connection':
      return `${STEP_KIND_INFO[step.kind].label}${when}${step.note === undefined ? ' (no note)' : quote(step.note)}`
    case 'linkedin_message': {
      if (step.chunks !== undefined) {
        return `${STEP_KIND_INFO[step.kind].label} in ${step.chunks.length} chunks${when}${quote(step.chunks[0])}`
      }
      return `${STEP_KIND_INFO[step.kind].label}${when}${content(step.body, step.ai, excerptLength)}`
    }
    case 'linkedin_inmail':
    case 'email': {
      const subject =
        step.subject === undefined ? ' (reply in thread)' : ` [${excerpt(step.subject, excerptLength)}]`
      return `${STEP_KIND_INFO[step.kind].label}${subject}${when}${content(step.body, step.ai, excerptLength)}`
    }
    case 'linkedin_attachment':
      return `${STEP_KIND_INFO[step.kind].label} ${step.attachment.name ?? step.attachment.url}${when}${content(step.body, step.ai, excerptLength)}`
    case 'linkedin_voice':
      return `${STEP_KIND_INFO[step.kind].label}${when}${step.audio !== undefined ? ' (recording)' : ' (recording needed)'}`
    case 'task':
      return `${STEP_KIND_INFO[step.kind].label} (${step.type})${when}${quote(step.title)}`
    case 'add_to_campaign':
      return `${STEP_KIND_INFO[step.kind].label} '${step.campaignId}'${when}`
    case 'visit_profile':
      return `${STEP_KIND_INFO[step.kind].label}${when}`
  }
}

export function describeDelay(delay: Delay): string {
  const parts: string[] = []
  if (delay.days !== undefined && delay.days > 0)
    parts.push(`${delay.days} ${delay.days === 1 ? 'day' : 'days'}`)
  if (delay.hours !== undefined && delay.hours > 0) {
    parts.push(`${delay.hours} ${delay.hours === 1 ? 'hour' : 'hours'}`)
  }
  return parts.length === 0 ? 'no wait' : parts.join(' ')
}

export function describeCondition(condition: Condition): string {
  switch (condition.type) {
    case 'connection_accepted':
      return `connection accepted within ${condition.withinDays} ${condition.withinDays === 1 ? 'day' : 'days'}`
    case 'is_connection':
      return 'already a connection'
    case 'has_been_contacted': {
      const channel =
        condition.channel === 'any' ? '' : ` on ${condition.channel === 'linkedin' ? 'LinkedIn' : 'email'}`
      const within = condition.withinDays === undefined ? '' : ` in the last ${condition.withinDays} days`
      return `already contacted${channel}${within}`
    }
    case 'has_linkedin_profile':
      return 'has a LinkedIn profile id'
    case 'has_professional_email':
      return 'has a professional email'
    case 'has_mobile_phone':
      return 'has a mobile phone'
    case 'custom':
      return `custom (${condition.match} of ${condition.rules.length} ${condition.rules.length === 1 ? 'rule' : 'rules'})`
  }
}

function content(body: string | undefined, ai: { prompt: string } | undefined, length: number): string {
  if (ai !== undefined) return ` (AI: "${excerpt(ai.prompt, length)}")`
  return body === undefined ? '' : ` "${excerpt(body, length)}"`
}

function excerpt(text: string, length: number): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ').trim()
  return flat.length > length ? `${flat.slice(0, Math.max(1, length - 1))}…` : flat
}
