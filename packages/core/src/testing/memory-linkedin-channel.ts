import type { InboundEvent } from '../ports/inbound-event'
import type {
  ConnectionCheck,
  ConnectionStatus,
  LinkedInCapabilities,
  LinkedInChannelV1,
  LinkedInOutcome,
  LinkedInRequest,
  LinkedInTarget,
} from '../ports/linkedin-channel'
import { ChannelSubscribers } from './channel-subscribers'

export type LinkedInMethod =
  | 'visitProfile'
  | 'reactToLastPost'
  | 'sendInvitation'
  | 'sendMessage'
  | 'sendInMail'
  | 'sendAttachment'
  | 'sendVoice'
  | 'withdrawInvitation'
  | 'checkConnection'

/** One call the channel received, with its request. */
export interface LinkedInCall {
  readonly method: LinkedInMethod
  readonly accountId: string
  readonly target: LinkedInTarget
  readonly request: Readonly<Record<string, unknown>>
}

export interface MemoryLinkedInOptions {
  /** Whether acceptances and replies arrive as events (default true); otherwise the engine checks. */
  readonly pushesEvents?: boolean
  readonly capabilities?: Omit<LinkedInCapabilities, 'pushesEvents'>
  /**
   * Decides the outcome of a call: return an outcome, throw to simulate a crash or a lost connection, or
   * return undefined for the default (success; connection status from `connections`).
   */
  readonly respond?: (
    call: LinkedInCall,
  ) => LinkedInOutcome | ConnectionCheck | undefined | Promise<LinkedInOutcome | ConnectionCheck | undefined>
}

export interface MemoryLinkedInChannel extends LinkedInChannelV1 {
  /** Every call received, in order. */
  readonly calls: readonly LinkedInCall[]
  /** Connection status per lead id, as `checkConnection` reports it; invitations make leads `pending`. */
  readonly connections: Map<string, ConnectionStatus>
  /** Hands an inbound event to the subscribed engine, as a webhook would (after engine.start()); with nobody listening it throws. */
  deliver(event: InboundEvent): Promise<void>
}

/** The reference LinkedIn channel: records calls, answers from scripted state, and never touches the network. */
export function createMemoryLinkedInChannel(options: MemoryLinkedInOptions = {}): MemoryLinkedInChannel {
  const calls: LinkedInCall[] = []
  const connections = new Map<string, ConnectionStatus>()
  const subscribers = new ChannelSubscribers('LinkedIn')

  const handle = async (method: LinkedInMethod, request: LinkedInRequest) => {
    const call: LinkedInCall = {
      method,
      accountId: request.accountId,
      target: request.target,
      request: request as unknown as Readonly<Record<string, unknown>>,
    }
    calls.push(call)
    const scripted = await options.respond?.(call)
    if (scripted !== undefined) return scripted
    if (method === 'sendInvitation' && connections.get(request.target.leadId) !== 'connected') {
      connections.set(request.target.leadId, 'pending')
    }
    if (method === 'withdrawInvitation' && connections.get(request.target.leadId) === 'pending') {
      connections.set(request.target.leadId, 'not_connected')
    }
    if (method === 'checkConnection') {
      return {
        ok: true,
        status: connections.get(request.target.leadId) ?? 'not_connected',
      } satisfies ConnectionCheck
    }
    return { ok: true } satisfies LinkedInOutcome
  }
  const outcome = async (method: LinkedInMethod, request: LinkedInRequest) =>
    (await handle(method, request)) as LinkedInOutcome

  return {
    specificationVersion: 'v1',
    capabilities: { ...options.capabilities, pushesEvents: options.pushesEvents ?? true },
    calls,
    connections,
    visitProfile: (request) => outcome('visitProfile', request),
    reactToLastPost: (request) => outcome('reactToLastPost', request),
    sendInvitation: (request) => outcome('sendInvitation', request),
    sendMessage: (request) => outcome('sendMessage', request),
    sendInMail: (request) => outcome('sendInMail', request),
    sendAttachment: (request) => outcome('sendAttachment', request),
    sendVoice: (request) =>
      // Like the real channels: LinkedIn sends recordings, so a request without one is refused.
      typeof request.audio?.url !== 'string' || request.audio.url === ''
        ? Promise.resolve({
            ok: false,
            reason: 'unsupported',
            message: 'a voice message needs a recording (audio.url); LinkedIn cannot read a script aloud',
          } satisfies LinkedInOutcome)
        : outcome('sendVoice', request),
    withdrawInvitation: (request) => outcome('withdrawInvitation', request),
    checkConnection: async (request) => (await handle('checkConnection', request)) as ConnectionCheck,
    subscribe: (deliver) => subscribers.add(deliver),
    deliver: (event) => subscribers.deliver(event),
  }
}
