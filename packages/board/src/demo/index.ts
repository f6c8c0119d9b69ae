import { createEngine, type Engine, PacelineError, PacelineErrorCodes } from '@paceline/core'
import {
  createDeterministicAi,
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  type SimulationInput,
  type SimulationResult,
  simulate,
  VirtualClock,
} from '@paceline/core/testing'
import { z } from 'zod'
import { frenchPartners, nycFounders, q2Outbound, simulatedCampaigns, webinarDraft } from './demo-campaigns'
import { demoIdentities } from './demo-identities'
import { demoLeads } from './demo-leads'

export interface DemoWorkspace {
  /** An engine on the simulated workspace, whose clock is `clock`. It is not started: nothing runs by itself. */
  readonly engine: Engine
  /** Where virtual time stands: the end of the simulation. Pass it to the board as its clock. */
  readonly clock: VirtualClock
  /** Closes the engine and its in-memory storage. */
  close(): Promise<void>
}

export interface DemoWorkspaceOptions {
  /**
   * Simulated days, 1 to 60. Default 21. Ben's campaign is paused after 9 days (at the end of a shorter
   * run), and Chloé's starts a week in (9 March): with 6 days or fewer it is still scheduled.
   */
  readonly days?: number
  /** Seed of the leads' names and delays and of the engine's pacing. Default 7. */
  readonly seed?: number
}

/** Monday 2 March 2026, noon in Madrid: the simulation ends at noon too, with the day's work under way. */
export const DEMO_START = '2026-03-02T11:00:00Z'
/** Ben's campaign is paused after this many days (or at the end of a shorter simulation). */
const PAUSE_AFTER_DAYS = 9
const HOUR = 3_600_000

const optionsSchema = z.strictObject({
  days: z.number().int().min(1).max(60).default(21),
  seed: z.number().int().min(-2_147_483_648).max(2_147_483_647).default(7),
})

/**
 * A workspace to look at: three identities (Ana in Madrid on LinkedIn and email, Ben in New York on
 * LinkedIn only, Chloé in Paris by email from two inboxes), three campaigns run with 120 scripted leads for
 * `days` of virtual time by the real engine (`simulate`), one of them paused part way and one answering
 * replies with the AI copilot, plus a draft; then opens, clicks, tags, a done task and a paused lead. The
 * same options give the same workspace. Everything is in memory; nothing is sent anywhere.
 *
 * ```ts
 * const { engine, clock, close } = await demoWorkspace()
 * const board = createBoard({ engine, clock })
 * ```
 */
export async function demoWorkspace(options: DemoWorkspaceOptions = {}): Promise<DemoWorkspace> {
  const parsed = optionsSchema.safeParse(options ?? {}, { reportInput: true })
  if (!parsed.success)
    throw PacelineError.fromZod(PacelineErrorCodes.invalidOptions, 'demoWorkspace options', parsed.error)
  const { days, seed } = parsed.data

  const storage = createMemoryStorage()
  const input: SimulationInput = {
    start: DEMO_START,
    days,
    seed,
    storage,
    identities: demoIdentities,
    campaigns: simulatedCampaigns,
    leads: demoLeads(seed),
  }
  // Part way, a person pauses Ben's campaign; the simulation then continues from where it stopped.
  const pauseAfter = Math.max(1, Math.min(PAUSE_AFTER_DAYS, days - 1))
  let result = await simulate({ ...input, days: pauseAfter })
  await withEngine(storage, result.simulatedUntil, seed, (engine) => engine.campaigns.pause(nycFounders.id))
  if (pauseAfter < days) result = await simulate(input)

  const clock = new VirtualClock(result.simulatedUntil)
  const engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    ai: createDeterministicAi(),
    clock,
    random: seed,
  })
  try {
    await afterTheSimulation(engine, clock, result)
  } catch (error) {
    await engine.close()
    await storage.close?.()
    throw error
  }
  return {
    engine,
    clock,
    async close() {
      await engine.close()
      await storage.close?.()
    },
  }
}

/** Runs `work` with an engine on the storage at the simulation's time, then closes it (not the storage). */
async function withEngine(
  storage: NonNullable<SimulationInput['storage']>,
  at: string,
  seed: number,
  work: (engine: Engine) => Promise<unknown>,
): Promise<void> {
  const engine = createEngine({ storage, clock: new VirtualClock(at), random: seed })
  try {
    await work(engine)
  } finally {
    await engine.close()
  }
}

/**
 * What the simulator does not script: opens and clicks of the first emails, a person's tags on two
 * conversations, answers sent by hand (one from a copilot draft), a call task marked done, a lead paused by
 * hand, and a draft campaign.
 */
async function afterTheSimulation(engine: Engine, clock: VirtualClock, result: SimulationResult) {
  const end = Date.parse(result.simulatedUntil)
  const emails = result.events.filter(
    (event) => event.type === 'message-sent' && event.channel === 'email' && event.leadId !== undefined,
  )
  for (const [n, sent] of emails.slice(0, 24).entries()) {
    const at = Math.min(Date.parse(sent.at) + (1 + (n % 5)) * HOUR, end)
    clock.set(at)
    await engine.ingest({
      type: n % 4 === 0 ? 'link-clicked' : 'email-opened',
      lead: { leadId: sent.leadId ?? '' },
      ...(sent.campaignId === undefined ? {} : { campaignId: sent.campaignId }),
      at: new Date(at).toISOString(),
    })
  }
  clock.set(end)

  const conversations = (await engine.conversations.list({ limit: 500 })).items
  const positive = conversations.find(
    (each) => each.campaignId === q2Outbound.id && each.category === 'positive',
  )
  if (positive !== undefined) {
    await engine.conversations.tag(positive.id, [{ name: 'Meeting booked', category: 'positive' }])
    await engine.conversations.reply(positive.id, {
      text: 'Great, thank you! I have sent you an invitation for Tuesday at 10:00. Talk then, Ana',
    })
  }
  const question = conversations.find(
    (each) => each.campaignId === frenchPartners.id && each.needsAnswer && each.category === 'neutral',
  )
  if (question !== undefined)
    await engine.conversations.tag(question.id, [{ name: 'Send one-pager', category: 'neutral' }])
  // Chloé sends the copilot's draft for another conversation, with a line of her own: the agent stands down.
  const drafted = conversations.find(
    (each) => each.campaignId === frenchPartners.id && each.agent.hasSuggestion && each.id !== question?.id,
  )
  const draft = drafted === undefined ? undefined : await engine.conversations.suggestion(drafted.id)
  if (drafted !== undefined && draft !== undefined)
    await engine.conversations.reply(drafted.id, {
      text: `${draft.text}\n\nP.S. Tuesday at 11:00 would suit me best.`,
    })

  const task = (await engine.tasks.list(q2Outbound.id, { limit: 1 })).items[0]
  if (task !== undefined) await engine.ingest({ type: 'task-completed', taskId: task.key })

  // A person pauses one lead who is still going in the running campaign.
  const going = (await engine.leads.list(q2Outbound.id, { status: 'in_progress', order: 'oldest', limit: 1 }))
    .items[0]
  if (going !== undefined) await engine.leads.pause(q2Outbound.id, going.leadId)

  await engine.campaigns.create(webinarDraft)
}
