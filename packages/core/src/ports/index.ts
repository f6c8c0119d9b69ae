export type {
  AiContext,
  AiProviderV1,
  AiUsage,
  AiVariableRequest,
  ClassifyReplyRequest,
  ConversationTurn,
  FilledVariables,
  FillVariablesRequest,
  GeneratedMessage,
  GenerateMessageRequest,
  ReplyClassification,
  ReplySuggestion,
  SuggestReplyRequest,
} from './ai-provider'
export type {
  CrmActivity,
  CrmActivityKind,
  CrmAssociationKind,
  CrmCapabilities,
  CrmCondition,
  CrmField,
  CrmObjectType,
  CrmRecord,
  CrmSearch,
  CrmTask,
  CrmTaskState,
  CrmUser,
  CrmV1,
  CrmValue,
} from './crm'
export type { EmailAddress, EmailChannelV1, EmailMessage, EmailOutcome } from './email-channel'
export type { InboundEvent, InboundEventType, LeadReference } from './inbound-event'
export type {
  ConnectionCheck,
  ConnectionStatus,
  LinkedInCapabilities,
  LinkedInChannelV1,
  LinkedInConversation,
  LinkedInFailureReason,
  LinkedInOutcome,
  LinkedInReaction,
  LinkedInRequest,
  LinkedInTarget,
} from './linkedin-channel'
export { queryShape } from './query-shape'
export { parseEncryptionKey, SecretBox, secretRowLabel } from './secret-box'
export {
  COLLECTION_NAMES,
  type CollectionName,
  type IndexDefinition,
  type IndexQuery,
  type IndexRange,
  type IndexValue,
  STORAGE_COLLECTIONS,
  type StorageTransaction,
  type StorageV1,
  type StoredDocument,
  type TransactionOptions,
} from './storage'
export { afterNotInIndex } from './storage-errors'
export {
  type CollectionSpec,
  columnName,
  indexColumnValue,
  layoutOf,
  type TableLayout,
  tableName,
} from './table-layout'
export type { WarmupInbox, WarmupProviderV1, WarmupState, WarmupStatus } from './warmup-provider'
