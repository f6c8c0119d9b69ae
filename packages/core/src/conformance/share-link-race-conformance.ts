import { describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../engine/create-engine'
import { identitySecretName } from '../engine/identities/identity-secrets'
import type { ShareLinkOptions, ShareLinkRedemption } from '../model/identity/share-link'
import type { StorageV1 } from '../ports/storage'
import { show } from './conformance-messages'

export interface ShareLinkRaceConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /**
   * One or more connections to one new, empty store: the same instance for a store that takes one
   * connection per process, or several opened on the same database. The race's engines take them in turn.
   */
  readonly create: () => readonly StorageV1[] | Promise<readonly StorageV1[]>
  /** Redemptions racing for one link. Default 50. */
  readonly redemptions?: number
  /** Engines the redemptions are spread over (each on a connection, in turn). Default 5. */
  readonly engines?: number
}

const AT = Date.parse('2026-03-02T10:00:00Z')

const identityInput = (id: string) => ({
  id,
  name: `Sender ${id}`,
  workingHours: { timezone: 'Europe/Madrid' },
  linkedin: { accountId: `li-${id}` },
  email: { inboxes: [{ address: `${id}@acme.example` }] },
})

const scenarios: readonly {
  readonly purpose: 'create' | 'reconnect'
  readonly link: ShareLinkOptions
  readonly input: ShareLinkRedemption
}[] = [
  {
    purpose: 'create',
    link: { purpose: 'create', identityId: 'outsider' },
    input: { identity: identityInput('outsider'), secrets: { 'smtp:outsider@acme.example': 'app-password' } },
  },
  {
    purpose: 'reconnect',
    link: { purpose: 'reconnect', identityId: 'ana' },
    input: {
      linkedin: { accountId: 'li-ana-2' },
      inboxes: ['ana@acme.example'],
      secrets: { 'smtp:ana@acme.example': 'new-app-password' },
    },
  },
]

/**
 * A share link works once, however many redemptions race for it: the store's transactions must serialize
 * them (or make all but one conflict and run again, seeing the link used). Call it from a store's own
 * vitest file:
 *
 * ```ts
 * import { shareLinkRaceConformance } from '@paceline/core/conformance'
 * shareLinkRaceConformance({ name: 'my-store', create: async () => [await createMyStorage()] })
 * ```
 */
export function shareLinkRaceConformance(options: ShareLinkRaceConformanceOptions): void {
  const redemptions = options.redemptions ?? 50
  const engineCount = options.engines ?? 5
  describe(`Share links under concurrency${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    for (const scenario of scenarios) {
      it(`of ${redemptions} concurrent redemptions of a '${scenario.purpose}' link, exactly one succeeds`, async () => {
        const connections = await options.create()
        const engines: Engine[] = Array.from({ length: engineCount }, (_, n) =>
          createEngine({
            storage: connections[n % connections.length] as StorageV1,
            clock: { now: () => AT },
            workerId: `racer-${n}`,
          }),
        )
        try {
          const [first] = engines as [Engine]
          await first.identities.put(identityInput('ana'))
          if (scenario.purpose === 'reconnect') {
            await first.ingest({ type: 'channel-disconnected', identityId: 'ana', channel: 'linkedin' })
          }
          const link = await first.identities.createShareLink(scenario.link)
          const settled = await Promise.allSettled(
            Array.from({ length: redemptions }, (_, n) =>
              (engines[n % engines.length] as Engine).identities.redeemShareLink(link.token, scenario.input),
            ),
          )
          const won = settled.filter((each) => each.status === 'fulfilled')
          const refusals = settled.flatMap((each) =>
            each.status === 'rejected' ? [(each.reason as { code?: unknown }).code] : [],
          )
          expect(
            won.length,
            `exactly one of ${redemptions} concurrent redemptions must succeed — ${won.length} did; the others were refused with ${show([...new Set(refusals)])}`,
          ).toBe(1)
          expect(
            refusals.filter((code) => code !== 'share_link_used'),
            `every other redemption must be refused with 'share_link_used' (the store must run them one after another, or make them conflict and run again)`,
          ).toEqual([])
          const redeemed = await first.activity.list({ types: ['share-link-redeemed'] })
          expect(
            redeemed.items,
            'the action log must hold one redemption: a losing redemption must leave nothing behind',
          ).toHaveLength(1)
          const target = scenario.purpose === 'create' ? 'outsider' : 'ana'
          const secret = Object.keys(scenario.input.secrets ?? {})[0] ?? ''
          expect(await first.secrets.get(identitySecretName(target, secret))).toBe(
            Object.values(scenario.input.secrets ?? {})[0],
          )
          const identity = await first.identities.get(target)
          expect(identity.linkedin?.accountId).toBe(
            scenario.purpose === 'create' ? 'li-outsider' : 'li-ana-2',
          )
          const again = await first.identities
            .redeemShareLink(link.token, scenario.input)
            .catch((error: unknown) => error)
          expect(again).toMatchObject({ code: 'share_link_used' })
        } finally {
          for (const engine of engines) await engine.close()
          for (const connection of new Set(connections)) await connection.close?.()
        }
      })
    }
  })
}
