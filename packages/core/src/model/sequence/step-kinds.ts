/** The actions a sequence step can take, plus the `condition` step that branches. */
export const ACTION_KINDS = [
  'visit_profile',
  'react_to_last_post',
  'send_connection',
  'linkedin_message',
  'linkedin_inmail',
  'linkedin_attachment',
  'linkedin_voice',
  'email',
  'task',
  'add_to_campaign',
] as const

export type ActionKind = (typeof ACTION_KINDS)[number]
export type StepKind = ActionKind | 'condition'

export const STEP_KINDS: readonly StepKind[] = [...ACTION_KINDS, 'condition']

/** The channels a campaign can use, in the order they are listed to people (LinkedIn, email, tasks). */
export const CHANNELS = ['linkedin', 'email', 'tasks'] as const
export type Channel = (typeof CHANNELS)[number]

/**
 * Which execution queue of its identity a step waits in: `linkedin` for everything that hits LinkedIn
 * (rate-limited together), `email` for sending email, `none` for steps that run at once (conditions,
 * branching, tasks, add to campaign).
 */
export type Queue = 'linkedin' | 'email' | 'none'

export interface StepKindInfo {
  readonly label: string
  readonly channel: Channel | null
  readonly queue: Queue
  /** A message a person reads: counts towards "contacted" and towards LinkedIn message depth. */
  readonly isMessage: boolean
}

export const STEP_KIND_INFO: Readonly<Record<StepKind, StepKindInfo>> = {
  visit_profile: { label: 'Visit profile', channel: 'linkedin', queue: 'linkedin', isMessage: false },
  react_to_last_post: {
    label: 'React to last post',
    channel: 'linkedin',
    queue: 'linkedin',
    isMessage: false,
  },
  send_connection: {
    label: 'Send connection request',
    channel: 'linkedin',
    queue: 'linkedin',
    isMessage: false,
  },
  linkedin_message: { label: 'LinkedIn message', channel: 'linkedin', queue: 'linkedin', isMessage: true },
  linkedin_inmail: { label: 'LinkedIn InMail', channel: 'linkedin', queue: 'linkedin', isMessage: true },
  linkedin_attachment: {
    label: 'LinkedIn attachment',
    channel: 'linkedin',
    queue: 'linkedin',
    isMessage: true,
  },
  linkedin_voice: {
    label: 'LinkedIn voice message',
    channel: 'linkedin',
    queue: 'linkedin',
    isMessage: true,
  },
  email: { label: 'Email', channel: 'email', queue: 'email', isMessage: true },
  task: { label: 'Task', channel: 'tasks', queue: 'none', isMessage: false },
  add_to_campaign: { label: 'Add to another campaign', channel: null, queue: 'none', isMessage: false },
  condition: { label: 'Condition', channel: null, queue: 'none', isMessage: false },
}

export const REACTIONS = [
  'like',
  'celebrate',
  'support',
  'love',
  'insightful',
  'funny',
  'most_reacted',
] as const
export type Reaction = (typeof REACTIONS)[number]
