import type { ConversationWithMessages } from '../engine/conversations/conversation-queries'
import { createEngine } from '../engine/create-engine'
import {
  ACTION_EVENT_TYPES,
  CONVERSATION_EVENT_TYPES,
  type EngineEvent,
  INBOUND_EVENT_TYPES,
} from '../engine/engine-events'
import { eachPage, type Page } from '../engine/lists/list-cursor'
import type { CampaignStats } from '../engine/queries'
import { PacelineErrorCodes } from '../errors/error-codes'
import { PacelineError } from '../errors/paceline-error'
import type { CampaignPriority } from '../model/campaign/campaign'
import type { CampaignSettingsInput } from '../model/campaign/campaign-settings'
import { defineIdentity } from '../model/identity/define-identity'
import type { Identity, IdentityInput } from '../model/identity/identity-schema'
import type { LeadProfile } from '../model/lead/lead'
import type { LeadStatus, LeadSubstatus } from '../model/lead/lead-status'
import type { Sequence, SequenceInput } from '../model/sequence/sequence-schema'
import type { EmailMessage, EmailOutcome } from '../ports/email-channel'
import type { InboundEvent } from '../ports/inbound-event'
import type { ConnectionCheck, LinkedInOutcome } from '../ports/linkedin-channel'
import type { StorageV1 } from '../ports/storage'
import type { WaitReason } from '../scheduler/wait-reason'
import { WorkingCalendar } from '../scheduler/working-calendar'
import { createDeterministicAi } from './deterministic-ai'
import { EventQueue } from './event-queue'
import { createMemoryEmailChannel } from './memory-email-channel'
import { createMemoryLinkedInChannel, type LinkedInCall } from './memory-linkedin-channel'
import { createMemoryStorage } from './memory-storage'

const HOUR = 3_600_000

/** How a simulated lead behaves. Without a behaviour, a lead never accepts, replies or bounces. */
export interface LeadBehavior {
  /** Already a 1st-degree connection of every identity before the simulation starts. */
  readonly alreadyConnected?: boolean
  /** Accepts an invitation this many hours after it was sent. */
  readonly acceptsAfterHours?: number
  /** Never accepts an invitation (the default when `acceptsAfterHours` is not set). */
  readonly declines?: boolean
  /** Replies after this step runs for the lead, on that step's channel. */
  readonly repliesAfterStep?: string
  /** Hours between that step and the reply. Default 4. */
  readonly replyDelayHours?: number
  /** The reply's text (used by the AI to classify it). Default "Sounds interesting, let's talk". */
  readonly replyText?: string
  /** The lead answers with an out-of-office auto-reply (after `repliesAfterStep`, or after the first email). */
  readonly outOfOffice?: boolean
  /** The lead's first email hard-bounces. */
  readonly bounces?: boolean
  /**
   * After its first reply, the lead answers each answer it gets in the conversation (from a person or the
   * AI agent) with the next of these texts, `replyDelayHours` later: to test copilot and automatic campaigns.
   */
  readonly conversation?: readonly string[]
}

export interface SimulationInput {
  /** Start of the simulation (ISO 8601). */
  readonly start: string
  readonly days: number
  /** Seed of tie-breaks and pacing jitter: same input and seed, same result. Default 0. */
  readonly seed?: number
  readonly identities: readonly IdentityInput[]
  readonly campaigns: readonly {
    readonly id: string
    readonly identityId: string
    readonly priority?: CampaignPriority
    readonly sequence: SequenceInput | Sequence
    readonly settings?: CampaignSettingsInput
    readonly name?: string
    /** Start later than the simulation (scheduled campaign). */
    readonly startAt?: string
  }[]
  readonly leads: readonly {
    readonly id: string
    readonly campaignId: string
    readonly profile: LeadProfile | Record<string, unknown>
    readonly behavior?: LeadBehavior
  }[]
  /** Whether the LinkedIn channel pushes acceptances as events (default true) or the engine checks them. */
  readonly linkedin?: { readonly pushesEvents?: boolean }
  /** Fault injection: return an outcome to override, or throw to simulate a crash after the claim. */
  readonly faults?: {
    readonly linkedin?: (call: LinkedInCall) => LinkedInOutcome | ConnectionCheck | undefined
    readonly email?: (message: EmailMessage) => EmailOutcome | undefined
  }
  /** Called as simulated time advances (about every 1% of it). */
  readonly onProgress?: (progress: SimulationProgress) => void
  /**
   * Where the engine keeps its state (default: a fresh in-memory store). With a durable store (SQLite), a
   * stopped simulation can be resumed: see `resume`.
   */
  readonly storage?: StorageV1
  /**
   * When `storage` already holds a simulation: continue it from where it stopped (default true), or refuse
   * to mix two simulations (false).
   */
  readonly resume?: boolean
  /** Stops the simulation early, keeping its state in `storage` for a later resume. */
  readonly signal?: AbortSignal
}

export interface SimulationProgress {
  readonly at: string
  /** Share of the simulated period done, 0 to 1. */
  readonly done: number
  readonly events: number
}

/** An executed action or inbound event. */
export interface SimulationEvent {
  readonly at: string
  readonly type: string
  readonly identityId?: string
  readonly campaignId?: string
  readonly leadId?: string
  readonly stepId?: string
  /** The executed step's kind (`send_connection`, `email`, ...). */
  readonly action?: string
  readonly channel?: 'linkedin' | 'email' | 'tasks'
  /** The inbox an email went out from. */
  readonly inbox?: string
  readonly detail?: Readonly<Record<string, unknown>>
}

export interface SimulatedLead {
  readonly leadId: string
  readonly campaignId: string
  readonly status: LeadStatus
  readonly substatus: LeadSubstatus | null
  readonly nextEligibleAt?: string
  readonly reason?: WaitReason
  readonly stepId: string | null
  readonly inbox?: string
}

export interface SimulationResult {
  /** False when `signal` stopped the run before its end; resume it with the same storage. */
  readonly complete: boolean
  /** How far simulated time got. */
  readonly simulatedUntil: string
  readonly events: readonly SimulationEvent[]
  readonly leads: readonly SimulatedLead[]
  /** Every conversation at the end, with its messages (newest activity first). */
  readonly conversations: readonly ConversationWithMessages[]
  readonly summary: {
    /** Per identity and local day (in the identity's time zone): executed actions by step kind. */
    readonly identities: readonly {
      readonly identityId: string
      readonly date: string
      readonly counts: Readonly<Record<string, number>>
    }[]
    /** Per campaign: the funnel. */
    readonly campaigns: readonly ({ readonly campaignId: string } & CampaignStats)[]
  }
}

/**
 * Runs identities, campaigns and scripted leads forward in virtual time with the real engine, in-memory
 * storage and channels. Deterministic: the same input and seed give the same result.
 */
export async function simulate(input: SimulationInput): Promise<SimulationResult> {
  const startMs = Date.parse(input.start)
  if (Number.isNaN(startMs))
    throw new RangeError(`simulate: start must be an ISO 8601 time, got ${input.start}`)
  const endMs = startMs + input.days * 24 * HOUR
  let now = startMs
  const inbound = new EventQueue<InboundEvent>()
  const behaviors = new Map(input.leads.map((lead) => [lead.id, lead.behavior ?? {}]))
  const acceptAt = new Map<string, number>()
  const firstEmailDone = new Set<string>()
  const replied = new Set<string>()

  const linkedin = createMemoryLinkedInChannel({
    pushesEvents: input.linkedin?.pushesEvents ?? true,
    respond: (call) => {
      const scripted = input.faults?.linkedin?.(call)
      if (scripted !== undefined) return scripted
      if (call.method === 'checkConnection') {
        const leadId = call.target.leadId
        if (behaviors.get(leadId)?.alreadyConnected) return { ok: true, status: 'connected' }
        const at = acceptAt.get(`${call.accountId}|${leadId}`)
        if (at !== undefined) return { ok: true, status: at <= now ? 'connected' : 'pending' }
        return undefined
      }
      return undefined
    },
  })
  const email = createMemoryEmailChannel({ respond: (message) => input.faults?.email?.(message) })
  const storage = input.storage ?? createMemoryStorage()
  const engine = createEngine({
    storage,
    linkedin,
    email,
    ai: createDeterministicAi(),
    clock: { now: () => now },
    random: input.seed ?? 0,
  })
  const identities = new Map<string, Identity>()
  for (const identityInput of input.identities) {
    const identity = defineIdentity(identityInput)
    identities.set(identity.id, identity)
  }

  /** Inbound events already delivered, so that a resumed run does not deliver them twice. */
  const delivered = new Set<string>()
  const deliveredKey = (event: InboundEvent): string | undefined => {
    const leadId = 'lead' in event ? event.lead?.leadId : undefined
    if (leadId === undefined) return undefined
    if (event.type === 'connection-accepted') return `accepted|${event.identityId}|${leadId}`
    if (event.type === 'reply-received')
      return event.eventId?.startsWith('simulated-turn|') === true
        ? event.eventId
        : `reply|${event.campaignId ?? ''}|${leadId}`
    if (event.type === 'email-bounced') return `bounce|${leadId}`
    return undefined
  }
  const schedule = (at: number, event: InboundEvent) => {
    const key = deliveredKey(event)
    if (key !== undefined && delivered.has(key)) return
    inbound.push(at, event)
  }

  /** Conversation turns each lead has taken after its first reply. */
  const turns = new Map<string, number>()

  /** The scripted world answering what the engine did. */
  function react(event: EngineEvent): void {
    const leadId = event.leadId
    if (leadId === undefined) return
    const behavior = behaviors.get(leadId) ?? {}
    const at = Date.parse(event.at)
    if (
      (event.type === 'auto-reply-sent' || event.type === 'reply-sent') &&
      behavior.conversation !== undefined
    ) {
      const turn = turns.get(leadId) ?? 0
      const text = behavior.conversation[turn]
      if (text === undefined) return
      turns.set(leadId, turn + 1)
      schedule(at + (behavior.replyDelayHours ?? 4) * HOUR, {
        type: 'reply-received',
        channel: event.channel === 'email' ? 'email' : 'linkedin',
        lead: { leadId },
        ...(event.identityId === undefined ? {} : { identityId: event.identityId }),
        ...(event.campaignId === undefined ? {} : { campaignId: event.campaignId }),
        text,
        eventId: `simulated-turn|${leadId}|${turn + 1}`,
      })
      return
    }
    if (event.type === 'invitation-sent' && event.identityId !== undefined) {
      const account = identities.get(event.identityId)?.linkedin?.accountId ?? ''
      if (behavior.acceptsAfterHours !== undefined && !behavior.declines) {
        const accepted = at + behavior.acceptsAfterHours * HOUR
        acceptAt.set(`${account}|${leadId}`, accepted)
        if (input.linkedin?.pushesEvents ?? true) {
          schedule(accepted, { type: 'connection-accepted', identityId: event.identityId, lead: { leadId } })
        }
      }
    }
    if (event.type === 'message-sent' && event.channel === 'email' && !firstEmailDone.has(leadId)) {
      firstEmailDone.add(leadId)
      if (behavior.bounces) {
        schedule(at + 10 * 60_000, {
          type: 'email-bounced',
          bounce: 'hard',
          lead: { leadId, ...(event.messageId === undefined ? {} : { messageId: event.messageId }) },
        })
        return
      }
      if (behavior.outOfOffice && behavior.repliesAfterStep === undefined) scheduleReply(event, behavior, at)
    }
    if (
      behavior.repliesAfterStep !== undefined &&
      event.stepId === behavior.repliesAfterStep &&
      ACTION_EVENT_TYPES.has(event.type)
    ) {
      scheduleReply(event, behavior, at)
    }
  }

  function scheduleReply(event: EngineEvent, behavior: LeadBehavior, at: number): void {
    const leadId = event.leadId as string
    const key = `${event.campaignId}|${leadId}`
    if (replied.has(key)) return
    replied.add(key)
    const channel = event.channel === 'email' ? 'email' : 'linkedin'
    schedule(at + (behavior.replyDelayHours ?? 4) * HOUR, {
      type: 'reply-received',
      channel,
      lead: event.messageId === undefined ? { leadId } : { leadId, messageId: event.messageId },
      ...(event.identityId === undefined ? {} : { identityId: event.identityId }),
      ...(event.campaignId === undefined ? {} : { campaignId: event.campaignId }),
      outOfOffice: behavior.outOfOffice === true,
      text: behavior.outOfOffice
        ? 'Automatic reply: I am out of the office until Monday.'
        : (behavior.replyText ?? "Sounds interesting, let's talk"),
    })
  }

  const saved = await readClock(storage)
  if (saved !== undefined && input.resume === false) {
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      'simulate: the storage already holds a simulation. Pass `resume: true` to continue it, or use an empty store.',
    )
  }
  /** Campaigns a stopped set-up already created, with their status. */
  const existing = new Map<string, string>()
  if (saved !== undefined) {
    // Resume: the engine's state is in storage; rebuild the scripted world's pending answers from the log.
    // The clock is saved about hourly, so the log may reach further: time never runs backwards.
    const history = await engine.actions()
    const replies = new Map<string, number>()
    now = history.reduce((latest, event) => Math.max(latest, Date.parse(event.at)), saved)
    for (const event of history) {
      if (
        event.type === 'connection-accepted' &&
        event.identityId !== undefined &&
        event.leadId !== undefined
      ) {
        delivered.add(`accepted|${event.identityId}|${event.leadId}`)
      }
      if (event.type === 'reply-received' && event.leadId !== undefined) {
        // The first reply of a lead, then the conversation turns it took, in order.
        const seen = replies.get(event.leadId) ?? 0
        delivered.add(
          seen === 0
            ? `reply|${event.campaignId ?? ''}|${event.leadId}`
            : `simulated-turn|${event.leadId}|${seen}`,
        )
        replies.set(event.leadId, seen + 1)
      }
      if (event.type === 'email-bounced' && event.leadId !== undefined)
        delivered.add(`bounce|${event.leadId}`)
    }
    for (const event of history) react(event)
  } else {
    // Set-up is idempotent: a run stopped during it (the process killed) leaves part of it in storage.
    for (const campaign of await everyPage((after) => engine.campaigns.list({ limit: 500, after })))
      existing.set(campaign.id, campaign.status)
    for (const identityInput of input.identities) await engine.identities.put(identityInput)
    for (const campaign of input.campaigns) {
      if (existing.has(campaign.id)) continue
      await engine.campaigns.create({
        id: campaign.id,
        identityId: campaign.identityId,
        sequence: campaign.sequence,
        ...(campaign.priority === undefined ? {} : { priority: campaign.priority }),
        ...(campaign.settings === undefined ? {} : { settings: campaign.settings }),
        ...(campaign.name === undefined ? {} : { name: campaign.name }),
      })
    }
    const byCampaign = new Map<string, { id: string; profile: Record<string, unknown> }[]>()
    for (const lead of input.leads) {
      const list = byCampaign.get(lead.campaignId) ?? []
      list.push({ id: lead.id, profile: lead.profile as Record<string, unknown> })
      byCampaign.set(lead.campaignId, list)
    }
    const campaignIdentity = new Map(input.campaigns.map((campaign) => [campaign.id, campaign.identityId]))
    for (const lead of input.leads) {
      if (!lead.behavior?.alreadyConnected) continue
      const identityId = campaignIdentity.get(lead.campaignId)
      if (identityId !== undefined)
        schedule(startMs, { type: 'connection-accepted', identityId, lead: { leadId: lead.id } })
    }
    for (const [campaignId, leads] of byCampaign) await engine.leads.add(campaignId, leads)
  }

  let recorded = 0
  engine.on('*', (event) => {
    if (ACTION_EVENT_TYPES.has(event.type) || INBOUND_EVENT_TYPES.has(event.type)) recorded++
    react(event)
  })

  if (saved === undefined) {
    for (const campaign of input.campaigns) {
      if ((existing.get(campaign.id) ?? 'draft') !== 'draft') continue
      if (campaign.startAt !== undefined && Date.parse(campaign.startAt) > startMs) {
        await engine.campaigns.schedule(campaign.id, campaign.startAt)
      } else await engine.campaigns.launch(campaign.id)
    }
    await writeClock(storage, now)
  }

  let lastProgress = -1
  let lastSaved = now
  let stopped = false
  while (now < endMs) {
    if (input.signal?.aborted) {
      stopped = true
      break
    }
    while ((inbound.peekAt() ?? Number.POSITIVE_INFINITY) <= now) {
      const event = inbound.pop()
      if (event === undefined) continue
      const key = deliveredKey(event)
      if (key !== undefined) delivered.add(key)
      await engine.ingest({ ...event, at: new Date(now).toISOString() })
    }
    const report = await engine.tick()
    const wake = report.nextWakeAt === undefined ? Number.POSITIVE_INFINITY : Date.parse(report.nextWakeAt)
    let next = Math.min(wake, inbound.peekAt() ?? Number.POSITIVE_INFINITY)
    if (next <= now) next = now + 1_000
    if (input.onProgress !== undefined) {
      const done = Math.min(1, (Math.min(next, endMs) - startMs) / (endMs - startMs))
      if (Math.floor(done * 100) > lastProgress) {
        lastProgress = Math.floor(done * 100)
        input.onProgress({ at: new Date(Math.min(next, endMs)).toISOString(), done, events: recorded })
      }
    }
    now = Math.min(next, endMs)
    // Remember how far the simulation got, about once per simulated hour, for a later resume.
    if (input.storage !== undefined && now - lastSaved >= HOUR) {
      await writeClock(storage, now)
      lastSaved = now
    }
  }
  if (input.storage !== undefined) await writeClock(storage, now)

  const events = (await engine.actions())
    .filter(
      (event) =>
        ACTION_EVENT_TYPES.has(event.type) ||
        INBOUND_EVENT_TYPES.has(event.type) ||
        CONVERSATION_EVENT_TYPES.has(event.type),
    )
    .map(simulationEvent)
  const conversations: ConversationWithMessages[] = []
  for (let page = await engine.conversations.list({ limit: 500 }); ; ) {
    for (const conversation of page.items) conversations.push(await engine.conversations.get(conversation.id))
    if (page.next === undefined) break
    page = await engine.conversations.list({ limit: 500, after: page.next })
  }
  const leads: SimulatedLead[] = []
  const campaigns: ({ campaignId: string } & CampaignStats)[] = []
  for (const campaign of input.campaigns) {
    for (const view of await everyPage((after) =>
      engine.leads.list(campaign.id, { order: 'oldest', limit: 500, after }),
    )) {
      leads.push({
        leadId: view.leadId,
        campaignId: view.campaignId,
        status: view.status,
        substatus: view.substatus,
        stepId: view.stepId,
        ...(view.nextEligibleAt === undefined ? {} : { nextEligibleAt: view.nextEligibleAt }),
        ...(view.reason === undefined ? {} : { reason: view.reason }),
        ...(view.inbox === undefined ? {} : { inbox: view.inbox }),
      })
    }
    campaigns.push({ campaignId: campaign.id, ...(await engine.campaigns.stats(campaign.id)) })
  }
  // Closing the engine releases its runtime; the storage stays open for the caller.
  await engine.close()
  return {
    complete: !stopped && now >= endMs,
    simulatedUntil: new Date(now).toISOString(),
    events,
    leads,
    conversations,
    summary: { identities: perIdentityDay(events, input.identities), campaigns },
  }
}

const CLOCK_KEY = 'simulation:clock'

/**
 * What a store holds of a stopped (or finished) simulation: how far it got. `simulate({ storage })`
 * continues from there; undefined when the store holds no simulation.
 */
export async function savedSimulation(storage: StorageV1): Promise<{ simulatedUntil: string } | undefined> {
  const at = await readClock(storage)
  return at === undefined ? undefined : { simulatedUntil: new Date(at).toISOString() }
}

async function readClock(storage: StorageV1): Promise<number | undefined> {
  const saved = await storage.transaction('default', (tx) => tx.get('state', CLOCK_KEY), { readOnly: true })
  const value = saved?.value
  return typeof value === 'number' ? value : undefined
}

async function writeClock(storage: StorageV1, at: number): Promise<void> {
  await storage.transaction('default', (tx) => tx.put('state', CLOCK_KEY, { key: CLOCK_KEY, value: at }))
}

function simulationEvent(event: EngineEvent): SimulationEvent {
  const { messageId: _messageId, ...rest } = event
  return rest
}

function perIdentityDay(events: readonly SimulationEvent[], inputs: readonly IdentityInput[]) {
  const calendars = new Map(
    inputs.map((input) => {
      const identity = defineIdentity(input)
      return [identity.id, new WorkingCalendar(identity.workingHours)] as const
    }),
  )
  const rows = new Map<string, { identityId: string; date: string; counts: Record<string, number> }>()
  for (const event of events) {
    if (
      event.identityId === undefined ||
      event.action === undefined ||
      !ACTION_EVENT_TYPES.has(event.type as never)
    )
      continue
    const calendar = calendars.get(event.identityId)
    if (calendar === undefined) continue
    const date = calendar.dayOf(Date.parse(event.at)).date
    const key = `${event.identityId}|${date}`
    let row = rows.get(key)
    if (row === undefined) {
      row = { identityId: event.identityId, date, counts: {} }
      rows.set(key, row)
    }
    row.counts[event.action] = (row.counts[event.action] ?? 0) + 1
  }
  return [...rows.values()].sort(
    (a, b) => a.identityId.localeCompare(b.identityId) || a.date.localeCompare(b.date),
  )
}

/** Every item of a paged list. */
async function everyPage<T>(read: (after: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = []
  for await (const page of eachPage(read)) items.push(...page)
  return items
}
