import { z } from 'zod'
import type {
  ProviderConversation,
  ProviderPendingInvitation,
  ProviderRelation,
  ProviderTarget,
} from '../../provider/linkedin-provider'

// Edges' documented output rows, read leniently: a field Edges adds or leaves out never breaks polling,
// and a row without what paceline needs is skipped rather than guessed.

const profileId = z.union([z.number(), z.string()]).transform(String)

const person = z.looseObject({
  linkedin_profile_id: profileId.optional().nullable(),
  linkedin_profile_url: z.string().optional().nullable(),
})

const conversationRow = z.looseObject({
  participants: z.array(person),
  linkedin_thread_id: z.string(),
  last_activity_at: z.string(),
  sponsored: z.boolean().optional().nullable(),
  last_message: z
    .looseObject({
      message_id: z.string(),
      linkedin_profile_id: profileId.optional().nullable(),
      delivered_at: z.string().optional().nullable(),
      content: z.string().optional().nullable(),
    })
    .optional()
    .nullable(),
})

const invitationRow = z.looseObject({
  linkedin_profile_url: z.string().optional().nullable(),
  linkedin_profile_id: profileId.optional().nullable(),
  linkedin_invitation_id: z.union([z.string(), z.number()]).transform(String).optional().nullable(),
  sent_at: z.string().optional().nullable(),
})

const connectionRow = z.looseObject({
  linkedin_profile_url: z.string().optional().nullable(),
  linkedin_profile_id: profileId.optional().nullable(),
  connected_at: z.string().optional().nullable(),
})

export function targetOf(row: {
  readonly linkedin_profile_id?: string | null | undefined
  readonly linkedin_profile_url?: string | null | undefined
}): ProviderTarget {
  return {
    ...(row.linkedin_profile_id == null ? {} : { profileId: row.linkedin_profile_id }),
    ...(row.linkedin_profile_url == null ? {} : { profileUrl: row.linkedin_profile_url }),
  }
}

const rowsOf = (body: unknown): unknown[] => (Array.isArray(body) ? body : [])

/** 1:1 conversations (group threads and sponsored messages are not replies to a sequence). */
export function conversationsOf(
  body: unknown,
): Array<ProviderConversation & { readonly activityAt: number }> {
  const conversations: Array<ProviderConversation & { readonly activityAt: number }> = []
  for (const raw of rowsOf(body)) {
    const row = conversationRow.safeParse(raw)
    if (!row.success || row.data.sponsored === true || row.data.participants.length !== 1) continue
    const other = row.data.participants[0]
    const last = row.data.last_message
    if (other === undefined || last == null) continue
    const lastMessageAt = last.delivered_at ?? row.data.last_activity_at
    conversations.push({
      conversationId: row.data.linkedin_thread_id,
      with: targetOf(other),
      lastMessageId: last.message_id,
      lastMessageAt,
      lastFromThem:
        last.linkedin_profile_id != null &&
        other.linkedin_profile_id != null &&
        last.linkedin_profile_id === other.linkedin_profile_id,
      ...(last.content == null ? {} : { lastMessageText: last.content }),
      activityAt: Date.parse(row.data.last_activity_at),
    })
  }
  return conversations
}

export function invitationsOf(body: unknown): ProviderPendingInvitation[] {
  const invitations: ProviderPendingInvitation[] = []
  for (const raw of rowsOf(body)) {
    const row = invitationRow.safeParse(raw)
    if (!row.success) continue
    const to = targetOf(row.data)
    const invitationId = row.data.linkedin_invitation_id ?? to.profileId ?? to.profileUrl
    if (invitationId === undefined) continue
    invitations.push({ invitationId, to, ...(row.data.sent_at == null ? {} : { sentAt: row.data.sent_at }) })
  }
  return invitations
}

export function relationsOf(body: unknown): ProviderRelation[] {
  const relations: ProviderRelation[] = []
  for (const raw of rowsOf(body)) {
    const row = connectionRow.safeParse(raw)
    if (!row.success) continue
    const with_ = targetOf(row.data)
    if (with_.profileId === undefined && with_.profileUrl === undefined) continue
    relations.push({
      with: with_,
      ...(row.data.connected_at == null ? {} : { connectedAt: row.data.connected_at }),
    })
  }
  return relations
}
