export {
  ACTION_ACTIVE_MS,
  type ActivePeriod,
  type ActivityKind,
  activityFromActions,
  type EngagementBilling,
  type EngagementBillingInput,
  engagementBilling,
  type IdentityActivity,
  type IdentityType,
  type MeteredIdentity,
  SYNC_ACTIVE_MS,
} from './billing/engagement-meter'
export {
  createLinkedInChannel,
  type LinkedInChannel,
  type WebhookResponse,
} from './channel/create-linkedin-channel'
export type {
  CreateLinkedInChannelOptions,
  LinkedInAccount,
  LinkedInPollingSettings,
} from './channel/linkedin-channel-options'
export type {
  LinkedInProviderV1,
  ProviderCall,
  ProviderConversation,
  ProviderEvent,
  ProviderPendingInvitation,
  ProviderRelation,
  ProviderSupport,
  ProviderTarget,
  ProviderWebhookRequest,
  ProviderWebhookResult,
} from './provider/linkedin-provider'
export {
  createProviderHttp,
  type ProviderHttp,
  type ProviderHttpOptions,
  type ProviderHttpResult,
  type ProviderRequest,
  retryAfterOf,
} from './transport/provider-http'
export { fetchWebhookHandler, nodeWebhookHandler } from './webhooks/webhook-handlers'
