import type { BoardContext } from '../http/board-context'
import { html, type Markup } from '../http/markup'

/**
 * Links to the first and the next page of a cursor-paged list (`after` is the engine's cursor), keeping the
 * page's other query parameters (its filters). `name` is the cursor's parameter.
 */
export function pager(
  context: BoardContext,
  next: string | undefined,
  current: string | undefined,
  name = 'after',
): Markup {
  if (next === undefined && current === undefined) return html``
  const link = (cursor: string | undefined) => {
    const params = new URLSearchParams(context.url.search)
    params.delete('done')
    if (cursor === undefined) params.delete(name)
    else params.set(name, cursor)
    const query = params.toString()
    return `${context.url.pathname}${query === '' ? '' : `?${query}`}`
  }
  return html`<nav class="pager" aria-label="Pages">${current === undefined ? html`<span></span>` : html`<a href="${link(undefined)}">First page</a>`}${next === undefined ? html`<span class="muted">Last page</span>` : html`<a href="${link(next)}" rel="next">Next page</a>`}</nav>`
}
