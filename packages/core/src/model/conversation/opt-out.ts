/**
 * A lead asking not to be contacted again ("stop", "unsubscribe", "remove me", "do not contact me"), in the
 * languages outreach commonly runs in. A rule nobody can switch off: such a lead is blocked on every channel
 * and gets no AI-written answer, whatever the AI made of the message.
 */
const OPT_OUT = [
  /\bunsubscribe\b/i,
  /\bopt(ing)?[ -]?out\b/i,
  /\bremove (me|my (name|email|address|details))\b/i,
  /\btake me off\b/i,
  /\b(stop|quit|cease) (emailing|e-?mailing|messaging|contacting|writing( to)?|sending|spamming)( me)?\b/i,
  /\b(do not|don'?t|never) (contact|email|e-?mail|message|write to|reach out to) me\b/i,
  /\bno (more )?(further )?(emails|messages|contact)\b/i,
  /^\s*stop\s*[.!]*\s*$/im,
  /\b(darse|dar(me)?) de baja\b|\bno me (escrib|contact)/i,
  /\bd[ée]sinscri|\bne (plus )?me (contactez|[ée]crivez)/i,
  /\babmelden\b|\bkeine (weiteren )?(e-?mails|nachrichten)\b/i,
]

export function isOptOut(text: string): boolean {
  return OPT_OUT.some((pattern) => pattern.test(text))
}
