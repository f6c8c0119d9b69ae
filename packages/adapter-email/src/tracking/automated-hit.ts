/**
 * Security scanners (Microsoft Safe Links, Mimecast, Proofpoint, Barracuda...), link previewers and
 * scripts fetch tracking URLs that no person opened. Their hits are still reported, flagged `automated`,
 * so reports can count people and the engine can decide.
 */
const AUTOMATED_AGENTS =
  /(bot\b|crawler|spider|preview|scanner|safelinks|bingpreview|microsoft office|ms-office|proofpoint|mimecast|barracuda|forcepoint|symantec|messagelabs|fireeye|trendmicro|sophos|cisco|ironport|zscaler|paloalto|checkpoint|python-requests|python-urllib|curl\/|wget|go-http-client|java\/|okhttp|axios|node-fetch|undici|headless|phantomjs|slackbot|linkedinbot|facebookexternalhit|twitterbot|whatsapp|skypeuripreview|googlebot)/i

export interface TrackingHit {
  readonly method: string
  readonly userAgent: string | undefined
  /** When the hit arrived and when the message was composed (epoch ms). */
  readonly at: number
  readonly sentAt: number
  readonly kind: 'open' | 'click'
}

/** Faster than any person reads an email: scanners fetch links and images as the message is delivered. */
const TOO_SOON_MS = { open: 2_000, click: 10_000 } as const

/** Why a hit looks automated, or an empty list for a likely person. */
export function automatedReasons(hit: TrackingHit): string[] {
  const reasons: string[] = []
  if (hit.method === 'HEAD') reasons.push('HEAD request')
  if (hit.userAgent === undefined || hit.userAgent.trim() === '') reasons.push('no user agent')
  else if (AUTOMATED_AGENTS.test(hit.userAgent)) reasons.push(`user agent "${hit.userAgent.slice(0, 80)}"`)
  if (hit.at - hit.sentAt < TOO_SOON_MS[hit.kind])
    reasons.push(`${Math.max(0, hit.at - hit.sentAt)} ms after sending`)
  return reasons
}
