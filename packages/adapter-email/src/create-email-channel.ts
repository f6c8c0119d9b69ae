import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { EmailChannelV1, EmailMessage, EmailOutcome, InboundEvent } from '@paceline/core/ports'
import {
  type CreateEmailChannelOptions,
  type InboxSettings,
  parseEmailChannelOptions,
} from './email-channel-options'
import { InboxPoller, type ScanResult } from './receiving/inbox-poller'
import { MailCursorStore } from './receiving/mail-cursor'
import { compileMessage } from './sending/compile-message'
import { composeMessage } from './sending/compose-message'
import { SmtpSender } from './sending/smtp-sender'

export interface EmailChannel extends EmailChannelV1 {
  /** Delivers what the inboxes receive to `handler` (reading starts with the first subscriber). */
  subscribe(handler: (event: InboundEvent) => Promise<void>): () => void
  /**
   * Reads every inbox with IMAP now and resolves once what arrived is delivered to subscribers: for
   * hosts that poll on their own schedule, and for tests. Returns per-inbox counts.
   */
  receiveNow(): Promise<Record<string, ScanResult>>
  /** Closes SMTP pools and IMAP connections. */
  close(): Promise<void>
}

interface Sender {
  readonly inbox: InboxSettings
  readonly smtp: SmtpSender
}

/**
 * The email channel: sends through each inbox's SMTP server (a small pool of connections per inbox, a bounded
 * number of messages at once) and, while the engine is subscribed, reads each inbox with IMAP and turns
 * replies, out-of-office answers and bounces into engine events.
 *
 * ```ts
 * const email = createEmailChannel({ storage, inboxes: [{ address: 'ana@acme.io', smtp, imap }] })
 * const engine = createEngine({ storage, email })
 * engine.start() // sends, and delivers what the inboxes receive
 * ```
 */
export function createEmailChannel(input: CreateEmailChannelOptions): EmailChannel {
  const options = parseEmailChannelOptions(input)
  const onError = options.onError ?? ((error: PacelineError) => console.warn(error.message))
  const senders = new Map<string, Sender>()
  const senderFor = (address: string): Sender | undefined => {
    const key = address.toLowerCase()
    let sender = senders.get(key)
    if (sender === undefined) {
      const inbox = options.inboxes.find((each) => each.address.toLowerCase() === key)
      if (inbox === undefined) return undefined
      sender = { inbox, smtp: new SmtpSender(inbox.smtp, inbox.maxConcurrentSends ?? 2) }
      senders.set(key, sender)
    }
    return sender
  }

  const ownAddresses = new Set(options.inboxes.map((inbox) => inbox.address.toLowerCase()))
  const subscribers = new Set<(event: InboundEvent) => Promise<void>>()
  const deliver = async (event: InboundEvent) => {
    for (const subscriber of subscribers) await subscriber(event)
  }
  const cursors =
    options.storage === undefined
      ? undefined
      : new MailCursorStore(options.storage, options.workspaceId ?? 'default')
  const pollers =
    cursors === undefined
      ? []
      : options.inboxes.flatMap((inbox) =>
          inbox.imap === undefined
            ? []
            : [
                new InboxPoller(inbox as InboxSettings & { imap: NonNullable<InboxSettings['imap']> }, {
                  cursors,
                  deliver,
                  ownAddresses,
                  pollIntervalMs: options.receive?.pollIntervalMs ?? 60_000,
                  idle: options.receive?.idle ?? true,
                  lookbackDays: options.receive?.lookbackDays ?? 7,
                  maxMessageBytes: options.receive?.maxMessageBytes ?? 2 * 1024 * 1024,
                  onError,
                  now: Date.now,
                }),
              ],
        )

  let trackingWarned = false
  return {
    specificationVersion: 'v1',

    async send(message: EmailMessage): Promise<EmailOutcome> {
      const sender = senderFor(message.from.address)
      if (sender === undefined)
        return {
          ok: false,
          reason: 'disconnected',
          message: `No inbox ${message.from.address} is configured in this email channel; add it to createEmailChannel({ inboxes }).`,
        }
      if (
        options.tracking === undefined &&
        (message.tracking?.opens || message.tracking?.clicks) &&
        !trackingWarned
      ) {
        trackingWarned = true
        onError(
          new PacelineError(
            PacelineErrorCodes.invalidOptions,
            'A campaign asks for open or click tracking, but the email channel has no `tracking` settings ({ baseUrl, secret }); messages go out untracked.',
          ),
        )
      }
      let mail: ReturnType<typeof composeMessage>
      try {
        mail = composeMessage(message, {
          inbox: sender.inbox,
          ...(options.listUnsubscribe === undefined ? {} : { listUnsubscribe: options.listUnsubscribe }),
          ...(options.tracking === undefined ? {} : { tracking: options.tracking }),
          now: Date.now(),
        })
      } catch (error) {
        // A header that could inject others, a malformed Message-ID: refused before any connection, so
        // the engine knows for certain that nothing went out.
        if (error instanceof PacelineError)
          return { ok: false, reason: 'rejected', message: error.message, raw: error }
        throw error
      }
      const { raw, envelope } = await compileMessage(mail)
      const outcome = await sender.smtp.send(raw, envelope)
      return outcome.ok ? { ok: true, messageId: message.messageId } : outcome
    },

    subscribe(handler) {
      subscribers.add(handler)
      for (const poller of pollers) poller.start()
      return () => {
        subscribers.delete(handler)
        if (subscribers.size === 0) for (const poller of pollers) void poller.stop()
      }
    },

    async receiveNow() {
      const results: Record<string, ScanResult> = {}
      for (const poller of pollers) results[poller.address] = await poller.scanNow()
      return results
    },

    async close() {
      subscribers.clear()
      await Promise.all(pollers.map((poller) => poller.stop()))
      for (const sender of senders.values()) await sender.smtp.close()
      senders.clear()
    },
  }
}
