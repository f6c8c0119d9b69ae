import { AssociationTypes } from '@hubspot/api-client'
import type { CrmActivity, CrmActivityKind } from '@paceline/core/ports'
import { toHubspotProperties } from '../records/crm-values'

/** HubSpot's engagement objects this adapter writes. */
export type EngagementObjectType = 'notes' | 'emails' | 'communications' | 'tasks'

/** An association written with the create request (HubSpot's `associations` array). */
export interface InlineAssociation {
  readonly to: { readonly id: string }
  readonly types: ReadonlyArray<{
    readonly associationCategory: 'HUBSPOT_DEFINED'
    readonly associationTypeId: number
  }>
}

/** HubSpot's own association types from each engagement to a contact and to a company. */
export const ENGAGEMENT_ASSOCIATION_TYPES: Readonly<
  Record<EngagementObjectType, { readonly contact: number; readonly company: number }>
> = {
  notes: { contact: AssociationTypes.noteToContact, company: AssociationTypes.noteToCompany },
  emails: { contact: AssociationTypes.emailToContact, company: AssociationTypes.emailToCompany },
  communications: {
    contact: AssociationTypes.communicationToContact,
    company: AssociationTypes.communicationToCompany,
  },
  tasks: { contact: AssociationTypes.taskToContact, company: AssociationTypes.taskToCompany },
}

export function associationsOf(
  objectType: EngagementObjectType,
  contactId: string,
  companyId: string | undefined,
): InlineAssociation[] {
  const types = ENGAGEMENT_ASSOCIATION_TYPES[objectType]
  const to = (id: string, typeId: number): InlineAssociation => ({
    to: { id },
    types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
  })
  return companyId === undefined
    ? [to(contactId, types.contact)]
    : [to(contactId, types.contact), to(companyId, types.company)]
}

/** Where each activity goes: emails to the emails object, LinkedIn messages to communications, the rest to notes. */
export const ENGAGEMENT_OF_ACTIVITY: Readonly<Record<CrmActivityKind, EngagementObjectType>> = {
  email_sent: 'emails',
  email_received: 'emails',
  linkedin_message_sent: 'communications',
  linkedin_message_received: 'communications',
  linkedin_invitation_sent: 'notes',
  linkedin_connection_accepted: 'notes',
  linkedin_profile_visited: 'notes',
}

const NOTE_TITLE: Partial<Record<CrmActivityKind, string>> = {
  linkedin_invitation_sent: 'LinkedIn connection request sent',
  linkedin_connection_accepted: 'LinkedIn connection request accepted',
  linkedin_profile_visited: 'LinkedIn profile visited',
}

const joinText = (...parts: ReadonlyArray<string | undefined>) =>
  parts.filter((part): part is string => part !== undefined && part !== '').join('\n\n')

/**
 * The properties of the engagement that records an activity: `hs_timestamp` is when it happened and
 * `hubspot_owner_id` who acted (the timeline shows them); emails carry their direction
 * (`hs_email_direction` EMAIL or INCOMING_EMAIL), subject and text; LinkedIn messages are communications
 * on the LINKEDIN_MESSAGE channel, logged from the CRM; connection events are notes. The activity's extra
 * `fields` are written too.
 */
export function engagementPropertiesOf(activity: CrmActivity): {
  readonly objectType: EngagementObjectType
  readonly properties: Record<string, string>
} {
  const objectType = ENGAGEMENT_OF_ACTIVITY[activity.kind]
  const properties: Record<string, string> = {
    ...toHubspotProperties(activity.fields ?? {}),
    hs_timestamp: activity.at,
    ...(activity.ownerId === undefined ? {} : { hubspot_owner_id: activity.ownerId }),
  }
  switch (objectType) {
    case 'emails':
      properties.hs_email_direction = activity.kind === 'email_received' ? 'INCOMING_EMAIL' : 'EMAIL'
      if (activity.subject !== undefined) properties.hs_email_subject = activity.subject
      if (activity.body !== undefined) properties.hs_email_text = activity.body
      break
    case 'communications':
      properties.hs_communication_channel_type = 'LINKEDIN_MESSAGE'
      properties.hs_communication_logged_from = 'CRM'
      properties.hs_communication_body = joinText(
        activity.kind === 'linkedin_message_received' ? 'LinkedIn message received' : 'LinkedIn message sent',
        activity.subject,
        activity.body,
      )
      break
    default:
      properties.hs_note_body = joinText(NOTE_TITLE[activity.kind], activity.subject, activity.body)
  }
  return { objectType, properties }
}
