import nodemailer, { type SendMailOptions } from 'nodemailer'

// Builds MIME (and the DKIM signature) without sending: the SMTP sender then streams the bytes.
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })

/** The message as it goes on the wire (CRLF, DKIM-signed when asked) and its SMTP envelope. */
export async function compileMessage(
  options: SendMailOptions,
): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  const info = await composer.sendMail(options)
  const envelope = info.envelope as { from: string | false; to: string[] }
  return { raw: info.message as Buffer, envelope: { from: envelope.from || '', to: envelope.to } }
}
