import { PacelineError, PacelineErrorCodes } from '@paceline/core'

/**
 * C0 controls (CR and LF among them), DEL, C1 controls and the Unicode line and paragraph separators:
 * any of them in a header value can end the header early and let lead data or a template inject headers
 * (a Bcc, a second body). Tabs are refused too: they only belong to folding, which the mailer does.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/

/** Throws `unsafe_header_value`, naming the header and the character, when a value could inject headers. */
export function assertHeaderSafe(header: string, value: string): void {
  const match = UNSAFE.exec(value)
  if (match === null) return
  const code = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
  throw new PacelineError(
    PacelineErrorCodes.unsafeHeaderValue,
    `The ${header} header contains the control character U+${code} at position ${match.index}; it would let the value inject headers. Remove line breaks and control characters from the lead data or template that fills it. Nothing was sent.`,
    { details: { header, position: match.index, character: `U+${code}` } },
  )
}
