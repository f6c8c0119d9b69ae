import type { RenderedAction } from '../render-step'

/**
 * What the lead reads of an action, as a conversation keeps it: the text with its subject, or nothing for
 * actions that carry no message (a profile visit, a reaction, an invitation without a note).
 */
export function outboundText(
  action: RenderedAction,
): { readonly text: string; readonly subject: string | null } | undefined {
  switch (action.kind) {
    case 'email':
      return { text: action.text, subject: action.subject }
    case 'linkedin_message':
      return { text: action.chunks.join('\n\n'), subject: null }
    case 'linkedin_inmail':
      return { text: action.body, subject: action.subject }
    case 'send_connection':
      return action.note === undefined ? undefined : { text: action.note, subject: null }
    case 'linkedin_attachment':
      return { text: action.caption ?? `[attachment: ${action.file.name ?? action.file.url}]`, subject: null }
    case 'linkedin_voice':
      return { text: '[voice message]', subject: null }
    default:
      return undefined
  }
}
