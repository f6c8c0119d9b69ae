import type { CrmUser } from '@paceline/core/ports'
import type { HubspotOwner } from '../hubspot-api'

/**
 * A HubSpot owner as the port's user. Owners are who records and activities are attributed to
 * (`hubspot_owner_id` holds an owner id, which is not the HubSpot user id); an archived owner is a
 * deactivated user.
 */
export function crmUserOf(owner: HubspotOwner): CrmUser {
  const name = [owner.firstName, owner.lastName].filter((part) => part !== undefined && part !== '').join(' ')
  return {
    id: String(owner.id),
    email: owner.email === undefined || owner.email === '' ? null : owner.email,
    name: name === '' ? null : name,
    active: owner.archived !== true,
  }
}

/** The user id in HubSpot's answer about a private app token (`userId`) or an OAuth token (`user_id`). */
export function tokenUserIdOf(answer: unknown): number | undefined {
  if (typeof answer !== 'object' || answer === null) return undefined
  const { userId, user_id } = answer as { userId?: unknown; user_id?: unknown }
  const id = Number(userId ?? user_id)
  return Number.isInteger(id) && id > 0 ? id : undefined
}
