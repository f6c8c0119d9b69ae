import { activityFromActions, BILLING_ACTIVITY_TYPES, engagementBilling } from '@paceline/adapter-linkedin'
import type { Identity } from '@paceline/core'
import { formatCount, formatInstant } from '../format'
import type { BoardContext } from '../http/board-context'
import { html, type Markup, time } from '../http/markup'

const DAY_MS = 86_400_000

/** The calendar month (UTC) that holds `now`: the billing cycle the meter shows. */
function monthOf(now: number): { readonly start: number; readonly end: number } {
  const date = new Date(now)
  return {
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
  }
}

/**
 * Engagement identities are billed by their provider on the peak number active at the same time in the
 * month. The meter replays this workspace's action log for the month so far (and the 30 days before it,
 * since an action keeps an identity active for 30 days): how many are active now and the peak so far.
 */
export async function billingMeter(context: BoardContext, identities: readonly Identity[]): Promise<Markup> {
  const engaged = identities.filter((identity) => identity.type === 'engagement')
  if (engaged.length === 0) return html``
  const cycle = monthOf(context.now)
  const from = new Date(cycle.start - 30 * DAY_MS).toISOString()
  const to = new Date(context.now + 1).toISOString()
  const logs = await Promise.all(
    engaged.map((identity) =>
      context.engine.actions({ identityId: identity.id, types: BILLING_ACTIVITY_TYPES, from, to }),
    ),
  )
  const billing = engagementBilling({
    identities: engaged.map((identity) => ({
      id: identity.id,
      type: 'engagement' as const,
      createdAt: new Date(0).toISOString(),
    })),
    activity: activityFromActions(logs.flat()),
    cycle: { start: new Date(cycle.start).toISOString(), end: new Date(context.now + 1).toISOString() },
  })
  const activeNow = billing.identities.filter((identity) =>
    identity.activePeriods.some((period) => period.to === null || Date.parse(period.to) > context.now),
  )
  const zone = context.settings.timeZone
  const names = new Map(engaged.map((identity) => [identity.id, identity.name]))
  return html`<section id="billing" aria-labelledby="billing-title"><h2 id="billing-title">Engagement identities: billing meter</h2>
<p class="muted">The provider bills the most engagement identities active at the same time this month. An identity is active for 30 days after it last acted.</p>
<div class="meter"><div><strong>${formatCount(activeNow.length)}</strong> active now</div><div><strong>${formatCount(billing.peak)}</strong> peak this month (billed so far)</div><div><strong>${formatCount(engaged.length)}</strong> engagement identities</div></div>
<table><caption class="visually-hidden">Engagement identities and when they were active this month</caption><thead><tr><th scope="col">Identity</th><th scope="col">State</th><th scope="col">Active this month</th></tr></thead><tbody>${billing.identities.map(
    (identity) => {
      const active = activeNow.some((each) => each.id === identity.id)
      const periods = identity.activePeriods.map(
        (period) =>
          html`${time(period.from, formatInstant(period.from, zone))} – ${period.to === null || Date.parse(period.to) > context.now ? 'now' : time(period.to, formatInstant(period.to, zone))}`,
      )
      return html`<tr><td>${names.get(identity.id) ?? identity.id}</td><td><span class="badge ${active ? 'open' : 'closed'}">${active ? 'Active' : 'Inactive'}</span></td><td>${periods.length === 0 ? 'Not active this month' : periods.map((period, index) => html`${index > 0 ? '; ' : ''}${period}`)}</td></tr>`
    },
  )}</tbody></table></section>`
}
