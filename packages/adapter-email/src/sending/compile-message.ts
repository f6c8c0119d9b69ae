import nodemailer, { type SendMailOptions } from 'nodemailer'
import { DKIM_FIELDS } from './compose-message'
import { type DkimKey, signDkim } from './dkim-signature'

// Builds MIME without sending: the SMTP sender then streams the bytes.
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' })

/** The message as it goes on the wire (CRLF, DKIM-signed when asked) and its SMTP envelope. */
export async function compileMessage(
  options: SendMailOptions,
): Promise<{ raw: Buffer; envelope: { from: string; to: string[] } }> {
  // DKIM is signed here rather than by nodemailer, which cannot over-sign (see dkim-signature.ts).
  const { dkim, ...unsigned } = options
  const info = await composer.sendMail(unsigned)
  const envelope = info.envelope as { from: string | false; to: string[] }
  const built = info.message as Buffer
  const raw = dkim === undefined ? built : signDkim(built, dkim as DkimKey, DKIM_FIELDS)
  return { raw, envelope: { from: envelope.from || '', to: envelope.to } }
}
