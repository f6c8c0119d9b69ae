import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InboundEvent } from '../ports/inbound-event'
import type { LinkedInChannelV1, LinkedInRequest, LinkedInTarget } from '../ports/linkedin-channel'

/** A person at the provider: how the channel finds them. */
export interface ConformanceProfile {
  readonly profileId: string
  readonly profileUrl?: string
}

export interface LinkedInChannelConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /** The channel under test (one for the whole suite). */
  readonly create: () => LinkedInChannelV1 | Promise<LinkedInChannelV1>
  readonly destroy?: (channel: LinkedInChannelV1) => void | Promise<void>
  /** The LinkedIn account the channel acts for, and the identity it belongs to. */
  readonly accountId: string
  readonly identityId: string
  /** People who exist and are not connected to the account (one per invitation test). */
  readonly strangers: readonly [ConformanceProfile, ConformanceProfile]
  /** A 1st-degree connection of the account. */
  readonly connection: ConformanceProfile
  /** A profile id that does not exist. */
  readonly missing: ConformanceProfile
  /** The messages `profile` received from the account, oldest first, as the provider recorded them. */
  readonly messagesTo: (profile: ConformanceProfile) => Promise<readonly string[]>
  /**
   * For channels that deliver events: make `profile` answer (a message) or accept the account's
   * invitation, then `receive` until the channel delivered it to its subscriber. Omit for channels that
   * deliver nothing (the engine then checks connections itself).
   */
  readonly events?: {
    readonly reply: (profile: ConformanceProfile, text: string) => Promise<void>
    readonly accept: (profile: ConformanceProfile) => Promise<void>
    readonly receive: () => Promise<void>
  }
}

let counter = 0

/**
 * The LinkedInChannel port's conformance suite, for an adapter's own vitest file. It acts on the
 * provider (or its faithful local stand-in) and checks the provider's side of each action, the typed
 * outcomes the engine relies on, and the events the channel delivers.
 */
export function linkedinChannelConformance(options: LinkedInChannelConformanceOptions): void {
  const request = (profile: ConformanceProfile): LinkedInRequest => {
    const target: LinkedInTarget = {
      leadId: `lead-${profile.profileId}`,
      profileId: profile.profileId,
      ...(profile.profileUrl === undefined ? {} : { profileUrl: profile.profileUrl }),
    }
    return { accountId: options.accountId, target, idempotencyKey: `pl-conformance-${counter++}` }
  }

  describe(`LinkedInChannel v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    let channel: LinkedInChannelV1
    beforeAll(async () => {
      channel = await options.create()
    })
    afterAll(async () => {
      await options.destroy?.(channel)
    })

    it('declares specification v1', () => {
      expect(channel.specificationVersion).toBe('v1')
    })

    it('invites a stranger, who is then pending; a connection is reported connected', async () => {
      const [stranger] = options.strangers
      expect(await channel.checkConnection(request(stranger))).toEqual({ ok: true, status: 'not_connected' })
      expect(
        await channel.sendInvitation({ ...request(stranger), note: 'Hi, glad to connect.' }),
      ).toMatchObject({
        ok: true,
      })
      expect(await channel.checkConnection(request(stranger))).toEqual({ ok: true, status: 'pending' })
      expect(await channel.checkConnection(request(options.connection))).toEqual({
        ok: true,
        status: 'connected',
      })
    })

    it('withdraws a pending invitation (or says it cannot)', async () => {
      const stranger = options.strangers[1]
      await channel.sendInvitation(request(stranger))
      const outcome = await channel.withdrawInvitation(request(stranger))
      if (outcome.ok)
        expect(await channel.checkConnection(request(stranger))).toEqual({
          ok: true,
          status: 'not_connected',
        })
      else expect(outcome.reason).toBe('unsupported')
    })

    it('sends a message in chunks, in order, to a connection', async () => {
      const before = (await options.messagesTo(options.connection)).length
      const chunks = ['Hi!', 'Thanks for connecting.', 'Would a short call make sense?']
      expect(await channel.sendMessage({ ...request(options.connection), chunks })).toMatchObject({
        ok: true,
      })
      expect((await options.messagesTo(options.connection)).slice(before)).toEqual(chunks)
    })

    it('reports a message to someone not connected as "not_connected", sending nothing', async () => {
      const [stranger] = options.strangers
      const before = (await options.messagesTo(stranger)).length
      expect(await channel.sendMessage({ ...request(stranger), chunks: ['Hello'] })).toMatchObject({
        ok: false,
        reason: 'not_connected',
      })
      expect(await options.messagesTo(stranger)).toHaveLength(before)
    })

    it('reports a profile that does not exist as invalid_profile or profile_not_found', async () => {
      const outcome = await channel.sendInvitation(request(options.missing))
      expect(outcome.ok).toBe(false)
      expect(['invalid_profile', 'profile_not_found']).toContain(outcome.ok ? undefined : outcome.reason)
    })

    it('answers "unsupported" for what it declares it cannot do, and acts for the rest', async () => {
      const capabilities = channel.capabilities ?? {}
      const target = request(options.connection)
      const checks = [
        [capabilities.supportsInMail, () => channel.sendInMail({ ...target, subject: 'Hi', body: 'Hello' })],
        [
          capabilities.supportsAttachments,
          () =>
            channel.sendAttachment({
              ...target,
              file: { url: 'https://acme.io/deck.pdf', name: 'deck.pdf' },
            }),
        ],
        [
          capabilities.supportsVoice,
          () => channel.sendVoice({ ...target, audio: { url: 'https://acme.io/hi.m4a' } }),
        ],
      ] as const
      for (const [supported, run] of checks) {
        const outcome = await run()
        if (supported === false) expect(outcome).toMatchObject({ ok: false, reason: 'unsupported' })
        else expect(outcome.ok || outcome.reason !== 'unsupported').toBe(true)
      }
    })

    if (options.events !== undefined) {
      const events = options.events
      it('delivers replies and acceptances as engine events for the identity, naming the profile', async () => {
        const subscribe = channel.subscribe
        if (subscribe === undefined) throw new Error('a channel given `events` must have subscribe()')
        const delivered: InboundEvent[] = []
        const stop = subscribe(async (event) => {
          delivered.push(event)
        })
        try {
          await events.reply(options.connection, 'Sounds good, Thursday?')
          await events.accept(options.strangers[0])
          await events.receive()
          expect(delivered).toContainEqual(
            expect.objectContaining({
              type: 'reply-received',
              channel: 'linkedin',
              identityId: options.identityId,
              lead: expect.objectContaining({ linkedinProfileId: options.connection.profileId }),
            }),
          )
          expect(delivered).toContainEqual(
            expect.objectContaining({
              type: 'connection-accepted',
              identityId: options.identityId,
              lead: expect.objectContaining({ linkedinProfileId: options.strangers[0].profileId }),
            }),
          )
          for (const event of delivered)
            expect(event.eventId, 'events need ids to be applied once').toBeDefined()
        } finally {
          stop()
        }
      })
    }
  })
}
