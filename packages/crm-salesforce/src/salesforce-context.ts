import { createHash } from 'node:crypto'
import type { CrmObjectType } from '@paceline/core/ports'
import type { ObjectSchemas } from './object-schemas'
import type { ResolvedSalesforceCrmOptions } from './salesforce-crm-options'
import type { SalesforceRequests } from './salesforce-requests'

/** What every operation of the adapter works with. */
export interface SalesforceContext {
  readonly options: ResolvedSalesforceCrmOptions
  readonly requests: SalesforceRequests
  readonly schemas: ObjectSchemas
}

/** The Salesforce object of a paceline object: `company` is Account; `contact` is Contact or Lead. */
export function sobjectOf(context: SalesforceContext, object: CrmObjectType): string {
  return object === 'company' ? 'Account' : context.options.personObject
}

/** The idempotency field's API name on the object, when the org has it (the admin creates it). */
export async function keyFieldOf(context: SalesforceContext, sobject: string): Promise<string | undefined> {
  const name = context.options.idempotencyField
  if (name === false) return undefined
  return (await context.schemas.describe(sobject)).field(name)?.name
}

/** The key as stored: a Text(255) field takes keys up to 255 characters; longer ones are hashed. */
export function storedKey(key: string): string {
  return key.length <= 255 ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`
}

/** The records of a SOQL query (its first page: the adapter's queries ask for at most 2,000 rows). */
export async function queryRecords(
  context: SalesforceContext,
  operation: string,
  soql: string,
): Promise<Array<Record<string, unknown>>> {
  const result = await context.requests.run(
    operation,
    'read',
    async (connection) => await connection.query(soql),
  )
  return result.records as Array<Record<string, unknown>>
}
