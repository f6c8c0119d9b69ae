import type {
  ConversationWithMessages,
  Engine,
  EngineEvent,
  EngineEventType,
  MessageAuthor,
} from '@paceline/core'

/** One line of the demo's transcript. Times are ISO 8601. */
export type TranscriptLine =
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'note'; readonly text: string }
  | {
      readonly kind: 'message'
      readonly at: string
      readonly author: MessageAuthor
      readonly from: string
      readonly to: string
      readonly subject: string | null
      readonly text: string
    }
  | { readonly kind: 'draft'; readonly at: string; readonly lead: string; readonly text: string }
  | {
      readonly kind: 'event'
      readonly at: string
      readonly type: EngineEventType
      readonly lead: string
      readonly detail: string
    }

/** The events worth a line: what was sent and received, and what the agent did. */
const SHOWN: ReadonlySet<EngineEventType> = new Set([
  'message-sent',
  'reply-received',
  'suggestion-ready',
  'reply-sent',
  'auto-reply-sent',
  'handed-off',
  'lead-status-changed',
])

const ROLE: Record<MessageAuthor, string> = {
  sequence: 'sequence',
  lead: '',
  person: 'by hand',
  agent: 'AI agent',
}

/**
 * Turns the engine's events into transcript lines as the demo goes: each message of a conversation with its
 * text (read back with `engine.conversations.get`), each copilot draft (`engine.conversations.suggestion`),
 * and the agent's events. Call `flush()` after each step, while a draft is still there to read.
 */
export function transcriptRecorder(
  engine: Engine,
  events: readonly EngineEvent[],
  names: Readonly<Record<string, string>>,
) {
  const lines: TranscriptLine[] = []
  let seen = 0
  const name = (id: string | undefined) => (id === undefined ? '?' : (names[id] ?? id))
  return {
    lines,
    heading(text: string) {
      lines.push({ kind: 'heading', text })
    },
    note(text: string) {
      lines.push({ kind: 'note', text })
    },
    async flush() {
      const added: TranscriptLine[] = []
      const fresh = events.slice(seen)
      seen = events.length
      const conversations = new Map<string, ConversationWithMessages>()
      const conversation = async (id: string) => {
        const known = conversations.get(id) ?? (await engine.conversations.get(id))
        conversations.set(id, known)
        return known
      }
      for (const event of fresh) {
        const conversationId =
          typeof event.detail?.conversationId === 'string' ? event.detail.conversationId : ''
        if (event.type === 'conversation-message') {
          const message = (await conversation(conversationId)).messages.find(
            (each) => each.key === event.detail?.messageKey,
          )
          if (message === undefined) continue
          const sender = name(event.identityId)
          const lead = name(event.leadId)
          const role = ROLE[message.author]
          added.push({
            kind: 'message',
            at: message.at,
            author: message.author,
            from: message.direction === 'inbound' ? lead : `${sender} (${role})`,
            to: message.direction === 'inbound' ? sender : lead,
            subject: message.subject,
            text: message.text,
          })
          continue
        }
        if (!SHOWN.has(event.type)) continue
        if (event.type === 'suggestion-ready') {
          const draft = await engine.conversations.suggestion(conversationId)
          if (draft !== undefined)
            added.push({ kind: 'draft', at: event.at, lead: name(event.leadId), text: draft.text })
        }
        added.push({
          kind: 'event',
          at: event.at,
          type: event.type,
          lead: name(event.leadId),
          detail: describe(event),
        })
      }
      // In time order (the sort is stable: events of one instant keep the order they happened in).
      lines.push(...added.sort((a, b) => order(a).localeCompare(order(b))))
    },
  }
}

/** At one instant: the message, then the events about it, then the draft and its `suggestion-ready`. */
function rank(line: TranscriptLine): number {
  if (line.kind === 'message') return 0
  if (line.kind === 'draft' || (line.kind === 'event' && line.type === 'suggestion-ready')) return 2
  return 1
}
const order = (line: TranscriptLine) => `${'at' in line ? line.at : ''}#${rank(line)}`

function describe(event: EngineEvent): string {
  const detail = event.detail ?? {}
  switch (event.type) {
    case 'handed-off':
      return `reason ${String(detail.reason)}: ${String(detail.why)}`
    case 'lead-status-changed':
      return `${status(detail.from)} -> ${status(detail.to)}`
    case 'message-sent':
      return `step ${event.stepId ?? '?'}`
    default:
      return ''
  }
}

/** A lead state (`{ status, substatus? }`) as `status` or `status/substatus`. */
function status(state: unknown): string {
  if (typeof state !== 'object' || state === null) return String(state)
  const { status, substatus } = state as { status?: unknown; substatus?: unknown }
  return typeof substatus === 'string' ? `${String(status)}/${substatus}` : String(status)
}

/** The transcript as text: times in the sender's time zone, one block per message. */
export function formatTranscript(lines: readonly TranscriptLine[], timeZone = 'Europe/Madrid'): string {
  const when = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  })
  const time = (at: string) => when.format(new Date(at)).replace(',', '')
  const pad = ' '.repeat(9)
  const out: string[] = []
  for (const line of lines) {
    switch (line.kind) {
      case 'heading':
        out.push('', `== ${line.text} ==`, '')
        break
      case 'note':
        out.push(`${pad}  * ${line.text}`)
        break
      case 'message':
        out.push(`${time(line.at)}  ${line.from} -> ${line.to}`)
        if (line.subject !== null) out.push(`${pad}  Subject: ${line.subject}`)
        out.push(...wrap(line.text, 96).map((each) => `${pad}  | ${each}`))
        break
      case 'draft':
        out.push(`${time(line.at)}  AI draft for ${line.lead} (waits for a person):`)
        out.push(...wrap(line.text, 96).map((each) => `${pad}  : ${each}`))
        break
      case 'event':
        out.push(`${pad}  [${line.type}] ${line.lead}${line.detail === '' ? '' : `: ${line.detail}`}`)
        break
    }
  }
  return out.join('\n')
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let current = ''
    for (const word of paragraph.split(' ')) {
      if (current !== '' && current.length + 1 + word.length > width) {
        lines.push(current)
        current = word
      } else current = current === '' ? word : `${current} ${word}`
    }
    lines.push(current)
  }
  return lines
}
