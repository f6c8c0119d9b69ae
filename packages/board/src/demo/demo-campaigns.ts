import { type CampaignInput, templates } from '@paceline/core'
import type { SimulationInput } from '@paceline/core/testing'

/** What the copilot is told to offer when it drafts an answer in the partners campaign. */
export const PARTNERS_PROMPT =
  'Thank them, offer a 20-minute call on Tuesday or Thursday, and offer to send the partner programme one-pager'

/** Ana's main campaign: LinkedIn, then email, then a call; runs the whole time. High priority. */
export const q2Outbound = {
  id: 'q2-outbound',
  name: 'Q2 outbound: LinkedIn, email and call',
  identityId: 'ana',
  priority: 'high',
  sequence: templates.linkedinEmailCall.sequence,
} as const satisfies SimulationInput['campaigns'][number]

/** Ben's LinkedIn-only campaign: paused after some days. Medium priority. */
export const nycFounders = {
  id: 'nyc-founders',
  name: 'NYC founders on LinkedIn',
  identityId: 'ben',
  priority: 'medium',
  sequence: templates.linkedinOnly.sequence,
} as const satisfies SimulationInput['campaigns'][number]

/**
 * Chloé's email campaign, whose replies get a draft from the AI copilot. Low priority; scheduled to start a
 * week after the others, so that it is still under way at the end.
 */
export const frenchPartners = {
  id: 'fr-partners',
  name: 'Partner agencies in France (copilot)',
  identityId: 'chloe',
  priority: 'low',
  sequence: templates.emailOnly.sequence,
  settings: { replies: { mode: 'copilot', prompt: PARTNERS_PROMPT } },
  startAt: '2026-03-09T08:00:00Z',
} as const satisfies SimulationInput['campaigns'][number]

/** The campaigns the simulation runs. */
export const simulatedCampaigns = [q2Outbound, nycFounders, frenchPartners] as const

/** A campaign still being written: a draft with no leads, created after the simulation. */
export const webinarDraft: CampaignInput = {
  id: 'webinar-follow-up',
  name: 'Webinar follow-up (draft)',
  identityId: 'ana',
  priority: 'medium',
  sequence: templates.linkedinEmail.sequence,
}
