export { createEmailChannel, type EmailChannel } from './create-email-channel'
export type {
  CreateEmailChannelOptions,
  DkimSettings,
  InboxSettings,
  ListUnsubscribeSettings,
  OAuth2Auth,
  PasswordAuth,
  ReceiveSettings,
  ServerAuth,
  ServerSettings,
  TrackingSettings,
} from './email-channel-options'
export { classifyInbound, type InboundMail } from './receiving/classify-inbound'
export type { DeliveryStatus } from './receiving/delivery-status'
export {
  inboundEventFor,
  type MailOrigin,
  type UnattributedBounce,
  unattributedBounce,
} from './receiving/inbound-event'
export type { ScanResult } from './receiving/inbox-poller'
export { readMessage } from './receiving/read-message'
export { automatedReasons, type TrackingHit } from './tracking/automated-hit'
export { createTrackingHandler, type TrackingHandlerOptions } from './tracking/tracking-handler'
export { type TrackingPayload, verifyTrackingToken } from './tracking/tracking-token'
export {
  type InboxProblem,
  type InboxVerification,
  type ServerCheck,
  verifyInbox,
} from './verify-inbox'
