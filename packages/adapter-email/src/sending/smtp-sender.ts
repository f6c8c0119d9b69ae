import { Readable } from 'node:stream'
import type { EmailOutcome } from '@paceline/core/ports'
import SMTPConnection from 'nodemailer/lib/smtp-connection'
import XOAuth2 from 'nodemailer/lib/xoauth2'
import PQueue from 'p-queue'
import { isOAuth2, type ServerSettings } from '../email-channel-options'
import { classifySendError } from './classify-send-error'
import { smtpConnectionOptions } from './smtp-transport'

/** A connection is closed after this many messages or this long unused, like nodemailer's pool. */
const MAX_MESSAGES_PER_CONNECTION = 100
const IDLE_MS = 60_000

interface PooledConnection {
  readonly connection: SMTPConnection
  messages: number
  idleTimer: ReturnType<typeof setTimeout> | undefined
}

/**
 * Sends compiled messages through one SMTP server over a small pool of authenticated connections.
 *
 * Why not nodemailer's own pool: it cannot say whether a connection broke before or after the message was
 * handed over (its errors say `CONN` either way) and by default it sends a message again when its
 * connection closed during delivery. Here the message is a stream the connection only reads once the
 * server accepted the envelope; a failure before that delivered nothing and may be retried, a failure
 * after it without an answer may have delivered the message: "delivery unknown", never resent.
 */
export class SmtpSender {
  readonly #settings: ServerSettings
  readonly #queue: PQueue
  readonly #idle: PooledConnection[] = []
  #closed = false
  #renewToken = false

  constructor(settings: ServerSettings, concurrency: number) {
    this.#settings = settings
    this.#queue = new PQueue({ concurrency })
  }

  /** Sends one message to its envelope recipients; the outcome says what is known about delivery. */
  send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<EmailOutcome | { ok: true }> {
    return this.#queue.add(() => this.#send(raw, envelope)) as Promise<EmailOutcome | { ok: true }>
  }

  async close(): Promise<void> {
    this.#closed = true
    await this.#queue.onIdle()
    for (const pooled of this.#idle.splice(0)) this.#dispose(pooled)
  }

  async #send(raw: Buffer, envelope: { from: string; to: string[] }): Promise<EmailOutcome | { ok: true }> {
    let pooled: PooledConnection
    try {
      pooled = await this.#acquire()
    } catch (error) {
      // Connecting or logging in failed: nothing was handed over.
      const outcome = classifySendError(error, { handedOver: false })
      if (outcome.reason === 'disconnected') this.#renewToken = true
      return outcome
    }
    let handedOver = false
    const message = new Readable({
      read() {
        handedOver = true
        this.push(raw)
        this.push(null)
      },
    })
    return new Promise((resolve) => {
      pooled.connection.send(envelope, message, (error) => {
        if (error === null || error === undefined) {
          pooled.messages++
          this.#release(pooled)
          resolve({ ok: true })
          return
        }
        this.#dispose(pooled)
        resolve(classifySendError(error, { handedOver }))
      })
    })
  }

  async #acquire(): Promise<PooledConnection> {
    for (let pooled = this.#idle.pop(); pooled !== undefined; pooled = this.#idle.pop()) {
      if (pooled.idleTimer !== undefined) clearTimeout(pooled.idleTimer)
      if (isUsable(pooled.connection)) return pooled
      this.#dispose(pooled)
    }
    const settings = this.#settings
    const connection = new SMTPConnection({ ...smtpConnectionOptions(settings), logger: false })
    // Errors also reach the pending callback; without a listener they would crash the process.
    connection.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject)
      connection.connect(() => {
        connection.removeListener('error', reject)
        resolve()
      })
    })
    try {
      const auth = settings.auth
      const renew = this.#renewToken
      await new Promise<void>((resolve, reject) => {
        const callback = (error?: Error | null) => (error ? reject(error) : resolve())
        if (isOAuth2(auth)) {
          const oauth2 = new XOAuth2({
            user: auth.user,
            provisionCallback: (_user, isRetry, done) => {
              auth.accessToken({ renew: renew || isRetry }).then(
                (token) => done(null, token),
                (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
              )
            },
          })
          connection.login({ type: 'OAuth2', user: auth.user, oauth2 }, callback)
        } else connection.login({ user: auth.user, pass: auth.password }, callback)
      })
      this.#renewToken = false
    } catch (error) {
      connection.close()
      throw error
    }
    return { connection, messages: 0, idleTimer: undefined }
  }

  #release(pooled: PooledConnection): void {
    if (this.#closed || pooled.messages >= MAX_MESSAGES_PER_CONNECTION || !isUsable(pooled.connection)) {
      this.#dispose(pooled)
      return
    }
    pooled.idleTimer = setTimeout(() => {
      const index = this.#idle.indexOf(pooled)
      if (index !== -1) this.#idle.splice(index, 1)
      this.#dispose(pooled)
    }, IDLE_MS)
    pooled.idleTimer.unref?.()
    this.#idle.push(pooled)
  }

  #dispose(pooled: PooledConnection): void {
    if (pooled.idleTimer !== undefined) clearTimeout(pooled.idleTimer)
    try {
      if (isUsable(pooled.connection)) pooled.connection.quit()
      else pooled.connection.close()
    } catch {
      // Already gone.
    }
  }
}

function isUsable(connection: SMTPConnection): boolean {
  const state = connection as unknown as { _destroyed?: boolean; _closing?: boolean }
  return state._destroyed !== true && state._closing !== true
}
