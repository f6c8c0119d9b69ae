import { type Identity, identityWarnings } from '@paceline/core'
import { renderIdentityUsage } from '@paceline/report'
import { formatCount, formatInstant, formatRelative } from '../format'
import type { BoardContext } from '../http/board-context'
import { page } from '../http/layout'
import { html, type Markup, raw, time } from '../http/markup'
import { billingMeter } from './billing-meter'
import { workingHoursState } from './working-hours-state'

const WEEK_MS = 7 * 86_400_000

/**
 * Every identity: what it sent today against its daily limits (in its own time zone), the weekly
 * connection-request limit, whether it is inside its working hours and when that changes, its inboxes and
 * their warm-up, the settings above the recommended values, and the billing meter of engagement identities.
 */
export async function identitiesPage(context: BoardContext): Promise<Markup> {
  const identities = await context.engine.identities.list()
  const cards = await Promise.all(identities.map((identity, index) => identityCard(context, identity, index)))
  return page(context, {
    title: 'Identities',
    section: 'identities',
    body: html`<p class="muted">Today's use in each identity's own time zone, against its limits. Times are shown in that time zone.</p>
${await billingMeter(context, identities)}
${identities.length === 0 ? html`<p class="empty">No identity yet: add one with <code>engine.identities.put</code>.</p>` : html`<div class="cards">${cards}</div>`}`,
  })
}

async function identityCard(context: BoardContext, identity: Identity, index: number): Promise<Markup> {
  const zone = identity.workingHours.timezone
  const hours = workingHoursState(identity, context.now)
  // Profile visits have a daily limit of their own, which the dashboard does not count: read today's log.
  const visits =
    identity.linkedin === undefined
      ? []
      : await context.engine.actions({
          identityId: identity.id,
          types: ['profile-visited'],
          from: new Date(hours.dayStart),
          to: new Date(context.now + 1),
        })
  const today = await context.engine.analytics.identity(identity.id, {
    from: new Date(hours.dayStart),
    to: new Date(context.now + 1),
    timeZone: zone,
  })
  const week = await context.engine.analytics.identity(identity.id, {
    from: new Date(context.now - WEEK_MS),
    to: new Date(context.now + 1),
    timeZone: zone,
  })
  const warnings = identityWarnings(identity)
  const weekly = identity.linkedin?.limits.invitationsPerWeek
  const inboxes = identity.email.inboxes
  const warmups = new Map(today.warmup.map((inbox) => [inbox.address, inbox]))
  const headingId = `identity-${index}-title`
  return html`<section class="identity" aria-labelledby="${headingId}" data-identity="${identity.id}">
<div class="card-head"><h2 id="${headingId}">${identity.name}</h2><span>${identity.type === 'engagement' ? html`<span class="badge">Engagement</span> ` : ''}<span class="badge ${hours.open ? 'open' : 'closed'}">${hours.open ? 'Working hours' : 'Outside working hours'}</span></span></div>
<p class="reason">${
    hours.open
      ? html`Open until ${time(new Date(hours.until).toISOString(), formatInstant(hours.until, zone))} (${formatRelative(hours.until, context.now)}).`
      : html`Next window opens ${time(new Date(hours.until).toISOString(), formatInstant(hours.until, zone))} (${formatRelative(hours.until, context.now)}).`
  } Time zone ${zone}.</p>
<h3>Today</h3>
${raw(renderIdentityUsage(today, { chartId: `usage-${index}` }))}
<dl class="pairs">${
    identity.linkedin?.limits.profileVisitsPerDay === undefined
      ? ''
      : html`<dt>Profile visits today</dt><dd>${formatCount(visits.length)} of ${formatCount(identity.linkedin.limits.profileVisitsPerDay)}</dd>`
  }${
    weekly === undefined || identity.linkedin === undefined
      ? ''
      : html`<dt>Connection requests, last 7 days</dt><dd>${formatCount(week.connections.sent)} of ${formatCount(weekly)} a week</dd>`
  }${identity.linkedin === undefined ? html`<dt>LinkedIn</dt><dd>Not connected</dd>` : html`<dt>LinkedIn account</dt><dd>${identity.linkedin.accountId}${identity.linkedin.premium ? ' · Premium' : ''}${identity.linkedin.salesNavigator ? ' · Sales Navigator' : ''}</dd>`}${
    identity.monthlyConversationLimit === undefined
      ? ''
      : html`<dt>New conversations a month</dt><dd>at most ${formatCount(identity.monthlyConversationLimit)}</dd>`
  }</dl>
${
  inboxes.length === 0
    ? html`<p class="muted">No email account: email steps of its campaigns wait until one is added.</p>`
    : html`<table><caption class="visually-hidden">Inboxes of ${identity.name}</caption><thead><tr><th scope="col">Inbox</th><th scope="col" class="num">Per day</th><th scope="col" class="num">Per hour</th><th scope="col">Warm-up</th></tr></thead><tbody>${inboxes.map(
        (inbox) => {
          const warmup = warmups.get(inbox.address)
          return html`<tr><td>${inbox.address}</td><td class="num">${formatCount(inbox.limits.perDay)}</td><td class="num">${formatCount(inbox.limits.perHour)}</td><td>${warmup === undefined ? 'Off' : html`<span class="badge ${warmup.state}">${warmup.state}</span>${warmup.campaignEmailsPerDay === undefined ? '' : ` · ${warmup.campaignEmailsPerDay} campaign emails a day`}`}</td></tr>`
        },
      )}</tbody></table>`
}
${warnings.length === 0 ? '' : html`<h3>Warnings</h3><ul class="warnings">${warnings.map((warning) => html`<li><strong>${warning.field}</strong>: ${warning.message}</li>`)}</ul>`}
</section>`
}
