import { readDescribe, type SalesforceObjectDescribe } from './object-describe'
import { refusal } from './salesforce-failure'
import type { SalesforceRequests } from './salesforce-requests'

/** The describe results of the org's objects, fetched once each (`describeFields` fetches them again). */
export interface ObjectSchemas {
  /** The object's describe result; `fresh` asks Salesforce again. */
  describe(sobject: string, fresh?: boolean): Promise<SalesforceObjectDescribe>
  /** Whether the org has the object at all (AccountContactRelation exists only with Contacts to Multiple Accounts). */
  has(sobject: string): Promise<boolean>
}

export function createObjectSchemas(requests: SalesforceRequests): ObjectSchemas {
  const cache = new Map<string, Promise<SalesforceObjectDescribe | null>>()

  const load = (sobject: string, fresh: boolean) => {
    const cached = cache.get(sobject)
    if (cached !== undefined && !fresh) return cached
    const loading = requests
      .run(
        `describe(${sobject})`,
        'read',
        async (connection) => readDescribe(await connection.describe(sobject)),
        (failure) => (failure.errorCode === 'NOT_FOUND' ? null : undefined),
      )
      .catch((error: unknown) => {
        if (cache.get(sobject) === loading) cache.delete(sobject)
        throw error
      })
    cache.set(sobject, loading)
    return loading
  }

  return {
    async describe(sobject, fresh = false) {
      const described = await load(sobject, fresh)
      if (described === null)
        throw refusal(
          `describe(${sobject})`,
          `the org has no ${sobject} object, or the integration user cannot see it`,
          { errorCode: 'NOT_FOUND', status: 404 },
        )
      return described
    },
    async has(sobject) {
      return (await load(sobject, false)) !== null
    },
  }
}
