import { sequence, WEEKDAYS } from '@paceline/core'

/**
 * The fleet the multi-worker tests run: many identities with small daily caps, a campaign each, a few
 * thousand leads, run by several worker processes on one PostgreSQL in compressed virtual time.
 */
export const FLEET = {
  identities: 200,
  leadsPerIdentity: 15,
  /** Virtual Monday 00:00 UTC to Wednesday 12:00 UTC. */
  start: Date.parse('2026-03-02T00:00:00Z'),
  end: Date.parse('2026-03-04T12:00:00Z'),
  /** Virtual milliseconds per real millisecond: one virtual hour a real second. */
  speed: 3600,
  /** Real milliseconds a worker owns an identity without renewing (judged by the database's clock). */
  identityLeaseMs: 8_000,
} as const

export const LIMITS = { send_connection: 3, linkedin_message: 4, email: 3, emailPerHour: 1 } as const

export const identityId = (n: number) => `id-${String(n).padStart(3, '0')}`
export const inboxOf = (n: number) => `sender${n}@acme.example`

export function identity(n: number) {
  return {
    id: identityId(n),
    name: `Sender ${n}`,
    workingHours: {
      // Three time zones, so "a day" is a different UTC span per identity.
      timezone: ['UTC', 'Europe/Madrid', 'America/New_York'][n % 3] as string,
      days: [...WEEKDAYS],
      windows: [{ start: '06:00', end: '20:00' }],
    },
    linkedin: {
      accountId: `li-${n}`,
      limits: { connectionsPerDay: LIMITS.send_connection, messagesPerDay: LIMITS.linkedin_message },
    },
    email: {
      inboxes: [{ address: inboxOf(n), limits: { perDay: LIMITS.email, perHour: LIMITS.emailPerHour } }],
    },
  }
}

export const fleetSequence = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect', note: 'Hi {{firstName}}' })
  .linkedinMessage({ id: 'hello', delay: { hours: 2 }, body: 'Hello {{firstName}}' })
  .email({ id: 'mail', subject: 'Hi {{firstName}}', body: 'A note' })
  .email({ id: 'bump', delay: { hours: 12 }, body: 'Bump' })
  .build()

/** The leads of identity `n`, each with a LinkedIn profile and an email address. */
export function leadsOf(n: number, count: number = FLEET.leadsPerIdentity) {
  return Array.from({ length: count }, (_, k) => ({
    id: `lead-${n}-${k}`,
    profile: {
      firstName: `L${k}`,
      linkedinProfileId: `p-${n}-${k}`,
      professionalEmail: `l${n}x${k}@northwind.example`,
    },
  }))
}

/** One line of the sends file: what a channel received, when (virtual time), from whom. */
export interface SendRecord {
  readonly kind: 'sendInvitation' | 'sendMessage' | 'email'
  readonly key: string
  readonly identityId: string
  readonly at: number
  readonly worker: string
}
