export { type CrmConformanceFields, type CrmConformanceOptions, crmConformance } from './crm-conformance'
export {
  type EmailChannelConformanceOptions,
  emailChannelConformance,
  type ReceivedEmail,
} from './email-channel-conformance'
export {
  type ConformanceProfile,
  type LinkedInChannelConformanceOptions,
  linkedinChannelConformance,
} from './linkedin-channel-conformance'
export { type ShareLinkRaceConformanceOptions, shareLinkRaceConformance } from './share-link-race-conformance'
export { type StorageConformanceOptions, storageConformance } from './storage-conformance'
export {
  type WarmupProviderConformanceOptions,
  warmupProviderConformance,
} from './warmup-provider-conformance'
