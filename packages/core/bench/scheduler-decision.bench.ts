import { type Lane, LINKEDIN_LANES, pickNext, priorityKey } from '@paceline/core'
import { median, round } from '../../../bench/measure'

/**
 * One scheduler decision over 100,000 waiting actions (the best action among open lanes), against
 * sorting the same 100,000 priority keys with a plain array sort, in the same run.
 */
export function schedulerDecisionBenchmark(count = 100_000) {
  const lanes: Lane[] = [...LINKEDIN_LANES, 'email:a@acme.io', 'email:b@acme.io']
  const priorities = ['high', 'medium', 'low'] as const
  let state = 12345
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state
  }
  const candidates = Array.from({ length: count }, () => ({
    lane: lanes[next() % lanes.length] as Lane,
    priorityKey: priorityKey(next() % 6, priorities[next() % 3] as (typeof priorities)[number], next()),
  }))
  const keys = candidates.map((candidate) => candidate.priorityKey)
  const open = new Set<Lane>(['linkedin:message', 'linkedin:visit', 'email:a@acme.io'])
  let picked: unknown
  const decisionMs = median(() => {
    picked = pickNext(candidates, (lane) => open.has(lane))
  })
  const sortMs = median(() => {
    keys.slice().sort((a, b) => a - b)
  })
  if (picked === undefined) throw new Error('the benchmark picked nothing')
  return {
    waitingActions: count,
    decisionMs: round(decisionMs),
    sortMs: round(sortMs),
    ratio: round(decisionMs / sortMs),
    goal: 'at most 2',
  }
}
