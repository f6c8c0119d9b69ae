import {
  type AiUsageDay,
  type ConversationWithMessages,
  conversationId,
  createEngine,
  type Engine,
  type EngineEvent,
  type IdentityInput,
  sequence,
} from '@paceline/core'
import type { AiProviderV1, EmailMessage } from '@paceline/core/ports'
import {
  createDeterministicAi,
  createMemoryEmailChannel,
  createMemoryStorage,
  type MemoryEmailChannel,
  VirtualClock,
} from '@paceline/core/testing'
import { type TranscriptLine, transcriptRecorder } from './transcript'

/** The sender: one inbox, working hours in Madrid (the defaults: Monday to Friday, 09:00-18:00). */
export const ana: IdentityInput = {
  id: 'ana',
  name: 'Ana Ruiz',
  workingHours: { timezone: 'Europe/Madrid' },
  email: { inboxes: [{ address: 'ana@acme.io' }] },
}

/** Two emails three days apart; a reply stops the sequence, and the conversation goes on by hand or by AI. */
export const outreach = sequence({ name: 'Month-end' })
  .email({
    id: 'intro',
    subject: 'Month-end at {{company.name}}',
    body: 'Hi {{firstName}}, Acme Close helps finance teams close the books in 2 days instead of 8. Worth 20 minutes?',
  })
  .email({ id: 'bump', delay: { days: 3 }, body: 'Hi {{firstName}}, bumping this up in case it got buried.' })
  .build()

/** The campaign's instructions to the agent: what it may offer when it answers a reply. */
export const PROMPT = 'Offer a 20-minute call on Tuesday or Wednesday'

/** Monday 2 March 2026, 09:00 in Madrid. */
export const START = '2026-03-02T08:00:00Z'

export interface AiAgentDemoOptions {
  /** The AI the engine uses. Default: `createDeterministicAi()`, the same text for the same request. */
  readonly ai?: AiProviderV1
}

export interface AiAgentDemo {
  /** Who said what, the drafts and the events, in order: `formatTranscript` prints it. */
  readonly transcript: readonly TranscriptLine[]
  /** Part 1 (copilot): the draft the agent wrote for Eva's reply. */
  readonly draft: string
  /** Part 1: what Ana sent Eva after editing the draft. */
  readonly sentByHand: string
  /** Part 2 (automatic): the answer the agent sent Tom by itself. */
  readonly automaticAnswer: string
  /** Part 2: why the agent gave Tom's conversation to a person. */
  readonly handOff: { readonly reason: string; readonly why: string }
  /** Part 2: what Ana answered Tom by hand after the hand-off. */
  readonly answeredByHand: string
  /** Every email the inbox sent, in order. */
  readonly emails: readonly EmailMessage[]
  /** Every event the engine emitted. */
  readonly events: readonly EngineEvent[]
  readonly conversations: { readonly eva: ConversationWithMessages; readonly tom: ConversationWithMessages }
  /** The campaign's AI calls and tokens per day (`engine.aiUsage`). */
  readonly aiUsage: readonly AiUsageDay[]
}

/**
 * The AI agent end to end, offline and in virtual time: a copilot campaign (the agent drafts, a person
 * edits and sends, the agent stands down), then the same campaign switched to automatic (the agent answers
 * once by itself, then hands a pricing question to a person).
 */
export async function runAiAgentDemo(options: AiAgentDemoOptions = {}): Promise<AiAgentDemo> {
  const clock = new VirtualClock(START)
  const email = createMemoryEmailChannel()
  const engine = createEngine({
    storage: createMemoryStorage(),
    email,
    ai: options.ai ?? createDeterministicAi(),
    clock, // leave it out in production: the system clock
  })
  const events: EngineEvent[] = []
  engine.on('*', (event) => events.push(event))
  const names: Record<string, string> = { ana: 'Ana', eva: 'Eva', tom: 'Tom' }
  const transcript = transcriptRecorder(engine, events, names)
  const world = { engine, clock, email }
  const eva = conversationId('ana', 'eva', 'email')
  const tom = conversationId('ana', 'tom', 'email')

  try {
    // ── Part 1: copilot. The agent drafts an answer to each reply; a person edits it and sends it.
    transcript.heading('Part 1: copilot (the agent drafts, a person sends)')
    await engine.identities.put(ana)
    await engine.campaigns.create({
      id: 'q2',
      name: 'Q2 month-end',
      identityId: 'ana',
      sequence: outreach,
      settings: { replies: { mode: 'copilot', prompt: PROMPT } },
    })
    await engine.leads.add('q2', [
      {
        id: 'eva',
        profile: {
          firstName: 'Eva',
          lastName: 'Lind',
          company: { name: 'Northwind' },
          professionalEmail: 'eva@northwind.example',
        },
      },
    ])
    await engine.campaigns.launch('q2')
    await runUntil(world, '2026-03-02T08:30:00Z')
    await transcript.flush()

    await leadReplies(
      world,
      'eva@northwind.example',
      'Sounds interesting. How would it work for a team of 12?',
      {
        at: '2026-03-02T09:05:00Z',
        messageId: '<eva-1@northwind.example>',
      },
    )
    await runUntil(world, '2026-03-02T09:06:00Z') // the draft is written on the next tick
    await transcript.flush()
    const draft = (await engine.conversations.suggestion(eva))?.text
    if (draft === undefined) throw new Error('the copilot wrote no draft for Eva')

    // Ana keeps the draft's greeting and sign-off and rewrites the middle, then sends it.
    clock.set('2026-03-02T09:20:00Z')
    transcript.note('Ana edits the draft and sends it: engine.conversations.reply(id, { text })')
    const sentByHand = draft.replace(
      /About ".*": .*\. Best,/s,
      'It works the same for 12 people: each gets their own login. Would Tuesday at 10:00 suit you for a 20-minute call? Best,',
    )
    await engine.conversations.reply(eva, { text: sentByHand })
    await transcript.flush()
    const stoodDown = await engine.conversations.get(eva)
    transcript.note(
      `Eva's conversation: agent ${stoodDown.agent.status} (a person answered, so it is theirs now)`,
    )

    await leadReplies(world, 'eva@northwind.example', 'Tuesday at 10:00 works. Talk then!', {
      at: '2026-03-02T09:40:00Z',
      messageId: '<eva-2@northwind.example>',
    })
    await runUntil(world, '2026-03-02T10:00:00Z')
    await transcript.flush()
    if ((await engine.conversations.suggestion(eva)) === undefined)
      transcript.note('No draft this time: the agent stood down when Ana answered.')

    // ── Part 2: the same campaign answers by itself from now on.
    transcript.heading('Part 2: automatic (the agent answers, then hands over)')
    clock.set('2026-03-02T10:00:00Z')
    await engine.campaigns.update('q2', {
      settings: {
        replies: { mode: 'automatic', prompt: PROMPT, maxAnswers: 2, delayMinutes: { min: 5, max: 30 } },
      },
    })
    transcript.note('engine.campaigns.update: replies.mode automatic, maxAnswers 2, delay 5 to 30 minutes')
    await engine.leads.add('q2', [
      {
        id: 'tom',
        profile: {
          firstName: 'Tom',
          lastName: 'Ng',
          company: { name: 'Fabrikam' },
          professionalEmail: 'tom@fabrikam.example',
        },
      },
    ])
    await runUntil(world, '2026-03-02T11:00:00Z')
    await transcript.flush()

    await leadReplies(world, 'tom@fabrikam.example', 'Interesting. Do you work with logistics companies?', {
      at: '2026-03-02T11:10:00Z',
      messageId: '<tom-1@fabrikam.example>',
    })
    await transcript.flush()
    const planned = (await engine.conversations.get(tom)).agent.pending
    if (planned !== null)
      transcript.note(`The agent plans its answer for ${clockTime(planned.dueAt)}, a human-like delay later.`)
    await runUntil(world, '2026-03-02T12:00:00Z')
    await transcript.flush()
    const automaticAnswer = email.sent.find(
      (message) => message.to.address === 'tom@fabrikam.example' && message.inReplyTo !== undefined,
    )?.text
    if (automaticAnswer === undefined) throw new Error('the agent did not answer Tom')

    await leadReplies(world, 'tom@fabrikam.example', 'Good to know. What would it cost for 12 seats?', {
      at: '2026-03-02T12:30:00Z',
      messageId: '<tom-2@fabrikam.example>',
    })
    await runUntil(world, '2026-03-02T14:00:00Z')
    await transcript.flush()
    const handedOff = events.find((event) => event.type === 'handed-off' && event.leadId === 'tom')
    const handOff = {
      reason: String(handedOff?.detail?.reason ?? ''),
      why: String(handedOff?.detail?.why ?? ''),
    }

    // A person picks it up from the inbox: conversations waiting for an answer.
    clock.set('2026-03-02T14:15:00Z')
    const waiting = await engine.conversations.list({ needsAnswer: true })
    transcript.note(
      `Inbox, waiting for an answer: ${waiting.items
        .map(
          (each) =>
            `${names[each.leadId] ?? each.leadId} (agent ${each.agent.status}${each.agent.handOffReason === null ? '' : `: ${each.agent.handOffReason}`})`,
        )
        .join(', ')}`,
    )
    const answeredByHand =
      'Hi Tom, for 12 seats it is 49 EUR a seat a month, billed yearly. Happy to walk you through it on a call. Best, Ana'
    await engine.conversations.reply(tom, { text: answeredByHand })
    await transcript.flush()

    // A week on: the sequences stopped at the replies, so the follow-ups never go out.
    await runUntil(world, '2026-03-09T17:00:00Z')
    await transcript.flush()
    const followUps = email.sent.filter((message) => message.text.includes('bumping this up')).length
    const distinct = new Set(email.sent.map((message) => message.messageId)).size
    transcript.note(
      `A week later: ${email.sent.length} emails sent in all, ${email.sent.length - distinct} of them twice; ${followUps} follow-ups (a reply stops the sequence).`,
    )

    const aiUsage = await engine.aiUsage({ campaignId: 'q2' })
    for (const day of aiUsage)
      transcript.note(
        `AI usage on ${day.date}: ${day.calls} calls (classify ${day.byOperation.classify}, suggest ${day.byOperation.suggest}), ${day.totalTokens} tokens`,
      )
    return {
      transcript: transcript.lines,
      draft,
      sentByHand,
      automaticAnswer,
      handOff,
      answeredByHand,
      emails: [...email.sent],
      events,
      conversations: { eva: await engine.conversations.get(eva), tom: await engine.conversations.get(tom) },
      aiUsage,
    }
  } finally {
    await engine.close()
  }
}

interface World {
  readonly engine: Engine
  readonly clock: VirtualClock
  readonly email: MemoryEmailChannel
}

/**
 * Ticks the engine forward to `until`, jumping the virtual clock to each time the engine says it has work
 * (at least a second on): what `engine.start()` does in real time.
 */
export async function runUntil(world: World, until: string): Promise<void> {
  const end = Date.parse(until)
  while (world.clock.now() < end) {
    const report = await world.engine.tick()
    const next = report.nextWakeAt === undefined ? end : Date.parse(report.nextWakeAt)
    world.clock.set(Math.min(Math.max(next, world.clock.now() + 1000), end))
  }
  await world.engine.tick()
}

/**
 * The lead answers the latest email of its thread. In production the email adapter reads replies over IMAP
 * and delivers them itself; here the host hands the reply to the engine with `engine.ingest`.
 */
async function leadReplies(
  world: World,
  address: string,
  text: string,
  reply: { readonly at: string; readonly messageId: string },
): Promise<void> {
  world.clock.set(reply.at)
  const thread = world.email.sent.filter((message) => message.to.address === address)
  const last = thread[thread.length - 1]
  if (last === undefined) throw new Error(`nothing was sent to ${address} yet`)
  await world.engine.ingest({
    type: 'reply-received',
    channel: 'email',
    lead: { messageId: last.messageId },
    text,
    subject: last.subject.startsWith('Re: ') ? last.subject : `Re: ${last.subject}`,
    messageId: reply.messageId,
    at: reply.at,
  })
}

/** HH:MM in Madrid. */
const clockTime = (at: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Madrid', hour: '2-digit', minute: '2-digit' }).format(
    new Date(at),
  )
