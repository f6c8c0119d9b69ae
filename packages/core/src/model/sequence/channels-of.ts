import type { Sequence, SequenceStep } from './sequence-schema'
import { CHANNELS, type Channel, STEP_KIND_INFO } from './step-kinds'

/** The channel a step uses, or null for steps that touch no channel (most conditions, add to campaign). */
export function channelOfStep(step: SequenceStep): Channel | null {
  if (step.kind === 'condition') {
    // Checking an invitation or a connection needs the LinkedIn account.
    return step.if.type === 'connection_accepted' || step.if.type === 'is_connection' ? 'linkedin' : null
  }
  return STEP_KIND_INFO[step.kind].channel
}

/**
 * The channels a sequence uses (LinkedIn, Email, Tasks), derived from its steps, in that order. A campaign
 * needs its identity to have each of them connected (tasks need none).
 */
export function channelsOf(sequence: Sequence): Channel[] {
  const used = new Set<Channel>()
  for (const step of Object.values(sequence.steps)) {
    const channel = channelOfStep(step)
    if (channel !== null) used.add(channel)
  }
  return CHANNELS.filter((channel) => used.has(channel))
}
