import { threadSubject } from './thread-subject'

/** A lead's reply reduced to what the lead wrote: the text, and the subject only when the lead wrote it. */
export interface LeadWords {
  readonly text: string
  readonly subject?: string
}

/**
 * What the lead wrote in a reply. A reply keeps our subject as "Re: <subject>", and our subject is sales copy
 * ("Cut your software costs", "No more emails lost in shared inboxes"): read as the lead's words, it would
 * raise pricing or ask not to be emailed. So the subject counts only when it is not one we sent, prefixes
 * ("Re:", "Fwd:", "AW:", "SV:", ...), case and spacing aside: a lead who writes "Unsubscribe" as the subject
 * still opts out. The guardrails and the classification judge these words, in the live agent and in preview.
 */
export function leadWords(
  reply: { readonly text: string; readonly subject?: string | null | undefined },
  sentSubjects: readonly string[],
): LeadWords {
  const subject = reply.subject ?? ''
  const plain = threadSubject(subject)
  if (plain === '' || sentSubjects.some((sent) => threadSubject(sent) === plain)) return { text: reply.text }
  return { text: reply.text, subject: subject.trim() }
}

/** The text the rules read: the lead's own subject, when there is one, then their text. */
export function judgedText(words: LeadWords): string {
  return words.subject === undefined ? words.text : `${words.subject}\n${words.text}`
}
