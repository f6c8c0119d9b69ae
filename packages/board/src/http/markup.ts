import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/**
 * Markup built with Hono's `html` template: every interpolated value is escaped unless it is markup itself,
 * so names, messages and tags from your data can only ever be text.
 */
export type Markup = HtmlEscapedString | Promise<HtmlEscapedString>

export { html, raw }

/** An instant as a `<time>` element: readable text for people, the ISO instant for machines. */
export function time(instant: string, text: string): Markup {
  return html`<time datetime="${instant}">${text}</time>`
}
