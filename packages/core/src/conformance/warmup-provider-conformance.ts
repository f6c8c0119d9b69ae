import { describe, expect, it } from 'vitest'
import type { WarmupProviderV1, WarmupStatus } from '../ports/warmup-provider'
import { show } from './conformance-messages'

export interface WarmupProviderConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /** The provider under test, on an account where the suite may start and stop warm-ups. */
  readonly create: () => WarmupProviderV1 | Promise<WarmupProviderV1>
  /**
   * Inboxes the account can warm, none of them warming before the suite (two at least: one is started and
   * stopped, the other never started).
   */
  readonly inboxes: readonly [string, string, ...string[]]
}

const STATES = ['off', 'warming', 'ready', 'error']

function expectWellFormed(status: WarmupStatus, address: string, call: string): void {
  expect(
    STATES,
    `${call} must answer a state among ${STATES.join(', ')} — it answered ${show(status)}`,
  ).toContain(status.state)
  expect(status.address, `${call} must name the inbox in lower case — it answered ${show(status)}`).toBe(
    address.toLowerCase(),
  )
  if (status.campaignEmailsPerDay !== undefined)
    expect(
      Number.isInteger(status.campaignEmailsPerDay) && status.campaignEmailsPerDay >= 0,
      `${call}: campaignEmailsPerDay must be a whole number of at least 0 — it answered ${show(status)}`,
    ).toBe(true)
  if (status.startedAt !== undefined)
    expect(
      Number.isNaN(Date.parse(status.startedAt)),
      `${call}: startedAt must be an ISO 8601 time — it answered ${show(status)}`,
    ).toBe(false)
}

/**
 * The WarmupProvider port's conformance suite, for an adapter's own vitest file: what the engine relies
 * on when it starts, stops and reads warm-ups (statuses per inbox, idempotent start and stop, a warming
 * inbox's campaign allowance a whole number).
 */
export function warmupProviderConformance(options: WarmupProviderConformanceOptions): void {
  const [warmed, untouched] = options.inboxes
  describe(`WarmupProvider v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    it('declares specification v1 and its name', async () => {
      const provider = await options.create()
      expect(provider.specificationVersion, 'specificationVersion must be "v1"').toBe('v1')
      expect(
        typeof provider.provider === 'string' && provider.provider.length > 0,
        'provider must name it',
      ).toBe(true)
    })

    it('reports an inbox never started as off', async () => {
      const provider = await options.create()
      const status = await provider.status({ address: untouched })
      expectWellFormed(status, untouched, `status(${untouched})`)
      expect(
        status.state,
        `status() of an inbox never started must be 'off' — it answered ${show(status)}`,
      ).toBe('off')
    })

    it('starts a warm-up once: starting again keeps its start; status agrees', async () => {
      const provider = await options.create()
      const started = await provider.start({ address: warmed.toUpperCase() })
      expectWellFormed(started, warmed, `start(${warmed})`)
      expect(
        ['warming', 'ready'],
        `start() must answer 'warming' (or 'ready' for an inbox already warm) — it answered ${show(started)}`,
      ).toContain(started.state)
      const again = await provider.start({ address: warmed })
      expect(
        again.startedAt,
        `a second start() must keep the first one's startedAt — it answered ${show(again)}`,
      ).toBe(started.startedAt)
      const status = await provider.status({ address: warmed })
      expectWellFormed(status, warmed, `status(${warmed})`)
      expect(
        status.state,
        `status() after start() must say what start() said — it answered ${show(status)}`,
      ).toBe(started.state)
    })

    it('stops a warm-up; stopping an inbox that is off changes nothing', async () => {
      const provider = await options.create()
      await provider.start({ address: warmed })
      const stopped = await provider.stop({ address: warmed })
      expectWellFormed(stopped, warmed, `stop(${warmed})`)
      expect(stopped.state, `stop() must answer 'off' — it answered ${show(stopped)}`).toBe('off')
      expect((await provider.status({ address: warmed })).state, 'status() after stop() must be off').toBe(
        'off',
      )
      const idle = await provider.stop({ address: untouched })
      expect(
        idle.state,
        `stop() of an inbox never started must answer 'off' — it answered ${show(idle)}`,
      ).toBe('off')
    })
  })
}
