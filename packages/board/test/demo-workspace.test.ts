import { type Engine, identityWarnings, type LeadView, PacelineError } from '@paceline/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoWorkspace, demoWorkspace } from '../src/demo'

/** Every lead of a campaign (the demo has fewer than 500 per campaign). */
async function leadsOf(engine: Engine, campaignId: string): Promise<LeadView[]> {
  const page = await engine.leads.list(campaignId, { limit: 500 })
  expect(page.next).toBeUndefined()
  return [...page.items]
}

describe('demoWorkspace', () => {
  let demo: DemoWorkspace
  beforeAll(async () => {
    demo = await demoWorkspace()
  })
  afterAll(() => demo?.close())

  it('ends 21 days after it started, with the clock the engine reads', async () => {
    expect(new Date(demo.clock.now()).toISOString()).toBe('2026-03-23T11:00:00.000Z')
  })

  it('has three identities, one an engagement identity whose limit earns a warning', async () => {
    const identities = await demo.engine.identities.list()
    expect(identities.map((each) => [each.id, each.name, each.type]).sort()).toEqual([
      ['ana', 'Ana Martín', 'standard'],
      ['ben', 'Ben Okafor', 'engagement'],
      ['chloe', 'Chloé Durand', 'standard'],
    ])
    const byId = new Map(identities.map((each) => [each.id, each]))
    const ana = byId.get('ana')
    const ben = byId.get('ben')
    const chloe = byId.get('chloe')
    expect(ana?.linkedin).toBeDefined()
    expect(ana?.email.inboxes).toHaveLength(1)
    expect(ben?.linkedin?.limits.connectionsPerDay).toBe(40)
    expect(ben?.email.inboxes).toHaveLength(0)
    expect(chloe?.linkedin).toBeUndefined()
    expect(chloe?.email.inboxes).toHaveLength(2)
    expect(ben?.workingHours.timezone).toBe('America/New_York')
    // Only Ben's identity is set above a recommendation.
    expect(identityWarnings(ben as NonNullable<typeof ben>).map((each) => each.field)).toContain(
      'linkedin.limits.connectionsPerDay',
    )
    expect(identityWarnings(ana as NonNullable<typeof ana>)).toEqual([])
    expect(identityWarnings(chloe as NonNullable<typeof chloe>)).toEqual([])
  })

  it('has a running, a paused, a copilot and a draft campaign, of different priorities', async () => {
    const campaigns = (await demo.engine.campaigns.list({ limit: 50 })).items
    const summary = Object.fromEntries(
      campaigns.map((each) => [
        each.id,
        [each.identityId, each.status, each.priority, each.settings.replies.mode],
      ]),
    )
    expect(summary).toEqual({
      'q2-outbound': ['ana', 'running', 'high', 'manual'],
      'nyc-founders': ['ben', 'paused', 'medium', 'manual'],
      'fr-partners': ['chloe', 'running', 'low', 'copilot'],
      'webinar-follow-up': ['ana', 'draft', 'medium', 'manual'],
    })
    const copilot = await demo.engine.campaigns.get('fr-partners')
    expect(copilot.settings.replies.prompt).toMatch(/20-minute call/)
    expect((await demo.engine.campaigns.stats('webinar-follow-up')).total).toBe(0)
    const total = (
      await Promise.all(
        ['q2-outbound', 'nyc-founders', 'fr-partners'].map((id) => demo.engine.campaigns.stats(id)),
      )
    ).reduce((sum, stats) => sum + stats.total, 0)
    expect(total).toBe(120)
  })

  it('has conversations waiting for an answer, some with a copilot draft', async () => {
    const waiting = (await demo.engine.conversations.list({ needsAnswer: true, limit: 500 })).items
    expect(waiting.length).toBeGreaterThanOrEqual(3)
    expect(new Set(waiting.map((each) => each.campaignId))).toEqual(
      new Set(['q2-outbound', 'nyc-founders', 'fr-partners']),
    )
    const drafted = waiting.filter((each) => each.agent.hasSuggestion)
    expect(drafted.length).toBeGreaterThanOrEqual(1)
    // Drafts only where the campaign asks the copilot for them.
    expect(new Set(drafted.map((each) => each.campaignId))).toEqual(new Set(['fr-partners']))
    for (const conversation of drafted) {
      const suggestion = await demo.engine.conversations.suggestion(conversation.id)
      expect(suggestion?.text).toContain('offer a 20-minute call')
    }
    // A manual campaign's conversations get no draft.
    const manual = waiting.find((each) => each.campaignId === 'q2-outbound')
    expect(manual).toBeDefined()
    expect(await demo.engine.conversations.suggestion(manual?.id ?? '')).toBeUndefined()
  })

  it('has conversations a person tagged and answered', async () => {
    const booked = (await demo.engine.conversations.list({ tag: 'Meeting booked' })).items
    expect(booked).toHaveLength(1)
    expect(booked[0]?.category).toBe('positive')
    expect(booked[0]?.needsAnswer).toBe(false)
    const messages = (await demo.engine.conversations.get(booked[0]?.id ?? '')).messages
    expect(messages.at(-1)).toMatchObject({ direction: 'outbound', author: 'person' })

    const onePager = (await demo.engine.conversations.list({ tag: 'Send one-pager' })).items
    expect(onePager).toHaveLength(1)
    expect(onePager[0]).toMatchObject({ campaignId: 'fr-partners', needsAnswer: true, category: 'neutral' })

    // The copilot's draft a person sent: the agent stood down there.
    const all = (await demo.engine.conversations.list({ campaignId: 'fr-partners', limit: 500 })).items
    expect(all.filter((each) => each.agent.status === 'stood_down')).toHaveLength(1)
  })

  it('has leads in error, paused, finished and waiting with a reason', async () => {
    const q2 = await leadsOf(demo.engine, 'q2-outbound')
    const nyc = await leadsOf(demo.engine, 'nyc-founders')
    const fr = await leadsOf(demo.engine, 'fr-partners')
    const errors = [...q2, ...fr].filter((lead) => lead.status === 'error')
    expect(errors.map((lead) => `${lead.campaignId}/${lead.leadId}/${lead.substatus}`).sort()).toEqual([
      'fr-partners/fr-18/missing_contact_email',
      'q2-outbound/q2-07/linkedin_url_not_found',
      'q2-outbound/q2-31/linkedin_url_not_found',
    ])
    expect((await demo.engine.leads.list('q2-outbound', { status: 'error' })).items).toHaveLength(2)

    // The paused campaign's leads that were still going are paused; one lead was paused by hand.
    expect(nyc.filter((lead) => lead.status === 'paused').length).toBeGreaterThan(10)
    expect(q2.filter((lead) => lead.status === 'paused')).toHaveLength(1)

    const finished = [...q2, ...fr].filter((lead) => lead.status === 'finished')
    expect(new Set(finished.map((lead) => lead.substatus))).toEqual(
      new Set(['no_response', 'bounced', 'out_of_office']),
    )
    expect([...q2, ...nyc, ...fr].filter((lead) => lead.status === 'replied').length).toBeGreaterThan(20)

    const waiting = [...q2, ...fr].filter((lead) => lead.status === 'in_progress')
    expect(waiting.length).toBeGreaterThan(5)
    for (const lead of waiting) expect(lead.reason).toBeDefined()
    expect(new Set(waiting.map((lead) => lead.reason)).size).toBeGreaterThanOrEqual(2)
  })

  it('counts the opens and clicks ingested after the simulation', async () => {
    const analytics = await Promise.all(
      ['q2-outbound', 'fr-partners'].map((id) => demo.engine.analytics.campaign(id)),
    )
    expect(analytics.reduce((sum, each) => sum + each.email.opened, 0)).toBeGreaterThan(0)
    expect(analytics.reduce((sum, each) => sum + each.email.clicked, 0)).toBeGreaterThan(0)
  })
})

it('gives the same workspace for the same options, and another one for another seed', async () => {
  const fingerprint = async (options: { days: number; seed?: number }) => {
    const demo = await demoWorkspace(options)
    try {
      const leads = []
      for (const campaign of (await demo.engine.campaigns.list({ limit: 50 })).items)
        for (const lead of (await demo.engine.leads.list(campaign.id, { limit: 500 })).items)
          leads.push([lead.leadId, lead.profile.firstName, lead.status, lead.substatus, lead.nextEligibleAt])
      const conversations = (await demo.engine.conversations.list({ limit: 500 })).items.map((each) => [
        each.id,
        each.lastActivityAt,
        each.needsAnswer,
        each.agent.hasSuggestion,
      ])
      return JSON.stringify({ at: demo.clock.now(), leads, conversations })
    } finally {
      await demo.close()
    }
  }
  const first = await fingerprint({ days: 8 })
  expect(await fingerprint({ days: 8 })).toBe(first)
  expect(await fingerprint({ days: 8, seed: 8 })).not.toBe(first)
})

it('refuses options out of range with invalid_options, naming each field', async () => {
  const refused = await demoWorkspace({ days: 0, seed: 1.5 }).then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(PacelineError.is(refused, 'invalid_options')).toBe(true)
  expect((refused as PacelineError).issues.map((issue) => issue.field).sort()).toEqual(['days', 'seed'])
  expect((refused as PacelineError).message).toContain('demoWorkspace options')
  await expect(demoWorkspace({ days: 61 })).rejects.toThrow(/days/)
})
