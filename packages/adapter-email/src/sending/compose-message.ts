import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import type { EmailMessage } from '@paceline/core/ports'
import type { SendMailOptions } from 'nodemailer'
import type { InboxSettings, ListUnsubscribeSettings, TrackingSettings } from '../email-channel-options'
import { addTracking, escapeHtml, textToHtml } from '../tracking/tracked-content'
import { assertHeaderSafe } from './header-safety'
import { listUnsubscribeHeaders } from './list-unsubscribe'

/**
 * Everything DKIM signs, each field over-signed (listed once more than it occurs, so nobody can add one):
 * nodemailer's default list plus `List-Unsubscribe-Post`, which RFC 8058 requires to be covered by the
 * signature for one-click unsubscribe to be honoured.
 */
export const DKIM_FIELDS: readonly string[] = [
  'From',
  'Sender',
  'Reply-To',
  'Subject',
  'Date',
  'Message-ID',
  'To',
  'Cc',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'In-Reply-To',
  'References',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
]

const MESSAGE_ID = /^<[^<>@\s]+@[^<>@\s]+>$/

export interface ComposeContext {
  readonly inbox: InboxSettings
  readonly listUnsubscribe?: ListUnsubscribeSettings
  readonly tracking?: TrackingSettings
  /** When the message is composed (epoch ms), carried by tracking URLs. */
  readonly now: number
}

/**
 * The nodemailer message for an engine message: the engine's Message-ID and threading headers, the
 * identity's signature, a plain-text part always (an HTML-only email looks like spam), tracking when the
 * campaign asks for it, List-Unsubscribe when configured, DKIM when the inbox has a key, and never an
 * attachment or a file or URL fetched by the mailer. Unsafe header values are refused before anything
 * is sent.
 */
export function composeMessage(message: EmailMessage, context: ComposeContext): SendMailOptions {
  const { inbox } = context
  const from = { name: message.from.name ?? '', address: message.from.address }
  const to = { name: message.to.name ?? '', address: message.to.address }
  assertHeaderSafe('From', `${from.name} ${from.address}`)
  assertHeaderSafe('To', `${to.name} ${to.address}`)
  assertHeaderSafe('Subject', message.subject)
  for (const [header, id] of [
    ['Message-ID', message.messageId],
    ...(message.inReplyTo === undefined ? [] : [['In-Reply-To', message.inReplyTo] as const]),
    ...(message.references ?? []).map((reference) => ['References', reference] as const),
  ] as const) {
    assertHeaderSafe(header, id)
    if (!MESSAGE_ID.test(id))
      throw new PacelineError(
        PacelineErrorCodes.unsafeHeaderValue,
        `The ${header} header must be one message id like <key@domain>, got ${JSON.stringify(id)}. Nothing was sent.`,
        { details: { header } },
      )
  }
  if (from.address.toLowerCase() !== inbox.address.toLowerCase())
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      `This channel sends from ${inbox.address}, not ${from.address}. Nothing was sent.`,
    )

  const signature = message.signature
  const text =
    signature?.text !== undefined && signature.text.trim() !== ''
      ? `${message.text.trimEnd()}\n\n-- \n${signature.text}`
      : message.text
  const tracking = context.tracking
  const opens = tracking !== undefined && message.tracking?.opens === true
  const clicks = tracking !== undefined && message.tracking?.clicks === true
  const needsHtml = message.html !== undefined || signature?.html !== undefined || opens || clicks
  let html: string | undefined
  if (needsHtml) {
    const body = message.html ?? textToHtml(message.text)
    const signatureHtml =
      signature?.html ?? (signature?.text === undefined ? undefined : textToHtml(signature.text))
    html = signatureHtml === undefined ? body : `${body}<br>\n<div class="signature">${signatureHtml}</div>`
    if (tracking !== undefined && (opens || clicks)) {
      const keep = context.listUnsubscribe?.url === undefined ? [] : [context.listUnsubscribe.url(message)]
      html = addTracking(html, {
        settings: tracking,
        messageId: message.messageId,
        sentAt: context.now,
        opens,
        clicks,
        keep,
      })
    }
    if (!/<html[\s>]/i.test(html))
      html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(message.subject)}</title></head><body>${html}</body></html>`
  }

  const headers = listUnsubscribeHeaders(context.listUnsubscribe, message)
  for (const [name, value] of Object.entries(headers)) assertHeaderSafe(name, value)
  return {
    from,
    to,
    subject: message.subject,
    messageId: message.messageId,
    ...(message.inReplyTo === undefined ? {} : { inReplyTo: message.inReplyTo }),
    ...(message.references === undefined || message.references.length === 0
      ? {}
      : { references: [...message.references] }),
    text,
    ...(html === undefined ? {} : { html }),
    headers,
    envelope: { from: inbox.address, to: [to.address] },
    attachments: [],
    disableFileAccess: true,
    disableUrlAccess: true,
    xMailer: false,
    ...(inbox.dkim === undefined
      ? {}
      : {
          dkim: {
            domainName: inbox.dkim.domainName,
            keySelector: inbox.dkim.keySelector,
            privateKey: inbox.dkim.privateKey,
          },
        }),
  }
}
