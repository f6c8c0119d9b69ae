import { emailChannelConformance, type ReceivedEmail } from '../../src/conformance'
import type { EmailMessage } from '../../src/ports'
import { createMemoryEmailChannel } from '../../src/testing'

// The in-memory channel passes the suite adapters run: what it "delivers" is what it recorded as sent.
const channel = createMemoryEmailChannel({
  respond: (message) =>
    message.to.address === 'nobody@northwind.example'
      ? { ok: false, reason: 'invalid_recipient', message: '550 5.1.1 user unknown' }
      : undefined,
})

const asReceived = (message: EmailMessage): ReceivedEmail => ({
  messageId: message.messageId,
  from: message.from.address,
  to: message.to.address,
  subject: message.subject,
  ...(message.inReplyTo === undefined ? {} : { inReplyTo: message.inReplyTo }),
  references: message.references ?? [],
  text:
    message.signature?.text === undefined
      ? message.text
      : `${message.text}\n\n-- \n${message.signature.text}`,
})

emailChannelConformance({
  name: 'in-memory',
  create: () => channel,
  from: { address: 'ana@acme.io', name: 'Ana Ruiz' },
  recipient: 'eva@northwind.example',
  refusedRecipient: 'nobody@northwind.example',
  received: async (messageId) => {
    const message = channel.sent.find((each) => each.messageId === messageId)
    return message === undefined ? undefined : asReceived(message)
  },
  reply: async (sent) => {
    await channel.deliver({
      type: 'reply-received',
      channel: 'email',
      lead: { email: sent.to, messageId: sent.messageId },
      outOfOffice: false,
      text: 'Yes, happy to talk.',
    })
  },
  receive: async () => {},
})
