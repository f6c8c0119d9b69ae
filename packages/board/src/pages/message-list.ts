import type { ConversationWithMessages } from '@paceline/core'
import { formatInstant } from '../format'
import { html, type Markup, time } from '../http/markup'

const AUTHOR: Readonly<Record<string, string>> = {
  lead: 'Lead',
  sequence: 'Sequence step',
  person: 'A person',
  agent: 'AI agent',
}

/** The conversation's messages, oldest first: who wrote, when, the subject of emails, the text. */
export function messageList(conversation: ConversationWithMessages, zone: string): Markup {
  return html`<ol class="messages" aria-label="Messages">${conversation.messages.map(
    (message) =>
      html`<li class="message ${message.direction}" data-direction="${message.direction}"><div class="who">${message.direction === 'inbound' ? 'Lead' : (AUTHOR[message.author] ?? message.author)} · ${time(message.at, formatInstant(message.at, zone))}${message.subject === null ? '' : html` · ${message.subject}`}</div>${message.text}</li>`,
  )}</ol>`
}
