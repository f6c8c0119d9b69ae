import { coordinate } from './format'
import { type Html, html, raw } from './html'

export interface ChartFrame {
  /** A unique id, from the report's own names (never user text): `funnel-all`, `daily-actions`, ... */
  readonly id: string
  /** The `data-chart` attribute, for tests and styles. */
  readonly kind: string
  readonly width: number
  readonly height: number
  /** Announced by screen readers and shown as the browser's tooltip. */
  readonly title: string
  /** The numbers the chart shows, in words, for screen readers. */
  readonly description: string
  readonly body: Html
}

/**
 * An inline SVG chart that scales to its container's width (the viewBox keeps its proportions), labelled by
 * its `<title>` and `<desc>`.
 */
export function chart(frame: ChartFrame): Html {
  return html`<svg class="chart" data-chart="${frame.kind}" id="${frame.id}" viewBox="0 0 ${frame.width} ${frame.height}" role="img" aria-labelledby="${frame.id}-title ${frame.id}-desc" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet"><title id="${frame.id}-title">${frame.title}</title><desc id="${frame.id}-desc">${frame.description}</desc>${frame.body}</svg>`
}

/** A rectangle with coordinates rounded for the markup; `extra` is this package's own attributes. */
export function rect(x: number, y: number, width: number, height: number, extra: Html = raw('')): Html {
  return html`<rect x="${coordinate(x)}" y="${coordinate(y)}" width="${coordinate(Math.max(0, width))}" height="${coordinate(Math.max(0, height))}"${extra}/>`
}

/** A colour from the report's palette (never user input), for a `fill` or `stroke` attribute. */
export function paint(attribute: 'fill' | 'stroke', color: string): Html {
  if (!/^#[0-9a-f]{6}$/i.test(color) && !/^var\(--[a-z-]+\)$/.test(color))
    throw new Error(`not a palette colour: ${color}`)
  return raw(` ${attribute}="${color}"`)
}
