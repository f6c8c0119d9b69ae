import type { EngineEvent } from '@paceline/core'
import type { IdentityActivity } from './billing-input'

/** The fields of an action log entry (`engine.actions()`, or the engine's events) that billing reads. */
export type ActionLogEntry = Pick<EngineEvent, 'at' | 'type' | 'identityId' | 'channel' | 'action'>

/** Actions the engine runs on LinkedIn with an identity: each one keeps it active for 30 days. */
const LINKEDIN_ACTIONS: ReadonlySet<EngineEvent['type']> = new Set([
  'profile-visited',
  'post-reacted',
  'invitation-sent',
  'message-sent',
  'invitation-withdrawn',
  'connection-checked',
])

/**
 * The log entry types `activityFromActions` reads: pass them as `engine.actions({ identityId, types })` so a
 * meter reads only these (an indexed read) rather than the identity's whole log.
 */
export const BILLING_ACTIVITY_TYPES: readonly EngineEvent['type'][] = [
  ...LINKEDIN_ACTIONS,
  'channel-reconnected',
]

/**
 * The meter's activity from paceline's action log. The whole mapping:
 * - a LinkedIn action (`channel: 'linkedin'`, one of the types above) is an `action`; except an
 *   `invitation-withdrawn` without `action`, which reports a withdrawal the engine did not run;
 * - a LinkedIn `channel-reconnected` is the account connected again, an `integration-connected`;
 * - everything else (replies, acceptances, `channel-disconnected`, email, tasks) is not the identity
 *   acting, and is left out.
 * The log does not know when an identity was created or synced by Edges: add those from Edges itself.
 */
export function activityFromActions(actions: readonly ActionLogEntry[]): IdentityActivity[] {
  const activity: IdentityActivity[] = []
  for (const entry of actions) {
    if (entry.identityId === undefined || entry.channel !== 'linkedin') continue
    const ranByEngine = entry.type !== 'invitation-withdrawn' || entry.action !== undefined
    if (LINKEDIN_ACTIONS.has(entry.type) && ranByEngine)
      activity.push({ identityId: entry.identityId, at: entry.at, kind: 'action' })
    else if (entry.type === 'channel-reconnected')
      activity.push({ identityId: entry.identityId, at: entry.at, kind: 'integration-connected' })
  }
  return activity
}
