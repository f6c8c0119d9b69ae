import type { ConversationTag } from '@paceline/core'
import { html, type Markup } from '../http/markup'

/** A conversation's tags as badges coloured by category, saying who set each (a person or the AI). */
export function tagList(tags: readonly ConversationTag[]): Markup {
  if (tags.length === 0) return html`<span class="muted">–</span>`
  return html`${tags.map(
    (tag) =>
      html`<span class="badge ${tag.category}" title="${tag.category}, set by ${tag.source === 'ai' ? 'the AI' : 'a person'}">${tag.name}${tag.source === 'ai' ? ' (AI)' : ''}</span> `,
  )}`
}
