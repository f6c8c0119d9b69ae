import type { Lead } from '../model/lead/lead'
import { blocklisted, describeEntry } from './blocklist'
import type { EngineContext } from './engine-context'
import type { EngineEvent } from './engine-events'
import { finishLead } from './finish-lead'
import type { EnrolmentRecord } from './records'
import type { Store } from './store'

/**
 * Finishes a lead as "blocked" when it matches the workspace blocklist, checked at the moment the engine is
 * about to act for it: an entry added after the lead was enrolled (a company domain, a profile URL, an email
 * that changed) stops it before anything more is sent. Undefined when the lead is not blocked.
 */
export async function stopIfBlocklisted(
  context: EngineContext,
  store: Store,
  enrolment: EnrolmentRecord,
  lead: Lead,
  now: number,
): Promise<{ readonly enrolment: EnrolmentRecord; readonly events: EngineEvent[] } | undefined> {
  const entry = await blocklisted(store, lead)
  if (entry === undefined) return undefined
  return finishLead(context, store, enrolment, 'blocked', now, {
    why: 'blocklist',
    entry: { kind: entry.kind, value: entry.value, reason: entry.reason },
    message: `matches ${describeEntry(entry)}`,
  })
}
