import type { InboundEvent, LeadReference } from '@paceline/core/ports'
import type { InboundMail } from './classify-inbound'
import { boundedId, EVENT_LIMITS, eventIdFor, matchableAddress } from './event-limits'

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
 * The engine event for a classified message, or none (the inbox's own mail, newsletters, and a bounce that
 * names nobody: see `unattributedBounce`). The event id is the message's Message-ID when it has one, so the
 * same reply read from two inboxes counts once. Every field is kept within what core accepts: over-long ids
 * become a digest of themselves, over-long addresses are left out of the lead reference.
 */
export function inboundEventFor(mail: InboundMail, origin: MailOrigin): InboundEvent | undefined {
  const eventId = eventIdFor(mail.messageId ?? `${origin.inbox}:${origin.uidValidity}:${origin.uid}`)
  const at = instantOf(origin.receivedAt)
  switch (mail.kind) {
    case 'reply':
    case 'out-of-office': {
      const lead = leadReference(mail.from, mail.threadMessageIds)
      return {
        type: 'reply-received',
        channel: 'email',
        ...(lead === undefined ? {} : { lead }),
        ...(origin.identityId === undefined ? {} : { identityId: origin.identityId }),
        outOfOffice: mail.kind === 'out-of-office',
        subject: mail.subject.slice(0, EVENT_LIMITS.subject),
        text: mail.text.slice(0, 100_000),
        // The reply's own Message-ID: what an answer in the conversation threads under.
        ...(mail.messageId === undefined || mail.messageId === ''
          ? {}
          : { messageId: boundedId(mail.messageId, EVENT_LIMITS.messageId) }),
        eventId,
        ...at,
      }
    }
    case 'bounce': {
      const lead = leadReference(mail.recipient, originalIds(mail.originalMessageId))
      if (lead === undefined) return undefined
      const reason = [mail.status, mail.diagnostic].filter((part) => part !== undefined).join(' ')
      return {
        type: 'email-bounced',
        bounce: mail.bounce,
        lead,
        ...(reason === '' ? {} : { reason: reason.slice(0, EVENT_LIMITS.reason) }),
        eventId,
        ...at,
      }
    }
    case 'complaint': {
      // Complaints count against the inbox even when nobody can be named: the event goes out either way.
      const lead = leadReference(mail.recipient, originalIds(mail.originalMessageId))
      const inbox = matchableAddress(origin.inbox)
      return {
        type: 'complaint-received',
        channel: 'email',
        ...(lead === undefined ? {} : { lead }),
        ...(inbox === undefined ? {} : { inbox }),
        ...(mail.feedbackType === undefined
          ? {}
          : { feedbackType: mail.feedbackType.slice(0, EVENT_LIMITS.feedbackType) }),
        eventId,
        ...at,
      }
    }
    default:
      return undefined
  }
}

/** A bounce that names neither its recipient nor the message that bounced, for the caller to report. */
export interface UnattributedBounce {
  readonly bounce: 'hard' | 'soft'
  readonly status?: string
  readonly diagnostic?: string
  /** The bounce's own Message-ID, when it has one. */
  readonly messageId?: string
  /** One sentence for a log or `onError`: what bounced, as far as anyone can tell. */
  readonly summary: string
}

/**
 * The bounce `inboundEventFor` gives no event for because nobody can be named (core refuses an
 * `email-bounced` event without a lead): undefined for every other message, including bounces that do get
 * an event. The caller reports it instead, so that a bounce never vanishes unseen.
 */
export function unattributedBounce(mail: InboundMail, origin: MailOrigin): UnattributedBounce | undefined {
  if (mail.kind !== 'bounce') return undefined
  if (leadReference(mail.recipient, originalIds(mail.originalMessageId)) !== undefined) return undefined
  const what = [mail.status, mail.diagnostic?.slice(0, 500)].filter((part) => part !== undefined).join(' ')
  const where = mail.messageId ?? `UID ${origin.uid}`
  return {
    bounce: mail.bounce,
    ...(mail.status === undefined ? {} : { status: mail.status }),
    ...(mail.diagnostic === undefined ? {} : { diagnostic: mail.diagnostic }),
    ...(mail.messageId === undefined ? {} : { messageId: mail.messageId }),
    summary: `A ${mail.bounce} bounce in ${origin.inbox} (${where.slice(0, 200)}) names neither the recipient nor the message that bounced, so no lead can be marked${what === '' ? '' : `: ${what}`}.`,
  }
}

const originalIds = (id: string | undefined): readonly string[] => (id === undefined ? [] : [id])

/**
 * The lead reference for an address and the Message-IDs a message answers (newest first), within core's
 * limits; undefined when it would name nobody.
 */
function leadReference(address: string | undefined, ids: readonly string[]): LeadReference | undefined {
  const email = matchableAddress(address)
  const bounded = [...new Set(ids.map((id) => boundedId(id, EVENT_LIMITS.messageId)))]
  const [latest, ...earlier] = bounded
  const reference = {
    ...(email === undefined ? {} : { email }),
    ...(latest === undefined ? {} : { messageId: latest }),
    ...(earlier.length === 0 ? {} : { messageIds: earlier.slice(0, 50) }),
  }
  return Object.keys(reference).length === 0 ? undefined : reference
}

/** `at` as core reads it (an ISO instant), or nothing for a date an ISO instant cannot write. */
function instantOf(date: Date | undefined): { at?: string } {
  if (date === undefined || Number.isNaN(date.getTime())) return {}
  const iso = date.toISOString()
  return /^\d{4}-/.test(iso) ? { at: iso } : {}
}
