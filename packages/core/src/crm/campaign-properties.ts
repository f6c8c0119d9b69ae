import type { ActionRecord } from '../engine/records'
import type { Campaign } from '../model/campaign/campaign'
import type { LeadState } from '../model/lead/lead-status'
import type { Sequence, SequenceStep } from '../model/sequence/sequence-schema'
import type { CampaignPropertyName } from './crm-config'

/** What the properties are computed from: one lead's action log, its campaigns and its senders. */
export interface CampaignPropertyInput {
  /** Every action of the lead, oldest first (all campaigns). */
  readonly actions: readonly ActionRecord[]
  /** The lead's campaigns, in the order it joined them, with its state in each. */
  readonly enrolments: ReadonlyArray<{ readonly campaign: Campaign; readonly state: LeadState }>
  /** Identity id -> name (the senders). */
  readonly identityNames: Readonly<Record<string, string>>
}

const MESSAGE_KINDS = new Set([
  'email',
  'linkedin_message',
  'linkedin_inmail',
  'linkedin_attachment',
  'linkedin_voice',
])

export const ordinal = (n: number): string => {
  const tens = n % 100
  const suffix =
    tens >= 11 && tens <= 13
      ? 'th'
      : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th')
  return `${n}${suffix}`
}

/** The sequence's steps in reading order: from the start, the "yes" branch before the "no" one. */
function stepsInOrder(sequence: Sequence): SequenceStep[] {
  const seen = new Set<string>()
  const out: SequenceStep[] = []
  const visit = (id: string | null) => {
    if (id === null || seen.has(id)) return
    seen.add(id)
    const step = sequence.steps[id]
    if (step === undefined) return
    out.push(step)
    if (step.kind === 'condition') {
      visit(step.then)
      visit(step.else)
    } else visit(step.next)
  }
  visit(sequence.start)
  return out
}

/** A sequence's steps by name: "1st Email, 2nd Email, LinkedIn Connection Request, 1st LinkedIn". */
export function sequenceDetails(sequence: Sequence): string {
  const counts = new Map<string, number>()
  const names: string[] = []
  const numbered = (family: string) => {
    const n = (counts.get(family) ?? 0) + 1
    counts.set(family, n)
    return `${ordinal(n)} ${family}`
  }
  for (const step of stepsInOrder(sequence)) {
    switch (step.kind) {
      case 'email':
        names.push(numbered('Email'))
        break
      case 'linkedin_message':
      case 'linkedin_attachment':
      case 'linkedin_voice':
        names.push(numbered('LinkedIn'))
        break
      case 'linkedin_inmail':
        names.push(numbered('InMail'))
        break
      case 'send_connection':
        names.push('LinkedIn Connection Request')
        break
      case 'visit_profile':
        names.push('LinkedIn Profile Visit')
        break
      case 'react_to_last_post':
        names.push('LinkedIn Post Reaction')
        break
      case 'task':
        names.push(numbered('Task'))
        break
      default:
        break
    }
  }
  return names.join(', ')
}

const channelName = (channel: string | null): string => (channel === 'email' ? 'Email' : 'LinkedIn')

/** Activity labels of the "Activities" property: "Visit LinkedIn profile", "LinkedIn Invitation sent", ... */
function activityLabel(action: ActionRecord): string | undefined {
  switch (action.type) {
    case 'profile-visited':
      return 'Visit LinkedIn profile'
    case 'post-reacted':
      return 'LinkedIn post reaction'
    case 'invitation-sent':
      return 'LinkedIn Invitation sent'
    case 'connection-accepted':
      return 'Contact has accepted invitation'
    case 'invitation-withdrawn':
      return 'LinkedIn Invitation withdrawn'
    case 'message-sent':
      return action.action === 'email'
        ? 'Email sent'
        : action.action === 'linkedin_inmail'
          ? 'LinkedIn InMail sent'
          : 'LinkedIn message sent'
    case 'reply-received':
      return `Contact replied (${channelName(action.channel)})`
    case 'email-opened':
      return 'Email opened'
    case 'link-clicked':
      return 'Email link clicked'
    case 'email-bounced':
      return 'Email bounced'
    case 'task-created':
      return 'Task created'
    case 'task-completed':
      return 'Task completed'
    default:
      return undefined
  }
}

const SENDING = new Set(['profile-visited', 'post-reacted', 'invitation-sent', 'message-sent'])

function sequenceStatus(state: LeadState): string {
  switch (state.status) {
    case 'not_started':
      return 'Not Started'
    case 'replied':
      return 'Replied'
    case 'finished':
      return 'Finished'
    default:
      return 'Ongoing'
  }
}

const human = (action: ActionRecord) => !(action.detail as { automated?: boolean } | null)?.automated

/**
 * The campaign properties of one lead (written onto CRM contact fields), computed from its action log. The
 * per-campaign ones (sequence details, engagement and sequence status, reply, opens and clicks) describe the
 * lead's current campaign, the one it acted in last; the general ones span all its campaigns.
 */
export function campaignProperties(
  input: CampaignPropertyInput,
): Record<CampaignPropertyName, string | number> {
  const { actions, enrolments } = input
  const lastCampaignId =
    [...actions]
      .reverse()
      .find((each) => each.campaignId !== null && enrolments.some((e) => e.campaign.id === each.campaignId))
      ?.campaignId ?? enrolments.at(-1)?.campaign.id
  const current = enrolments.find((each) => each.campaign.id === lastCampaignId)
  // An open, click or reply the engine could not tie to a campaign belongs to the lead's current one.
  const inCurrent = actions.filter(
    (each) => each.campaignId === lastCampaignId || (each.campaignId === null && current !== undefined),
  )
  const total =
    current === undefined
      ? 0
      : stepsInOrder(current.campaign.sequence).filter((s) => MESSAGE_KINDS.has(s.kind)).length

  // The campaign's messages in the order they went out: the index is "1st Message", "2nd Message", ...
  const sent = inCurrent.filter((each) => each.type === 'message-sent')
  const indexOfMessage = new Map<string, number>()
  sent.forEach((each, index) => {
    if (each.messageId !== null) indexOfMessage.set(each.messageId, index + 1)
  })
  const reply = inCurrent.find((each) => each.type === 'reply-received')
  const sentBeforeReply = reply === undefined ? 0 : sent.filter((each) => each.at <= reply.at).length
  const last = sent.at(-1)

  let engagementStatus = current === undefined ? '' : 'Added to Campaign'
  if (reply !== undefined)
    engagementStatus = `Message Replied (${sentBeforeReply}/${total}) - ${channelName(reply.channel)}`
  else if (last !== undefined)
    engagementStatus = `Message Sent (${sent.length}/${total}) - ${channelName(last.channel)}`

  const analysis = (type: 'email-opened' | 'link-clicked') => {
    const indexes = new Set<number>()
    for (const each of inCurrent)
      if (each.type === type && human(each) && each.messageId !== null) {
        const index = indexOfMessage.get(each.messageId)
        if (index !== undefined) indexes.add(index)
      }
    return indexes.size === 0
      ? 'No'
      : [...indexes]
          .sort((a, b) => a - b)
          .map((index) => `Yes (${ordinal(index)} Message)`)
          .join(', ')
  }

  const senders: string[] = []
  const activities: string[] = []
  const tags: string[] = []
  const categories: string[] = []
  for (const action of actions) {
    if (SENDING.has(action.type) && action.identityId !== null) {
      const name = input.identityNames[action.identityId] ?? action.identityId
      if (!senders.includes(name)) senders.push(name)
    }
    const label = activityLabel(action)
    if (
      label !== undefined &&
      (action.type !== 'email-opened' || human(action)) &&
      !activities.includes(label)
    )
      activities.push(label)
    if (action.type === 'reply-received') {
      const detail = (action.detail ?? {}) as { tags?: unknown; sentiment?: unknown }
      const sentiment = typeof detail.sentiment === 'string' ? detail.sentiment.toUpperCase() : 'NEUTRAL'
      for (const tag of Array.isArray(detail.tags) ? detail.tags : [])
        if (typeof tag === 'string' && !tags.includes(tag)) {
          tags.push(tag)
          categories.push(sentiment)
        }
    }
    if (action.type === 'conversation-tagged') {
      // A person's tags replace what the replies said: the conversation's tags as they now stand.
      const detail = (action.detail ?? {}) as { tags?: unknown }
      tags.length = 0
      categories.length = 0
      for (const tag of Array.isArray(detail.tags) ? detail.tags : []) {
        const { name, category } = (tag ?? {}) as { name?: unknown; category?: unknown }
        if (typeof name !== 'string' || tags.includes(name)) continue
        tags.push(name)
        categories.push(typeof category === 'string' ? category.toUpperCase() : 'NEUTRAL')
      }
    }
  }

  return {
    sequenceDetails: current === undefined ? '' : sequenceDetails(current.campaign.sequence),
    engagementStatus,
    sequenceStatus: current === undefined ? '' : sequenceStatus(current.state),
    replyAnalysis:
      reply === undefined || sentBeforeReply === 0 ? 'No' : `Yes (${ordinal(sentBeforeReply)} Message)`,
    opens: inCurrent.filter((each) => each.type === 'email-opened' && human(each)).length,
    clicks: inCurrent.filter((each) => each.type === 'link-clicked' && human(each)).length,
    openAnalysis: analysis('email-opened'),
    clickAnalysis: analysis('link-clicked'),
    campaigns: enrolments.map((each) => each.campaign.name).join(', '),
    senders: senders.join(', '),
    activities: activities.join(', '),
    conversationTags: tags.join(', '),
    conversationTagCategories: categories.join(', '),
  }
}
