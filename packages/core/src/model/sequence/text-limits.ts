/**
 * Length limits checked on message templates when a sequence is parsed (and again on the rendered text at
 * send time). Override any of them per call: `parseSequence(json, { limits: { connectionNote: 200 } })`.
 */
export interface TextLimits {
  /** LinkedIn connection request note. */
  readonly connectionNote: number
  readonly inmailSubject: number
  readonly inmailBody: number
  /** One LinkedIn message, or one chunk of a chunked message. */
  readonly linkedinMessage: number
}

export const DEFAULT_TEXT_LIMITS: TextLimits = {
  connectionNote: 300,
  inmailSubject: 200,
  inmailBody: 1900,
  linkedinMessage: 8000,
}
