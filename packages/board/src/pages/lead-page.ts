import {
  type Campaign,
  type ConversationWithMessages,
  conversationId,
  describeLeadState,
  describeStep,
  type LeadView,
  PacelineError,
} from '@paceline/core'
import { formatInstant, formatRelative } from '../format'
import { type BoardContext, segment } from '../http/board-context'
import { actionForm, page } from '../http/layout'
import { html, type Markup, time } from '../http/markup'
import { eventKind, eventText } from './event-text'
import { leadName, leadReason } from './lead-words'
import { messageList } from './message-list'

/** One lead in one campaign: where it stands and why, its timeline, its conversations, what may be done. */
export async function leadPage(context: BoardContext, campaignId: string, leadId: string): Promise<Markup> {
  const [campaign, lead] = await Promise.all([
    context.engine.campaigns.get(campaignId),
    context.engine.leads.get(campaignId, leadId),
  ])
  const [events, conversations] = await Promise.all([
    context.engine.actions({ campaignId, leadId }),
    leadConversations(context, campaign, leadId),
  ])
  const zone = context.settings.timeZone
  const steps = campaign.sequence.steps as Readonly<Record<string, Parameters<typeof describeStep>[0]>>
  const stepLabel = (stepId: string | undefined) => {
    const step = stepId === undefined ? undefined : steps[stepId]
    return step === undefined ? undefined : describeStep(step)
  }
  return page(context, {
    title: leadName(lead),
    section: 'campaigns',
    breadcrumbs: [
      ['Campaigns', '/campaigns'],
      [campaign.name, `/campaigns/${segment(campaign.id)}`],
    ],
    aside: html`<div class="actions"><span class="badge ${lead.status}">${describeLeadState(lead.state)}</span>${await leadActions(context, lead)}</div>`,
    body: html`<div class="grid-2-even">
<section aria-labelledby="where-title"><h2 id="where-title">Where it stands</h2>${whereItStands(context, lead, stepLabel(lead.stepId ?? undefined))}</section>
<section aria-labelledby="profile-title"><h2 id="profile-title">Profile</h2><dl class="pairs">${Object.entries(
      lead.profile,
    )
      .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
      .map(([name, value]) => html`<dt>${fieldLabel(name)}</dt><dd>${String(value)}</dd>`)}</dl></section>
</div>
<section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>${
      events.length === 0
        ? html`<p class="empty">Nothing has happened yet.</p>`
        : html`<ol class="timeline">${events.map(
            (event) =>
              html`<li class="${eventKind(event)}">${time(event.at, formatInstant(event.at, zone))} · ${eventText(event, stepLabel(event.stepId))}${event.stepId === undefined ? '' : html` <span class="muted">(step ${event.stepId})</span>`}</li>`,
          )}</ol>`
    }</section>
${conversations.length === 0 ? html`<section aria-labelledby="conversation-title"><h2 id="conversation-title">Conversation</h2><p class="empty">No message with this lead yet.</p></section>` : conversations.map((conversation) => html`<section aria-labelledby="conversation-${conversation.channel}"><h2 id="conversation-${conversation.channel}">Conversation on ${conversation.channel === 'email' ? 'email' : 'LinkedIn'}</h2><p><a href="${context.href(`/conversations/${segment(conversation.id)}`)}">${conversation.needsAnswer ? 'Answer this conversation' : 'Open the conversation'}</a></p>${messageList(conversation, zone)}</section>`)}`,
  })
}

function whereItStands(context: BoardContext, lead: LeadView, step: string | undefined): Markup {
  const zone = context.settings.timeZone
  const { waiting, meaning, detail } = leadReason(lead)
  return html`<dl class="pairs"><dt>Status</dt><dd>${describeLeadState(lead.state)}</dd>${meaning === undefined ? '' : html`<dt>Meaning</dt><dd>${meaning}${detail === undefined ? '' : html` <span class="muted">(${detail})</span>`}</dd>`}${waiting === undefined ? '' : html`<dt>Why it waits</dt><dd class="why-waiting">${waiting}</dd>`}${lead.nextEligibleAt === undefined ? '' : html`<dt>Next action</dt><dd>${time(lead.nextEligibleAt, formatInstant(lead.nextEligibleAt, zone))} (${formatRelative(lead.nextEligibleAt, context.now)})</dd>`}${lead.stepId === null ? '' : html`<dt>Step</dt><dd>${lead.stepId}${step === undefined ? '' : `: ${step}`}</dd>`}${lead.inbox === undefined ? '' : html`<dt>Writes from</dt><dd>${lead.inbox}</dd>`}</dl>`
}

async function leadActions(context: BoardContext, lead: LeadView): Promise<Markup> {
  const ids = { campaignId: lead.campaignId, leadId: lead.leadId }
  const base = `/campaigns/${segment(lead.campaignId)}/leads/${segment(lead.leadId)}`
  const forms: Markup[] = []
  const active = lead.status === 'in_progress' || lead.status === 'not_started' || lead.status === 'error'
  if (active && (await context.can({ type: 'pause-lead', ...ids })))
    forms.push(actionForm(context, { path: `${base}/pause`, label: 'Pause lead', variant: 'secondary' }))
  if (lead.status === 'paused' && (await context.can({ type: 'resume-lead', ...ids })))
    forms.push(actionForm(context, { path: `${base}/resume`, label: 'Resume lead' }))
  if (lead.status === 'error' && (await context.can({ type: 'retry-errors', ...ids })))
    forms.push(actionForm(context, { path: `${base}/retry`, label: 'Retry the step' }))
  return html`${forms}`
}

/** The lead's conversations with the campaign's identity, LinkedIn then email (those that exist). */
async function leadConversations(
  context: BoardContext,
  campaign: Campaign,
  leadId: string,
): Promise<ConversationWithMessages[]> {
  const found: ConversationWithMessages[] = []
  for (const channel of ['linkedin', 'email'] as const) {
    try {
      found.push(await context.engine.conversations.get(conversationId(campaign.identityId, leadId, channel)))
    } catch (error) {
      if (!(error instanceof PacelineError) || error.code !== 'not_found') throw error
    }
  }
  return found
}

/** A profile field's name as people read it: `professionalEmail` is "Professional email". */
function fieldLabel(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
