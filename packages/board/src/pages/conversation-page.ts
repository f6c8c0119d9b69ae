import { randomUUID } from 'node:crypto'
import { type ConversationWithMessages, DEFAULT_TEXT_LIMITS, type Suggestion } from '@paceline/core'
import { formatInstant } from '../format'
import { type BoardContext, segment } from '../http/board-context'
import { actionForm, hiddenFields, page } from '../http/layout'
import { html, type Markup, time } from '../http/markup'
import { leadName } from './lead-words'
import { messageList } from './message-list'
import { tagList } from './tag-list'

/**
 * One conversation: its messages; the copilot's suggested answer to edit and send (or discard); an answer
 * written by hand; its tags. Each form is shown only when `authorize` allows what it does.
 */
export async function conversationPage(context: BoardContext, id: string): Promise<Markup> {
  const conversation = await context.engine.conversations.get(id)
  const [suggestion, lead, campaign] = await Promise.all([
    context.engine.conversations.suggestion(id),
    conversation.campaignId === null
      ? Promise.resolve(undefined)
      : context.engine.leads.get(conversation.campaignId, conversation.leadId).catch(() => undefined),
    conversation.campaignId === null
      ? Promise.resolve(undefined)
      : context.engine.campaigns.get(conversation.campaignId).catch(() => undefined),
  ])
  const name = lead === undefined ? conversation.leadId : leadName(lead)
  const zone = context.settings.timeZone
  const channel = conversation.channel === 'email' ? 'email' : 'LinkedIn'
  return page(context, {
    title: `${name} on ${channel}`,
    section: 'conversations',
    breadcrumbs: [['Conversations', '/conversations']],
    aside: html`<div class="actions">${conversation.needsAnswer ? html`<span class="badge needs-answer">Waiting for an answer</span>` : html`<span class="badge finished">Answered</span>`}</div>`,
    body: html`<div class="grid-2-even">
<section aria-labelledby="messages-title"><h2 id="messages-title">Messages</h2>${messageList(conversation, zone)}</section>
<div>
${await suggestionPanel(context, conversation, suggestion, zone)}
${await replyPanel(context, conversation)}
${await tagsPanel(context, conversation)}
<section aria-labelledby="about-title"><h2 id="about-title">About</h2><dl class="pairs"><dt>Lead</dt><dd>${campaign === undefined || lead === undefined ? name : html`<a href="${context.href(`/campaigns/${segment(campaign.id)}/leads/${segment(lead.leadId)}`)}">${name}</a>`}</dd><dt>Campaign</dt><dd>${campaign === undefined ? '–' : html`<a href="${context.href(`/campaigns/${segment(campaign.id)}`)}">${campaign.name}</a>`}</dd><dt>Channel</dt><dd>${channel}${conversation.inbox === null ? '' : ` (${conversation.inbox})`}</dd><dt>Started</dt><dd>${time(conversation.startedAt, formatInstant(conversation.startedAt, zone))}</dd><dt>AI agent</dt><dd>${agentText(conversation)}</dd></dl></section>
</div></div>`,
  })
}

function agentText(conversation: ConversationWithMessages): string {
  const agent = conversation.agent
  const parts = [
    agent.status === 'active'
      ? 'Active'
      : agent.status === 'handed_off'
        ? 'Handed off to a person'
        : 'Stood down',
  ]
  if (agent.handOffReason !== null) parts.push(`because ${agent.handOffReason}`)
  if (agent.answers > 0) parts.push(`${agent.answers} answers sent by the AI`)
  return parts.join(', ')
}

/** The text box of an answer; on LinkedIn, with its length limit and the characters left. */
function answerField(id: string, label: string, limit: number | undefined, text: string): Markup {
  const counter = `${id}-count`
  return html`<div class="field"><label for="${id}">${label}</label><textarea id="${id}" name="text" required${limit === undefined ? '' : html` maxlength="${limit}" data-limit="${limit}" aria-describedby="${counter}"`}>${text}</textarea>${limit === undefined ? '' : html`<p class="hint" id="${counter}" aria-live="polite">At most ${limit} characters on LinkedIn.</p>`}</div>`
}

function textLimit(conversation: ConversationWithMessages): number | undefined {
  return conversation.channel === 'linkedin' ? DEFAULT_TEXT_LIMITS.linkedinMessage : undefined
}

async function suggestionPanel(
  context: BoardContext,
  conversation: ConversationWithMessages,
  suggestion: Suggestion | undefined,
  zone: string,
): Promise<Markup> {
  if (suggestion === undefined) return html``
  const base = `/conversations/${segment(conversation.id)}`
  const canSend = await context.can({
    type: 'approve-suggestion',
    conversationId: conversation.id,
    edited: true,
  })
  const canDiscard = await context.can({ type: 'discard-suggestion', conversationId: conversation.id })
  const limit = textLimit(conversation)
  const back = context.url.pathname
  return html`<section class="suggestion" aria-labelledby="suggestion-title"><h2 id="suggestion-title">Suggested answer</h2>
<p class="muted">Written by the AI ${time(suggestion.at, formatInstant(suggestion.at, zone))}. Nothing is sent until a person sends it.</p>
${
  canSend
    ? html`<form method="post" action="${context.href(`${base}/approve`)}">${hiddenFields(context, back)}<input type="hidden" name="idempotencyKey" value="${randomUUID()}">
${answerField('suggestion-text', 'Answer (edit it before sending if you like)', limit, suggestion.text)}
<div class="actions"><button type="submit">Send this answer</button></div></form>`
    : html`<blockquote class="message outbound">${suggestion.text}</blockquote>`
}
${canDiscard ? html`<div class="actions">${actionForm(context, { path: `${base}/discard`, label: 'Discard the suggestion', variant: 'secondary', back })}</div>` : ''}
</section>`
}

async function replyPanel(context: BoardContext, conversation: ConversationWithMessages): Promise<Markup> {
  if (!(await context.can({ type: 'reply', conversationId: conversation.id }))) return html``
  const limit = textLimit(conversation)
  return html`<section aria-labelledby="reply-title"><h2 id="reply-title">Answer by hand</h2>
<form method="post" action="${context.href(`/conversations/${segment(conversation.id)}/reply`)}">${hiddenFields(context, context.url.pathname)}<input type="hidden" name="idempotencyKey" value="${randomUUID()}">
${conversation.channel === 'email' ? html`<div class="field"><label for="reply-subject">Subject</label><input type="text" id="reply-subject" name="subject" aria-describedby="reply-subject-hint"><p class="hint" id="reply-subject-hint">Leave empty to answer in the same thread ("Re: ...").</p></div>` : ''}
${answerField('reply-text', 'Your answer', limit, '')}
<div class="actions"><button type="submit">Send</button></div></form></section>`
}

async function tagsPanel(context: BoardContext, conversation: ConversationWithMessages): Promise<Markup> {
  const canTag = await context.can({ type: 'tag-conversation', conversationId: conversation.id })
  const base = `/conversations/${segment(conversation.id)}`
  const manual = conversation.tags.filter((tag) => tag.source === 'manual')
  return html`<section aria-labelledby="tags-title"><h2 id="tags-title">Tags</h2><p>${tagList(conversation.tags)}</p>
${
  canTag
    ? html`<form method="post" action="${context.href(`${base}/tags`)}" class="filters">${hiddenFields(context, context.url.pathname)}
<div><label for="tag-name">New tag</label><input type="text" id="tag-name" name="name" required maxlength="100"></div>
<div><label for="tag-category">Counts as</label><select id="tag-category" name="category"><option value="positive">Positive</option><option value="neutral" selected>Neutral</option><option value="negative">Negative</option></select></div>
<div><button type="submit">Add tag</button></div></form>
${manual.length === 0 ? '' : html`<div class="actions">${manual.map((tag) => html`<form method="post" action="${context.href(`${base}/untag`)}">${hiddenFields(context, context.url.pathname)}<input type="hidden" name="name" value="${tag.name}"><button type="submit" class="secondary" aria-label="Remove the tag ${tag.name}">Remove “${tag.name}”</button></form>`)}</div>`}`
    : ''
}</section>`
}
