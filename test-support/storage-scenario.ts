import { templates } from '@paceline/core'
import type { SimulationInput as Input } from '@paceline/core/testing'

/** For store tests: a small but varied simulation: acceptances, declines, replies, bounces, two inboxes. */
export function scenario(options: { leads: number; days: number }): Input {
  return {
    start: '2026-03-02T06:00:00Z',
    days: options.days,
    seed: 11,
    identities: [
      {
        id: 'ana',
        name: 'Ana',
        workingHours: { timezone: 'Europe/Madrid' },
        linkedin: { accountId: 'li-ana', limits: { connectionsPerDay: 8, messagesPerDay: 20 } },
        email: {
          inboxes: [
            { address: 'ana@acme.io', limits: { perDay: 10, perHour: 3 } },
            { address: 'ana@acme.co' },
          ],
        },
      },
    ],
    campaigns: [{ id: 'c', identityId: 'ana', priority: 'high', sequence: templates.linkedinEmail.sequence }],
    leads: Array.from({ length: options.leads }, (_, n) => ({
      id: `lead-${n}`,
      campaignId: 'c',
      profile: {
        firstName: `L${n}`,
        company: 'Northwind',
        linkedinProfileId: `p-${n}`,
        professionalEmail: `l${n}@northwind.example`,
      },
      behavior:
        n % 5 === 0
          ? { acceptsAfterHours: 7, repliesAfterStep: 'thanks' }
          : n % 5 === 1
            ? { acceptsAfterHours: 30 }
            : n % 5 === 2
              ? { declines: true, bounces: n % 2 === 0 }
              : { declines: true, repliesAfterStep: 'email', replyDelayHours: 9 },
    })),
  } satisfies Input
}
