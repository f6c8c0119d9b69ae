import type { DailyActivityName, LeadStatus } from '@paceline/core'

/**
 * The report's colours: the Okabe–Ito palette (told apart with the common colour-vision deficiencies), and
 * neutral greys for what is not a result.
 */
export const COLORS = {
  blue: '#0072b2',
  sky: '#56b4e9',
  green: '#009e73',
  orange: '#e69f00',
  vermillion: '#d55e00',
  pink: '#cc79a7',
  yellow: '#c9b400',
  grey: '#8a94a3',
  lightGrey: '#c9cfd8',
  ink: '#1d2430',
} as const

/** Each daily series: its legend label, its colour, and whether it is something the campaign did. */
export const SERIES: Readonly<
  Record<DailyActivityName, { readonly label: string; readonly color: string; readonly action: boolean }>
> = {
  profileVisits: { label: 'Profile visits', color: COLORS.sky, action: true },
  postReactions: { label: 'Post reactions', color: COLORS.pink, action: true },
  invitationsSent: { label: 'Invitations sent', color: COLORS.blue, action: true },
  linkedinMessagesSent: { label: 'LinkedIn messages', color: COLORS.green, action: true },
  emailsSent: { label: 'Emails sent', color: COLORS.orange, action: true },
  tasksCreated: { label: 'Tasks created', color: COLORS.grey, action: true },
  invitationsAccepted: { label: 'Invitations accepted', color: COLORS.blue, action: false },
  replies: { label: 'Replies', color: COLORS.vermillion, action: false },
  emailsOpened: { label: 'Emails opened', color: COLORS.orange, action: false },
  linksClicked: { label: 'Links clicked', color: COLORS.pink, action: false },
  emailsBounced: { label: 'Emails bounced', color: COLORS.ink, action: false },
  outOfOffice: { label: 'Out of office', color: COLORS.grey, action: false },
  tasksCompleted: { label: 'Tasks completed', color: COLORS.green, action: false },
}

/** The order the series are stacked and listed in. */
export const SERIES_ORDER: readonly DailyActivityName[] = [
  'profileVisits',
  'postReactions',
  'invitationsSent',
  'linkedinMessagesSent',
  'emailsSent',
  'tasksCreated',
  'invitationsAccepted',
  'replies',
  'emailsOpened',
  'linksClicked',
  'emailsBounced',
  'outOfOffice',
  'tasksCompleted',
]

export const STATUS_LABELS: Readonly<Record<LeadStatus, string>> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  paused: 'Paused',
  error: 'Error',
  finished: 'Finished',
  replied: 'Replied',
}

export const STATUS_COLORS: Readonly<Record<LeadStatus, string>> = {
  not_started: COLORS.lightGrey,
  in_progress: COLORS.blue,
  paused: COLORS.orange,
  error: COLORS.vermillion,
  finished: COLORS.grey,
  replied: COLORS.green,
}
