import type { TagCategory } from '../records'

/** Counts across every channel. Counts of leads: each lead counts once, when it first did the thing. */
export interface AllChannelsMetrics {
  /** Leads in the campaign now. */
  readonly total: number
  /** Leads for whom at least one step was executed. */
  readonly started: number
  /** Leads who received at least one message (LinkedIn or email). */
  readonly contacted: number
  /** Leads who replied on any channel; out-of-office answers are not replies. */
  readonly replied: number
  /** Leads whose conversation counts as positive (the AI's reading of their reply, or a person's tag). */
  readonly positive: number
}

export interface LinkedInMetrics {
  /** Leads with at least one LinkedIn interaction (visit, reaction, invitation, message). */
  readonly engaged: number
  /** Leads who were sent a connection request. */
  readonly invited: number
  /** Leads who accepted it. */
  readonly accepted: number
  /** Leads who received at least one LinkedIn message. */
  readonly contacted: number
  readonly replied: number
  readonly positive: number
}

export interface EmailMetrics {
  /** Emails sent by the sequence (actions, not leads). */
  readonly sent: number
  /** Leads who opened an email (opens by mail scanners and image proxies are not counted). */
  readonly opened: number
  /** Leads who clicked a tracked link (clicks by link scanners are not counted). */
  readonly clicked: number
  readonly replied: number
  readonly positive: number
  /** Emails that could not be delivered (hard bounces; actions, not leads). */
  readonly bounced: number
}

export interface TaskMetrics {
  /** Tasks created by the campaign that are open now. */
  readonly pending: number
  /** Tasks marked done in the period (here or in the CRM). */
  readonly completed: number
}

/** One tag in the tagged-conversations breakdown: conversations that got it in the period. */
export interface TaggedConversations {
  /** The tag, lower case (tags are matched without case). */
  readonly tag: string
  readonly category: TagCategory
  readonly channel: 'linkedin' | 'email'
  readonly conversations: number
}

/** A campaign's funnel metrics from its counters. */
export interface CampaignMetrics {
  readonly all: AllChannelsMetrics
  readonly linkedin: LinkedInMetrics
  readonly email: EmailMetrics
  readonly tasks: TaskMetrics
  /** Out-of-office answers (not replies, but worth knowing). */
  readonly outOfOffice: number
  /** Most tagged first. */
  readonly tags: readonly TaggedConversations[]
}

/**
 * Reads the metrics out of counters summed over a period (`counts`), with the campaign's all-time counters
 * for what is a state now (open tasks) and its audience size.
 */
export function campaignMetrics(
  counts: Readonly<Record<string, number>>,
  allTime: Readonly<Record<string, number>>,
  total: number,
): CampaignMetrics {
  const n = (name: string) => Math.max(0, counts[name] ?? 0)
  const tags: TaggedConversations[] = []
  for (const [name, value] of Object.entries(counts)) {
    if (!name.startsWith('tag:') || value <= 0) continue
    const [, channel, category, ...rest] = name.split(':')
    if ((channel !== 'linkedin' && channel !== 'email') || category === undefined) continue
    tags.push({ tag: rest.join(':'), category: category as TagCategory, channel, conversations: value })
  }
  tags.sort(
    (a, b) =>
      b.conversations - a.conversations ||
      a.tag.localeCompare(b.tag) ||
      a.category.localeCompare(b.category) ||
      a.channel.localeCompare(b.channel),
  )
  const created = allTime['event:task-created'] ?? 0
  const completedEver = allTime['event:task-completed'] ?? 0
  return {
    all: {
      total,
      started: n('leads:started'),
      contacted: n('leads:contacted'),
      replied: n('leads:replied'),
      positive: n('leads:positive'),
    },
    linkedin: {
      engaged: n('leads:engaged'),
      invited: n('leads:invited'),
      accepted: n('leads:accepted'),
      contacted: n('leads:contacted:linkedin'),
      replied: n('leads:replied:linkedin'),
      positive: n('leads:positive:linkedin'),
    },
    email: {
      sent: n('event:message-sent:email'),
      opened: n('leads:opened'),
      clicked: n('leads:clicked'),
      replied: n('leads:replied:email'),
      positive: n('leads:positive:email'),
      bounced: n('event:email-bounced:email'),
    },
    tasks: { pending: Math.max(0, created - completedEver), completed: n('event:task-completed') },
    outOfOffice: n('event:out-of-office'),
    tags,
  }
}
