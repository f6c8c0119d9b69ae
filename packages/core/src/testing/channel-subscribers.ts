import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { InboundEvent } from '../ports/inbound-event'

type Subscriber = (event: InboundEvent) => Promise<void>

/**
 * The subscribers of an in-memory channel (an engine subscribes when it starts). Delivering with nobody
 * listening is an error rather than a silent drop: a test that drives `engine.tick()` itself would otherwise
 * wait for a reply that never arrives.
 */
export class ChannelSubscribers {
  readonly #subscribers = new Set<Subscriber>()
  readonly #channel: string

  constructor(channel: string) {
    this.#channel = channel
  }

  add(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber)
    return () => this.#subscribers.delete(subscriber)
  }

  async deliver(event: InboundEvent): Promise<void> {
    if (this.#subscribers.size === 0)
      throw new PacelineError(
        PacelineErrorCodes.channelFailed,
        `Nothing is listening to this in-memory ${this.#channel} channel, so the ${event.type} event would be lost. Call engine.start() (it subscribes the engine to its channels), or, when you drive engine.tick() yourself, pass the event to engine.ingest(event).`,
        { details: { eventType: event.type } },
      )
    for (const subscriber of this.#subscribers) await subscriber(event)
  }
}
