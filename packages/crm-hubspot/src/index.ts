export {
  ENGAGEMENT_ASSOCIATION_TYPES,
  ENGAGEMENT_OF_ACTIVITY,
  type EngagementObjectType,
} from './activities/engagement-objects'
export { createHubspotCrm, HUBSPOT_IDEMPOTENCY_PROPERTY, type HubspotCrm } from './create-hubspot-crm'
export { crmFieldOf, crmFieldTypeOf, type HubspotPropertyDefinition } from './fields/field-metadata'
export type { CreateHubspotCrmOptions, HubspotAssociationType } from './hubspot-crm-options'
export type { CrmFailedDetails } from './hubspot-failure'
export { fromHubspotValue, toHubspotValue } from './records/crm-values'
export { SEARCH_LIMITS, searchRequestsOf } from './records/record-search'
