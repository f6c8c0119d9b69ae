export { ACTION_KEEPS_ACTIVE_MS, SYNC_KEEPS_ACTIVE_MS } from './billing/active-periods'
export {
  type ActionLogEntry,
  activityFromActions,
  BILLING_ACTIVITY_TYPES,
} from './billing/activity-from-actions'
export type {
  ActivityKind,
  BilledIdentity,
  BillingCycle,
  EngagementBillingInput,
  IdentityActivity,
  IdentityType,
} from './billing/billing-input'
export {
  type ActivePeriod,
  type EngagementBilling,
  engagementBilling,
  type IdentityBilling,
} from './billing/engagement-billing'
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
  ProviderWebhookHeaderCheck,
  ProviderWebhookRequest,
  ProviderWebhookResult,
} from './provider/linkedin-provider'
export { profileHandleOf, samePerson } from './provider/same-person'
export { createEdgesProvider, type EdgesProvider } from './providers/edges/create-edges-provider'
export { EDGES_ACTIONS } from './providers/edges/edges-actions'
export type {
  EdgesConnect,
  EdgesIdentity,
  EdgesIdentityInput,
  EdgesIntegration,
  EdgesIntegrationInput,
} from './providers/edges/edges-identities'
export type { CreateEdgesProviderOptions } from './providers/edges/edges-options'
export {
  createUnipileProvider,
  UNIPILE_MAX_NOTE_LENGTH,
  type UnipileProvider,
} from './providers/unipile/create-unipile-provider'
export {
  UNIPILE_NOTIFY_TOKEN_PARAMETER,
  type UnipileAccountConnected,
  type UnipileConnect,
  type UnipileHostedLink,
  type UnipileHostedLinkInput,
  type UnipileNotificationRefused,
  type UnipileNotificationRequest,
} from './providers/unipile/unipile-hosted-auth'
export type { CreateUnipileProviderOptions } from './providers/unipile/unipile-options'
export { UNIPILE_WEBHOOK_SECRET_HEADER } from './providers/unipile/unipile-webhook'
export {
  createProviderHttp,
  type ProviderHttp,
  type ProviderHttpOptions,
  type ProviderHttpResult,
  type ProviderRequest,
  retryAfterOf,
} from './transport/provider-http'
export {
  DEFAULT_MAX_WEBHOOK_BODY_BYTES,
  fetchWebhookHandler,
  nodeWebhookHandler,
  type WebhookHandlerOptions,
} from './webhooks/webhook-handlers'
