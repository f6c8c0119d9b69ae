import type { IdentityInput } from '@paceline/core'

/** Ana sells from Madrid on LinkedIn and from one inbox. */
export const ana: IdentityInput = {
  id: 'ana',
  name: 'Ana Martín',
  workingHours: { timezone: 'Europe/Madrid' },
  linkedin: { accountId: 'li-ana', limits: { connectionsPerDay: 5, messagesPerDay: 60 } },
  email: { inboxes: [{ address: 'ana@acme.example', limits: { perDay: 30, perHour: 5 } }] },
  contact: { firstName: 'Ana', lastName: 'Martín', jobTitle: 'Account Executive' },
}

/**
 * Ben works New York on LinkedIn only, as an engagement identity, with a daily connection limit above the
 * recommended 20: `identityWarnings` warns about it.
 */
export const ben: IdentityInput = {
  id: 'ben',
  name: 'Ben Okafor',
  type: 'engagement',
  workingHours: { timezone: 'America/New_York' },
  linkedin: { accountId: 'li-ben', limits: { connectionsPerDay: 40 } },
  contact: { firstName: 'Ben', lastName: 'Okafor', jobTitle: 'Founder Relations' },
}

/** Chloé writes from Paris by email only, from two inboxes. */
export const chloe: IdentityInput = {
  id: 'chloe',
  name: 'Chloé Durand',
  workingHours: { timezone: 'Europe/Paris' },
  email: {
    inboxes: [
      { address: 'chloe@acme.example', limits: { perDay: 3, perHour: 2 } },
      { address: 'chloe.durand@acme-mail.example', limits: { perDay: 3, perHour: 2 } },
    ],
  },
  contact: { firstName: 'Chloé', lastName: 'Durand', jobTitle: 'Partnerships Manager' },
}

/** The demo's senders, in the order they are created. */
export const demoIdentities: readonly IdentityInput[] = [ana, ben, chloe]
