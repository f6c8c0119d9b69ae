import { sequence } from '@paceline/core'

export const START = '2026-03-02T00:00:00Z'
export const END = '2026-03-08T00:00:00Z'
export const LIMITS = { send_connection: 5, linkedin_message: 8, email: 6 } as const

export const identity = {
  id: 'ana',
  name: 'Ana',
  workingHours: {
    timezone: 'UTC',
    days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as (
      | 'mon'
      | 'tue'
      | 'wed'
      | 'thu'
      | 'fri'
      | 'sat'
      | 'sun'
    )[],
    windows: [{ start: '06:00', end: '20:00' }],
  },
  linkedin: {
    accountId: 'li-ana',
    limits: { connectionsPerDay: LIMITS.send_connection, messagesPerDay: LIMITS.linkedin_message },
  },
  email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: LIMITS.email, perHour: 3 } }] },
}

export const crashSequence = sequence()
  .visitProfile({ id: 'visit' })
  .sendConnection({ id: 'connect', note: 'Hi {{firstName}}' })
  .linkedinMessage({ id: 'hello', delay: { hours: 6 }, body: 'Hello {{firstName}}' })
  .email({ id: 'mail', subject: 'Hi {{firstName}}', body: 'A note' })
  .email({ id: 'bump', delay: { days: 1 }, body: 'Bump' })
  .build()

export const leads = Array.from({ length: 30 }, (_, n) => ({
  id: `lead-${n}`,
  profile: { firstName: `L${n}`, linkedinProfileId: `p-${n}`, professionalEmail: `l${n}@northwind.example` },
}))
