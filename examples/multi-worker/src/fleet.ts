import { type IdentityInput, sequence, WEEKDAYS, type Weekday } from '@paceline/core'

/** The outreach the workers share: identities with small daily caps, a campaign and leads each. */
export interface FleetSize {
  readonly identities: number
  readonly leadsPerIdentity: number
}

export const LIMITS = { connectionsPerDay: 5, messagesPerDay: 8, emailsPerDay: 6, emailsPerHour: 2 } as const

/** The virtual week the run plays: it starts on a Monday at midnight UTC. */
export const START = Date.parse('2026-03-02T00:00:00Z')

export const identityId = (n: number) => `sender-${String(n).padStart(3, '0')}`

const ZONES = ['Europe/Madrid', 'America/New_York', 'Asia/Singapore'] as const
const EVERY_DAY: Weekday[] = [...WEEKDAYS]

export function identity(n: number): IdentityInput {
  return {
    id: identityId(n),
    name: `Sender ${n}`,
    workingHours: { timezone: ZONES[n % ZONES.length] as string, days: EVERY_DAY },
    linkedin: {
      accountId: `li-${n}`,
      limits: { connectionsPerDay: LIMITS.connectionsPerDay, messagesPerDay: LIMITS.messagesPerDay },
    },
    email: {
      inboxes: [
        {
          address: `sender${n}@acme.example`,
          limits: { perDay: LIMITS.emailsPerDay, perHour: LIMITS.emailsPerHour },
        },
      ],
    },
  }
}

export const fleetSequence = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect', note: 'Hi {{firstName}}, good to connect.' })
  .linkedinMessage({ id: 'hello', delay: { hours: 4 }, body: 'Thanks for connecting, {{firstName}}.' })
  .email({ id: 'mail', subject: 'A question, {{firstName}}', body: 'Would a short call help?' })
  .email({ id: 'bump', delay: { days: 1 }, body: 'Bumping this up.' })
  .build()

export function leadsOf(n: number, size: FleetSize) {
  return Array.from({ length: size.leadsPerIdentity }, (_, k) => ({
    id: `lead-${n}-${k}`,
    profile: {
      firstName: `Lee${k}`,
      company: 'Northwind',
      linkedinProfileId: `profile-${n}-${k}`,
      professionalEmail: `lee${n}.${k}@northwind.example`,
    },
  }))
}

/**
 * A clock every worker computes the same way from the real one: virtual time starts at `START` when the
 * real clock reads `t0`, and runs `speed` times faster.
 */
export function compressedClock(t0: number, speed: number): { now(): number } {
  return { now: () => START + Math.max(0, Date.now() - t0) * speed }
}
