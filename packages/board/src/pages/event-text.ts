import { describeLeadState, type EngineEvent, type LeadState } from '@paceline/core'

/** What an entry of the action log says, in words, for the lead's timeline. */
const TEXT: Readonly<Partial<Record<EngineEvent['type'], string>>> = {
  'lead-started': 'Started the sequence',
  'profile-visited': 'Visited the LinkedIn profile',
  'post-reacted': 'Reacted to the latest post',
  'invitation-sent': 'Sent a connection request',
  'message-sent': 'Sent a message',
  'task-created': 'Created a task',
  'lead-moved': 'Moved to another campaign',
  'condition-evaluated': 'Checked a condition',
  'connection-checked': 'Checked the connection',
  'invitation-withdrawn': 'The connection request was withdrawn',
  'reply-received': 'Replied',
  'connection-accepted': 'Accepted the connection request',
  'email-bounced': 'The email bounced',
  'complaint-received': 'Marked the email as spam',
  'email-opened': 'Opened the email',
  'link-clicked': 'Clicked a link',
  'task-completed': 'The task was done',
  'delivery-unknown': 'Delivery unknown: the channel did not confirm the send',
  'lead-status-changed': 'Status changed',
  'reply-sent': 'Answered by a person',
  'auto-reply-sent': 'Answered by the AI agent',
  'suggestion-ready': 'The AI suggested an answer',
  'handed-off': 'The AI agent handed the conversation to a person',
  'conversation-tagged': 'Tagged the conversation',
}

const INBOUND = new Set<EngineEvent['type']>([
  'reply-received',
  'connection-accepted',
  'email-opened',
  'link-clicked',
  'email-bounced',
  'complaint-received',
])

/** `stepLabel` describes the entry's step (a condition's question), when the page knows the sequence. */
export function eventText(event: EngineEvent, stepLabel?: string): string {
  const base = TEXT[event.type] ?? event.type
  const detail = event.detail ?? {}
  if (event.type === 'condition-evaluated') {
    const result = detail.result
    const question = stepLabel === undefined ? base : `Checked: ${stepLabel}`
    return typeof result === 'boolean' ? `${question}: ${result ? 'Yes' : 'No'}` : question
  }
  if (event.type === 'lead-status-changed') {
    const to = detail.to
    return isLeadState(to) ? `${base}: ${describeLeadState(to)}` : base
  }
  return event.channel === undefined ? base : `${base} (${event.channel})`
}

/** The timeline's marker: something the lead did, a status change, or the engine acting. */
export function eventKind(event: EngineEvent): 'inbound' | 'status' | 'action' {
  if (INBOUND.has(event.type)) return 'inbound'
  if (event.type === 'lead-status-changed' || event.type === 'condition-evaluated') return 'status'
  return 'action'
}

function isLeadState(value: unknown): value is LeadState {
  return (
    typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'string'
  )
}
