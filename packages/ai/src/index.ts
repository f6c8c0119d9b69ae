export type { AiFailedDetails, AiFailureReason, AiOperation } from './ai-failure'
export {
  AI_PROVIDER_DEFAULTS,
  type AiSdkLanguageModel,
  type CreateAiProviderOptions,
} from './ai-provider-options'
export { type AiProvider, createAiProvider } from './create-ai-provider'
export { REPLY_TAGS, SUBJECT_MAX_LENGTH } from './prompts'
