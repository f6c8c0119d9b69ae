import type { ConnectionCheck, LinkedInOutcome } from '@paceline/core/ports'
import type {
  LinkedInProviderV1,
  ProviderCall,
  ProviderConversation,
  ProviderRelation,
  ProviderSupport,
  ProviderWebhookHeaderCheck,
  ProviderWebhookResult,
} from '../../src/index'

export interface ScriptedCall {
  readonly method: string
  readonly call: ProviderCall & Record<string, unknown>
}

/**
 * A provider in memory for the channel's own tests: it records calls, answers from `answer` (or ok), and
 * lists the conversations and relations the test puts in.
 */
export function scriptedProvider(
  options: {
    readonly supports?: Partial<ProviderSupport>
    readonly answer?: (
      method: string,
      call: ProviderCall & Record<string, unknown>,
    ) => LinkedInOutcome | undefined
    readonly webhook?: (headers: Record<string, string | undefined>, body: string) => ProviderWebhookResult
    /** Checks the headers before the body is read (`verifyWebhookHeaders`). */
    readonly webhookHeaders?: (headers: Record<string, string | undefined>) => ProviderWebhookHeaderCheck
  } = {},
) {
  const calls: ScriptedCall[] = []
  const conversations: ProviderConversation[] = []
  const relations: ProviderRelation[] = []
  const since: string[] = []
  /** Bodies `readWebhook` was given. */
  const webhookBodies: string[] = []
  const act =
    (method: string) =>
    async (input: ProviderCall): Promise<LinkedInOutcome> => {
      const call = input as ProviderCall & Record<string, unknown>
      calls.push({ method, call })
      return options.answer?.(method, call) ?? { ok: true }
    }
  const provider: LinkedInProviderV1 = {
    specificationVersion: 'v1',
    name: 'scripted',
    supports: {
      visitProfile: true,
      reactToLastPost: true,
      invitationNote: true,
      inMail: true,
      attachments: true,
      voice: true,
      withdrawInvitation: true,
      ...options.supports,
    },
    visitProfile: act('visitProfile'),
    reactToLastPost: act('reactToLastPost'),
    sendInvitation: act('sendInvitation'),
    sendMessage: act('sendMessage'),
    sendInMail: act('sendInMail'),
    sendAttachment: act('sendAttachment'),
    sendVoice: act('sendVoice'),
    withdrawInvitation: act('withdrawInvitation'),
    async relationStatus(call): Promise<ConnectionCheck> {
      const outcome = await act('relationStatus')(call)
      return outcome.ok ? { ok: true, status: 'not_connected' } : outcome
    },
    async listConversations(request) {
      since.push(request.since ?? '')
      return conversations
    },
    listPendingInvitations: async () => [],
    listRelations: async () => relations,
    ...(options.webhook === undefined
      ? {}
      : {
          readWebhook: async (request) => {
            webhookBodies.push(request.rawBody)
            return options.webhook?.(request.headers, request.rawBody) as ProviderWebhookResult
          },
        }),
    ...(options.webhookHeaders === undefined ? {} : { verifyWebhookHeaders: options.webhookHeaders }),
  }
  return { provider, calls, conversations, relations, since, webhookBodies }
}
