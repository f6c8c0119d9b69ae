import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { PacelineErrorCodes } from '../../errors/error-codes'
import { PacelineError } from '../../errors/paceline-error'
import { parseInput } from '../../errors/parse-input'
import { issue } from '../../errors/validation-issue'
import { validateIdentity } from '../../model/identity/define-identity'
import type { Identity } from '../../model/identity/identity-schema'
import {
  createRedemptionSchema,
  reconnectRedemptionSchema,
  type ShareLinkOptions,
  type ShareLinkPurpose,
  type ShareLinkRedemption,
  shareLinkOptionsSchema,
} from '../../model/identity/share-link'
import { type ActionInput, logActions } from '../action-log'
import { notFound, storeIdentity } from '../admin'
import { type EngineContext, inTransaction } from '../engine-context'
import type { EngineEvent } from '../engine-events'
import type { Store } from '../store'
import { identitySecretName } from './identity-secrets'

const HOUR_MS = 3_600_000
/** 32 random bytes in base64url: 43 characters. */
const TOKEN_BYTES = 32
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** A new share link. The token is shown this once: the workspace keeps only its SHA-256 hash. */
export interface ShareLink {
  /** The secret to put in the link you send (e.g. `https://app.example/connect#<token>`). */
  readonly token: string
  readonly purpose: ShareLinkPurpose
  /** The identity the link refreshes (`reconnect`), or the id the new identity will get (`create`). */
  readonly identityId?: string
  readonly createdAt: string
  readonly expiresAt: string
}

/** What redeeming a share link did. */
export interface RedeemedShareLink {
  readonly purpose: ShareLinkPurpose
  /** The identity created or refreshed. */
  readonly identity: Identity
  /** The names the credentials that came with it were stored under (`identitySecretName`). */
  readonly secrets: readonly string[]
}

/** A link as stored in the `state` collection, under its token's hash. */
interface StoredShareLink {
  readonly hash: string
  readonly purpose: ShareLinkPurpose
  readonly identityId: string | null
  readonly createdAt: number
  readonly expiresAt: number
  readonly usedAt: number | null
}

const stateKey = (hash: string) => `share-link:${hash}`
const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest()

/**
 * Issues a link that lets someone outside the workspace connect an identity once, within `validForHours`
 * (24 at most, and by default): create their own (`create`), or refresh the connection of an existing one
 * (`reconnect`, which needs `identityId`).
 */
export async function createShareLink(context: EngineContext, options: ShareLinkOptions): Promise<ShareLink> {
  const parsed = parseInput(
    shareLinkOptionsSchema,
    options,
    'Share link',
    PacelineErrorCodes.invalidShareLink,
  )
  // A bearer secret: it must be unguessable, so it comes from the system's secure random source.
  const token = randomBytes(TOKEN_BYTES).toString('base64url')
  const hash = hashOf(token).toString('hex')
  const createdAt = context.now()
  const expiresAt = createdAt + parsed.validForHours * HOUR_MS
  const identityId = parsed.identityId ?? null
  await inTransaction(context, async (store) => {
    if (identityId !== null) {
      const exists = (await store.get('identities', identityId)) !== undefined
      if (parsed.purpose === 'reconnect' && !exists) throw notFound('identity', identityId)
      if (parsed.purpose === 'create' && exists) {
        throw PacelineError.fromIssues(PacelineErrorCodes.invalidShareLink, 'Share link', [
          issue(
            'already_exists',
            ['identityId'],
            `'${identityId}' is already an identity of this workspace; make a 'reconnect' link to refresh its connection, or pick another id`,
          ),
        ])
      }
    }
    const link: StoredShareLink = {
      hash,
      purpose: parsed.purpose,
      identityId,
      createdAt,
      expiresAt,
      usedAt: null,
    }
    await store.put('state', stateKey(hash), { key: stateKey(hash), value: link })
  })
  return {
    token,
    purpose: parsed.purpose,
    ...(identityId === null ? {} : { identityId }),
    createdAt: new Date(createdAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
  }
}

/**
 * Uses a share link: creates the identity, or refreshes the connection of the link's identity, and stores
 * the credentials that come with it, in the same transaction that marks the link used. Of any number of
 * concurrent redemptions exactly one succeeds; the others are refused with `share_link_used`. A redemption
 * refused for its input changes nothing, and the link stays usable.
 */
export async function redeemShareLink(
  context: EngineContext,
  token: string,
  input: ShareLinkRedemption,
): Promise<RedeemedShareLink> {
  if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw unknownLink()
  const hash = hashOf(token)
  const done = await inTransaction(context, async (store) => {
    const link = (await store.get('state', stateKey(hash.toString('hex'))))?.value as
      | StoredShareLink
      | undefined
    // Found by its hash, the link is compared again in constant time, so no store's lookup (a collation
    // that folds case, say) can make a near miss count or time how near it was.
    if (link === undefined || !sameHash(link.hash, hash)) throw unknownLink()
    const now = context.now()
    if (link.usedAt !== null) {
      throw new PacelineError(
        PacelineErrorCodes.shareLinkUsed,
        `This share link was already used, at ${new Date(link.usedAt).toISOString()}; a link works once. Ask for a new one.`,
        { details: { usedAt: new Date(link.usedAt).toISOString() } },
      )
    }
    if (now >= link.expiresAt) {
      throw new PacelineError(
        PacelineErrorCodes.shareLinkExpired,
        `This share link expired at ${new Date(link.expiresAt).toISOString()}; ask for a new one.`,
        { details: { expiredAt: new Date(link.expiresAt).toISOString() } },
      )
    }
    const connected =
      link.purpose === 'create'
        ? await createFromLink(context, store, link, input)
        : await reconnectFromLink(context, store, link, input)
    const used: StoredShareLink = { ...link, usedAt: now, identityId: connected.identity.id }
    await store.put('state', stateKey(link.hash), { key: stateKey(link.hash), value: used })
    const logged = await logActions(context, store, now, [
      ...connected.entries,
      { type: 'share-link-redeemed', identityId: connected.identity.id, detail: { purpose: link.purpose } },
    ])
    return { ...connected, events: [...connected.events, ...logged] }
  })
  context.emit(done.events)
  context.wake(done.identity.id)
  return { purpose: done.purpose, identity: done.identity, secrets: done.secrets }
}

interface Connected {
  readonly purpose: ShareLinkPurpose
  readonly identity: Identity
  readonly secrets: readonly string[]
  readonly entries: readonly ActionInput[]
  readonly events: readonly EngineEvent[]
}

async function createFromLink(
  context: EngineContext,
  store: Store,
  link: StoredShareLink,
  input: ShareLinkRedemption,
): Promise<Connected> {
  const parsed = parseInput(
    createRedemptionSchema,
    input,
    'Share link redemption',
    PacelineErrorCodes.invalidShareLink,
  )
  const identity = parsed.identity
  if (link.identityId !== null && identity.id !== link.identityId) {
    throw refused('mismatch', `must be '${link.identityId}': the link was made for an identity with that id`)
  }
  if ((await store.get('identities', identity.id)) !== undefined) {
    throw refused(
      'already_exists',
      `'${identity.id}' is already an identity of this workspace; ask for a 'reconnect' link to refresh it, or pick another id`,
    )
  }
  const events = await storeIdentity(context, store, identity)
  const secrets = await storeSecrets(store, identity.id, parsed.secrets)
  return { purpose: 'create', identity, secrets, entries: [], events }
}

async function reconnectFromLink(
  context: EngineContext,
  store: Store,
  link: StoredShareLink,
  input: ShareLinkRedemption,
): Promise<Connected> {
  const parsed = parseInput(
    reconnectRedemptionSchema,
    input,
    'Share link redemption',
    PacelineErrorCodes.invalidShareLink,
  )
  const identityId = link.identityId ?? ''
  const record = await store.get('identities', identityId)
  if (record === undefined) throw notFound('identity', identityId)
  const current = record.identity
  let linkedin = current.linkedin
  if (parsed.linkedin !== undefined) {
    const accountId = parsed.linkedin.accountId
    if (current.linkedin !== undefined)
      linkedin = accountId === undefined ? current.linkedin : { ...current.linkedin, accountId }
    else if (accountId === undefined)
      throw PacelineError.fromIssues(PacelineErrorCodes.invalidShareLink, 'Share link redemption', [
        issue(
          'required',
          ['linkedin', 'accountId'],
          `is required: identity '${identityId}' has no LinkedIn account yet, so give the provider's account id to connect one`,
        ),
      ])
    else linkedin = { accountId } as Identity['linkedin']
  }
  const reconnected = [...new Set((parsed.inboxes ?? []).map((address) => address.toLowerCase()))]
  const known = new Set(current.email.inboxes.map((inbox) => inbox.address.toLowerCase()))
  const added = reconnected.filter((address) => !known.has(address)).map((address) => ({ address }))
  const { linkedin: _previous, ...rest } = current
  const checked = validateIdentity({
    ...rest,
    ...(linkedin === undefined ? {} : { linkedin }),
    email: { ...current.email, inboxes: [...current.email.inboxes, ...added] },
  })
  if (!checked.ok) throw checked.error
  const events = [...(await storeIdentity(context, store, checked.value))]
  const stored = (await store.get('identities', identityId)) ?? record
  await store.put('identities', identityId, {
    ...stored,
    linkedinConnected: parsed.linkedin !== undefined ? true : stored.linkedinConnected,
    disconnectedInboxes: stored.disconnectedInboxes.filter((inbox) => !reconnected.includes(inbox)),
  })
  const entries: ActionInput[] = [
    ...(parsed.linkedin === undefined
      ? []
      : [{ type: 'channel-reconnected' as const, identityId, channel: 'linkedin' as const }]),
    ...reconnected.map((inbox) => ({
      type: 'channel-reconnected' as const,
      identityId,
      channel: 'email' as const,
      inbox,
    })),
  ]
  const secrets = await storeSecrets(store, identityId, parsed.secrets)
  return { purpose: 'reconnect', identity: checked.value, secrets, entries, events }
}

async function storeSecrets(
  store: Store,
  identityId: string,
  secrets: Readonly<Record<string, string>> | undefined,
): Promise<string[]> {
  const names: string[] = []
  for (const [name, value] of Object.entries(secrets ?? {})) {
    const full = identitySecretName(identityId, name)
    await store.put('secrets', full, { key: full, value })
    names.push(full)
  }
  return names
}

/** Compares the stored hash (hex) with the token's, in time that does not depend on where they differ. */
function sameHash(storedHex: string, hash: Buffer): boolean {
  const stored = Buffer.from(storedHex, 'hex')
  return stored.length === hash.length && timingSafeEqual(stored, hash)
}

function unknownLink(): PacelineError {
  return new PacelineError(
    PacelineErrorCodes.shareLinkUnknown,
    'This share link is not valid here: check that it was copied whole, or ask for a new one.',
  )
}

/** The redeemed identity's id cannot be used. */
function refused(rule: string, message: string): PacelineError {
  return PacelineError.fromIssues(PacelineErrorCodes.invalidShareLink, 'Share link redemption', [
    issue(rule, ['identity', 'id'], message),
  ])
}
