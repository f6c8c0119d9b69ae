import { isPermanentRejection, PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'

/**
 * What became of one event: taken by every subscriber, not for the engine at all (an account or person the
 * channel does not know), or refused for good by a subscriber (the engine recorded it as a dead letter).
 * A failure that may pass (storage down, a host's subscriber throwing) is thrown instead: the caller keeps
 * the event (a webhook answers 5xx, a poll holds its cursor) so that it is delivered again.
 */
export type DeliveryResult = 'delivered' | 'ignored' | 'refused'

export type Subscriber = (event: InboundEvent) => Promise<void>

/**
 * Hands `event` to every subscriber. A permanent refusal (`isPermanentRejection`) is reported to `onError`
 * with the dead letter's id and the next subscriber still gets the event; any other failure is thrown as it
 * is, the subscribers that already took the event ignoring it when it comes again (by its event id).
 */
export async function deliverToSubscribers(
  event: InboundEvent,
  subscribers: Iterable<Subscriber>,
  report: {
    readonly provider: string
    readonly from: string
    readonly onError: (error: PacelineError) => void
  },
): Promise<Exclude<DeliveryResult, 'ignored'>> {
  let refused = false
  for (const subscriber of subscribers) {
    try {
      await subscriber(event)
    } catch (error) {
      if (!isPermanentRejection(error)) throw error
      refused = true
      const deadLetterId = (error as PacelineError).details.deadLetterId
      report.onError(
        new PacelineError(
          PacelineErrorCodes.invalidEvent,
          `The engine refused a ${report.provider} ${event.type} event from ${report.from} for good (${(error as Error).message})${deadLetterId === undefined ? '' : `; it is kept as dead letter ${String(deadLetterId)}`}; moved past it.`,
          {
            cause: error,
            details: {
              provider: report.provider,
              ...(event.eventId === undefined ? {} : { eventId: event.eventId }),
              ...(deadLetterId === undefined ? {} : { deadLetterId }),
            },
          },
        ),
      )
    }
  }
  return refused ? 'refused' : 'delivered'
}
