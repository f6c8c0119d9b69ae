import { performance } from 'node:perf_hooks'
import { type IdentityInput, sequence } from '@paceline/core'
import { simulate } from '@paceline/core/testing'
import { memoryPeaks, round } from '../../../bench/measure'

const zones = ['Europe/Madrid', 'America/New_York', 'Europe/London', 'Asia/Singapore', 'America/Los_Angeles']

/** The 6-step LinkedIn + email sequence of the benchmark. */
const sixSteps = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect', note: 'Hi {{firstName}}, glad to connect.' })
  .condition(
    { type: 'connection_accepted', withinDays: 7 },
    {
      then: (path) =>
        path.linkedinMessage({
          id: 'thanks',
          delay: { days: 1 },
          body: 'Thanks for connecting, {{firstName}}!',
        }),
      else: (path) => path,
    },
    { id: 'accepted' },
  )
  .email({
    id: 'mail',
    delay: { days: 1 },
    subject: 'Quick question, {{firstName}}',
    body: 'Hi {{firstName}}, a short note.',
  })
  .email({ id: 'follow_up', delay: { days: 3 }, body: 'Bumping this, {{firstName}}.' })
  .build()

/**
 * 10,000 leads in 10 campaigns on 20 identities for 30 days. A campaign has exactly one identity, so
 * each of the 10 campaigns runs on two identities (20 campaign instances of 500 leads).
 */
export async function simulationBenchmark(
  options: { leads?: number; days?: number; onProgress?: (done: number) => void } = {},
) {
  const leadCount = options.leads ?? 10_000
  const days = options.days ?? 30
  const identities: IdentityInput[] = Array.from({ length: 20 }, (_, n) => ({
    id: `identity-${n}`,
    name: `Sender ${n}`,
    workingHours: { timezone: zones[n % zones.length] as string },
    linkedin: { accountId: `li-${n}`, premium: n % 4 === 0 },
    email: { inboxes: [{ address: `sender${n}@acme.io` }, { address: `sender${n}@acme-mail.io` }] },
  }))
  const priorities = ['high', 'medium', 'low'] as const
  const campaigns = identities.map((identity, n) => ({
    id: `campaign-${n % 10}-${n < 10 ? 'a' : 'b'}`,
    identityId: identity.id,
    priority: priorities[n % 3] as (typeof priorities)[number],
    sequence: sixSteps,
  }))
  const leads = Array.from({ length: leadCount }, (_, n) => {
    const roll = (n * 7919) % 100
    return {
      id: `lead-${n}`,
      campaignId: (campaigns[n % campaigns.length] as (typeof campaigns)[number]).id,
      profile: {
        firstName: `Lead${n}`,
        lastName: 'Example',
        company: `Company ${n % 500}`,
        linkedinProfileId: `profile-${n}`,
        professionalEmail: `lead${n}@example-corp.io`,
      },
      behavior:
        roll < 30
          ? {
              acceptsAfterHours: 10 + (n % 40),
              ...(roll < 6 ? { repliesAfterStep: 'thanks', replyDelayHours: 3 } : {}),
            }
          : roll < 33
            ? { bounces: true }
            : roll < 35
              ? { outOfOffice: true }
              : { declines: true },
    }
  })
  const memory = memoryPeaks()
  const start = performance.now()
  const result = await simulate({
    start: '2026-03-02T00:00:00Z',
    days,
    seed: 42,
    identities,
    campaigns,
    leads,
    onProgress: (progress) => {
      memory.sample()
      options.onProgress?.(progress.done)
    },
  })
  const wallMs = performance.now() - start
  const peaks = memory.stop()
  const executed = result.events.filter((event) => event.action !== undefined).length
  return {
    leads: leadCount,
    identities: identities.length,
    campaigns: new Set(campaigns.map((campaign) => campaign.id.replace(/-[ab]$/, ''))).size,
    campaignInstances: campaigns.length,
    days,
    wallMs: Math.round(wallMs),
    events: result.events.length,
    executedActions: executed,
    eventsPerSecond: Math.round(result.events.length / (wallMs / 1000)),
    simulatedDaysPerSecond: round(days / (wallMs / 1000), 2),
    peakRssMb: peaks.rssMb,
    peakHeapMb: peaks.heapMb,
    finalStatuses: result.leads.reduce<Record<string, number>>((counts, lead) => {
      counts[lead.status] = (counts[lead.status] ?? 0) + 1
      return counts
    }, {}),
  }
}
