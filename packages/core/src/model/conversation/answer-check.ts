import { distance } from 'fastest-levenshtein'

/**
 * Why an answer an AI wrote must not be sent, or undefined when it may: AI output is untrusted input. It
 * must have text, fit the channel, hold no unfilled placeholder (`{{firstName}}`, `[Your Name]`), and say
 * something new: not repeat a message already sent in the conversation.
 */
export function answerProblem(
  text: string,
  options: { readonly maxLength: number; readonly earlier: readonly string[] },
): string | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return 'the answer is empty'
  if (trimmed.length > options.maxLength)
    return `the answer is ${trimmed.length} characters; the channel takes at most ${options.maxLength}`
  if (/\{\{|\}\}/.test(trimmed)) return 'the answer holds an unfilled {{placeholder}}'
  if (
    /\[(your|my|first|last|full|company|lead|recipient|sender)[ _-]?(name|company|title|email)?[^\]]{0,20}\]/i.test(
      trimmed,
    )
  )
    return 'the answer holds an unfilled [placeholder]'
  const mine = normal(trimmed)
  for (const sent of options.earlier) {
    const theirs = normal(sent)
    if (theirs === '') continue
    const longest = Math.max(mine.length, theirs.length)
    if (mine === theirs || distance(mine, theirs) / longest < 0.15)
      return 'the answer repeats a message already sent in this conversation'
  }
  return undefined
}

const normal = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
