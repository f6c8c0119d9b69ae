import type { CrmAssociationKind } from '@paceline/core/ports'
import { isIdOf } from './record-operations'
import { queryRecords, type SalesforceContext } from './salesforce-context'
import { refusal } from './salesforce-failure'
import { sameId, soqlString } from './soql'

/** Contacts to Multiple Accounts' junction object: present in an org only when the feature is on. */
const RELATION = 'AccountContactRelation'

async function contactAccount(context: SalesforceContext, operation: string, contactId: string) {
  if (!(await isIdOf(context, 'Contact', contactId)))
    throw refusal(operation, `'${contactId}' is not the id of a Contact`, { errorCode: 'MALFORMED_ID' })
  const contact = await context.requests.run(
    operation,
    'read',
    async (connection) =>
      (await connection.sobject('Contact').retrieve(contactId, { fields: ['Id', 'AccountId'] })) as Record<
        string,
        unknown
      >,
  )
  return typeof contact.AccountId === 'string' ? contact.AccountId : null
}

async function setPrimary(
  context: SalesforceContext,
  operation: string,
  contactId: string,
  companyId: string,
) {
  await context.requests.run(operation, 'write', async (connection) =>
    connection.sobject('Contact').update({ Id: contactId, AccountId: companyId }),
  )
}

/** The contact's indirect relationships (every relationship but the one to its primary account). */
async function indirectRelations(context: SalesforceContext, operation: string, contactId: string) {
  const rows = await queryRecords(
    context,
    operation,
    `SELECT Id, AccountId FROM ${RELATION} WHERE ContactId = ${soqlString(contactId)} AND IsDirect = false LIMIT 2000`,
  )
  return rows.map((row) => ({ id: String(row.Id), accountId: String(row.AccountId) }))
}

/**
 * Associates a Contact with an Account. The contact's Account Name (`AccountId`) is its primary account:
 * `primary` sets it (with Contacts to Multiple Accounts on, Salesforce keeps the previous one as an
 * indirect relationship, by the org's default setting). `primary_replacing` sets it too and deletes every
 * indirect AccountContactRelation of the contact, so the new account is its only one. `additional` sets
 * `AccountId` when the contact has none (Salesforce relates a contact to other accounts only once it has a
 * primary one), and otherwise adds an indirect AccountContactRelation — which needs Contacts to Multiple
 * Accounts: without it the association is refused (not retryable), never silently dropped or made primary.
 * Leads have no account: every kind is refused (`supports.primaryAssociations` is false).
 */
export async function associate(
  context: SalesforceContext,
  contactId: string,
  companyId: string,
  kind: CrmAssociationKind,
): Promise<void> {
  const operation = `associate(${kind})`
  if (context.options.personObject === 'Lead')
    throw refusal(
      operation,
      'a Lead has no account: paceline writes the company name to the Lead Company field through the field mapping instead (turn off associating contacts with companies)',
      { reason: 'lead_has_no_account' },
    )
  if (!(await isIdOf(context, 'Account', companyId)))
    throw refusal(operation, `'${companyId}' is not the id of an Account`, { errorCode: 'MALFORMED_ID' })
  const current = await contactAccount(context, operation, contactId)

  if (kind === 'additional') {
    if (current === null) return setPrimary(context, operation, contactId, companyId)
    if (sameId(current, companyId)) return
    if (!(await context.schemas.has(RELATION)))
      throw refusal(
        operation,
        'the contact already has another account, and this org relates a contact to one account only: turn on Contacts to Multiple Accounts (Setup > Account Settings), or associate as primary',
        { reason: 'contacts_to_multiple_accounts_off' },
      )
    const existing = await queryRecords(
      context,
      operation,
      `SELECT Id FROM ${RELATION} WHERE ContactId = ${soqlString(contactId)} AND AccountId = ${soqlString(companyId)} LIMIT 1`,
    )
    if (existing.length > 0) return
    await context.requests.run(
      operation,
      'write',
      async (connection) =>
        connection.sobject(RELATION).create({ AccountId: companyId, ContactId: contactId }),
      // Created by a concurrent call in the meantime: associating twice is not an error.
      (failure) => (failure.errorCode === 'DUPLICATE_VALUE' ? null : undefined),
    )
    return
  }

  if (!sameId(current, companyId)) await setPrimary(context, operation, contactId, companyId)
  if (kind === 'primary_replacing' && (await context.schemas.has(RELATION)))
    for (const relation of await indirectRelations(context, operation, contactId))
      await context.requests.run(
        operation,
        'write',
        async (connection) => connection.sobject(RELATION).destroy(relation.id),
        // Already gone: what replacing wants.
        (failure) =>
          failure.errorCode === 'NOT_FOUND' || failure.errorCode === 'ENTITY_IS_DELETED' ? null : undefined,
      )
}

/** The contact's primary account (`AccountId`) first, then its indirect relationships. Leads have none. */
export async function listAssociatedCompanies(
  context: SalesforceContext,
  contactId: string,
): Promise<ReadonlyArray<{ readonly companyId: string; readonly primary: boolean }>> {
  if (context.options.personObject === 'Lead') return []
  const operation = 'listAssociatedCompanies'
  const primary = await contactAccount(context, operation, contactId)
  const linked: Array<{ companyId: string; primary: boolean }> =
    primary === null ? [] : [{ companyId: primary, primary: true }]
  if (await context.schemas.has(RELATION))
    for (const relation of await indirectRelations(context, operation, contactId))
      if (!linked.some((each) => sameId(each.companyId, relation.accountId)))
        linked.push({ companyId: relation.accountId, primary: false })
  return linked
}
