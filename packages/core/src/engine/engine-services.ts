import { Context } from 'effect'
import type { AiProviderV1 } from '../ports/ai-provider'
import type { CrmV1 } from '../ports/crm'
import type { EmailChannelV1 } from '../ports/email-channel'
import type { LinkedInChannelV1 } from '../ports/linkedin-channel'
import type { StorageV1 } from '../ports/storage'
import type { WarmupProviderV1 } from '../ports/warmup-provider'
import type { EngineSettings } from './engine-settings'

/** The storage adapter, provided as a layer: `Layer.succeed(StorageService, createSqliteStorage(...))`. */
export class StorageService extends Context.Service<StorageService, StorageV1>()('@paceline/core/Storage') {}

/** The LinkedIn channel; absent by default (campaigns with LinkedIn steps then error "LinkedIn disconnected"). */
export const LinkedInService = Context.Reference<LinkedInChannelV1 | undefined>('@paceline/core/LinkedIn', {
  defaultValue: () => undefined,
})

/** The email channel; absent by default. */
export const EmailService = Context.Reference<EmailChannelV1 | undefined>('@paceline/core/Email', {
  defaultValue: () => undefined,
})

/** The AI provider; absent by default (AI-written steps then error). */
export const AiService = Context.Reference<AiProviderV1 | undefined>('@paceline/core/Ai', {
  defaultValue: () => undefined,
})

/** The workspace's CRM; absent by default (`engine.crm` then says how to add one). */
export const CrmService = Context.Reference<CrmV1 | undefined>('@paceline/core/Crm', {
  defaultValue: () => undefined,
})

/** The email warm-up provider; absent by default (`engine.warmup` then says how to add one). */
export const WarmupService = Context.Reference<WarmupProviderV1 | undefined>('@paceline/core/Warmup', {
  defaultValue: () => undefined,
})

/** Engine settings; every one has a default (see `EngineSettings`). */
export const EngineSettingsService = Context.Reference<Partial<EngineSettings>>(
  '@paceline/core/EngineSettings',
  {
    defaultValue: () => ({}),
  },
)
