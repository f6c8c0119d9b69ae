import { decodeHTMLAttribute } from 'entities'
import { LinkifyIt } from 'linkify-it'
import type { TrackingSettings } from '../email-channel-options'
import { signTrackingToken } from './tracking-token'

/** The open pixel's URL for a message. */
export function openPixelUrl(settings: TrackingSettings, messageId: string, sentAt: number): string {
  return `${base(settings)}/o/${signTrackingToken({ kind: 'open', messageId, sentAt }, settings.secret)}.gif`
}

/** The redirect URL that records a click on `url` and sends the reader on to it. */
export function clickUrl(settings: TrackingSettings, messageId: string, url: string, sentAt: number): string {
  return `${base(settings)}/c/${signTrackingToken({ kind: 'click', messageId, url, sentAt }, settings.secret)}`
}

const base = (settings: TrackingSettings) => settings.baseUrl.replace(/\/+$/, '')

// An anchor's href, quoted either way; the HTML comes from templates and the identity's signature.
const ANCHOR_HREF = /(<a\b[^>]*?\bhref\s*=\s*)(["'])(.*?)\2/gis

/**
 * Adds tracking to an HTML body: every http(s) link goes through a signed redirect (except those marked
 * `data-paceline-notrack` and the unsubscribe link), and a 1x1 pixel is appended for opens.
 */
export function addTracking(
  html: string,
  options: {
    readonly settings: TrackingSettings
    readonly messageId: string
    readonly sentAt: number
    readonly opens: boolean
    readonly clicks: boolean
    readonly keep?: readonly string[]
  },
): string {
  let out = html
  if (options.clicks) {
    out = out.replace(ANCHOR_HREF, (whole, start: string, quote: string, raw: string) => {
      if (/\bdata-paceline-notrack\b/i.test(whole)) return whole
      const url = decodeHTMLAttribute(raw.trim())
      if (!/^https?:\/\//i.test(url) || options.keep?.includes(url)) return whole
      const tracked = clickUrl(options.settings, options.messageId, url, options.sentAt)
      return `${start}${quote}${encodeAttribute(tracked)}${quote}`
    })
  }
  if (options.opens) {
    const pixel = `<img src="${encodeAttribute(openPixelUrl(options.settings, options.messageId, options.sentAt))}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />`
    const close = out.search(/<\/body\s*>/i)
    out = close === -1 ? `${out}${pixel}` : `${out.slice(0, close)}${pixel}${out.slice(close)}`
  }
  return out
}

/** Finds links in plain text: only ones written with their scheme, as a person would click them. */
const linkify = new LinkifyIt({ fuzzyLink: false, fuzzyEmail: false, fuzzyIP: false })

/**
 * A plain-text body as HTML: escaped, line breaks kept, bare http(s) URLs made links (so clicks can be
 * tracked). Links are found in the text before it is escaped, so a URL ends where the text says (never inside
 * an entity such as the `&gt;` of a closing bracket).
 */
export function textToHtml(text: string): string {
  let html = ''
  let last = 0
  for (const link of linkify.match(text) ?? []) {
    if (!/^https?:\/\//i.test(link.url)) continue
    html += escapeHtml(text.slice(last, link.index))
    html += `<a href="${encodeAttribute(link.url)}">${escapeHtml(link.raw)}</a>`
    last = link.lastIndex
  }
  html += escapeHtml(text.slice(last))
  return `<div>${html.replace(/\r?\n/g, '<br>\n')}</div>`
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function encodeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
