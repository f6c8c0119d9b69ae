import { hash32, type LeadInput } from '@paceline/core'
import type { LeadBehavior } from '@paceline/core/testing'

const firstNames = [
  'Eva',
  'Liam',
  'Sofía',
  'Noah',
  'Mia',
  'Lucas',
  'Emma',
  'Hugo',
  'Olivia',
  'Mateo',
  'Chloé',
  'Leo',
]
const lastNames = [
  'Lind',
  'García',
  'Müller',
  'Rossi',
  'Dubois',
  'Novak',
  'Silva',
  'Jensen',
  'Kowalski',
  'Costa',
]
const replies = [
  "Sounds interesting, let's talk next week",
  'Not interested, thanks',
  'Can you send more details?',
  'Yes, happy to book a demo',
] as const
const companies = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Wingtip',
  'Litware',
  'Adventure Works',
  'Proseware',
]

/** `count` plausible leads with scripted behaviour, the same for the same seed. */
export function generateLeads(count: number, seed: number): (LeadInput & { behavior: LeadBehavior })[] {
  return Array.from({ length: count }, (_, n) => {
    const pick = <T>(list: readonly T[], salt: string) => list[hash32(seed, salt, n) % list.length] as T
    const roll = hash32(seed, 'behaviour', n) % 100
    const firstName = pick(firstNames, 'first')
    const lastName = pick(lastNames, 'last')
    const company = pick(companies, 'company')
    const behavior: LeadBehavior =
      roll < 35
        ? {
            acceptsAfterHours: 6 + (hash32(seed, 'delay', n) % 60),
            ...(roll < 12
              ? { repliesAfterStep: 'thanks', replyDelayHours: 5, replyText: replies[roll % replies.length] }
              : {}),
          }
        : roll < 42
          ? {
              declines: true,
              repliesAfterStep: 'email',
              replyDelayHours: 20,
              replyText: replies[roll % replies.length],
            }
          : roll < 46
            ? { declines: true, bounces: true }
            : roll < 49
              ? { declines: true, outOfOffice: true }
              : { declines: true }
    return {
      id: `lead-${n + 1}`,
      profile: {
        firstName,
        lastName,
        company,
        jobTitle: pick(['Head of Sales', 'VP Operations', 'CFO', 'Growth Lead', 'CTO'], 'title'),
        linkedinProfileId: `ACoAA${hash32(seed, 'profile', n).toString(36)}`,
        professionalEmail: `${firstName
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '')}.${lastName
          .toLowerCase()
          .normalize('NFD')
          .replace(/[^a-z]/g, '')}${n}@${company.toLowerCase().replace(/\s+/g, '')}.example`,
      },
      behavior,
    }
  })
}
