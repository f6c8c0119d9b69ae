import type { Lane } from './lanes'

/** An action waiting in a lane, with its priority key (smaller runs first). */
export interface WaitingAction {
  readonly lane: Lane
  readonly priorityKey: number
}

/**
 * The waiting action that runs next: the one with the smallest priority key among those whose lane is
 * open now. One pass over the candidates, whatever their number.
 */
export function pickNext<A extends WaitingAction>(
  candidates: readonly A[],
  isOpen: (lane: Lane) => boolean,
): A | undefined {
  let best: A | undefined
  const openness = new Map<Lane, boolean>()
  for (const candidate of candidates) {
    if (best !== undefined && candidate.priorityKey >= best.priorityKey) continue
    let open = openness.get(candidate.lane)
    if (open === undefined) {
      open = isOpen(candidate.lane)
      openness.set(candidate.lane, open)
    }
    if (open) best = candidate
  }
  return best
}
