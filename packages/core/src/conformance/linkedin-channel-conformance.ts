import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { InboundEvent } from '../ports/inbound-event'
import type {
  LinkedInCapabilities,
  LinkedInChannelV1,
  LinkedInOutcome,
  LinkedInRequest,
  LinkedInTarget,
} from '../ports/linkedin-channel'
import { fail, show } from './conformance-messages'

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

  const who = (profile: ConformanceProfile) => show(profile.profileId)

  describe(`LinkedInChannel v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    let channel: LinkedInChannelV1
    beforeAll(async () => {
      channel = await options.create()
    })
    afterAll(async () => {
      await options.destroy?.(channel)
    })

    it('declares specification v1', () => {
      expect(
        channel.specificationVersion,
        `channel.specificationVersion must be 'v1', the version of the port this suite checks — got ${show(channel.specificationVersion)}`,
      ).toBe('v1')
    })

    it('invites a stranger, who is then pending; a connection is reported connected', async () => {
      const [stranger] = options.strangers
      const before = await channel.checkConnection(request(stranger))
      expect(
        before,
        `checkConnection() of a stranger (${who(stranger)}) must answer { ok: true, status: 'not_connected' } before any invitation — it returned ${show(before)}`,
      ).toEqual({ ok: true, status: 'not_connected' })
      const invited = await channel.sendInvitation({ ...request(stranger), note: 'Hi, glad to connect.' })
      expect(
        invited,
        `sendInvitation() to a stranger (${who(stranger)}) with a note must succeed — it returned ${show(invited)}`,
      ).toMatchObject({
        ok: true,
      })
      const after = await channel.checkConnection(request(stranger))
      expect(
        after,
        `checkConnection() of ${who(stranger)} after sendInvitation() succeeded must answer { ok: true, status: 'pending' } — it returned ${show(after)}`,
      ).toEqual({ ok: true, status: 'pending' })
      const connected = await channel.checkConnection(request(options.connection))
      expect(
        connected,
        `checkConnection() of a 1st-degree connection (${who(options.connection)}) must answer { ok: true, status: 'connected' } — it returned ${show(connected)}`,
      ).toEqual({
        ok: true,
        status: 'connected',
      })
    })

    it('withdraws a pending invitation (or says it cannot)', async () => {
      const stranger = options.strangers[1]
      await channel.sendInvitation(request(stranger))
      const outcome = await channel.withdrawInvitation(request(stranger))
      if (outcome.ok) {
        const after = await channel.checkConnection(request(stranger))
        expect(
          after,
          `withdrawInvitation() of the invitation to ${who(stranger)} answered ok, so checkConnection() must then answer { ok: true, status: 'not_connected' } — it returned ${show(after)}`,
        ).toEqual({
          ok: true,
          status: 'not_connected',
        })
      } else
        expect(
          outcome.reason,
          `withdrawInvitation() of a pending invitation must withdraw it, or answer reason 'unsupported' when the provider cannot — it returned ${show(outcome)}`,
        ).toBe('unsupported')
    })

    it('sends a message in chunks, in order, to a connection', async () => {
      const before = (await options.messagesTo(options.connection)).length
      const chunks = ['Hi!', 'Thanks for connecting.', 'Would a short call make sense?']
      const outcome = await channel.sendMessage({ ...request(options.connection), chunks })
      expect(
        outcome,
        `sendMessage() of 3 chunks to a connection (${who(options.connection)}) must succeed — it returned ${show(outcome)}`,
      ).toMatchObject({
        ok: true,
      })
      const received = (await options.messagesTo(options.connection)).slice(before)
      expect(
        received,
        `sendMessage() with chunks ${show(chunks)} must send each chunk as its own message, in order — the provider recorded ${show(received)}`,
      ).toEqual(chunks)
    })

    it('reports a message to someone not connected as "not_connected", sending nothing', async () => {
      const [stranger] = options.strangers
      const before = (await options.messagesTo(stranger)).length
      const outcome = await channel.sendMessage({ ...request(stranger), chunks: ['Hello'] })
      expect(
        outcome,
        `sendMessage() to someone not connected (${who(stranger)}) must answer { ok: false, reason: 'not_connected' } — it returned ${show(outcome)}`,
      ).toMatchObject({
        ok: false,
        reason: 'not_connected',
      })
      const after = await options.messagesTo(stranger)
      expect(
        after,
        `sendMessage() to someone not connected (${who(stranger)}) must send nothing — the provider recorded ${show(after.slice(before))}`,
      ).toHaveLength(before)
    })

    it('reports a profile that does not exist as invalid_profile or profile_not_found', async () => {
      const outcome = await channel.sendInvitation(request(options.missing))
      const failing = `sendInvitation() to a profile that does not exist (${who(options.missing)}) must fail with reason 'invalid_profile' or 'profile_not_found'`
      expect(outcome.ok, `${failing} — it returned ${show(outcome)}`).toBe(false)
      expect(['invalid_profile', 'profile_not_found'], `${failing} — it returned ${show(outcome)}`).toContain(
        outcome.ok ? undefined : outcome.reason,
      )
    })

    it('answers "unsupported" for what it declares it cannot do, and acts for the rest', async () => {
      const capabilities = channel.capabilities ?? {}
      const target = request(options.connection)
      const checks: ReadonlyArray<
        readonly [keyof LinkedInCapabilities, string, () => Promise<LinkedInOutcome>]
      > = [
        [
          'supportsInMail',
          'sendInMail()',
          () => channel.sendInMail({ ...target, subject: 'Hi', body: 'Hello' }),
        ],
        [
          'supportsAttachments',
          'sendAttachment()',
          () =>
            channel.sendAttachment({
              ...target,
              file: { url: 'https://acme.io/deck.pdf', name: 'deck.pdf' },
            }),
        ],
        [
          'supportsVoice',
          'sendVoice()',
          () => channel.sendVoice({ ...target, audio: { url: 'https://acme.io/hi.m4a' } }),
        ],
      ]
      for (const [capability, call, run] of checks) {
        const supported = capabilities[capability]
        const outcome = await run()
        if (supported === false)
          expect(
            outcome,
            `capabilities.${capability} is false, so ${call} must answer { ok: false, reason: 'unsupported' }, never act or report success — it returned ${show(outcome)}`,
          ).toMatchObject({ ok: false, reason: 'unsupported' })
        else
          expect(
            outcome.ok || outcome.reason !== 'unsupported',
            `capabilities.${capability} is ${supported === undefined ? 'not set (true by default)' : show(supported)}, so ${call} must act, not answer 'unsupported' (declare ${capability}: false instead) — it returned ${show(outcome)}`,
          ).toBe(true)
      }
    })

    it('refuses a voice message without a recording as "unsupported" (LinkedIn sends recordings only)', async () => {
      const target = request(options.connection)
      // Callers outside TypeScript can still leave the recording out; nothing may be sent then.
      const outcome = await channel.sendVoice({ ...target } as Parameters<LinkedInChannelV1['sendVoice']>[0])
      expect(
        outcome,
        `sendVoice() without audio.url must answer { ok: false, reason: 'unsupported' }, never send anything — it returned ${show(outcome)}`,
      ).toMatchObject({ ok: false, reason: 'unsupported' })
    })

    const events = options.events
    const eventsTitle =
      'delivers replies and acceptances as engine events for the identity, naming the profile'
    if (events === undefined)
      it.skip(`${eventsTitle} — skipped: no \`events\` given (a channel that delivers no events)`, () => {})
    else
      it(eventsTitle, async () => {
        const subscribe = channel.subscribe
        if (subscribe === undefined)
          fail(
            'a channel given `events` must have subscribe() to deliver replies and acceptances — it has none',
          )
        const delivered: InboundEvent[] = []
        const stop = subscribe(async (event) => {
          delivered.push(event)
        })
        try {
          await events.reply(options.connection, 'Sounds good, Thursday?')
          await events.accept(options.strangers[0])
          await events.receive()
          expect(
            delivered,
            `after ${who(options.connection)} replied and receive() ran, the channel must deliver a reply-received event (channel 'linkedin', identityId ${show(options.identityId)}, lead.linkedinProfileId ${who(options.connection)}) — it delivered ${show(delivered)}`,
          ).toContainEqual(
            expect.objectContaining({
              type: 'reply-received',
              channel: 'linkedin',
              identityId: options.identityId,
              lead: expect.objectContaining({ linkedinProfileId: options.connection.profileId }),
            }),
          )
          expect(
            delivered,
            `after ${who(options.strangers[0])} accepted the invitation and receive() ran, the channel must deliver a connection-accepted event (identityId ${show(options.identityId)}, lead.linkedinProfileId ${who(options.strangers[0])}) — it delivered ${show(delivered)}`,
          ).toContainEqual(
            expect.objectContaining({
              type: 'connection-accepted',
              identityId: options.identityId,
              lead: expect.objectContaining({ linkedinProfileId: options.strangers[0].profileId }),
            }),
          )
          for (const event of delivered)
            expect(
              event.eventId,
              `every delivered event must carry an eventId, so the engine applies it once — this ${event.type} event has none: ${show(event)}`,
            ).toBeDefined()
        } finally {
          stop()
        }
      })
  })
}
