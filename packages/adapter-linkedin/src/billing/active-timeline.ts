import type { Span } from './active-periods'

export interface ActiveCount {
  readonly at: number
  readonly active: number
}

/**
 * How many of `spans` are active through the cycle `[start, end)`: the count at `start`, then one point
 * per instant where it changes. Spans that end and start at the same instant are netted, so a hand-over
 * from one identity to another never shows as a momentary extra identity (periods are half-open).
 */
export function activeTimeline(
  spans: readonly Span[],
  cycle: { readonly start: number; readonly end: number },
): ActiveCount[] {
  const changes = new Map<number, number>()
  let active = 0
  for (const span of spans) {
    if (span.from <= cycle.start && cycle.start < span.to) active += 1
    if (cycle.start < span.from && span.from < cycle.end)
      changes.set(span.from, (changes.get(span.from) ?? 0) + 1)
    if (cycle.start < span.to && span.to < cycle.end) changes.set(span.to, (changes.get(span.to) ?? 0) - 1)
  }
  const timeline: ActiveCount[] = [{ at: cycle.start, active }]
  for (const [at, delta] of [...changes].sort(([a], [b]) => a - b)) {
    if (delta === 0) continue
    active += delta
    timeline.push({ at, active })
  }
  return timeline
}
