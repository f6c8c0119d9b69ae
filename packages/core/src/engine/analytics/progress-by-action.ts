import type { Campaign } from '../../model/campaign/campaign'
import { describeStep } from '../../model/sequence/format-sequence'
import { analyseGraph } from '../../model/sequence/sequence-graph'
import type { SequenceStep } from '../../model/sequence/sequence-schema'
import { type AudienceSummary, audienceFrom } from './audience-summary'

/** One step of the sequence in "progress by action". */
export interface StepProgress {
  readonly stepId: string
  readonly kind: SequenceStep['kind']
  /** The step in a few words, e.g. "Send connection request". */
  readonly description: string
  /** Leads that reached the step in the period. */
  readonly reached: number
  /** Leads that went on from the step to the next one (or to the end) in the period. */
  readonly passed: number
  /** Leads that failed at the step in the period. */
  readonly errored: number
  /** Leads at the step now, by status and substatus (as the audience summary counts them). */
  readonly now: AudienceSummary
  /** For conditions: how many evaluations took the Yes and the No branch in the period. */
  readonly branches?: { readonly yes: number; readonly no: number }
}

/** The steps in sequence order (every step after the steps leading to it), each with its counts. */
export function progressByAction(
  campaign: Campaign,
  counts: Readonly<Record<string, number>>,
  now: Readonly<Record<string, number>>,
): StepProgress[] {
  const sequence = campaign.sequence
  const order = analyseGraph(sequence).order ?? Object.keys(sequence.steps)
  const n = (name: string) => Math.max(0, counts[name] ?? 0)
  return order.flatMap((stepId) => {
    const step = sequence.steps[stepId]
    if (step === undefined) return []
    const progress: StepProgress = {
      stepId,
      kind: step.kind,
      description: describeStep(step),
      reached: n(`step-reached:${stepId}`),
      passed: n(`step-passed:${stepId}`),
      errored: n(`step-errored:${stepId}`),
      now: audienceFrom(now, campaign, `step:${stepId}:`),
    }
    return [
      step.kind === 'condition'
        ? { ...progress, branches: { yes: n(`condition:${stepId}:yes`), no: n(`condition:${stepId}:no`) } }
        : progress,
    ]
  })
}
