import { createHash, createPrivateKey, sign } from 'node:crypto'

/**
 * DKIM signing (RFC 6376, relaxed/relaxed) with over-signing.
 *
 * Why not nodemailer's or mailauth's signer: both list in `h=` only the header fields a message has. A
 * field that is absent, or present once, can then be added by anyone relaying the message (a second
 * `List-Unsubscribe`, a `Reply-To`, a `Cc`) and the signature still verifies, because verifiers only check
 * the instances `h=` names. Listing every signed field once more than it occurs ("over-signing") makes
 * any added instance part of the hash, so adding one breaks the signature. A nonexistent instance adds
 * nothing to the hashed data (RFC 6376 5.4.2), so only the `h=` tag changes.
 */
export interface DkimKey {
  /** A DNS name (validated with the channel options: letters, digits, dots, hyphens). */
  readonly domainName: string
  readonly keySelector: string
  /** PEM private key: RSA (signs rsa-sha256) or Ed25519 (signs ed25519-sha256, RFC 8463). */
  readonly privateKey: string
}

/** Prepends a DKIM-Signature covering `fields` (each listed once more than it occurs) to a raw message. */
export function signDkim(raw: Buffer, key: DkimKey, fields: readonly string[]): Buffer {
  const text = raw.toString('latin1')
  const split = /\r?\n\r?\n/.exec(text)
  const headerText = split === null ? text : text.slice(0, split.index)
  const body = split === null ? '' : text.slice(split.index + split[0].length)
  const newline = /\r\n/.test(text) ? '\r\n' : '\n'
  const headers = parseHeaderFields(headerText)

  const signed: string[] = []
  const names: string[] = []
  for (const field of fields) {
    const name = field.toLowerCase()
    // Verifiers take instances from the bottom up; the extra name stands for "no further instance".
    const present = headers.filter((header) => header.name === name).reverse()
    for (const header of present) signed.push(relaxedHeader(header.name, header.value))
    for (let i = 0; i <= present.length; i++) names.push(field)
  }

  const privateKey = createPrivateKey(key.privateKey)
  const ed25519 = privateKey.asymmetricKeyType === 'ed25519'
  const bodyHash = createHash('sha256').update(relaxedBody(body), 'latin1').digest('base64')
  // The header exactly as it goes out, up to `b=`: the signature covers its relaxed form, folding included.
  const lines = [
    `DKIM-Signature: v=1; a=${ed25519 ? 'ed25519-sha256' : 'rsa-sha256'}; c=relaxed/relaxed;`,
    `d=${key.domainName}; s=${key.keySelector};`,
    ...foldList(`h=${names.join(':')};`),
    `bh=${bodyHash};`,
    'b=',
  ]
  const unsigned = lines.join(`${newline}\t`)
  // RFC 6376 3.7: the signature's own header is hashed last, with an empty b= and no trailing CRLF.
  const data = `${signed.join('')}${relaxedHeader('dkim-signature', unsigned.slice(unsigned.indexOf(':') + 1)).slice(0, -2)}`
  // RFC 8463: Ed25519 signs the SHA-256 digest of the data; RSA signs the data with SHA-256.
  const signature = ed25519
    ? sign(null, createHash('sha256').update(data, 'latin1').digest(), privateKey)
    : sign('sha256', Buffer.from(data, 'latin1'), privateKey)
  const chunks = signature.toString('base64').match(/.{1,72}/g) ?? []
  const header = `${unsigned}${chunks.join(`${newline}\t`)}`
  return Buffer.concat([Buffer.from(`${header}${newline}`, 'latin1'), raw])
}

interface HeaderField {
  readonly name: string
  /** The raw value after the colon, folding kept. */
  readonly value: string
}

function parseHeaderFields(headerText: string): HeaderField[] {
  const fields: HeaderField[] = []
  for (const line of headerText.split(/\r?\n/)) {
    const last = fields[fields.length - 1]
    if (/^[ \t]/.test(line) && last !== undefined) {
      fields[fields.length - 1] = { name: last.name, value: `${last.value}\r\n${line}` }
      continue
    }
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    fields.push({ name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) })
  }
  return fields
}

/** RFC 6376 3.4.2: lower-case name, value unfolded, runs of WSP as one SP, no WSP at its ends. */
function relaxedHeader(name: string, value: string): string {
  const unfolded = value
    .replace(/\r?\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim()
  return `${name.toLowerCase()}:${unfolded}\r\n`
}

/** RFC 6376 3.4.4: runs of WSP as one SP, none at line ends, no empty lines at the end, CRLF line ends. */
function relaxedBody(body: string): string {
  const lines = body.split(/\r?\n/).map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`
}

/** A long `h=` list in lines of at most about 76 characters, broken after a colon. */
function foldList(tag: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const part of tag.split(/(?<=:)/)) {
    if (line !== '' && line.length + part.length > 74) {
      lines.push(line)
      line = ''
    }
    line += part
  }
  if (line !== '') lines.push(line)
  return lines
}
