import type { SalesforceApiUsage } from './api-usage'
import { keyFieldOf, type SalesforceContext } from './salesforce-context'

/** What `checkSetup` finds in the org: what the README asks an admin to set up, and whether it is there. */
export interface SalesforceSetup {
  /** Which object paceline's contacts are. */
  readonly personObject: 'Contact' | 'Lead'
  /** The idempotency field's name, and for each object whether the org has it (and the user sees it). */
  readonly idempotencyField: {
    readonly name: string | false
    readonly present: Readonly<Record<string, boolean>>
  }
  /** Contacts to Multiple Accounts is on (AccountContactRelation exists): `additional` associations work. */
  readonly contactsToMultipleAccounts: boolean
  /** The org's API usage, as the last answer said. */
  readonly apiUsage: SalesforceApiUsage | undefined
}

/** Describes the objects the adapter writes and reports what of the recommended setup the org has. */
export async function checkSetup(context: SalesforceContext): Promise<SalesforceSetup> {
  const objects = [context.options.personObject, 'Account', 'Task']
  const present: Record<string, boolean> = {}
  for (const sobject of objects) {
    await context.schemas.describe(sobject, true)
    present[sobject] = (await keyFieldOf(context, sobject)) !== undefined
  }
  return {
    personObject: context.options.personObject,
    idempotencyField: { name: context.options.idempotencyField, present },
    contactsToMultipleAccounts: await context.schemas.has('AccountContactRelation'),
    apiUsage: context.requests.usage(),
  }
}
