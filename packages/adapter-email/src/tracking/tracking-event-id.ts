import { createHash } from 'node:crypto'
import type { TrackingPayload } from './tracking-token'

/**
 * The event id of a tracking hit: the same for every hit on one message (and, for clicks, one link) in one
 * time window, so the engine records it once however often the image is reloaded or the URL replayed.
 * Hits that look automated and hits from people are kept apart: a scanner's visit must not hide the
 * reader's. The message and link are hashed, keeping the id short whatever their length.
 */
export function trackingEventId(payload: TrackingPayload, automated: boolean, window: number): string {
  const target = createHash('sha256')
    .update(payload.messageId)
    .update('\u0000')
    .update(payload.url ?? '')
    .digest('base64url')
    .slice(0, 32)
  return `tracking:${payload.kind}:${automated ? 'automated' : 'person'}:${target}:${window}`
}
