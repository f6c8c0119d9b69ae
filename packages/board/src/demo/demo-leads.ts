import { hash32 } from '@paceline/core'
import type { LeadBehavior, SimulationInput } from '@paceline/core/testing'
import { frenchPartners, nycFounders, q2Outbound } from './demo-campaigns'

type DemoLead = SimulationInput['leads'][number]

interface People {
  readonly firstNames: readonly string[]
  readonly lastNames: readonly string[]
  readonly companies: readonly string[]
  readonly titles: readonly string[]
  readonly phone: string
}

const spain: People = {
  firstNames: ['Lucía', 'Javier', 'Marta', 'Pablo', 'Elena', 'Diego', 'Carmen', 'Álvaro', 'Sara', 'Hugo'],
  lastNames: ['García', 'Fernández', 'López', 'Sánchez', 'Romero', 'Navarro', 'Torres', 'Ruiz', 'Vidal'],
  companies: ['Northwind Iberia', 'Contoso Logística', 'Fabrikam Retail', 'Tailspin Seguros', 'Litware'],
  titles: ['Head of Sales', 'VP Operations', 'CFO', 'Growth Lead', 'Revenue Operations Manager'],
  phone: '+34 600 000 0',
}
const newYork: People = {
  firstNames: ['Maya', 'Jordan', 'Priya', 'Ethan', 'Grace', 'Marcus', 'Olivia', 'Daniel', 'Zoe', 'Samuel'],
  lastNames: ['Chen', 'Brooks', 'Patel', 'Nguyen', 'Johnson', 'Rivera', 'Kim', 'Walker', 'Adeyemi'],
  companies: ['Wingtip Labs', 'Proseware', 'Adventure Works', 'Blue Yonder AI', 'Hudson Ledger'],
  titles: ['Founder & CEO', 'Co-founder', 'CTO', 'Founder', 'COO'],
  phone: '+1 212 555 01',
}
const france: People = {
  firstNames: ['Camille', 'Louis', 'Manon', 'Théo', 'Léa', 'Nathan', 'Inès', 'Julien', 'Clara', 'Antoine'],
  lastNames: ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Laurent', 'Girard', 'Roux', 'Fontaine'],
  companies: ['Agence Lumière', 'Studio Rivoli', 'Atelier Numérique', 'Maison Pixel', 'Canal Conseil'],
  titles: ['Directrice associée', 'Fondateur', 'Head of Partnerships', 'Directeur commercial', 'CEO'],
  phone: '+33 6 00 00 0',
}

/** Plain ASCII for an email address: "Lucía García" -> "lucia.garcia". */
const slug = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '')

function person(
  people: People,
  seed: number,
  prefix: string,
  n: number,
  omit: { readonly linkedin?: boolean; readonly email?: boolean; readonly phone?: boolean } = {},
) {
  const pick = <T>(list: readonly T[], salt: string) => list[hash32(seed, prefix, salt, n) % list.length] as T
  const firstName = pick(people.firstNames, 'first')
  const lastName = pick(people.lastNames, 'last')
  const company = pick(people.companies, 'company')
  const domain = `${slug(company)}.example`
  return {
    firstName,
    lastName,
    jobTitle: pick(people.titles, 'title'),
    company: { name: company, domain },
    ...(omit.linkedin
      ? {}
      : { linkedinProfileId: `ACoAA${hash32(seed, prefix, 'profile', n).toString(36)}` }),
    ...(omit.email ? {} : { professionalEmail: `${slug(firstName)}.${slug(lastName)}${n}@${domain}` }),
    ...(omit.phone ? {} : { mobilePhone: `${people.phone}${String(n).padStart(2, '0')}` }),
  }
}

const id = (prefix: string, n: number) => `${prefix}-${String(n + 1).padStart(2, '0')}`

/**
 * Ana's 48 leads on LinkedIn + Email + Call: quick and slow acceptances, positive and negative replies, out
 * of office, bounces, leads who never accept (they go on by email after 14 days), and two leads with no
 * LinkedIn profile, who stop in error at the first step.
 */
function q2Leads(seed: number): DemoLead[] {
  return Array.from({ length: 48 }, (_, n): DemoLead => {
    const delay = 4 + (hash32(seed, 'q2', 'delay', n) % 40)
    const behavior: LeadBehavior =
      n % 8 === 0
        ? { acceptsAfterHours: delay, repliesAfterStep: 'thanks', replyText: 'Interested, tell me more' }
        : n % 8 === 1
          ? { acceptsAfterHours: 24 + delay }
          : n % 8 === 2
            ? { repliesAfterStep: 'intro_email', replyText: 'No thanks, not interested right now' }
            : n % 8 === 3
              ? { outOfOffice: true }
              : n % 8 === 4
                ? { bounces: true }
                : n % 8 === 5
                  ? {
                      acceptsAfterHours: delay,
                      repliesAfterStep: 'thanks',
                      replyDelayHours: 20,
                      replyText: "Sounds good, let's talk next week",
                    }
                  : {}
    const missingProfile = n === 6 || n === 30
    return {
      id: id('q2', n),
      campaignId: q2Outbound.id,
      profile: person(spain, seed, 'q2', n, { linkedin: missingProfile, phone: n % 3 !== 0 }),
      behavior,
    }
  })
}

/**
 * Ben's 36 founders on LinkedIn only: some accept and answer the opener (yes or no), some accept and stay
 * silent, some never accept; one has no LinkedIn profile (error). The campaign is paused part way.
 */
function nycLeads(seed: number): DemoLead[] {
  return Array.from({ length: 36 }, (_, n): DemoLead => {
    const delay = 6 + (hash32(seed, 'nyc', 'delay', n) % 30)
    const behavior: LeadBehavior =
      n % 6 === 0
        ? {
            acceptsAfterHours: delay,
            repliesAfterStep: 'opener',
            replyText: "Yes, let's chat. Thursday afternoon works for me",
          }
        : n % 6 === 1
          ? {
              acceptsAfterHours: delay,
              repliesAfterStep: 'opener',
              replyText: 'Not interested, we built this in-house',
            }
          : n % 6 === 2 || n % 6 === 4
            ? { acceptsAfterHours: delay + 12 }
            : {}
    return {
      id: id('nyc', n),
      campaignId: nycFounders.id,
      profile: person(newYork, seed, 'nyc', n, { email: true, phone: true, linkedin: n === 11 }),
      behavior,
    }
  })
}

/**
 * Chloé's 36 agencies by email, with the copilot drafting answers: replies to the first email (yes, no,
 * a question after the follow-up), out of office, bounces, silence to the end of the sequence, and one
 * lead with no email address (error at the first step).
 */
function partnerLeads(seed: number): DemoLead[] {
  return Array.from({ length: 36 }, (_, n): DemoLead => {
    const behavior: LeadBehavior =
      n % 8 === 0
        ? { repliesAfterStep: 'intro', replyText: 'Yes, happy to book a demo. Does next Tuesday work?' }
        : n % 8 === 1
          ? {
              repliesAfterStep: 'follow_up',
              replyDelayHours: 26,
              replyText: 'Can you send more details about the partner programme?',
            }
          : n % 8 === 2
            ? { repliesAfterStep: 'intro', replyText: 'Not interested, thanks' }
            : n % 8 === 3
              ? { outOfOffice: true }
              : n % 8 === 4
                ? { bounces: true }
                : {}
    return {
      id: id('fr', n),
      campaignId: frenchPartners.id,
      profile: person(france, seed, 'fr', n, { linkedin: true, phone: true, email: n === 17 }),
      behavior,
    }
  })
}

/** The demo's 120 leads with their scripted behaviour; names and delays vary with the seed. */
export function demoLeads(seed: number): DemoLead[] {
  return [...q2Leads(seed), ...nycLeads(seed), ...partnerLeads(seed)]
}
