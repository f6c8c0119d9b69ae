import type { CrmUser, CrmV1 } from '@paceline/core/ports'
import { associate, listAssociatedCompanies } from './account-associations'
import { logActivity } from './activity-logging'
import type { SalesforceApiUsage } from './api-usage'
import { integrationUser, listUsers } from './crm-users'
import { completeTask, createTask, getTasks } from './follow-up-tasks'
import { toCrmField } from './object-describe'
import { createObjectSchemas } from './object-schemas'
import { createRecord, getRecord, searchRecords, updateRecord } from './record-operations'
import { type SalesforceContext, sobjectOf } from './salesforce-context'
import { type CreateSalesforceCrmOptions, parseSalesforceCrmOptions } from './salesforce-crm-options'
import { createSalesforceRequests } from './salesforce-requests'
import { checkSetup, type SalesforceSetup } from './setup-check'

/** Salesforce as paceline's CRM, with what a host needs to watch the org's limits and setup. */
export interface SalesforceCrm extends CrmV1 {
  /** The org's API usage (`Sforce-Limit-Info: api-usage=N/M`) as the last answer said; none before one. */
  usage(): SalesforceApiUsage | undefined
  /** What of the recommended setup the org has (the idempotency field, Contacts to Multiple Accounts). */
  checkSetup(): Promise<SalesforceSetup>
  /** Releases the shared request limiter. The CRM must not be used afterwards. */
  close(): Promise<void>
}

/**
 * The `CrmV1` port over Salesforce's REST API with jsforce: Contacts (or Leads) and Accounts, Tasks for
 * activities and follow-up tasks, users, and describe metadata. See the README for the connected app, the
 * fields to create and the permissions the integration user needs.
 */
export function createSalesforceCrm(options: CreateSalesforceCrmOptions): SalesforceCrm {
  const resolved = parseSalesforceCrmOptions(options)
  const requests = createSalesforceRequests(resolved)
  const context: SalesforceContext = { options: resolved, requests, schemas: createObjectSchemas(requests) }
  // The token's user does not change: asked once (again after a failure).
  let integration: Promise<CrmUser> | undefined

  return {
    specificationVersion: 'v1',
    name: 'salesforce',
    supports: { primaryAssociations: resolved.personObject === 'Contact', tasks: true },
    integrationUser() {
      integration ??= integrationUser(context).catch((error: unknown) => {
        integration = undefined
        throw error
      })
      return integration
    },
    listUsers: () => listUsers(context),
    async describeFields(object) {
      const describe = await context.schemas.describe(sobjectOf(context, object), true)
      return describe.fields.filter((field) => !field.deprecatedAndHidden).map(toCrmField)
    },
    searchRecords: (object, search) => searchRecords(context, object, search),
    getRecord: (object, id, fields) => getRecord(context, object, id, fields),
    createRecord: (object, record) => createRecord(context, object, record),
    updateRecord: (object, id, changes) => updateRecord(context, object, id, changes),
    associate: (contactId, companyId, kind) => associate(context, contactId, companyId, kind),
    listAssociatedCompanies: (contactId) => listAssociatedCompanies(context, contactId),
    logActivity: (activity) => logActivity(context, activity),
    createTask: (task) => createTask(context, task),
    getTasks: (ids) => getTasks(context, ids),
    completeTask: (id) => completeTask(context, id),
    usage: () => requests.usage(),
    checkSetup: () => checkSetup(context),
    async close() {
      requests.close()
    },
  }
}
