import { emailChannelConformance, type ReceivedEmail } from '@paceline/core/conformance'
import type { EmailChannelV1 } from '@paceline/core/ports'
import { createMemoryStorage } from '@paceline/core/testing'
import { simpleParser } from 'mailparser'
import { inject } from 'vitest'
import { createEmailChannel, type EmailChannel } from '../src/index'
import { listMessages, sendAs, serverSettings } from './servers/mailbox'

const servers = inject('mailServers')
const RECIPIENT = 'conformance@northwind.example'
/** What the recipient's mailbox holds with this Message-ID, read over IMAP as any mail client would. */
async function received(messageId: string): Promise<ReceivedEmail | undefined> {
  for (const stored of await listMessages(servers, RECIPIENT)) {
    const mail = await simpleParser(stored.raw)
    if (mail.messageId !== messageId) continue
    const references = mail.references === undefined ? [] : [mail.references].flat()
    return {
      messageId,
      from: mail.from?.value[0]?.address ?? '',
      to: [mail.to ?? []].flat()[0]?.value[0]?.address ?? '',
      subject: mail.subject ?? '',
      ...(mail.inReplyTo === undefined ? {} : { inReplyTo: mail.inReplyTo }),
      references,
      text: mail.text ?? '',
    }
  }
  return undefined
}

/** The recipient answers from their own mail client: a real message back through the SMTP server. */
async function reply(sent: ReceivedEmail): Promise<void> {
  await sendAs(servers, RECIPIENT, {
    to: sent.from,
    subject: `Re: ${sent.subject}`,
    inReplyTo: sent.messageId,
    references: [...sent.references, sent.messageId],
    text: `Yes, happy to talk.\n\nOn Mon, 2 Nov 2026, Ana Ruiz <${sent.from}> wrote:\n> ${sent.text.split('\n').join('\n> ')}`,
  })
}

let channel: EmailChannel | undefined
emailChannelConformance({
  name: 'SMTP + IMAP (Dovecot)',
  create: (): EmailChannelV1 => {
    channel = createEmailChannel({
      storage: createMemoryStorage(),
      inboxes: [
        {
          address: 'ana@acme.io',
          smtp: serverSettings(servers.smtp.port, 'ana@acme.io', 'ana-password'),
          imap: serverSettings(servers.imap.port, 'ana@acme.io', 'ana-password'),
        },
      ],
      // The suite calls `receive` itself; no background reading.
      receive: { idle: false, pollIntervalMs: 600_000 },
    })
    return channel
  },
  destroy: () => channel?.close(),
  from: { address: 'ana@acme.io', name: 'Ana Ruiz' },
  recipient: RECIPIENT,
  refusedRecipient: 'reject-conformance@northwind.example',
  received,
  reply,
  receive: async () => {
    await channel?.receiveNow()
  },
})
