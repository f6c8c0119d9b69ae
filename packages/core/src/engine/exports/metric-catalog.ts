import type { CampaignMetrics } from '../analytics/campaign-metrics'

/** One funnel metric as the exports write it: where it belongs, what it counts and what its rate is of. */
export interface MetricLine {
  readonly channel: 'all' | 'linkedin' | 'email' | 'tasks'
  readonly metric: string
  /** What is counted: leads (each once), actions, tasks or answers. */
  readonly unit: 'leads' | 'actions' | 'tasks' | 'answers'
  readonly value: (metrics: CampaignMetrics) => number
  /** The whole the rate is a share of (leads in the campaign unless said otherwise); none for no rate. */
  readonly of?: { readonly name: string; readonly value: (metrics: CampaignMetrics) => number }
}

const leads = { name: 'leads', value: (metrics: CampaignMetrics) => metrics.all.total }

/** The Overview's funnels, in the order they are shown: all channels, LinkedIn, email, tasks. */
export const METRIC_LINES: readonly MetricLine[] = [
  { channel: 'all', metric: 'leads', unit: 'leads', value: (m) => m.all.total },
  { channel: 'all', metric: 'started', unit: 'leads', value: (m) => m.all.started, of: leads },
  { channel: 'all', metric: 'contacted', unit: 'leads', value: (m) => m.all.contacted, of: leads },
  { channel: 'all', metric: 'replied', unit: 'leads', value: (m) => m.all.replied, of: leads },
  { channel: 'all', metric: 'positive', unit: 'leads', value: (m) => m.all.positive, of: leads },
  { channel: 'all', metric: 'out_of_office', unit: 'answers', value: (m) => m.outOfOffice },
  { channel: 'linkedin', metric: 'engaged', unit: 'leads', value: (m) => m.linkedin.engaged, of: leads },
  { channel: 'linkedin', metric: 'invited', unit: 'leads', value: (m) => m.linkedin.invited, of: leads },
  {
    channel: 'linkedin',
    metric: 'accepted',
    unit: 'leads',
    value: (m) => m.linkedin.accepted,
    of: { name: 'invited', value: (m) => m.linkedin.invited },
  },
  { channel: 'linkedin', metric: 'contacted', unit: 'leads', value: (m) => m.linkedin.contacted, of: leads },
  { channel: 'linkedin', metric: 'replied', unit: 'leads', value: (m) => m.linkedin.replied, of: leads },
  { channel: 'linkedin', metric: 'positive', unit: 'leads', value: (m) => m.linkedin.positive, of: leads },
  { channel: 'email', metric: 'sent', unit: 'actions', value: (m) => m.email.sent },
  { channel: 'email', metric: 'opened', unit: 'leads', value: (m) => m.email.opened, of: leads },
  { channel: 'email', metric: 'clicked', unit: 'leads', value: (m) => m.email.clicked, of: leads },
  { channel: 'email', metric: 'replied', unit: 'leads', value: (m) => m.email.replied, of: leads },
  { channel: 'email', metric: 'positive', unit: 'leads', value: (m) => m.email.positive, of: leads },
  {
    channel: 'email',
    metric: 'bounced',
    unit: 'actions',
    value: (m) => m.email.bounced,
    of: { name: 'sent', value: (m) => m.email.sent },
  },
  { channel: 'tasks', metric: 'pending', unit: 'tasks', value: (m) => m.tasks.pending },
  { channel: 'tasks', metric: 'completed', unit: 'tasks', value: (m) => m.tasks.completed },
]

/** A metric's column name in the one-row-per-campaign export, e.g. `linkedin_accepted`. */
export const metricColumn = (line: MetricLine) => `${line.channel}_${line.metric}`
