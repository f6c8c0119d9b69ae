import type { LinkedInReaction } from '@paceline/core/ports'

/** The reactions POST /posts/reaction takes (`reaction_type`). */
export type UnipileReactionType = Exclude<LinkedInReaction, 'most_reacted'>

/**
 * LinkedIn's own names for reactions, as Unipile lists them on a post (`PostReaction.value`), and the name
 * LinkedIn shows for each: Praise is Celebrate, Appreciation is Support, Empathy is Love, Interest is
 * Insightful, Entertainment is Funny.
 */
const LINKEDIN_NAMES: Readonly<Record<string, UnipileReactionType>> = {
  LIKE: 'like',
  PRAISE: 'celebrate',
  APPRECIATION: 'support',
  EMPATHY: 'love',
  INTEREST: 'insightful',
  ENTERTAINMENT: 'funny',
}

/** The order LinkedIn offers reactions in: a tie goes to the first. */
const ORDER: readonly UnipileReactionType[] = ['like', 'celebrate', 'support', 'love', 'insightful', 'funny']

/** "Most reacted": the reaction the post received most (of those listed), `like` for a post without any. */
export function mostReacted(values: readonly string[]): UnipileReactionType {
  const counts = new Map<UnipileReactionType, number>()
  for (const value of values) {
    const reaction = LINKEDIN_NAMES[value.toUpperCase()]
    if (reaction !== undefined) counts.set(reaction, (counts.get(reaction) ?? 0) + 1)
  }
  let best: UnipileReactionType = 'like'
  let most = 0
  for (const reaction of ORDER) {
    const count = counts.get(reaction) ?? 0
    if (count > most) {
      best = reaction
      most = count
    }
  }
  return best
}
