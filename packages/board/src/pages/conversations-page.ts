import type { ConversationView } from '@paceline/core'
import { z } from 'zod'
import { formatCount, formatInstant, formatRelative } from '../format'
import { type BoardContext, segment } from '../http/board-context'
import { page } from '../http/layout'
import { html, type Markup, time } from '../http/markup'
import { leadName } from './lead-words'
import { pager } from './pager'
import { tagList } from './tag-list'

const PAGE_SIZE = 25
const empty = (value: unknown) => (value === '' ? undefined : value)

export const conversationFiltersSchema = z.object({
  campaign: z.preprocess(empty, z.string().max(200).optional()),
  tag: z.preprocess(empty, z.string().trim().max(100).optional()),
  after: z.preprocess(empty, z.string().max(2_000).optional()),
  answeredAfter: z.preprocess(empty, z.string().max(2_000).optional()),
})

export type ConversationFilters = z.output<typeof conversationFiltersSchema>

/** Conversations waiting for an answer first (newest activity first), then the answered ones. */
export async function conversationsPage(
  context: BoardContext,
  filters: ConversationFilters,
): Promise<Markup> {
  const common = {
    limit: PAGE_SIZE,
    ...(filters.campaign === undefined ? {} : { campaignId: filters.campaign }),
    ...(filters.tag === undefined ? {} : { tag: filters.tag }),
  }
  const [waiting, answered, campaigns] = await Promise.all([
    context.engine.conversations.list({
      ...common,
      needsAnswer: true,
      ...(filters.after === undefined ? {} : { after: filters.after }),
    }),
    context.engine.conversations.list({
      ...common,
      needsAnswer: false,
      ...(filters.answeredAfter === undefined ? {} : { after: filters.answeredAfter }),
    }),
    context.engine.campaigns.list({ limit: 500, order: 'name' }),
  ])
  const names = new Map(campaigns.items.map((campaign) => [campaign.id, campaign.name]))
  const option = (value: string, label: string) =>
    html`<option value="${value}"${(filters.campaign ?? '') === value ? html` selected` : ''}>${label}</option>`
  return page(context, {
    title: 'Conversations',
    section: 'conversations',
    body: html`<form class="filters" method="get" action="${context.href('/conversations')}" role="search" aria-label="Filter the conversations">
<div><label for="filter-campaign">Campaign</label><select id="filter-campaign" name="campaign">${option('', 'Every campaign')}${campaigns.items.map((campaign) => option(campaign.id, campaign.name))}</select></div>
<div><label for="filter-tag">Tag</label><input type="search" id="filter-tag" name="tag" value="${filters.tag ?? ''}"></div>
<div><button type="submit">Apply</button> <a class="button secondary" href="${context.href('/conversations')}">Clear</a></div>
</form>
<section aria-labelledby="waiting-title"><h2 id="waiting-title">Waiting for an answer</h2>${await table(context, waiting.items, names, 'waiting')}${pager(context, waiting.next, filters.after)}</section>
<section aria-labelledby="answered-title"><h2 id="answered-title">Answered</h2>${await table(context, answered.items, names, 'answered')}${pager(context, answered.next, filters.answeredAfter, 'answeredAfter')}</section>`,
  })
}

async function table(
  context: BoardContext,
  conversations: readonly ConversationView[],
  campaigns: ReadonlyMap<string, string>,
  kind: 'waiting' | 'answered',
): Promise<Markup> {
  if (conversations.length === 0)
    return html`<p class="empty">${kind === 'waiting' ? 'No conversation is waiting for an answer.' : 'No answered conversation.'}</p>`
  const zone = context.settings.timeZone
  const leads = await Promise.all(
    conversations.map((conversation) =>
      conversation.campaignId === null
        ? Promise.resolve(undefined)
        : context.engine.leads.get(conversation.campaignId, conversation.leadId).catch(() => undefined),
    ),
  )
  return html`<div class="scroll"><table class="conversations" data-kind="${kind}"><caption class="visually-hidden">${kind === 'waiting' ? 'Conversations waiting for an answer' : 'Answered conversations'}</caption><thead><tr><th scope="col">Lead</th><th scope="col">Channel</th><th scope="col">Campaign</th><th scope="col">Last activity</th><th scope="col" class="num">Messages</th><th scope="col">Tags</th><th scope="col">AI</th></tr></thead><tbody>${conversations.map(
    (conversation, index) => {
      const lead = leads[index]
      const name = lead === undefined ? conversation.leadId : leadName(lead)
      return html`<tr data-conversation="${conversation.id}"><th scope="row"><a href="${context.href(`/conversations/${segment(conversation.id)}`)}">${name}</a></th><td>${conversation.channel === 'email' ? 'Email' : 'LinkedIn'}</td><td>${conversation.campaignId === null ? '–' : (campaigns.get(conversation.campaignId) ?? conversation.campaignId)}</td><td>${time(conversation.lastActivityAt, formatInstant(conversation.lastActivityAt, zone))} <span class="muted">(${formatRelative(conversation.lastActivityAt, context.now)})</span></td><td class="num">${formatCount(conversation.messageCount)}</td><td>${tagList(conversation.tags)}</td><td>${conversation.agent.hasSuggestion ? html`<span class="badge replied">Suggestion ready</span>` : conversation.agent.handOffReason === null ? '' : html`<span class="badge needs-answer">Handed off</span>`}</td></tr>`
    },
  )}</tbody></table></div>`
}
