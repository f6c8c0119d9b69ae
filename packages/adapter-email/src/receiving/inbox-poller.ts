import { isPermanentRejection, PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { InboundEvent } from '@paceline/core/ports'
import type { ImapFlow } from 'imapflow'
import type { InboxSettings, ServerSettings } from '../email-channel-options'
import { classifyInbound } from './classify-inbound'
import { openImapClient } from './imap-connection'
import { inboundEventFor, type MailOrigin, unattributedBounce } from './inbound-event'
import type { MailCursor, MailCursorStore } from './mail-cursor'
import { readMessage } from './read-message'

const DAY = 86_400_000
const BATCH = 25

export interface PollerDependencies {
  readonly cursors: MailCursorStore
  readonly deliver: (event: InboundEvent) => Promise<void>
  /** Every address the channel sends from: their messages are never replies. */
  readonly ownAddresses: ReadonlySet<string>
  readonly pollIntervalMs: number
  readonly idle: boolean
  readonly lookbackDays: number
  readonly maxMessageBytes: number
  readonly onError: (error: PacelineError) => void
  readonly now: () => number
}

export interface ScanResult {
  /** Messages read in this pass. */
  readonly read: number
  /** Events delivered to the engine (replies, out-of-office answers, bounces). */
  readonly delivered: number
}

/**
 * Reads one inbox's mailbox over IMAP and delivers what arrives as engine events: on every new-mail push
 * (IDLE) and on a timer. The read position (UIDVALIDITY and last UID) is stored after each message, so a
 * restart neither misses nor replays mail; when the server rebuilt the mailbox (UIDVALIDITY changed), the
 * poller rescans from the day before the last message it handled (events carry the Message-ID, so the
 * engine ignores what it already has).
 */
export class InboxPoller {
  readonly #inbox: InboxSettings & { readonly imap: NonNullable<InboxSettings['imap']> }
  readonly #mailbox: string
  readonly #deps: PollerDependencies
  #client: ImapFlow | undefined
  #running = false
  #timer: ReturnType<typeof setTimeout> | undefined
  #scanning: Promise<ScanResult> | undefined
  #rescan = false
  #failures = 0
  #renewToken = false
  /** A `channel-disconnected` event went out; the next successful pass sends `channel-reconnected`. */
  #reportedDisconnected = false

  constructor(
    inbox: InboxSettings & { readonly imap: NonNullable<InboxSettings['imap']> },
    deps: PollerDependencies,
  ) {
    this.#inbox = inbox
    this.#mailbox = inbox.imap.mailbox ?? 'INBOX'
    this.#deps = deps
  }

  /** The inbox this poller reads. */
  get address(): string {
    return this.#inbox.address
  }

  /** Starts reading in the background until `stop()`. */
  start(): void {
    if (this.#running) return
    this.#running = true
    this.#schedule(0)
  }

  async stop(): Promise<void> {
    this.#running = false
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#scanning?.catch(() => undefined)
    await this.#disconnect()
  }

  /** Reads what is new now (connecting if needed) and resolves when it is delivered. */
  async scanNow(): Promise<ScanResult> {
    if (this.#scanning !== undefined) {
      // A push arrived during a pass: run once more after it, so nothing waits for the timer.
      this.#rescan = true
      await this.#scanning.catch(() => undefined)
    }
    this.#scanning = this.#scan().finally(() => {
      this.#scanning = undefined
    })
    const result = await this.#scanning
    if (this.#rescan) {
      this.#rescan = false
      const again = await this.scanNow()
      return { read: result.read + again.read, delivered: result.delivered + again.delivered }
    }
    return result
  }

  #schedule(delay: number): void {
    if (!this.#running) return
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.scanNow().then(
        () => {
          this.#failures = 0
          if (this.#reportedDisconnected) this.#announce('channel-reconnected')
          this.#schedule(this.#deps.pollIntervalMs)
        },
        (error: unknown) => {
          this.#failures++
          this.#report(error)
          // Back off: 1 s, 2 s, 4 s... up to 5 minutes (15 minutes when the credentials are refused).
          const authentication = isAuthenticationFailure(error)
          this.#renewToken = authentication
          const ceiling = authentication ? 15 * 60_000 : 5 * 60_000
          this.#schedule(Math.min(ceiling, 1_000 * 2 ** Math.min(this.#failures - 1, 10)))
        },
      )
    }, delay)
  }

  async #connect(): Promise<ImapFlow> {
    if (this.#client?.usable === true) return this.#client
    await this.#disconnect()
    const client = await openImapClient(this.#inbox.imap as ServerSettings, {
      idle: this.#deps.idle,
      renewToken: this.#renewToken,
    })
    this.#renewToken = false
    client.on('exists', () => {
      if (this.#running) this.scanNow().catch((error: unknown) => this.#report(error))
    })
    client.on('close', () => {
      if (this.#client === client) this.#client = undefined
      // Reconnect soon rather than at the next poll: a server closing idle connections is common.
      if (this.#running && this.#timer === undefined) this.#schedule(1_000)
    })
    this.#client = client
    return client
  }

  async #disconnect(): Promise<void> {
    const client = this.#client
    this.#client = undefined
    if (client === undefined) return
    try {
      await client.logout()
    } catch {
      client.close()
    }
  }

  async #scan(): Promise<ScanResult> {
    const client = await this.#connect()
    // Selected again on every pass: a selected mailbox's UIDNEXT is not kept current by the server
    // between commands, and its UIDVALIDITY may have changed since (a rebuilt mailbox).
    const mailbox = await client.mailboxOpen(this.#mailbox)
    const uidValidity = String(mailbox.uidValidity)
    const address = this.#inbox.address
    const saved = await this.#deps.cursors.read(address, this.#mailbox)
    let cursor: MailCursor
    let uids: number[]
    if (saved === undefined || saved.uidValidity !== uidValidity) {
      const since =
        saved?.lastReceivedAt != null
          ? saved.lastReceivedAt - DAY
          : this.#deps.now() - this.#deps.lookbackDays * DAY
      uids = ((await client.search({ since: new Date(since) }, { uid: true })) || []).sort((a, b) => a - b)
      cursor = { uidValidity, lastUid: 0, lastReceivedAt: saved?.lastReceivedAt ?? null }
      if (uids.length === 0) {
        cursor = { ...cursor, lastUid: Math.max(0, mailbox.uidNext - 1) }
        await this.#deps.cursors.write(address, this.#mailbox, cursor)
      }
    } else {
      cursor = saved
      if (mailbox.uidNext - 1 <= saved.lastUid) return { read: 0, delivered: 0 }
      uids = ((await client.search({ uid: `${saved.lastUid + 1}:*` }, { uid: true })) || [])
        .filter((uid) => uid > saved.lastUid)
        .sort((a, b) => a - b)
    }

    let read = 0
    let delivered = 0
    for (let offset = 0; offset < uids.length; offset += BATCH) {
      const batch = uids.slice(offset, offset + BATCH)
      // fetchAll first, then handle: no IMAP command may run while a FETCH is streaming.
      const messages = await client.fetchAll(
        batch.join(','),
        { uid: true, internalDate: true, size: true, source: { maxLength: this.#deps.maxMessageBytes } },
        { uid: true },
      )
      messages.sort((a, b) => a.uid - b.uid)
      for (const message of messages) {
        const receivedAt = message.internalDate === undefined ? undefined : new Date(message.internalDate)
        const event = await this.#eventOf(message.source, { uidValidity, uid: message.uid, receivedAt })
        if (event !== undefined && (await this.#deliver(event, message.uid))) delivered++
        read++
        cursor = {
          uidValidity,
          lastUid: Math.max(cursor.lastUid, message.uid),
          lastReceivedAt: receivedAt?.getTime() ?? cursor.lastReceivedAt,
        }
        await this.#deps.cursors.write(address, this.#mailbox, cursor)
      }
    }
    return { read, delivered }
  }

  /**
   * Hands one event to the subscribers. A transient failure (the engine's storage is down) is thrown: the
   * pass stops and the cursor stays before the message, so it is read again. An event refused for good
   * (the engine keeps it as a dead letter) is reported and passed: one bad message must never stall the
   * inbox and keep follow-ups going to people who already answered.
   */
  async #deliver(event: InboundEvent, uid: number): Promise<boolean> {
    try {
      await this.#deps.deliver(event)
      return true
    } catch (error) {
      if (!isPermanentRejection(error)) throw error
      const deadLetterId = (error as PacelineError).details.deadLetterId
      this.#deps.onError(
        new PacelineError(
          PacelineErrorCodes.invalidEvent,
          `Skipped message UID ${uid} in ${this.#inbox.address}: the engine refused its ${event.type} event for good (${error instanceof Error ? error.message : String(error)})${deadLetterId === undefined ? '' : `; it is kept as dead letter ${String(deadLetterId)}`}.`,
          {
            cause: error,
            details: {
              inbox: this.#inbox.address,
              uid,
              ...(deadLetterId === undefined ? {} : { deadLetterId }),
            },
          },
        ),
      )
      return false
    }
  }

  async #eventOf(
    source: Buffer | undefined,
    where: { uidValidity: string; uid: number; receivedAt: Date | undefined },
  ): Promise<InboundEvent | undefined> {
    if (source === undefined) return undefined
    try {
      const classified = classifyInbound(await readMessage(source), this.#deps.ownAddresses)
      const origin: MailOrigin = {
        inbox: this.#inbox.address,
        ...(this.#inbox.identityId === undefined ? {} : { identityId: this.#inbox.identityId }),
        uidValidity: where.uidValidity,
        uid: where.uid,
        ...(where.receivedAt === undefined || Number.isNaN(where.receivedAt.getTime())
          ? {}
          : { receivedAt: where.receivedAt }),
      }
      // A bounce that names nobody gives no event; it is reported so it never vanishes unseen.
      const lost = unattributedBounce(classified, origin)
      if (lost !== undefined)
        this.#deps.onError(
          new PacelineError(PacelineErrorCodes.channelFailed, lost.summary, {
            details: {
              inbox: this.#inbox.address,
              uid: where.uid,
              bounce: lost.bounce,
              ...(lost.status === undefined ? {} : { status: lost.status }),
            },
          }),
        )
      return inboundEventFor(classified, origin)
    } catch (cause) {
      // A message nobody can parse must not stop the inbox: report it and move on.
      this.#deps.onError(
        new PacelineError(
          PacelineErrorCodes.channelFailed,
          `Skipped message UID ${where.uid} in ${this.#inbox.address}: it could not be read (${cause instanceof Error ? cause.message : String(cause)}).`,
          { cause, details: { inbox: this.#inbox.address, uid: where.uid } },
        ),
      )
      return undefined
    }
  }

  #report(error: unknown): void {
    const authentication = isAuthenticationFailure(error)
    const message = error instanceof Error ? error.message : String(error)
    this.#deps.onError(
      new PacelineError(
        PacelineErrorCodes.channelFailed,
        authentication
          ? `Reading ${this.#inbox.address} failed: the IMAP server refused the credentials (${message}). Update the password (an app password when two-factor authentication is on) or the OAuth grant.`
          : `Reading ${this.#inbox.address} failed (${message}); retrying with backoff.`,
        { cause: error, isRetryable: true, details: { inbox: this.#inbox.address, authentication } },
      ),
    )
    if (authentication && !this.#reportedDisconnected) this.#announce('channel-disconnected')
  }

  /** Tells the engine the inbox lost (or regained) its connection, when the inbox names its identity. */
  #announce(type: 'channel-disconnected' | 'channel-reconnected'): void {
    const identityId = this.#inbox.identityId
    if (identityId === undefined) return
    this.#reportedDisconnected = type === 'channel-disconnected'
    this.#deps
      .deliver({ type, identityId, channel: 'email', inbox: this.#inbox.address })
      .catch((error: unknown) => this.#report(error))
  }
}

function isAuthenticationFailure(error: unknown): boolean {
  return (error as { authenticationFailed?: boolean } | undefined)?.authenticationFailed === true
}
