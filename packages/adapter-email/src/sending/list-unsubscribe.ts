import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { EmailMessage } from '@paceline/core/ports'
import type { ListUnsubscribeSettings } from '../email-channel-options'

/**
 * `List-Unsubscribe: <https://...>, <mailto:...>` (RFC 2369) and, when there is an https URL,
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): mail clients then offer a one-click
 * unsubscribe that POSTs to the URL instead of a spam-report button.
 */
export function listUnsubscribeHeaders(
  settings: ListUnsubscribeSettings | undefined,
  message: EmailMessage,
): Record<string, string> {
  if (settings === undefined) return {}
  const entries: string[] = []
  const url = settings.url?.(message)
  if (url !== undefined) {
    if (!/^https:\/\//i.test(url))
      throw new PacelineError(
        PacelineErrorCodes.invalidOptions,
        `listUnsubscribe.url must return an https URL (RFC 8058 one-click needs https), got ${JSON.stringify(url)}. Nothing was sent.`,
      )
    entries.push(`<${url}>`)
  }
  const mailto = settings.mailto?.(message)
  if (mailto !== undefined) entries.push(`<${mailto.startsWith('mailto:') ? mailto : `mailto:${mailto}`}>`)
  if (entries.length === 0) return {}
  return {
    'List-Unsubscribe': entries.join(', '),
    ...(url === undefined ? {} : { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }),
  }
}
