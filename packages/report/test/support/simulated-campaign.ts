import {
  type CampaignAnalytics,
  type CampaignDailyActivity,
  createEngine,
  type Engine,
  type IdentityDashboard,
  templates,
} from '@paceline/core'
import {
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  simulate,
  VirtualClock,
} from '@paceline/core/testing'

export const START = '2026-03-02T06:00:00Z'
export const DAYS = 24
export const END = Date.parse(START) + DAYS * 86_400_000
/** A campaign name that would run script if the report did not escape it. */
export const HOSTILE_NAME = 'Q2 <script>window.__pwned = 1</script> outbound & "co"'
/** A tag name that would run script as markup. */
export const HOSTILE_TAG = '<img src=x onerror="window.__pwned=2">'

export interface SimulatedCampaign {
  readonly engine: Engine
  readonly campaign: CampaignAnalytics
  readonly daily: CampaignDailyActivity
  readonly identity: IdentityDashboard
}

/**
 * A real campaign run by the simulator: 40 leads on "LinkedIn + Email + Call" for two weeks, with every kind
 * of outcome (accepts, replies good and bad, out of office, bounces), then opens, clicks, tags and a done
 * task ingested, and the engine's analytics read back.
 */
export async function simulatedCampaign(): Promise<SimulatedCampaign> {
  const storage = createMemoryStorage()
  const result = await simulate({
    start: START,
    days: DAYS,
    storage,
    seed: 3,
    identities: [
      {
        id: 'ana',
        name: 'Ana Martín',
        workingHours: { timezone: 'Europe/Madrid' },
        linkedin: { accountId: 'li-ana', limits: { connectionsPerDay: 12 } },
        email: { inboxes: [{ address: 'ana@acme.example', limits: { perDay: 20, perHour: 5 } }] },
      },
    ],
    campaigns: [
      { id: 'q2', name: HOSTILE_NAME, identityId: 'ana', sequence: templates.linkedinEmailCall.sequence },
    ],
    leads: Array.from({ length: 48 }, (_, n) => {
      const id = `l${String(n).padStart(2, '0')}`
      const behavior =
        n % 8 === 0
          ? { acceptsAfterHours: 5, repliesAfterStep: 'thanks', replyText: 'Interested, tell me more' }
          : n % 8 === 1
            ? { acceptsAfterHours: 30 }
            : n % 8 === 2
              ? { repliesAfterStep: 'intro_email', replyText: 'No thanks, not interested' }
              : n % 8 === 3
                ? { outOfOffice: true }
                : n % 8 === 4
                  ? { bounces: true }
                  : {}
      return {
        id,
        campaignId: 'q2',
        profile: {
          firstName: `Lead ${n}`,
          linkedinProfileId: `p-${id}`,
          professionalEmail: `${id}@example.com`,
          ...(n % 3 === 0 ? { mobilePhone: '+34600000000' } : {}),
        },
        behavior,
      }
    }),
  })
  const clock = new VirtualClock(END)
  const engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    clock,
  })
  // What the simulator does not script: opens and clicks, a person's tags, a task marked done.
  const emails = result.events.filter((event) => event.type === 'message-sent' && event.channel === 'email')
  for (const [n, sent] of emails.slice(0, 8).entries()) {
    clock.set(Date.parse(sent.at) + 3_600_000)
    await engine.ingest({
      type: n % 3 === 0 ? 'link-clicked' : 'email-opened',
      lead: { leadId: sent.leadId ?? '' },
      campaignId: 'q2',
      at: new Date(clock.now()).toISOString(),
    })
  }
  clock.set(END)
  const conversations = (await engine.conversations.list({ campaignId: 'q2', limit: 500 })).items
  const [first, second] = conversations
  if (first === undefined || second === undefined) throw new Error('the scenario needs two conversations')
  await engine.conversations.tag(first.id, [{ name: 'Meeting booked', category: 'positive' }])
  await engine.conversations.tag(second.id, [{ name: HOSTILE_TAG, category: 'neutral' }])
  const task = (await engine.tasks.list('q2')).items[0]
  if (task === undefined) throw new Error('the scenario needs a task')
  await engine.ingest({ type: 'task-completed', taskId: task.key })
  return {
    engine,
    campaign: await engine.analytics.campaign('q2'),
    daily: await engine.analytics.daily('q2', { timeZone: 'Europe/Madrid' }),
    identity: await engine.analytics.identity('ana', { since: '2026-03-02', timeZone: 'Europe/Madrid' }),
  }
}
