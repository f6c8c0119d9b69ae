/**
 * Statuses and substatuses of a lead in a campaign: the lead status table of outreach tools (not started;
 * in progress, paused, error, finished and replied, each with its substatuses), plus paceline's
 * own: `delivery_unknown` (the at-most-once rule: a send whose outcome cannot be known waits for a person
 * instead of being retried), `unsafe_lead_data` (a name or address that would break a message header),
 * `skipped` (the setting "skip contacts with prior conversations" found one), `identity_deleted` (the
 * campaign's sender was deleted), `moved` (an "Add to
 * another campaign" step moved the lead; `detail` says where) and `waiting_for_email_account` (an email
 * step on an identity without an inbox yet).
 *
 * Four error substatuses of such tables are not here, because no lead can reach them in paceline: "Missing
 * subject" (a sequence whose InMail has no subject is refused when it is defined; one whose subject renders
 * empty for a lead is `missing_inmail_subject`), "Missing campaign prompt" (a reply mode that uses AI is
 * refused without a prompt when the campaign is defined, and steps written by AI carry their own), and
 * "Missing CRM ID" / "Missing owner ID" (CRM work never blocks a sequence: the sync creates the contact when
 * no CRM record matches it and creates records without an owner when none is mapped, and reports problems
 * in its own report).
 */
export const LEAD_STATUSES = ['not_started', 'in_progress', 'paused', 'error', 'finished', 'replied'] as const
export type LeadStatus = (typeof LEAD_STATUSES)[number]

/**
 * The statuses of a lead whose sequence is still going (or will go when its campaign runs): not started,
 * in progress, paused. The others are done with the campaign: finished (removed, blocked, bounced, no
 * response, ...), replied, or in error (which waits for a person and never acts by itself).
 */
export const UNFINISHED_LEAD_STATUSES = [
  'not_started',
  'in_progress',
  'paused',
] as const satisfies readonly LeadStatus[]

interface SubstatusInfo<S extends LeadStatus> {
  readonly status: S
  readonly label: string
  readonly description: string
}

export const IN_PROGRESS_SUBSTATUSES = {
  scheduled: {
    status: 'in_progress',
    label: 'Scheduled',
    description: 'Waiting for the configured time delay between actions to pass.',
  },
  identity_limits: {
    status: 'in_progress',
    label: 'Identity limits',
    description: 'The identity has reached its daily connection request limits.',
  },
  waiting_to_connect: {
    status: 'in_progress',
    label: 'Waiting to connect',
    description: 'Waiting for the lead to accept the connection request.',
  },
  monthly_conversation_limit: {
    status: 'in_progress',
    label: 'Monthly conversation limit',
    description:
      'The monthly conversation limit for this identity has been reached. Resets next month or contact the team to upgrade.',
  },
  connection_withdrawn: {
    status: 'in_progress',
    label: 'Connection withdrawn',
    description: 'LinkedIn connection request was withdrawn. X days remaining before retry.',
  },
  outside_working_hours: {
    status: 'in_progress',
    label: 'Outside working hours',
    description: 'The campaign is paused because it is outside configured working hours.',
  },
  waiting_for_email_account: {
    status: 'in_progress',
    label: 'Waiting for an email account',
    description:
      "The next step is an email, and the campaign's identity has no email account connected. The lead continues by itself once one is added.",
  },
} as const satisfies Record<string, SubstatusInfo<'in_progress'>>

export const ERROR_SUBSTATUSES = {
  missing_email: {
    status: 'error',
    label: 'Missing email',
    description: 'The email account used for this conversation is no longer available.',
  },
  email_disconnected: {
    status: 'error',
    label: 'Email disconnected',
    description: 'Email credentials expired. Reconnect email to continue.',
  },
  linkedin_disconnected: {
    status: 'error',
    label: 'LinkedIn disconnected',
    description: 'The LinkedIn account used for this conversation is disconnected. Reconnect to continue.',
  },
  system_error: {
    status: 'error',
    label: 'System error',
    description: 'An error occurred while processing this conversation.',
  },
  inmail_credits_limit: {
    status: 'error',
    label: 'InMail credits limit',
    description: 'The identity has run out of InMail credits.',
  },
  invalid_identity_email: {
    status: 'error',
    label: 'Invalid identity email',
    description: 'The email address of the identity is not valid. Connect email to continue.',
  },
  missing_contact_email: {
    status: 'error',
    label: 'Missing contact email',
    description:
      'The professional email for the contact has not been set or is invalid. Enrich email to continue.',
  },
  lead_not_scraped: {
    status: 'error',
    label: 'Lead not scraped',
    description: 'The lead is missing required information. Enrich the contact to continue.',
  },
  identity_misconfiguration: {
    status: 'error',
    label: 'Identity misconfiguration',
    description: 'The LinkedIn identity is not configured correctly.',
  },
  missing_email_subject: {
    status: 'error',
    label: 'Missing email subject',
    description: 'No subject was found for the email. Add a subject to continue.',
  },
  missing_inmail_subject: {
    status: 'error',
    label: 'Missing InMail subject',
    description: 'No subject was found for the InMail message. Add a subject to continue.',
  },
  missing_inmail_message: {
    status: 'error',
    label: 'Missing InMail message',
    description: 'There is no message content for the InMail. Add a message to continue.',
  },
  missing_linkedin_message: {
    status: 'error',
    label: 'Missing LinkedIn message',
    description: 'There is no message content for the LinkedIn message. Add a message to continue.',
  },
  empty_message: {
    status: 'error',
    label: 'Empty message',
    description: 'The message content is empty. Add a message to continue.',
  },
  invalid_linkedin_id: {
    status: 'error',
    label: 'Invalid LinkedIn ID',
    description: 'The LinkedIn profile ID for the lead is not valid. Enrich the contact to continue.',
  },
  message_too_long: {
    status: 'error',
    label: 'Message too long',
    description:
      "A message exceeds LinkedIn's length limit: 300 characters for a connection request note, 200 for an InMail subject, 8,000 for a message. Reduce the length.",
  },
  inmail_message_too_long: {
    status: 'error',
    label: 'InMail message too long',
    description: 'The InMail message exceeds the 1,900-character limit. Reduce the length.',
  },
  linkedin_url_not_found: {
    status: 'error',
    label: 'LinkedIn URL not found',
    description: 'The LinkedIn profile URL for the lead was not found. Enrich the contact to continue.',
  },
  unsafe_lead_data: {
    status: 'error',
    label: 'Unsafe characters in lead data',
    description:
      "A lead field that goes into a message header (the name or email address) holds a line break or another control character. Fix the lead's data, then retry.",
  },
  identity_deleted: {
    status: 'error',
    label: 'Identity deleted',
    description:
      "The campaign's identity was deleted, so this lead is no longer contacted. Duplicate the campaign with another identity to reach it again.",
  },
  delivery_unknown: {
    status: 'error',
    label: 'Delivery unknown',
    description:
      'The send was attempted but its outcome could not be confirmed. Check the conversation, then retry or skip; paceline never resends on its own.',
  },
} as const satisfies Record<string, SubstatusInfo<'error'>>

export const FINISHED_SUBSTATUSES = {
  deleted: {
    status: 'finished',
    label: 'Deleted',
    description: 'Contact has been removed from the campaign.',
  },
  blocked: { status: 'finished', label: 'Blocked', description: 'This lead has been blocked.' },
  out_of_office: {
    status: 'finished',
    label: 'Out of office',
    description: 'Contact replied with an out-of-office message. Sequence ends.',
  },
  bounced: { status: 'finished', label: 'Bounced', description: 'Email to this lead has bounced.' },
  no_response: {
    status: 'finished',
    label: 'No response',
    description: 'The sequence was completed successfully but the contact has not replied.',
  },
  not_connected: {
    status: 'finished',
    label: 'Not connected',
    description:
      'The contact did not accept the connection request within the configured time period, or declined.',
  },
  moved: {
    status: 'finished',
    label: 'Moved',
    description:
      'An "Add to another campaign" step moved the contact into another campaign, where it continues; the detail names the campaign.',
  },
  skipped: {
    status: 'finished',
    label: 'Skipped',
    description:
      'The contact already had a LinkedIn conversation with this identity, and the campaign skips contacts with prior conversations.',
  },
} as const satisfies Record<string, SubstatusInfo<'finished'>>

export type InProgressSubstatus = keyof typeof IN_PROGRESS_SUBSTATUSES
export type ErrorSubstatus = keyof typeof ERROR_SUBSTATUSES
export type FinishedSubstatus = keyof typeof FINISHED_SUBSTATUSES
export type LeadSubstatus = InProgressSubstatus | ErrorSubstatus | FinishedSubstatus

/** Every substatus with its status, label and description, for user interfaces. */
export const LEAD_SUBSTATUSES: Readonly<Record<LeadSubstatus, SubstatusInfo<LeadStatus>>> = {
  ...IN_PROGRESS_SUBSTATUSES,
  ...ERROR_SUBSTATUSES,
  ...FINISHED_SUBSTATUSES,
}

/** A lead that is in progress, not started or in error, i.e. one a pause can freeze. */
export type ActiveLeadState =
  | { readonly status: 'not_started' }
  | { readonly status: 'in_progress'; readonly substatus: InProgressSubstatus; readonly detail?: string }
  | { readonly status: 'error'; readonly substatus: ErrorSubstatus; readonly detail?: string }

/** Where a lead stands in a campaign: the status, and for most statuses a typed substatus. */
export type LeadState =
  | ActiveLeadState
  | { readonly status: 'paused'; readonly resumeTo: ActiveLeadState }
  | { readonly status: 'finished'; readonly substatus: FinishedSubstatus; readonly detail?: string }
  | { readonly status: 'replied'; readonly channel: 'linkedin' | 'email' }

/** The substatus of a state, or null for statuses that have none (not started, paused, replied). */
export function substatusOf(state: LeadState): LeadSubstatus | null {
  return 'substatus' in state ? state.substatus : null
}

/** One-line description of a state, e.g. "In progress · Waiting to connect". */
export function describeLeadState(state: LeadState): string {
  const label = {
    not_started: 'Not started',
    in_progress: 'In progress',
    paused: 'Paused',
    error: 'Error',
    finished: 'Finished',
    replied: 'Replied',
  }[state.status]
  const substatus = substatusOf(state)
  return substatus === null ? label : `${label} · ${LEAD_SUBSTATUSES[substatus].label}`
}
