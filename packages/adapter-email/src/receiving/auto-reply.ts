/**
 * Automatic answers: vacation and absence notices. Headers first (RFC 3834 `Auto-Submitted`, and the
 * older conventions Exchange, Gmail and various autoresponders use), then subject lines in English,
 * Spanish, French, German, Italian, Portuguese and Dutch for servers that set no header at all.
 */
const AUTO_REPLY_HEADERS: readonly [header: string, isAuto: (value: string) => boolean][] = [
  // RFC 3834: anything but "no" is automatic ("auto-replied", "auto-generated", "auto-notified").
  ['auto-submitted', (value) => !/^\s*no\b/i.test(value)],
  ['x-autoreply', (value) => !/^\s*(no|false|0)\b/i.test(value)],
  ['x-autorespond', () => true],
  ['x-autoresponder', () => true],
  ['x-auto-reply', () => true],
  ['precedence', (value) => /\bauto[_-]?reply\b/i.test(value)],
  ['x-precedence', (value) => /\bauto[_-]?reply\b/i.test(value)],
]

const AUTO_REPLY_SUBJECT = new RegExp(
  [
    'auto(matic)?[ -]?(reply|response|antwort)',
    'autoreply',
    'out of (the )?office',
    'ooo\\b',
    'away from (the |my )?(office|desk)',
    'on (vacation|holiday|leave)',
    'vacation (reply|notice)',
    'respuesta autom[aá]tica',
    'fuera de (la )?oficina',
    'r[ée]ponse automatique',
    'absent(e)? du bureau',
    "message d'absence",
    'abwesenheit(snotiz)?',
    'automatische antwort',
    'nicht im b[üu]ro',
    'risposta automatica',
    'fuori (ufficio|sede)',
    'resposta autom[aá]tica',
    'fora do escrit[óo]rio',
    'automatisch antwoord',
    'afwezig',
  ]
    .map((pattern) => `(${pattern})`)
    .join('|'),
  'i',
)

export interface AutoReplySignals {
  /** The header that marks the message as automatic, if any. */
  readonly header?: string
  /** The subject reads like an absence notice. */
  readonly subject: boolean
}

/** Whether a message is an automatic answer, and why; `headers` are lower-cased names with string values. */
export function autoReplySignals(headers: ReadonlyMap<string, string>, subject: string): AutoReplySignals {
  let header: string | undefined
  for (const [name, isAuto] of AUTO_REPLY_HEADERS) {
    const value = headers.get(name)
    if (value !== undefined && isAuto(value)) {
      header = name
      break
    }
  }
  // Only the start of the subject counts (after "Re:"/"AW:" prefixes): a person may write "out of office"
  // further along in a real answer.
  const stripped = subject.replace(/^\s*((re|aw|sv|wg|fw|fwd|rv|tr)\s*:\s*)+/i, '')
  const subjectMatch = AUTO_REPLY_SUBJECT.exec(stripped)
  return {
    ...(header === undefined ? {} : { header }),
    subject: subjectMatch !== null && subjectMatch.index <= 2,
  }
}

export const isAutoReply = (signals: AutoReplySignals): boolean =>
  signals.header !== undefined || signals.subject
