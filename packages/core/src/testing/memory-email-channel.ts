import { hasControlCharacter } from '../model/control-characters'
import type { EmailChannelV1, EmailMessage, EmailOutcome } from '../ports/email-channel'
import type { InboundEvent } from '../ports/inbound-event'
import { ChannelSubscribers } from './channel-subscribers'

export interface MemoryEmailOptions {
  /** Decides the outcome of a send: return an outcome, throw to simulate a lost connection, or undefined for success. */
  readonly respond?: (message: EmailMessage) => EmailOutcome | undefined | Promise<EmailOutcome | undefined>
}

export interface MemoryEmailChannel extends EmailChannelV1 {
  /** Every message accepted for sending, in order. */
  readonly sent: readonly EmailMessage[]
  /** Every send attempted, including refused ones. */
  readonly attempts: readonly EmailMessage[]
  /** Hands an inbound event to the subscribed engine (after engine.start()); with nobody listening it throws. */
  deliver(event: InboundEvent): Promise<void>
}

/** The reference email channel: records messages and never touches the network. */
export function createMemoryEmailChannel(options: MemoryEmailOptions = {}): MemoryEmailChannel {
  const sent: EmailMessage[] = []
  const attempts: EmailMessage[] = []
  const subscribers = new ChannelSubscribers('email')
  return {
    specificationVersion: 'v1',
    sent,
    attempts,
    async send(message) {
      attempts.push(message)
      // Like a real channel, refuse values that would inject headers, before anything is "sent".
      const unsafe = unsafeHeader(message)
      if (unsafe !== undefined)
        return {
          ok: false,
          reason: 'rejected',
          message: `The ${unsafe} header contains a control character.`,
        }
      const scripted = await options.respond?.(message)
      if (scripted !== undefined) {
        if (scripted.ok) sent.push(message)
        return scripted
      }
      sent.push(message)
      return { ok: true, messageId: message.messageId }
    },
    subscribe: (deliver) => subscribers.add(deliver),
    deliver: (event) => subscribers.deliver(event),
  }
}

function unsafeHeader(message: EmailMessage): string | undefined {
  const fields: [string, string | undefined][] = [
    ['Subject', message.subject],
    ['From', `${message.from.name ?? ''} ${message.from.address}`],
    ['To', `${message.to.name ?? ''} ${message.to.address}`],
    ['Message-ID', message.messageId],
    ['In-Reply-To', message.inReplyTo],
    ...(message.references ?? []).map((reference): [string, string] => ['References', reference]),
  ]
  return fields.find(([, value]) => value !== undefined && hasControlCharacter(value))?.[0]
}
