import type { CampaignPriority } from '../model/campaign/campaign'

export const CAMPAIGN_PRIORITY_RANK: Readonly<Record<CampaignPriority, number>> = {
  high: 0,
  medium: 1,
  low: 2,
}

const TIE_BREAK_SPAN = 0x1_0000_0000
const RANK_SPAN = 4 * TIE_BREAK_SPAN
const MAX_DEPTH = 999

/**
 * The order in which waiting actions run: first the lead who has already received more messages (a
 * conversation under way is not left hanging), then the campaign's priority, then a seeded random
 * tie-break. Encoded as one number, smaller first, so stores can index it.
 */
export function priorityKey(depth: number, priority: CampaignPriority, tieBreak: number): number {
  const boundedDepth = Math.min(Math.max(0, Math.floor(depth)), MAX_DEPTH)
  return (
    (MAX_DEPTH - boundedDepth) * RANK_SPAN +
    CAMPAIGN_PRIORITY_RANK[priority] * TIE_BREAK_SPAN +
    (tieBreak >>> 0)
  )
}
