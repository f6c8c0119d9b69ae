import { Effect, Fiber, Layer } from 'effect'
import * as TestClock from 'effect/testing/TestClock'
import { describe, expect, it } from 'vitest'
import {
  type CrmConfigInput,
  CrmService,
  type CrmSyncStatus,
  createEngine,
  EngineSettingsService,
  PacelineEngine,
  type PacelineEngineApi,
  PacelineError,
  type SequenceInput,
  StorageService,
} from '../../src/index'
import type { CrmObjectType, CrmV1, StorageV1 } from '../../src/ports'
import { createMemoryCrm, createMemoryStorage, type MemoryCrm } from '../../src/testing'

const START = Date.parse('2026-11-23T08:00:00Z')
const MINUTE = 60_000
const INTERVAL = 10 * MINUTE

const emailOnly = {
  version: 1,
  start: 'e1',
  steps: { e1: { kind: 'email', subject: 'Quick question', body: 'Hi {{firstName}}', next: null } },
} satisfies SequenceInput

const people = ['ada', 'bob', 'cy'].map((name) => ({
  id: name,
  profile: {
    firstName: name,
    lastName: 'Example',
    professionalEmail: `${name}@corp.example`,
    linkedinUrl: `https://www.linkedin.com/in/${name}`,
    company: { name: `${name} Inc`, domain: `${name}.example` },
  },
}))

const config: CrmConfigInput = {
  contacts: {
    fields: [
      { paceline: 'firstName', crm: 'firstname' },
      { paceline: 'lastName', crm: 'lastname' },
      { paceline: 'professionalEmail', crm: 'email' },
      { paceline: 'linkedinUrl', crm: 'linkedin_url' },
      { paceline: 'company.name', crm: 'company' },
    ],
  },
  companies: {
    fields: [
      { paceline: 'name', crm: 'name' },
      { paceline: 'domain', crm: 'domain' },
    ],
  },
  users: { defaultOwner: 'u-1' },
}

/**
 * The memory CRM, counting the syncs that start (each reads the contact fields once) and how many run at
 * once; `hold()` makes the next sync wait at its first CRM call until released.
 */
function watched(crm: MemoryCrm) {
  let started = 0
  let running = 0
  let mostAtOnce = 0
  let gate: Promise<void> | undefined
  const watchedCrm: CrmV1 = {
    ...crm,
    async describeFields(object: CrmObjectType) {
      if (object !== 'contact') return crm.describeFields(object)
      started++
      running++
      mostAtOnce = Math.max(mostAtOnce, running)
      try {
        await gate
        return await crm.describeFields(object)
      } finally {
        // A sync reads the company fields next and is over, for this count, once it searched the CRM.
        running--
      }
    },
  }
  return {
    crm: watchedCrm,
    /** Syncs started (and `configure` checks, which read the fields too). */
    started: () => started,
    mostAtOnce: () => mostAtOnce,
    hold(): () => void {
      let release = () => {}
      gate = new Promise((resolve) => {
        release = () => {
          gate = undefined
          resolve()
        }
      })
      return release
    },
  }
}

function engineLayer(storage: StorageV1, crm: CrmV1, workerId = 'worker') {
  return PacelineEngine.layer.pipe(
    Layer.provide(
      Layer.mergeAll(
        Layer.succeed(StorageService, storage),
        Layer.succeed(CrmService, crm),
        Layer.succeed(EngineSettingsService, { crmSyncIntervalMs: INTERVAL, workerId }),
      ),
    ),
  )
}

/** An engine (on the TestClock the program provides) with one campaign whose contacts sync. */
const makeEngine = (storage: StorageV1, crm: CrmV1, workerId?: string) =>
  Effect.gen(function* () {
    return yield* PacelineEngine
  }).pipe(Effect.provide(engineLayer(storage, crm, workerId)))

const seed = (engine: PacelineEngineApi) =>
  Effect.gen(function* () {
    yield* engine.putIdentity({
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: 'ana@acme.example' }] },
    })
    yield* engine.createCampaign({
      id: 'q4',
      identityId: 'ana',
      sequence: emailOnly,
      settings: { crmSync: { contacts: 'yes' } },
    })
    yield* engine.addLeads('q4', people)
  })

/** An engine on a new store with the workspace seeded and the CRM configured. */
const configuredEngine = (crm: CrmV1) =>
  Effect.gen(function* () {
    const engine = yield* makeEngine(createMemoryStorage(), crm)
    yield* seed(engine)
    yield* engine.crm.configure(config)
    return engine
  })

/** Lets the engine's fibers and promises settle without moving the clock. */
const settle = Effect.promise(async () => {
  for (let round = 0; round < 20; round++) await new Promise<void>((resolve) => setImmediate(resolve))
})

/** Moves the TestClock a minute at a time, settling after each. */
const advance = (minutes: number) =>
  Effect.gen(function* () {
    for (let minute = 0; minute < minutes; minute++) {
      yield* TestClock.adjust('1 minute')
      yield* settle
    }
  })

const at = (minutes: number) => new Date(START + minutes * MINUTE).toISOString()

const runTest = <A>(program: Effect.Effect<A, PacelineError>) =>
  Effect.runPromise(
    Effect.gen(function* () {
      yield* TestClock.setTime(START)
      return yield* program
    }).pipe(Effect.provide(TestClock.layer())),
  )

describe('the automatic CRM sync', () => {
  it('waits quietly for the configuration, then syncs by itself on the interval', async () => {
    const crm = createMemoryCrm()
    const watch = watched(crm)
    const { before, after } = await runTest(
      Effect.gen(function* () {
        const engine = yield* makeEngine(createMemoryStorage(), watch.crm)
        yield* seed(engine)
        const loop = yield* Effect.forkChild(engine.run)
        yield* advance(25)
        const before = yield* engine.crm.status
        const checks = watch.started()
        yield* engine.crm.configure(config)
        expect(watch.started()).toBe(checks + 1)
        yield* settle
        // Configuring wakes the waiting loop: the first sync runs at once, without engine.crm.sync().
        expect(crm.records('contact').map((record) => record.fields.email)).toEqual([
          'ada@corp.example',
          'bob@corp.example',
          'cy@corp.example',
        ])
        // Runs a minute at a time: count them as the clock passes each interval (at 35, 45 and 55).
        const runs: number[] = []
        for (let minute = 0; minute < 35; minute++) {
          yield* advance(1)
          runs.push(watch.started() - checks - 1)
        }
        expect(runs.slice(8, 11)).toEqual([1, 2, 2])
        expect(runs[runs.length - 1]).toBe(4)
        yield* Fiber.interrupt(loop)
        return { before, after: yield* engine.crm.status }
      }),
    )
    expect(before).toEqual({ crm: 'memory', configured: false, intervalMs: INTERVAL, running: false })
    expect(watch.started()).toBe(1 + 4)
    expect(after).toEqual({
      crm: 'memory',
      configured: true,
      intervalMs: INTERVAL,
      running: false,
      lastStartedAt: at(55),
      lastFinishedAt: at(55),
      lastSucceededAt: at(55),
      lastReport: { records: 3, failed: 0 },
      nextRunAt: at(65),
    } satisfies CrmSyncStatus)
    expect(crm.records('contact')).toHaveLength(3)
  })

  it('records a failure and tries again at the next interval, without stopping the engine', async () => {
    const crm = createMemoryCrm()
    const watch = watched(crm)
    const statuses = await runTest(
      Effect.gen(function* () {
        const engine = yield* configuredEngine(watch.crm)
        crm.failNext(
          'searchRecords',
          new PacelineError('crm_failed', 'The CRM is down for maintenance', { isRetryable: true }),
          3,
        )
        const loop = yield* Effect.forkChild(engine.run)
        yield* settle
        const failed = yield* engine.crm.status
        yield* advance(9)
        const waiting = yield* engine.crm.status
        yield* advance(1)
        const recovered = yield* engine.crm.status
        yield* Fiber.interrupt(loop)
        return { failed, waiting, recovered }
      }),
    )
    // The failing record is reported by the sync, which itself succeeds: no lead blocks the others.
    expect(statuses.failed).toMatchObject({ lastSucceededAt: at(0), nextRunAt: at(10) })
    expect(statuses.failed.lastReport?.failed).toBeGreaterThan(0)
    expect(statuses.waiting).toEqual(statuses.failed)
    expect(statuses.recovered).toMatchObject({
      lastSucceededAt: at(10),
      nextRunAt: at(20),
      lastReport: { records: 3, failed: 0 },
    })
    expect(crm.records('contact')).toHaveLength(3)
  })

  it('records a sync that fails as a whole in lastError, and clears it once a run succeeds', async () => {
    const crm = createMemoryCrm()
    const watch = watched(crm)
    const statuses = await runTest(
      Effect.gen(function* () {
        const engine = yield* configuredEngine(watch.crm)
        crm.failNext('describeFields', new PacelineError('crm_failed', 'Unauthorized: token expired'), 1)
        const loop = yield* Effect.forkChild(engine.run)
        yield* settle
        const failed = yield* engine.crm.status
        const contactsAfterFailure = crm.records('contact').length
        yield* advance(10)
        const recovered = yield* engine.crm.status
        yield* Fiber.interrupt(loop)
        return { failed, contactsAfterFailure, recovered }
      }),
    )
    expect(statuses.failed).toEqual({
      crm: 'memory',
      configured: true,
      intervalMs: INTERVAL,
      running: false,
      lastStartedAt: at(0),
      lastFinishedAt: at(0),
      lastError: { at: at(0), code: 'crm_failed', message: 'Unauthorized: token expired' },
      nextRunAt: at(10),
    })
    expect(statuses.contactsAfterFailure).toBe(0)
    expect(statuses.recovered).not.toHaveProperty('lastError')
    expect(statuses.recovered).toMatchObject({ lastSucceededAt: at(10), nextRunAt: at(20) })
    expect(crm.records('contact')).toHaveLength(3)
  })

  it('never runs two syncs at once: a long one delays the next, and a manual one waits for it', async () => {
    const crm = createMemoryCrm()
    const watch = watched(crm)
    const result = await runTest(
      Effect.gen(function* () {
        const engine = yield* configuredEngine(watch.crm)
        const checks = watch.started()
        const release = watch.hold()
        const loop = yield* Effect.forkChild(engine.run)
        yield* settle
        const manual = yield* Effect.forkChild(engine.crm.sync())
        // Far past several intervals (and the turn's lease, which the run keeps renewing).
        yield* advance(35)
        const whileHeld = { started: watch.started() - checks, status: yield* engine.crm.status }
        release()
        yield* settle
        const report = yield* Fiber.join(manual)
        const afterRelease = watch.started() - checks
        yield* advance(10)
        const later = watch.started() - checks
        yield* Fiber.interrupt(loop)
        return { whileHeld, afterRelease, later, report, status: yield* engine.crm.status }
      }),
    )
    expect(result.whileHeld.started).toBe(1)
    expect(result.whileHeld.status).toMatchObject({ running: true, lastStartedAt: at(0) })
    expect(result.afterRelease).toBe(2)
    expect(result.report.records).toHaveLength(3)
    expect(watch.mostAtOnce()).toBe(1)
    // The held run ended at 35 minutes, past its interval: the next one is an interval after its end.
    expect(result.later).toBe(3)
    expect(result.status).toMatchObject({ lastFinishedAt: at(45), nextRunAt: at(55) })
  })

  it('two engines on one store run each interval once between them', async () => {
    const crm = createMemoryCrm()
    const watch = watched(crm)
    const storage = createMemoryStorage()
    const started = await runTest(
      Effect.gen(function* () {
        const first = yield* makeEngine(storage, watch.crm, 'w1')
        const second = yield* makeEngine(storage, watch.crm, 'w2')
        expect(first.settings.identityLeaseMs).toBe(5 * MINUTE)
        yield* seed(first)
        yield* first.crm.configure(config)
        const checks = watch.started()
        // The first run takes 7 minutes: longer than the turn's lease would last without renewal.
        const release = watch.hold()
        const loops = [yield* Effect.forkChild(first.run), yield* Effect.forkChild(second.run)]
        yield* settle
        yield* advance(7)
        release()
        yield* advance(58)
        for (const loop of loops) yield* Fiber.interrupt(loop)
        return watch.started() - checks
      }),
    )
    // At 0, 10, ..., 60 minutes: seven runs, not fourteen, and never two at once.
    expect(started).toBe(7)
    expect(watch.mostAtOnce()).toBe(1)
    expect(crm.records('contact')).toHaveLength(3)
  })

  it('refuses an interval under a minute when the engine is created', () => {
    expect(() =>
      createEngine({ storage: createMemoryStorage(), settings: { crmSyncIntervalMs: 1_000 } }),
    ).toThrow(/crmSyncIntervalMs/)
  })
})
