import { generateKeyPairSync } from 'node:crypto'
import type { EmailMessage } from '@paceline/core/ports'
import fc from 'fast-check'
import { dkimVerify } from 'mailauth/lib/dkim/verify.js'
import { simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import { describe, expect, it } from 'vitest'
import type { InboxSettings } from '../src/email-channel-options'
import { compileMessage } from '../src/sending/compile-message'
import { composeMessage } from '../src/sending/compose-message'
import { verifyTrackingToken } from '../src/tracking/tracking-token'

const inbox: InboxSettings = {
  address: 'ana@acme.io',
  smtp: { host: '127.0.0.1', port: 25, security: 'none', auth: { user: 'ana@acme.io', password: 'x' } },
}
const message: EmailMessage = {
  idempotencyKey: 'pl-0123456789abcdef',
  messageId: '<pl-0123456789abcdef@acme.io>',
  from: { address: 'ana@acme.io', name: 'Ana Ruiz' },
  to: { address: 'eva@northwind.example', name: 'Eva Lind' },
  subject: 'Re: Quick question',
  text: 'Hi Eva,\n\nHave a look: https://acme.io/case-study\n\nAna',
  inReplyTo: '<pl-1111111111111111@acme.io>',
  references: ['<pl-0000000000000000@acme.io>', '<pl-1111111111111111@acme.io>'],
}
const SECRET = 'a-tracking-secret-of-at-least-32-chars!'

/** A DKIM key pair and its DNS record, for the independent verifier (mailauth). */
function dkimKey(type: 'rsa' | 'ed25519') {
  const { privateKey, publicKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ed25519')
  const der = publicKey.export({ type: 'spki', format: 'der' })
  // Ed25519 records carry the raw 32-byte key (RFC 8463), RSA ones the SubjectPublicKeyInfo.
  const p = (type === 'rsa' ? der : der.subarray(der.length - 32)).toString('base64')
  return {
    settings: {
      domainName: 'acme.io',
      keySelector: 'pl1',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    record: `v=DKIM1; k=${type}; p=${p}`,
  }
}

async function verify(raw: Buffer, key: ReturnType<typeof dkimKey>): Promise<string | undefined> {
  const result = await dkimVerify(raw, {
    resolver: async (name: string, type: string) => {
      if (name === 'pl1._domainkey.acme.io' && type === 'TXT') return [[key.record]]
      throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    },
  })
  return result.results[0]?.status.result
}

/** Builds the real MIME message with nodemailer (no network) and reads it back with mailparser. */
async function render(options: ReturnType<typeof composeMessage>) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
  const info = await transport.sendMail(options)
  const raw = (info.message as Buffer).toString('utf8')
  return { raw, mail: await simpleParser(raw) }
}

describe('composing a message', () => {
  it("keeps the engine's Message-ID and threads follow-ups with In-Reply-To and References", async () => {
    const { mail, raw } = await render(composeMessage(message, { inbox, now: 0 }))
    expect(mail.messageId).toBe('<pl-0123456789abcdef@acme.io>')
    expect(mail.inReplyTo).toBe('<pl-1111111111111111@acme.io>')
    expect(mail.references).toEqual(['<pl-0000000000000000@acme.io>', '<pl-1111111111111111@acme.io>'])
    expect(mail.subject).toBe('Re: Quick question')
    expect(mail.from?.value[0]).toEqual({ address: 'ana@acme.io', name: 'Ana Ruiz' })
    // Text only: no HTML part, no attachment, no X-Mailer advertising the library.
    expect(mail.html).toBe(false)
    expect(mail.attachments).toHaveLength(0)
    expect(raw).not.toMatch(/^x-mailer:/im)
  })

  it('appends the signature to the text, and as HTML with a plain-text alternative when it is HTML', async () => {
    const text = await render(
      composeMessage({ ...message, signature: { text: 'Ana Ruiz\nAcme' } }, { inbox, now: 0 }),
    )
    expect(text.mail.text).toContain('Ana\n\n-- \nAna Ruiz\nAcme')
    const html = await render(
      composeMessage(
        { ...message, signature: { text: 'Ana Ruiz', html: '<b>Ana Ruiz</b>, Acme' } },
        { inbox, now: 0 },
      ),
    )
    expect(html.raw).toMatch(/multipart\/alternative/)
    expect(html.mail.html).toContain('<div class="signature"><b>Ana Ruiz</b>, Acme</div>')
    expect(html.mail.text).toContain('-- \nAna Ruiz')
  })

  it('adds a signed open pixel and click redirects when the campaign tracks, leaving the text part alone', async () => {
    const { mail } = await render(
      composeMessage(
        { ...message, tracking: { opens: true, clicks: true } },
        { inbox, tracking: { baseUrl: 'https://t.acme.io/pl/', secret: SECRET }, now: 1_000 },
      ),
    )
    const html = String(mail.html)
    const pixel = /src="https:\/\/t\.acme\.io\/pl\/o\/([^"]+)\.gif"/.exec(html)?.[1] ?? ''
    expect(verifyTrackingToken(pixel, SECRET)).toEqual({
      kind: 'open',
      messageId: message.messageId,
      sentAt: 1_000,
    })
    const click = /href="https:\/\/t\.acme\.io\/pl\/c\/([^"]+)"/.exec(html)?.[1] ?? ''
    expect(verifyTrackingToken(click, SECRET)).toMatchObject({
      kind: 'click',
      url: 'https://acme.io/case-study',
    })
    expect(mail.text).toContain('https://acme.io/case-study')
    expect(mail.text).not.toContain('t.acme.io')
  })

  it('finds links in text and HTML as written: a URL ends where the text says, entities decoded', async () => {
    const { mail } = await render(
      composeMessage(
        {
          ...message,
          text: 'See <https://acme.io/x?a=1&b=2> and (https://acme.io/wiki/Foo_(bar)). Or https://münchen.example/straße.',
          tracking: { opens: false, clicks: true },
        },
        { inbox, tracking: { baseUrl: 'https://t.acme.io/pl/', secret: SECRET }, now: 1_000 },
      ),
    )
    const urls = [...String(mail.html).matchAll(/href="https:\/\/t\.acme\.io\/pl\/c\/([^"]+)"/g)].map(
      (match) => verifyTrackingToken(match[1] ?? '', SECRET)?.url,
    )
    expect(urls).toEqual([
      'https://acme.io/x?a=1&b=2',
      'https://acme.io/wiki/Foo_(bar)',
      'https://münchen.example/straße',
    ])
    expect(String(mail.html)).toContain('See &lt;<a ')
    const fromHtml = await render(
      composeMessage(
        {
          ...message,
          html: '<a href="https://acme.io/p?a=1&amp;b=2&#38;c=&quot;3&quot;&#x26;d=4">p</a>',
          tracking: { opens: false, clicks: true },
        },
        { inbox, tracking: { baseUrl: 'https://t.acme.io/pl/', secret: SECRET }, now: 1_000 },
      ),
    )
    const token = /href="https:\/\/t\.acme\.io\/pl\/c\/([^"]+)"/.exec(String(fromHtml.mail.html))?.[1] ?? ''
    expect(verifyTrackingToken(token, SECRET)?.url).toBe('https://acme.io/p?a=1&b=2&c="3"&d=4')
  })

  it('does not track mailto links, marked links or the unsubscribe link', async () => {
    const { mail } = await render(
      composeMessage(
        {
          ...message,
          html: '<p><a href="mailto:ana@acme.io">mail</a> <a data-paceline-notrack href="https://acme.io/private">p</a> <a href="https://acme.io/unsubscribe?u=1&amp;c=2">u</a> <a href=\'https://acme.io/a?x=1&amp;y=2\'>a</a></p>',
          tracking: { opens: false, clicks: true },
        },
        {
          inbox,
          tracking: { baseUrl: 'https://t.acme.io', secret: SECRET },
          listUnsubscribe: { url: () => 'https://acme.io/unsubscribe?u=1&c=2' },
          now: 0,
        },
      ),
    )
    const html = String(mail.html)
    expect(html).toContain('href="mailto:ana@acme.io"')
    expect(html).toContain('href="https://acme.io/private"')
    expect(html).toContain('href="https://acme.io/unsubscribe?u=1&amp;c=2"')
    const tracked = /href='https:\/\/t\.acme\.io\/c\/([^']+)'/.exec(html)?.[1] ?? ''
    // The entity-encoded URL is decoded before signing: the redirect goes where the link pointed.
    expect(verifyTrackingToken(tracked, SECRET)?.url).toBe('https://acme.io/a?x=1&y=2')
    expect(html).not.toContain('/o/')
  })

  it('adds List-Unsubscribe with one-click List-Unsubscribe-Post (RFC 8058)', async () => {
    const { mail } = await render(
      composeMessage(message, {
        inbox,
        listUnsubscribe: {
          url: (each) => `https://acme.io/u/${each.idempotencyKey}`,
          mailto: () => 'unsubscribe@acme.io',
        },
        now: 0,
      }),
    )
    const header = (name: string) => mail.headerLines.find((line) => line.key === name)?.line ?? ''
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
    const lines = header('list-unsubscribe')
    expect(lines.replace(/\r?\n\s+/g, ' ')).toBe(
      'List-Unsubscribe: <https://acme.io/u/pl-0123456789abcdef>, <mailto:unsubscribe@acme.io>',
    )
  })

  it('signs with DKIM, covering List-Unsubscribe and List-Unsubscribe-Post, and the signature verifies', async () => {
    const key = dkimKey('rsa')
    const { raw } = await compileMessage(
      composeMessage(message, {
        inbox: { ...inbox, dkim: key.settings },
        listUnsubscribe: { url: () => 'https://acme.io/u/1' },
        now: 0,
      }),
    )
    const text = raw.toString('latin1')
    const header = /^DKIM-Signature:[\s\S]*?(?=\r?\n\S)/im.exec(text)?.[0].replace(/\s+/g, ' ') ?? ''
    const signedHeaders = /\bh=([^;]+)/.exec(header)?.[1]?.replace(/\s/g, '').toLowerCase().split(':') ?? []
    expect(signedHeaders).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'message-id']),
    )
    expect(await verify(raw, key)).toBe('pass')
  })

  it('over-signs: adding a List-Unsubscribe, List-Unsubscribe-Post, Reply-To or Cc anywhere breaks the signature', async () => {
    for (const type of ['rsa', 'ed25519'] as const) {
      const key = dkimKey(type)
      const { raw } = await compileMessage(
        composeMessage(message, {
          inbox: { ...inbox, dkim: key.settings },
          listUnsubscribe: { url: () => 'https://acme.io/u/1' },
          now: 0,
        }),
      )
      expect(await verify(raw, key), type).toBe('pass')
      const text = raw.toString('latin1')
      const bodyStart = text.indexOf('\r\n\r\n')
      for (const added of [
        'List-Unsubscribe: <https://evil.example/u>',
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        'Reply-To: attacker@evil.example',
        'Cc: everyone@evil.example',
        'Subject: Urgent: wire the money',
      ]) {
        // A relay prepends; a forwarder may append to the header block: both must fail.
        const prepended = Buffer.from(`${added}\r\n${text}`, 'latin1')
        const appended = Buffer.from(
          `${text.slice(0, bodyStart)}\r\n${added}${text.slice(bodyStart)}`,
          'latin1',
        )
        expect(await verify(prepended, key), `${type}: ${added} prepended`).not.toBe('pass')
        expect(await verify(appended, key), `${type}: ${added} appended`).not.toBe('pass')
      }
    }
  })

  it('signs what any message looks like so that an independent verifier agrees', async () => {
    const key = dkimKey('rsa')
    const texts = fc.sample(
      fc.string({ unit: 'grapheme', maxLength: 400 }).map((body) => body.replace(/\0/g, '')),
      { seed: 20261204, numRuns: 30 },
    )
    const subjects = fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }), {
      seed: 7,
      numRuns: 30,
    })
    for (const [index, body] of texts.entries()) {
      // Subjects hold no control characters (compose refuses them): keep printable ones.
      const subject = [...(subjects[index] ?? 'x')]
        .map((char) => ((char.codePointAt(0) ?? 0) < 32 || /[\u2028\u2029]/.test(char) ? ' ' : char))
        .join('')
      const { raw } = await compileMessage(
        composeMessage(
          { ...message, subject: `  ${subject}  `, text: `${body}  \n\n\t \n` },
          {
            inbox: { ...inbox, dkim: key.settings },
            now: 0,
          },
        ),
      )
      expect(await verify(raw, key), JSON.stringify(body)).toBe('pass')
    }
  })

  it('refuses header values that could inject headers, naming the header and the character', () => {
    for (const [field, patch] of [
      ['Subject', { subject: 'Hello\r\nBcc: everyone@example.com' }],
      ['To', { to: { address: 'eva@northwind.example', name: 'Eva\nBcc: x@y.z' } }],
      ['From', { from: { address: 'ana@acme.io', name: 'Ana\u2028Ruiz' } }],
      ['In-Reply-To', { inReplyTo: '<a@b>\r\nX-Evil: 1' }],
    ] as const) {
      expect(() => composeMessage({ ...message, ...patch } as EmailMessage, { inbox, now: 0 })).toThrow(
        expect.objectContaining({
          code: 'unsafe_header_value',
          details: expect.objectContaining({ header: field }),
        }),
      )
    }
    expect(() => composeMessage({ ...message, messageId: 'not-an-id' }, { inbox, now: 0 })).toThrow(
      /one message id/,
    )
  })

  it('sends only from its own inbox', () => {
    expect(() =>
      composeMessage({ ...message, from: { address: 'someone@else.io' } }, { inbox, now: 0 }),
    ).toThrow(/sends from ana@acme.io, not someone@else.io/)
  })
})
