import { countAction } from './analytics/action-metrics'
import type { EngineContext } from './engine-context'
import type { EngineEvent, EngineEventType } from './engine-events'
import type { ActionRecord } from './records'
import type { Store } from './store'

export type ActionInput = Partial<Omit<ActionRecord, 'key' | 'at' | 'type'>> & {
  readonly type: EngineEventType
}

/** Appends entries to the action log and returns them as host events (emitted after commit). */
export async function logActions(
  context: EngineContext,
  store: Store,
  at: number,
  entries: readonly ActionInput[],
): Promise<EngineEvent[]> {
  const events: EngineEvent[] = []
  for (const entry of entries) {
    const key = `${at.toString(36).padStart(9, '0')}.${context.settings.workerId}.${context.bootId}.${context.nextSequence().toString(36).padStart(7, '0')}`
    const record: ActionRecord = {
      key,
      at,
      type: entry.type,
      identityId: entry.identityId ?? null,
      campaignId: entry.campaignId ?? null,
      leadId: entry.leadId ?? null,
      stepId: entry.stepId ?? null,
      action: entry.action ?? null,
      channel: entry.channel ?? null,
      inbox: entry.inbox ?? null,
      messageId: entry.messageId ?? null,
      detail: entry.detail ?? null,
    }
    await store.put('actions', key, record)
    await countAction(store, record)
    events.push(toEvent(record))
  }
  return events
}

export function toEvent(record: ActionRecord): EngineEvent {
  const event: { -readonly [K in keyof EngineEvent]: EngineEvent[K] } = {
    at: new Date(record.at).toISOString(),
    type: record.type as EngineEventType,
  }
  if (record.identityId !== null) event.identityId = record.identityId
  if (record.campaignId !== null) event.campaignId = record.campaignId
  if (record.leadId !== null) event.leadId = record.leadId
  if (record.stepId !== null) event.stepId = record.stepId
  if (record.action !== null) event.action = record.action
  if (record.channel !== null) event.channel = record.channel
  if (record.inbox !== null) event.inbox = record.inbox
  if (record.messageId !== null) event.messageId = record.messageId
  if (record.detail !== null) event.detail = record.detail
  return event
}
