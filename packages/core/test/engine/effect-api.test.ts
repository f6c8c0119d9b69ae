import { Effect, Fiber, Layer } from 'effect'
import * as TestClock from 'effect/testing/TestClock'
import { describe, expect, it } from 'vitest'
import {
  EngineSettingsService,
  LinkedInService,
  PacelineEngine,
  StorageService,
  sequence,
} from '../../src/index'
import type { LinkedInChannelV1 } from '../../src/ports'
import { createMemoryLinkedInChannel, createMemoryStorage } from '../../src/testing'
import { identity, leadProfile } from './harness'

const MONDAY_8_UTC = Date.parse('2026-03-02T08:00:00Z')
const hello = sequence().linkedinMessage({ id: 'hello', body: 'Hello {{firstName}}' }).build()

function engineLayer(linkedin: LinkedInChannelV1, settings = {}) {
  return PacelineEngine.layer.pipe(
    Layer.provide(
      Layer.mergeAll(
        Layer.succeed(StorageService, createMemoryStorage()),
        Layer.succeed(LinkedInService, linkedin),
        Layer.succeed(EngineSettingsService, settings),
      ),
    ),
    // The same TestClock serves the engine and the test program that moves it.
    Layer.provideMerge(TestClock.layer()),
  )
}

/** Lets forked fibers and the engine's promises settle without moving the clock. */
const settle = Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))

describe('the Effect API', () => {
  it('runs the engine loop on the Clock, so TestClock drives it', async () => {
    const linkedin = createMemoryLinkedInChannel()
    const program = Effect.gen(function* () {
      yield* TestClock.setTime(MONDAY_8_UTC)
      const engine = yield* PacelineEngine
      yield* engine.putIdentity(identity({ id: 'ana' }))
      yield* engine.createCampaign({ id: 'c', identityId: 'ana', sequence: hello })
      yield* engine.addLeads(
        'c',
        [1, 2, 3].map((n) => ({ id: `l${n}`, profile: leadProfile(`l${n}`) })),
      )
      yield* engine.launchCampaign('c')
      const loop = yield* Effect.forkChild(engine.run)
      // Nine simulated hours, a minute at a time; no wall-clock time passes.
      for (let minute = 0; minute < 9 * 60; minute++) {
        yield* TestClock.adjust('1 minute')
        yield* settle
      }
      yield* Fiber.interrupt(loop)
      return yield* engine.actions({ types: ['message-sent'] })
    })
    const sent = await Effect.runPromise(program.pipe(Effect.provide(engineLayer(linkedin))))
    expect(sent.map((event) => event.leadId).sort()).toEqual(['l1', 'l2', 'l3'])
    expect(
      sent.every((event) => event.at >= '2026-03-02T08:00:00.000Z' && event.at < '2026-03-02T17:00:00.000Z'),
    ).toBe(true)
  })

  it('treats a channel call that outlives the timeout as "delivery unknown"', async () => {
    const hanging = createMemoryLinkedInChannel({ respond: () => new Promise(() => {}) })
    const program = Effect.gen(function* () {
      yield* TestClock.setTime(MONDAY_8_UTC)
      const engine = yield* PacelineEngine
      yield* engine.putIdentity(identity({ id: 'ana' }))
      yield* engine.createCampaign({ id: 'c', identityId: 'ana', sequence: hello })
      yield* engine.addLeads('c', [{ id: 'l1', profile: leadProfile('l1') }])
      yield* engine.launchCampaign('c')
      // Move to the first pacing slot, then start a tick whose send hangs.
      const report = yield* engine.tick
      yield* TestClock.setTime(Date.parse(report.nextWakeAt ?? ''))
      const ticking = yield* Effect.forkChild(engine.tick)
      yield* settle
      yield* TestClock.adjust('61 seconds')
      yield* settle
      yield* Fiber.join(ticking)
      return yield* engine.lead('c', 'l1')
    })
    const lead = await Effect.runPromise(
      program.pipe(Effect.provide(engineLayer(hanging, { channelTimeoutMs: 60_000 }))),
    )
    expect(hanging.calls.filter((call) => call.method === 'sendMessage')).toHaveLength(1)
    expect(lead).toMatchObject({ status: 'error', substatus: 'delivery_unknown' })
  })

  it('fails with typed PacelineErrors', async () => {
    const program = Effect.gen(function* () {
      const engine = yield* PacelineEngine
      return yield* engine.getCampaign('missing').pipe(Effect.flip)
    })
    const error = await Effect.runPromise(
      program.pipe(Effect.provide(engineLayer(createMemoryLinkedInChannel()))),
    )
    expect(error.code).toBe('not_found')
  })
})
