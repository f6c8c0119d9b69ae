/**
 * HTML built by `html` tagged templates: every interpolated value is escaped unless it is already `Html`
 * (the result of another `html` template or of `raw`), so text from users (campaign names, step
 * descriptions, tag names) can only ever be text.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[]

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Text escaped for HTML and SVG content and for quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  return escapeHtml(String(value))
}

/** A template whose interpolations are escaped (arrays are joined; null, undefined and false render nothing). */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? ''
  for (let index = 0; index < values.length; index++)
    out += render(values[index] as HtmlValue) + (strings[index + 1] ?? '')
  return new Html(out)
}

/** Markup written by this package (CSS, a number formatted for an attribute): never user text. */
export function raw(markup: string): Html {
  return new Html(markup)
}
