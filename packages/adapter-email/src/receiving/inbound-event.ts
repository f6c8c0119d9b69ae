import type { InboundEvent } from '@paceline/core/ports'
import type { InboundMail } from './classify-inbound'

/** Where a message was read, for events of messages without a Message-ID. */
export interface MailOrigin {
  readonly inbox: string
  readonly identityId?: string
  readonly uidValidity: string
  readonly uid: number
  /** When the server received it (IMAP INTERNALDATE). */
  readonly receivedAt?: Date
}

/**
 * The engine event for a classified message, or none (the inbox's own mail, newsletters). The event id is
 * the message's Message-ID when it has one, so the same reply read from two inboxes counts once.
 */
export function inboundEventFor(mail: InboundMail, origin: MailOrigin): InboundEvent | undefined {
  const eventId = `email:${mail.messageId ?? `${origin.inbox}:${origin.uidValidity}:${origin.uid}`}`
  const at = origin.receivedAt === undefined ? {} : { at: origin.receivedAt.toISOString() }
  switch (mail.kind) {
    case 'reply':
    case 'out-of-office': {
      const [latest, ...earlier] = mail.threadMessageIds
      return {
        type: 'reply-received',
        channel: 'email',
        lead: {
          email: mail.from,
          ...(latest === undefined ? {} : { messageId: latest }),
          ...(earlier.length === 0 ? {} : { messageIds: earlier.slice(0, 50) }),
        },
        ...(origin.identityId === undefined ? {} : { identityId: origin.identityId }),
        outOfOffice: mail.kind === 'out-of-office',
        subject: mail.subject.slice(0, 10_000),
        text: mail.text.slice(0, 100_000),
        eventId,
        ...at,
      }
    }
    case 'bounce': {
      if (mail.originalMessageId === undefined && mail.recipient === undefined) return undefined
      const reason = [mail.status, mail.diagnostic].filter((part) => part !== undefined).join(' ')
      return {
        type: 'email-bounced',
        bounce: mail.bounce,
        lead: {
          ...(mail.originalMessageId === undefined ? {} : { messageId: mail.originalMessageId }),
          ...(mail.recipient === undefined ? {} : { email: mail.recipient }),
        },
        ...(reason === '' ? {} : { reason: reason.slice(0, 10_000) }),
        eventId,
        ...at,
      }
    }
    default:
      return undefined
  }
}
