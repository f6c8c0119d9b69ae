import { originalRecipientIn } from './returned-message'

/**
 * Where a plain-text bounce stops explaining and starts quoting the message it returns: the banner MTAs
 * put before the copy, or the copy's first header.
 */
const RETURNED_COPY =
  /^(?:.*(?:below this line is a copy of the message|this is a copy of the message|copy of (?:the|your) (?:original )?message|original message (?:follows|as received|headers)|(?:returned|undelivered|original) (?:mail|message)\s*-{3,}|-{3,}\s*(?:original|returned|undelivered) (?:mail|message)|the (?:header|headers|first \d+ lines) (?:and top \d+ lines )?of (?:the|your) (?:original )?message|message headers? follows?)|(?:return-path|received)[ \t]*:)/im

/** Lines that name other parties: the original message's headers, quoted in the explanation or returned. */
const HEADER_LINE =
  /^[ \t>]*(from|to|cc|bcc|sender|reply-to|return-path|errors-to|list-[\w-]+|x-[\w-]+|received|message-id|in-reply-to|references|content-id|delivered-to|subject|date)[ \t]*:.*$/gim

/**
 * An address, in angle brackets or bare, without the prefixes servers write before one (`mailto:`,
 * Exchange's `smtp=`), and what follows it (a `?` makes it a mailto link's).
 */
const ADDRESS =
  /<?(?:(?:mailto|smtp|rfc822)[:=;][ \t]*)?([a-z0-9_%+-][a-z0-9._%+'=-]{0,63}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8})>?(\??)/gi

/** Mail systems and list managers: they send or relay bounces, they are never what failed. */
const NOT_A_RECIPIENT =
  /^(mailer-?daemon|mail-?daemon|postmaster|post_master|owner-.*|.*-(owner|request|admin|bounces?))@/i

/**
 * The address a plain-text bounce says failed: the first one it names while explaining (past the lines
 * that quote the original message's headers, mailto links and the mail system's own addresses), else the
 * recipient the returned copy was delivered for (its `Received: ... for <address>`, then its `To`).
 */
export function failedRecipientIn(text: string, ownAddresses: ReadonlySet<string>): string | undefined {
  const copy = RETURNED_COPY.exec(text)
  const explanation = copy === null ? text : text.slice(0, copy.index)
  const named = firstAddress(explanation.replace(HEADER_LINE, ''), ownAddresses)
  if (named !== undefined || copy === null) return named
  const returned = text.slice(copy.index)
  const deliveredFor =
    /^received[ \t]*:[^\n]*(?:\n[ \t]+[^\n]*)*?\bfor[ \t]+<?([^\s<>;@]{1,64}@[^\s<>;@]{1,255})/im
      .exec(returned)?.[1]
      ?.toLowerCase()
  const candidates = [deliveredFor, originalRecipientIn(returned)]
  return candidates.find((address) => address !== undefined && usable(address, ownAddresses))
}

function firstAddress(text: string, ownAddresses: ReadonlySet<string>): string | undefined {
  for (const match of text.matchAll(ADDRESS)) {
    const address = (match[1] ?? '').toLowerCase().replace(/\.$/, '')
    if (match[2] !== '?' && usable(address, ownAddresses)) return address
  }
  return undefined
}

const usable = (address: string, ownAddresses: ReadonlySet<string>) =>
  !ownAddresses.has(address) && !NOT_A_RECIPIENT.test(address)
