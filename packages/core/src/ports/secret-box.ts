import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'

const NONCE = 12
const TAG = 16

/** The additional data a secret is sealed with: its workspace and key (the same in every paceline store). */
export function secretRowLabel(workspace: string, key: string): string {
  return `paceline:v1:${workspace}:secrets:${key}`
}

/**
 * AES-256-GCM for stored secrets, the scheme every paceline store shares (so a secret sealed by one opens
 * in another with the same key). Each value gets a fresh random nonce; the additional authenticated data
 * binds the ciphertext to its row, so a value copied to another workspace or key fails to open.
 */
export class SecretBox {
  readonly #key: Buffer

  constructor(key: Uint8Array | string) {
    this.#key = parseEncryptionKey(key)
  }

  seal(plaintext: string, row: string): Buffer {
    const nonce = randomBytes(NONCE)
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce)
    cipher.setAAD(Buffer.from(row, 'utf8'))
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return Buffer.concat([nonce, body, cipher.getAuthTag()])
  }

  /**
   * Opens a value sealed for `row`, or for `formerRow` (the additional data an earlier version sealed the
   * same row with; the next write reseals it under `row`).
   */
  open(sealed: Uint8Array, row: string, formerRow?: string): string {
    const data = Buffer.from(sealed)
    if (data.length < NONCE + TAG) throw unreadable(row, 'the stored value is truncated')
    let failure: unknown
    for (const each of formerRow === undefined ? [row] : [row, formerRow]) {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, data.subarray(0, NONCE))
      decipher.setAAD(Buffer.from(each, 'utf8'))
      decipher.setAuthTag(data.subarray(data.length - TAG))
      try {
        return Buffer.concat([
          decipher.update(data.subarray(NONCE, data.length - TAG)),
          decipher.final(),
        ]).toString('utf8')
      } catch (cause) {
        failure ??= cause
      }
    }
    throw unreadable(
      row,
      'the encryption key is not the one it was stored with, or the value was altered',
      failure,
    )
  }
}

function unreadable(row: string, why: string, cause?: unknown): PacelineError {
  return new PacelineError(PacelineErrorCodes.secretUnreadable, `A stored secret cannot be read: ${why}.`, {
    ...(cause === undefined ? {} : { cause }),
    details: { row },
  })
}

/** A 32-byte key, given as bytes, 64 hex characters, or base64. */
export function parseEncryptionKey(key: Uint8Array | string): Buffer {
  let bytes: Buffer | undefined
  if (typeof key !== 'string') bytes = Buffer.from(key)
  else if (/^[0-9a-f]{64}$/i.test(key)) bytes = Buffer.from(key, 'hex')
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(key)) bytes = Buffer.from(key, 'base64')
  if (bytes === undefined || bytes.length !== 32) {
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      'encryptionKey must be 32 bytes: a Uint8Array, 64 hex characters or base64 (e.g. from `openssl rand -base64 32`).',
    )
  }
  return bytes
}
