import type { IdentityInput, SequenceInput } from '../src/index'

/** The identity of the README examples (Ana Ruiz), which must be accepted exactly as written. */
export const anaInput = {
  id: 'ana',
  name: 'Ana Ruiz',
  workingHours: {
    timezone: 'Europe/Madrid',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    windows: [{ start: '09:00', end: '18:00' }],
  },
  linkedin: { accountId: 'li_123', premium: false, limits: { connectionsPerDay: 20, messagesPerDay: 100 } },
  email: { inboxes: [{ address: 'ana@acme.io', limits: { perDay: 30, perHour: 5 } }] },
} satisfies IdentityInput

/** The canonical example sequence: visit, connect, then a thank-you message or an email. */
export const designSequence = {
  version: 1,
  start: 'visit',
  steps: {
    visit: { kind: 'visit_profile', next: 'connect' },
    connect: { kind: 'send_connection', note: 'Hi {{firstName}}', next: 'accepted' },
    accepted: {
      kind: 'condition',
      if: { type: 'connection_accepted', withinDays: 14 },
      then: 'thanks',
      else: 'mail',
    },
    thanks: { kind: 'linkedin_message', delay: { days: 1 }, body: 'Thanks for connecting', next: null },
    mail: { kind: 'email', subject: 'Quick question', body: 'Hi {{firstName | "there"}}', next: null },
  },
} satisfies SequenceInput

/** A deep copy of the design sequence with `edit` applied to its steps, typed loosely for invalid inputs. */
export function designWith(
  edit: (steps: Record<string, Record<string, unknown>>) => void,
): Record<string, unknown> {
  const copy = structuredClone(designSequence) as unknown as {
    steps: Record<string, Record<string, unknown>>
  }
  edit(copy.steps)
  return copy
}
