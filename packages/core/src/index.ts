// Errors

export type { CrmSyncStatus } from './crm/automatic-sync'
export {
  type CampaignPropertyName,
  CRM_SYNC_DIRECTIONS,
  type CrmConfig,
  type CrmConfigInput,
  type CrmMappedField,
  type CrmObjectMapping,
  type CrmSyncDirection,
} from './crm/crm-config'
export type { CrmExportOptions, CrmRecordOutcome, CrmSyncOptions, CrmSyncReport } from './crm/crm-sync'
export type { MappingCheck, MappingVerdict } from './crm/mapping-check'
// Engine
export type { AddLeadsResult, LaunchedCampaign } from './engine/admin'
export type { AiOperation, AiUsageDay, AiUsageQuery } from './engine/ai-usage'
export type {
  CampaignAnalytics,
  CampaignDailyActivity,
  IdentityDashboard,
  IdentityDashboardOptions,
} from './engine/analytics/analytics-queries'
export type { AudienceSummary } from './engine/analytics/audience-summary'
export type {
  AllChannelsMetrics,
  CampaignMetrics,
  EmailMetrics,
  LinkedInMetrics,
  TaggedConversations,
  TaskMetrics,
} from './engine/analytics/campaign-metrics'
export { DAILY_SERIES, type DailyActivity, type DailyActivityName } from './engine/analytics/daily-activity'
export type { SentVsAllowed } from './engine/analytics/identity-dashboard'
export type { PeriodOptions, PeriodView } from './engine/analytics/period'
export type { StepProgress } from './engine/analytics/progress-by-action'
export type { BlocklistEntry, BlocklistKind, BlocklistReason } from './engine/blocklist'
export type { DeleteCampaignOptions } from './engine/campaign-deletion'
export type {
  AddContactsResult,
  ContactListContactsOptions,
  ContactListListOptions,
  ListEnrolmentResult,
} from './engine/contact-lists'
export { conversationId } from './engine/conversations/conversation-log'
export type {
  ConversationListOptions,
  ConversationMessage,
  ConversationPage,
  ConversationView,
  ConversationWithMessages,
} from './engine/conversations/conversation-queries'
export type { ManualTag } from './engine/conversations/conversation-tags'
export type { ReplyInput } from './engine/conversations/manual-reply'
export type {
  Preview,
  PreviewInput,
  PreviewMessage,
  PreviewTurn,
} from './engine/conversations/preview'
export type { Suggestion } from './engine/conversations/suggestions'
export { type CreateEngineOptions, createEngine, type Engine, type EngineClock } from './engine/create-engine'
export type {
  DeadLetter,
  DeadLetterListOptions,
  DeadLetterPage,
  DeadLetterSource,
} from './engine/dead-letters'
export {
  ACTION_EVENT_TYPES,
  ENGINE_EVENT_TYPES,
  type EngineEvent,
  type EngineEventListener,
  type EngineEventType,
  INBOUND_EVENT_TYPES,
} from './engine/engine-events'
export {
  AiService,
  CrmService,
  EmailService,
  EngineSettingsService,
  LinkedInService,
  StorageService,
  WarmupService,
} from './engine/engine-services'
export { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from './engine/engine-settings'
export type { EnrolSkip } from './engine/enrol-lead'
export type { ActivityExportOptions } from './engine/exports/activity-export'
export type { AudienceExportOptions } from './engine/exports/audience-export'
export type { CampaignsExportOptions } from './engine/exports/campaigns-export'
export type { CsvOptions } from './engine/exports/csv-stream'
export type { IdentitiesExportOptions, IdentityExportOptions } from './engine/exports/identity-export'
export type { MetricsExportOptions } from './engine/exports/metrics-export'
export { idempotencyKey, messageIdFor } from './engine/idempotency-key'
export type { DeletedIdentity } from './engine/identities/delete-identity'
export { identitySecretName } from './engine/identities/identity-secrets'
export type { RedeemedShareLink, ShareLink } from './engine/identities/share-links'
export { parseInboundEvent } from './engine/inbound-event-schema'
export type { InboxComplaints } from './engine/inbox-complaints'
export type { IngestResult } from './engine/ingest'
export type {
  InvitationListOptions,
  PendingInvitation,
  Withdrawal,
} from './engine/invitations/invitation-lists'
export type {
  WithdrawInvitationsInput,
  WithdrawInvitationsResult,
} from './engine/invitations/withdraw-invitations'
export type { ActivityListOptions } from './engine/lists/activity-list'
export type { CampaignListOptions } from './engine/lists/campaign-list'
export { LEAD_ENGAGEMENTS, type LeadEngagement, type LeadListOptions } from './engine/lists/lead-list'
export type { Page } from './engine/lists/list-cursor'
export type { TaskListOptions } from './engine/lists/task-list'
export { PacelineEngine, type PacelineEngineApi } from './engine/paceline-engine'
export type { ActionFilter, CampaignStats, LeadView } from './engine/queries'
export type {
  AgentState,
  ConversationChannel,
  ConversationTag,
  MessageAuthor,
  TagCategory,
  TaskRecord,
} from './engine/records'
export type { ManualTaskInput } from './engine/task-commands'
export type { TickReport } from './engine/tick'
export {
  holdsCampaignMail,
  type InboxWarmup,
  type InboxWarmupView,
  WARMUP_REFRESH_MS,
  type WarmupPolicy,
  type WarmupRefresh,
  warmupAllowance,
} from './engine/warmup'
export type { WithdrawalTrigger } from './engine/withdraw-invitation'
export type {
  BlocklistAddResult,
  BlocklistEntryInput,
  BlocklistListOptions,
} from './engine/workspace-blocklist'
export type {
  BuiltInTemplateEntry,
  SaveTemplateInput,
  TemplateCampaign,
  TemplateEntry,
  WorkspaceTemplate,
} from './engine/workspace-templates'
export { type PacelineErrorCode, PacelineErrorCodes } from './errors/error-codes'
export { PacelineError, type PacelineErrorOptions } from './errors/paceline-error'
export { isPermanentRejection } from './errors/permanent-rejection'
export { err, ok, type Result, unwrap } from './errors/result'
export type { ValidationIssue } from './errors/validation-issue'
// Campaigns
export {
  CAMPAIGN_PRIORITIES,
  CAMPAIGN_STATUSES,
  type Campaign,
  type CampaignPriority,
  type CampaignStatus,
} from './model/campaign/campaign'
export {
  archiveCampaign,
  CAMPAIGN_TRANSITIONS,
  canTransition,
  detachCampaign,
  duplicateCampaign,
  identityGone,
  isCampaignDue,
  type LaunchOptions,
  launchCampaign,
  pauseCampaign,
  resumeCampaign,
  type ScheduleOptions,
  scheduleCampaign,
  unscheduleCampaign,
} from './model/campaign/campaign-lifecycle'
export {
  type CampaignSettings,
  type CampaignSettingsInput,
  CRM_SYNC_MODES,
  type CrmSyncMode,
  REPLY_HANDLING_MODES,
  type ReplyHandlingMode,
} from './model/campaign/campaign-settings'
export { type CampaignInput, defineCampaign, validateCampaign } from './model/campaign/define-campaign'
export { type CampaignWarning, campaignWarnings, missingRecordings } from './model/campaign/launch-readiness'
export { sequenceShapeChanges } from './model/campaign/sequence-shape'
export { type CampaignChanges, updateCampaign } from './model/campaign/update-campaign'
export {
  type AgentDecision,
  decideOnInbound,
  type HandOffReason,
  type InboundReading,
} from './model/conversation/agent-decision'
export { answerProblem } from './model/conversation/answer-check'
export { escalationTopic } from './model/conversation/escalation'
export { isOptOut } from './model/conversation/opt-out'
// Identities
export {
  defineIdentity,
  type IdentityWarning,
  identityWarnings,
  updateIdentity,
  validateIdentity,
} from './model/identity/define-identity'
export { EMAIL_LIMITS } from './model/identity/email-limits'
export type {
  EmailInbox,
  EmailSignature,
  Identity,
  IdentityInput,
  IdentityType,
  LinkedInLimits,
  LinkedInSettings,
  SenderContact,
} from './model/identity/identity-schema'
export { INVITATION_WITHDRAWAL_COOLDOWN_DAYS, LINKEDIN_LIMITS } from './model/identity/linkedin-limits'
export {
  type CreateRedemption,
  type ReconnectRedemption,
  SHARE_LINK_MAX_HOURS,
  SHARE_LINK_PURPOSES,
  type ShareLinkOptions,
  type ShareLinkPurpose,
  type ShareLinkRedemption,
} from './model/identity/share-link'
export { canonicalTimeZone } from './model/identity/time-zone'
export { WEEKDAYS, type Weekday, WORKWEEK } from './model/identity/weekday'
export {
  type MinuteWindow,
  minutesOf,
  type TimeWindow,
  type WorkingHours,
  type WorkingHoursInput,
  windowsOn,
  workingMinutesOn,
} from './model/identity/working-hours'
export type { InstantInput } from './model/instant'
// Leads
export type { ContactList, ContactListChanges, ContactListInput } from './model/lead/contact-list'
export {
  applyLeadEvent,
  type Enrolment,
  effectiveLeadState,
  enrolLead,
  type LeadEvent,
  type LeadEventType,
} from './model/lead/enrolment'
export {
  defineLead,
  hasLinkedInProfile,
  hasMobilePhone,
  hasProfessionalEmail,
  type Lead,
  type LeadInput,
  type LeadProfile,
  validateLead,
} from './model/lead/lead'
export {
  type ActiveLeadState,
  describeLeadState,
  ERROR_SUBSTATUSES,
  type ErrorSubstatus,
  FINISHED_SUBSTATUSES,
  type FinishedSubstatus,
  IN_PROGRESS_SUBSTATUSES,
  type InProgressSubstatus,
  LEAD_STATUSES,
  LEAD_SUBSTATUSES,
  type LeadState,
  type LeadStatus,
  type LeadSubstatus,
  substatusOf,
  UNFINISHED_LEAD_STATUSES,
} from './model/lead/lead-status'
export {
  type ProfileWarning,
  profileWarnings,
  STANDARD_PROFILE_FIELDS,
} from './model/lead/profile-warnings'
// Personalisation
export {
  type RenderOptions,
  type RenderVariables,
  renderMessage,
} from './model/personalisation/render-message'
export {
  type ParsedTemplate,
  parseTemplate,
  type TemplatePart,
  type TemplateSyntaxProblem,
  templateVariables,
} from './model/personalisation/template-syntax'
// Sequences
export { channelOfStep, channelsOf } from './model/sequence/channels-of'
export {
  type Condition,
  type ConditionInput,
  type ConditionType,
  CUSTOM_OPERATORS,
  type CustomOperator,
  type CustomRule,
  type CustomRuleGroup,
  type CustomValue,
} from './model/sequence/condition-schema'
export { matchesCustomRules } from './model/sequence/custom-condition'
export {
  describeCondition,
  describeDelay,
  describeStep,
  type FormatSequenceOptions,
  formatSequence,
} from './model/sequence/format-sequence'
export {
  MAX_SEQUENCE_JSON_LENGTH,
  type ParseSequenceOptions,
  parseSequence,
  validateSequence,
} from './model/sequence/parse-sequence'
export { type Branches, SequenceBuilder, sequence } from './model/sequence/sequence-builder'
export { type Edge, type EdgeField, edgesOf } from './model/sequence/sequence-graph'
export { MAX_STEPS } from './model/sequence/sequence-rules'
export {
  type ActionStep,
  type AiVariable,
  type ConditionStep,
  type Delay,
  type Sequence,
  type SequenceInput,
  type SequenceStep,
  type StepInput,
  type StepOfKind,
  sequenceJsonSchema,
  sequenceSchema,
} from './model/sequence/sequence-schema'
export {
  ACTION_KINDS,
  type ActionKind,
  CHANNELS,
  type Channel,
  type Queue,
  REACTIONS,
  type Reaction,
  STEP_KIND_INFO,
  STEP_KINDS,
  type StepKind,
  type StepKindInfo,
} from './model/sequence/step-kinds'
export { DEFAULT_TEXT_LIMITS, type TextLimits } from './model/sequence/text-limits'
export {
  MAX_UPLOADED_RECORDING_BYTES,
  type VoiceRecording,
  voiceRecordingSchema,
} from './model/sequence/voice-recording'
// Templates
export {
  type CampaignTemplate,
  type TemplateCategory,
  type TemplateId,
  type TemplateSetupItem,
  templates,
} from './model/templates/campaign-templates'
// Scheduler (pure)
export {
  type LaneGate,
  type LaneGateInput,
  type LaneUsage,
  laneGate,
  PACING_JITTER,
  PACING_SHARE,
} from './scheduler/lane-gate'
export {
  type EmailLane,
  emailLane,
  type Lane,
  type LaneLimits,
  LINKEDIN_LANES,
  LINKEDIN_QUEUE_GAP_MS,
  type LinkedInLane,
  laneLimits,
  laneOfStep,
} from './scheduler/lanes'
export { pickNext, type WaitingAction } from './scheduler/pick-next'
export { CAMPAIGN_PRIORITY_RANK, priorityKey } from './scheduler/priority'
export { hash32, unitInterval } from './scheduler/seeded-random'
export {
  describeWaitReason,
  substatusForWait,
  WAIT_REASONS,
  type WaitReason,
  type WaitReasonInfo,
} from './scheduler/wait-reason'
export { type LocalDay, WorkingCalendar } from './scheduler/working-calendar'
