import type { ConnectionStatus } from '@paceline/core/ports'
import { z } from 'zod'
import type { ProviderPendingInvitation, ProviderRelation } from '../../provider/linkedin-provider'
import { isoInstantOf } from '../../provider/provider-time'

// Unipile's documented answers (API reference v1), read leniently: a field Unipile adds or leaves out
// never breaks an action or a poll, and a row without what paceline needs is skipped rather than guessed.

const text = z.string().optional().nullable()
/** Unipile's 0/1 flags (`is_sender`, `is_event`), booleans in some payloads. */
const flag = z.union([z.boolean(), z.number()]).optional().nullable()

export const isSet = (value: boolean | number | null | undefined): boolean => value === true || value === 1

/** `https://www.linkedin.com/in/<public identifier>`, the form leads' URLs take. */
export const profileUrlOfHandle = (handle: string): string =>
  `https://www.linkedin.com/in/${encodeURIComponent(handle)}`

/** GET /users/{identifier} (object `UserProfile`, provider LINKEDIN). */
export const userProfile = z.looseObject({
  provider_id: z.string().min(1),
  public_identifier: text,
  is_relationship: z.boolean().optional().nullable(),
  network_distance: text,
  invitation: z.looseObject({ type: text, status: text }).optional().nullable(),
})
export type UserProfile = z.infer<typeof userProfile>

/** `connected` for a 1st degree relation, `pending` while the account's invitation waits, else neither. */
export function connectionOf(profile: UserProfile): ConnectionStatus {
  if (profile.is_relationship === true || profile.network_distance === 'FIRST_DEGREE') return 'connected'
  if (profile.invitation?.type === 'SENT' && profile.invitation.status === 'PENDING') return 'pending'
  return 'not_connected'
}

/** Every listing: `items` and the `cursor` of the next page (null on the last). */
export const page = z.looseObject({ items: z.array(z.unknown()), cursor: text })

/**
 * GET /users/{identifier}/posts items (object `Post`). `user_reacted` (the account's own reaction) is not in
 * the reference's `Post` schema (developer.unipile.com/reference/userscontroller_listallposts), and only
 * some answers carry it: a reaction there says the account reacted; no value says nothing either way.
 */
export const post = z.looseObject({
  social_id: z.string().min(1),
  is_repost: z.boolean().optional().nullable(),
  user_reacted: text,
  permissions: z.looseObject({ can_react: z.boolean().optional().nullable() }).optional().nullable(),
})
export type Post = z.infer<typeof post>

/** Whether the listing says the account already reacted to the post; false is "not said", not "no". */
export const reactionReported = (item: Post): boolean =>
  typeof item.user_reacted === 'string' && item.user_reacted !== ''

/** GET /posts/{post_id}/reactions items (object `PostReaction`; `author.id` is who reacted). */
export const postReaction = z.looseObject({
  value: z.string(),
  author: z.looseObject({ id: text }).optional().nullable(),
})

/**
 * GET /users/me (object `AccountOwnerProfile`, developer.unipile.com/reference/userscontroller_getaccountownerprofile):
 * the LinkedIn provider id of the account's own member.
 */
export const ownProfile = z.looseObject({ provider_id: z.string().min(1) })

/** GET /users/invite/sent items (object `InvitationSent`). */
const invitationSent = z.looseObject({
  id: z.string().min(1),
  invited_user_id: text,
  invited_user_public_id: text,
  parsed_datetime: text,
  date: text,
})

/** GET /users/relations items (object `UserRelation`); `created_at` is a timestamp. */
const userRelation = z.looseObject({
  member_id: text,
  public_identifier: text,
  public_profile_url: text,
  created_at: z.number().optional().nullable(),
})

/**
 * GET /chats items (object `Chat`). `account_id` names the account the chat belongs to: the route's
 * `account_id` filter is optional and "can be a comma-separated list of ids" (reference: "List all chats",
 * chatscontroller_listallchats), so rows are checked against the account asked for.
 */
export const chat = z.looseObject({
  id: z.string().min(1),
  account_id: text,
  attendee_provider_id: text,
  timestamp: text,
  content_type: text,
})
export type Chat = z.infer<typeof chat>

/** GET /chats/{chat_id}/messages items (object `Message`). */
export const message = z.looseObject({
  id: z.string().min(1),
  sender_id: text,
  text: text,
  timestamp: text,
  is_sender: flag,
  is_event: flag,
})
export type Message = z.infer<typeof message>

/** POST /chats (object `ChatStarted`). */
export const chatStarted = z.looseObject({ chat_id: text, message_id: text })

/** POST /users/invite (object `UserInvitationSent`). */
export const invitationSentAnswer = z.looseObject({ invitation_id: text })

export function invitationOf(raw: unknown): ProviderPendingInvitation | undefined {
  const row = invitationSent.safeParse(raw)
  if (!row.success) return undefined
  const { id, invited_user_id: profileId, invited_user_public_id: handle } = row.data
  if (profileId == null && handle == null) return undefined
  const sentAt = row.data.parsed_datetime ?? row.data.date
  return {
    invitationId: id,
    to: {
      ...(profileId == null ? {} : { profileId }),
      ...(handle == null ? {} : { profileUrl: profileUrlOfHandle(handle) }),
    },
    ...(sentAt == null || Number.isNaN(Date.parse(sentAt)) ? {} : { sentAt: new Date(sentAt).toISOString() }),
  }
}

export function relationOf(raw: unknown): (ProviderRelation & { readonly connectedMs?: number }) | undefined {
  const row = userRelation.safeParse(raw)
  if (!row.success) return undefined
  const { member_id: profileId, public_identifier: handle } = row.data
  const profileUrl = handle == null ? row.data.public_profile_url : profileUrlOfHandle(handle)
  if (profileId == null && profileUrl == null) return undefined
  // Epoch milliseconds; a value in seconds (10 digits) is read as such. One that names no date the engine
  // can hold is left out rather than thrown on (the listing, and every poll after it, would fail on it).
  const created = row.data.created_at
  const ms = created == null ? undefined : created < 1e12 ? created * 1000 : created
  const connectedAt = ms === undefined ? undefined : isoInstantOf(ms)
  return {
    with: { ...(profileId == null ? {} : { profileId }), ...(profileUrl == null ? {} : { profileUrl }) },
    ...(connectedAt === undefined ? {} : { connectedAt, connectedMs: Date.parse(connectedAt) }),
  }
}
