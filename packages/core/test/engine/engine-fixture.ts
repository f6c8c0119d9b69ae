import { runEngineUntil } from '../../../../test-support/run-engine-until'
import {
  createEngine,
  type Engine,
  type IdentityInput,
  type Sequence,
  type SequenceInput,
} from '../../src/index'
import type { StorageV1, WarmupProviderV1 } from '../../src/ports'
import {
  createDeterministicAi,
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  type MemoryEmailChannel,
  type MemoryEmailOptions,
  type MemoryLinkedInChannel,
  type MemoryLinkedInOptions,
  VirtualClock,
} from '../../src/testing'
import { identity, leadProfile } from './harness'

export interface Fixture {
  readonly engine: Engine
  readonly clock: VirtualClock
  readonly storage: StorageV1
  readonly linkedin: MemoryLinkedInChannel
  readonly email: MemoryEmailChannel
  /** Ticks until `until` (or a day), following the engine's wake times. Returns the number of ticks. */
  runUntil(until: string | number): Promise<number>
}

export interface FixtureOptions {
  readonly start?: string
  readonly identity?: Partial<IdentityInput>
  readonly sequence: SequenceInput | Sequence
  readonly leads?: number
  readonly storage?: StorageV1
  readonly linkedin?: MemoryLinkedInOptions
  readonly email?: MemoryEmailOptions
  readonly settings?: Parameters<typeof createEngine>[0]['settings']
  readonly workerId?: string
  readonly campaign?: Partial<Parameters<Engine['campaigns']['create']>[0]>
  readonly launch?: boolean
  readonly ai?: Parameters<typeof createEngine>[0]['ai'] | null
  /** A warm-up provider, given the fixture's clock. */
  readonly warmup?: (clock: VirtualClock) => WarmupProviderV1
}

/** An engine with one identity `ana`, one campaign `c`, and `leads` leads `l0`, `l1`, ... */
export async function fixture(options: FixtureOptions): Promise<Fixture> {
  const clock = new VirtualClock(options.start ?? '2026-03-02T08:00:00Z')
  const storage = options.storage ?? createMemoryStorage()
  const linkedin = createMemoryLinkedInChannel(options.linkedin)
  const email = createMemoryEmailChannel(options.email)
  const engine = createEngine({
    storage,
    linkedin,
    email,
    ...(options.ai === null ? {} : { ai: options.ai ?? createDeterministicAi() }),
    clock,
    random: 1,
    ...(options.workerId === undefined ? {} : { workerId: options.workerId }),
    ...(options.warmup === undefined ? {} : { warmup: options.warmup(clock) }),
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  })
  if (options.storage === undefined || (await engine.identities.list()).length === 0) {
    await engine.identities.put({ ...identity({ id: 'ana' }), ...options.identity } as IdentityInput)
    await engine.campaigns.create({
      id: 'c',
      identityId: 'ana',
      sequence: options.sequence,
      ...options.campaign,
    })
    await engine.leads.add(
      'c',
      Array.from({ length: options.leads ?? 1 }, (_, n) => ({ id: `l${n}`, profile: leadProfile(`l${n}`) })),
    )
    if (options.launch !== false) await engine.campaigns.launch('c')
  }
  return {
    engine,
    clock,
    storage,
    linkedin,
    email,
    runUntil: (until) => runEngineUntil(engine, clock, until),
  }
}
