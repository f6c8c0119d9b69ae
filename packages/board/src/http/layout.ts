import type { BoardContext } from './board-context'
import { CSRF_FIELD } from './csrf'
import { html, type Markup } from './markup'

export type Section = 'identities' | 'campaigns' | 'conversations'

export interface PageContent {
  readonly title: string
  readonly section: Section
  /** Links above the heading, last one first: `[['Campaigns', '/campaigns']]`. */
  readonly breadcrumbs?: readonly (readonly [string, string])[]
  /** Next to the heading: buttons, a badge. */
  readonly aside?: Markup
  readonly body: Markup
}

/** What a finished action says when the board comes back to the page (`?done=`). */
const DONE: Readonly<Record<string, string>> = {
  'campaign-paused': 'The campaign is paused: nothing more is sent until it is resumed.',
  'campaign-resumed': 'The campaign is running again.',
  'lead-paused': 'The lead is paused.',
  'lead-resumed': 'The lead is running again.',
  'errors-retried': 'The leads in error were put back to retry their step.',
  'errors-again':
    'The leads were retried, and some are in error again at once: what their status says is missing is still missing. Fix it, then retry.',
  'nothing-to-retry': 'No lead here is in error.',
  'reply-sent': 'Your answer is on its way.',
  'suggestion-sent': 'The suggested answer is on its way.',
  'suggestion-discarded': 'The suggestion was discarded.',
  'tags-saved': 'The tags are saved.',
}

const NAV: readonly (readonly [Section, string, string])[] = [
  ['identities', 'Identities', '/identities'],
  ['campaigns', 'Campaigns', '/campaigns'],
  ['conversations', 'Conversations', '/conversations'],
]

/** A whole page: the navigation, what the last action did, the heading and the content. */
export function page(context: BoardContext, content: PageContent): Markup {
  const { settings } = context
  const done = DONE[context.url.searchParams.get('done') ?? '']
  const readOnly = settings.authorize === undefined
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${content.title} · ${settings.title}</title>
<link rel="icon" href="${context.href('/assets/icon.svg')}" type="image/svg+xml">
<link rel="stylesheet" href="${context.href('/assets/board.css')}">
<script src="${context.href('/assets/board.js')}" defer></script>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="topbar"><div class="inner"><a class="brand" href="${context.href('/campaigns')}">${settings.title}</a>
<nav aria-label="Board"><ul>${NAV.map(
    ([section, label, path]) =>
      html`<li><a href="${context.href(path)}"${content.section === section ? html` aria-current="page"` : ''}>${label}</a></li>`,
  )}</ul></nav>${readOnly ? html`<span class="mode">Read-only</span>` : ''}</div></header>
<main id="content" tabindex="-1">
<div class="page-header"><div>${breadcrumbs(context, content.breadcrumbs)}<h1>${content.title}</h1></div>${content.aside ?? ''}</div>
${done === undefined ? '' : html`<p class="notice" role="status">${done}</p>`}
${content.body}
</main>
</body>
</html>`
}

function breadcrumbs(context: BoardContext, trail: PageContent['breadcrumbs']): Markup | string {
  if (trail === undefined || trail.length === 0) return ''
  return html`<nav aria-label="Breadcrumb" class="breadcrumbs">${trail.map(
    ([label, path], index) => html`${index > 0 ? ' / ' : ''}<a href="${context.href(path)}">${label}</a>`,
  )}</nav>`
}

export interface ActionForm {
  /** Where it posts, inside the board: `/campaigns/q2/pause`. */
  readonly path: string
  readonly label: string
  /** Where to come back to (inside the board); default the page it was on. */
  readonly back?: string
  readonly variant?: 'primary' | 'secondary' | 'danger'
  /** Asked before posting when scripts run. */
  readonly confirm?: string
}

/** A one-button form that posts an action with the page's CSRF token. */
export function actionForm(context: BoardContext, form: ActionForm): Markup {
  const back = form.back ?? `${context.url.pathname}${context.url.search}`
  const variant = form.variant === undefined || form.variant === 'primary' ? '' : form.variant
  return html`<form method="post" action="${context.href(form.path)}">${hiddenFields(context, back)}<button type="submit"${variant === '' ? '' : html` class="${variant}"`}${form.confirm === undefined ? '' : html` data-confirm="${form.confirm}"`}>${form.label}</button></form>`
}

/** The CSRF token and the page to come back to, for any form that posts. */
export function hiddenFields(context: BoardContext, back: string): Markup {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${context.csrfToken}"><input type="hidden" name="back" value="${back}">`
}

/** A page of its own for a refusal or a failure, with the way back. */
export function problemPage(
  context: BoardContext,
  title: string,
  message: string,
  back: string | undefined,
): Markup {
  return page(context, {
    title,
    section: 'campaigns',
    body: html`<p class="problem" role="alert">${message}</p>${back === undefined ? '' : html`<p><a href="${back}">Go back</a></p>`}`,
  })
}
