// A user's own test file: the sequence's behaviour, checked in virtual time, in milliseconds.
import { simulate } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { onboardingSequence } from '../src/onboarding-sequence'

const ana = {
  id: 'ana',
  name: 'Ana Ruiz',
  workingHours: { timezone: 'Europe/Madrid' },
  linkedin: { accountId: 'li_123', limits: { connectionsPerDay: 20 } },
  email: { inboxes: [{ address: 'ana@acme.io' }] },
}
const campaign = {
  id: 'onboarding',
  identityId: 'ana',
  priority: 'high' as const,
  sequence: onboardingSequence,
}
const profile = (name: string) => ({
  firstName: name,
  company: 'Northwind',
  linkedinProfileId: `li-${name}`,
  professionalEmail: `${name.toLowerCase()}@northwind.example`,
})

describe('onboarding sequence', () => {
  it('follows up on LinkedIn when the invitation is accepted, and never emails', async () => {
    const result = await simulate({
      start: '2026-03-02T07:00:00Z',
      days: 14,
      identities: [ana],
      campaigns: [campaign],
      leads: [
        { id: 'eva', campaignId: 'onboarding', profile: profile('Eva'), behavior: { acceptsAfterHours: 8 } },
      ],
    })
    const steps = result.events
      .filter((event) => event.leadId === 'eva' && event.action !== undefined)
      .map((event) => event.stepId)
    expect(steps).toEqual(['visit', 'invite', 'thanks', 'nudge'])
    expect(result.leads[0]).toMatchObject({ status: 'finished', substatus: 'no_response' })
  })

  it('switches to email when the invitation is not accepted within 10 days', async () => {
    const result = await simulate({
      start: '2026-03-02T07:00:00Z',
      days: 21,
      identities: [ana],
      campaigns: [campaign],
      leads: [
        { id: 'liam', campaignId: 'onboarding', profile: profile('Liam'), behavior: { declines: true } },
      ],
    })
    const emails = result.events.filter((event) => event.action === 'email')
    expect(emails.map((event) => event.stepId)).toEqual(['email', 'bump'])
    const invited = result.events.find((event) => event.action === 'send_connection')
    const days = (Date.parse(emails[0]?.at ?? '') - Date.parse(invited?.at ?? '')) / 86_400_000
    expect(days).toBeGreaterThanOrEqual(10)
  })

  it('stops as soon as the lead replies', async () => {
    const result = await simulate({
      start: '2026-03-02T07:00:00Z',
      days: 14,
      identities: [ana],
      campaigns: [campaign],
      leads: [
        {
          id: 'mia',
          campaignId: 'onboarding',
          profile: profile('Mia'),
          behavior: { acceptsAfterHours: 2, repliesAfterStep: 'thanks' },
        },
      ],
    })
    expect(result.events.some((event) => event.stepId === 'nudge')).toBe(false)
    expect(result.leads[0]?.status).toBe('replied')
  })

  it('never sends more than 20 invitations a day, even with 100 leads waiting', async () => {
    const result = await simulate({
      start: '2026-03-02T07:00:00Z',
      days: 7,
      identities: [ana],
      campaigns: [campaign],
      leads: Array.from({ length: 100 }, (_, n) => ({
        id: `lead-${n}`,
        campaignId: 'onboarding',
        profile: profile(`Lead${n}`),
      })),
    })
    for (const day of result.summary.identities)
      expect(day.counts.send_connection ?? 0).toBeLessThanOrEqual(20)
    const waiting = result.leads.filter((lead) => lead.stepId === 'invite')
    expect(waiting.length).toBeGreaterThan(0)
    expect(waiting.every((lead) => lead.substatus !== null)).toBe(true)
  })
})
