import type { CrmUser } from '@paceline/core/ports'
import { z } from 'zod'
import { queryRecords, type SalesforceContext } from './salesforce-context'

/** What the adapter reads of the OpenID Connect UserInfo answer (lenient: Salesforce adds claims). */
const userInfoSchema = z.looseObject({
  user_id: z.string(),
  email: z.string().nullish(),
  name: z.string().nullish(),
  active: z.boolean().nullish(),
})

/**
 * The user the access token acts as, from the OpenID Connect UserInfo endpoint on the instance
 * (`/services/oauth2/userinfo`), sent through jsforce's `Connection.request` (so the token is refreshed
 * like any other request, and once more after a 403 `Bad_OAuth_Token`, which jsforce does not refresh on).
 * jsforce's `identity()` would need the identity URL on the login host and puts the token in its query
 * string; UserInfo needs neither.
 */
export async function integrationUser(context: SalesforceContext): Promise<CrmUser> {
  const ask = (allowRefusal: boolean) =>
    context.requests.run(
      'integrationUser',
      'read',
      async (connection) => connection.request<unknown>('/services/oauth2/userinfo'),
      // UserInfo answers a token it does not take with 403 Bad_OAuth_Token, which jsforce does not refresh on.
      (failure) =>
        allowRefusal && (failure.status === 403 || failure.status === 401) ? ('refused' as const) : undefined,
    )
  let answer = await ask(true)
  if (answer === 'refused') {
    // With oauth: a new token, then once more; without: asked again for Salesforce's own error.
    await context.requests.refresh()
    answer = await ask(false)
  }
  const info = userInfoSchema.parse(answer)
  return { id: info.user_id, email: info.email ?? null, name: info.name ?? null, active: info.active ?? true }
}

/** Active users: the ones that can own records and be assigned tasks. */
export async function listUsers(context: SalesforceContext): Promise<CrmUser[]> {
  const rows = await queryRecords(
    context,
    'listUsers',
    'SELECT Id, Email, Name, IsActive FROM User WHERE IsActive = true ORDER BY Name LIMIT 2000',
  )
  return rows.map((row) => ({
    id: String(row.Id),
    email: typeof row.Email === 'string' ? row.Email : null,
    name: typeof row.Name === 'string' ? row.Name : null,
    active: row.IsActive === true,
  }))
}
