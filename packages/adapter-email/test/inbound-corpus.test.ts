import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { classifyInbound, type InboundMail } from '../src/index'

const corpus = fileURLToPath(new URL('./corpus', import.meta.url))
const OWN = new Set(['ana@acme.io'])
const ANA = '<rk-0a1b2c3d4e5f@acme.io>'

type Expected = Partial<Record<string, unknown>> & {
  readonly kind: InboundMail['kind']
  /** For replies: the new text has this, and the quoted conversation is gone. */
  readonly textContains?: string
  readonly textExcludes?: string
}

/** What each message of the corpus is: real-world shapes from Gmail, Outlook, Apple Mail, Exchange, Postfix, qmail. */
const EXPECTED: Record<string, Expected> = {
  'gmail-reply.eml': {
    kind: 'reply',
    from: 'eva@northwind.example',
    threadMessageIds: [ANA],
    textContains: 'Thursday at 10 works for me',
    textExcludes: 'Would a short call',
  },
  'outlook-reply.eml': {
    kind: 'reply',
    from: 'tom@contoso.com',
    subject: 'RE: Quick question',
    threadMessageIds: ['<rk-1111aaaa2222@acme.io>'],
    textContains: 'we already have a vendor',
  },
  'apple-mail-reply.eml': {
    kind: 'reply',
    from: 'claire@example.fr',
    threadMessageIds: ['<rk-aaaa00000002@acme.io>', '<rk-aaaa00000001@acme.io>'],
    textContains: 'appelez-moi jeudi après-midi',
    textExcludes: 'Bumping this up',
  },
  'reply-without-thread-headers.eml': {
    kind: 'reply',
    from: 'eva@northwind.example',
    subject: 'Re: Quick question',
    threadMessageIds: [],
  },
  'ooo-english-rfc3834.eml': { kind: 'out-of-office', from: 'tom@contoso.com' },
  'ooo-gmail-vacation.eml': { kind: 'out-of-office', threadMessageIds: [ANA] },
  'ooo-exchange-spanish.eml': { kind: 'out-of-office', subject: 'Respuesta automática: Quick question' },
  'ooo-french.eml': { kind: 'out-of-office', subject: 'Réponse automatique : Quick question' },
  'ooo-german.eml': { kind: 'out-of-office', textContains: 'nicht im Büro' },
  'ooo-subject-only.eml': { kind: 'out-of-office', threadMessageIds: ['<rk-4444dddd5555@acme.io>'] },
  'bounce-gmail-511.eml': {
    kind: 'bounce',
    bounce: 'hard',
    status: '5.1.1',
    recipient: 'nobody@northwind.example',
    originalMessageId: ANA,
  },
  'bounce-office365-5110.eml': {
    kind: 'bounce',
    bounce: 'hard',
    status: '5.1.10',
    recipient: 'gone@contoso.com',
    originalMessageId: '<rk-5555eeee6666@acme.io>',
  },
  'bounce-postfix-delayed.eml': {
    kind: 'bounce',
    bounce: 'soft',
    status: '4.4.1',
    recipient: 'liam@slow.example',
    originalMessageId: '<rk-7777ffff8888@acme.io>',
  },
  'bounce-exchange-522.eml': {
    kind: 'bounce',
    bounce: 'hard',
    status: '5.2.2',
    recipient: 'full@fabrikam.example',
    originalMessageId: '<rk-9999aaaa0000@acme.io>',
  },
  'bounce-qmail-plain.eml': {
    kind: 'bounce',
    bounce: 'hard',
    status: '5.1.1',
    recipient: 'tom.old@contoso.example',
    originalMessageId: '<rk-bbbb1111cccc@acme.io>',
  },
  'own-sent-copy.eml': { kind: 'own-message' },
  'newsletter.eml': { kind: 'other' },
  'colleague-reply.eml': {
    kind: 'reply',
    from: 'mia@northwind.example',
    // The colleague answers Eva's reply; reachkit's own message is further back in References.
    threadMessageIds: ['<CAF3x9=vQk2p@mail.gmail.com>', ANA],
  },
  'calendar-accept.eml': { kind: 'other' },
  'html-only-latin1.eml': {
    kind: 'reply',
    from: 'jordi@example.es',
    threadMessageIds: ['<rk-2222bbbb3333@acme.io>'],
    textContains: 'Sí, el jueves me va bien. ¿A qué hora?',
  },
}

const files = readdirSync(corpus).filter((name) => name.endsWith('.eml'))
const classify = async (raw: string | Buffer) => classifyInbound(await simpleParser(raw), OWN)

describe('classifying what arrives in a sending inbox (corpus)', () => {
  it.each(files)('%s', async (file) => {
    const expected = EXPECTED[file]
    if (expected === undefined) throw new Error(`add the expected classification of ${file} to EXPECTED`)
    const { textContains, textExcludes, ...fields } = expected
    const result = await classify(readFileSync(`${corpus}/${file}`))
    expect(result).toMatchObject(fields)
    const text = 'text' in result ? result.text : ''
    if (textContains !== undefined) expect(text).toContain(textContains)
    if (textExcludes !== undefined) expect(text).not.toContain(textExcludes)
  })

  it('covers every expectation with a file', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...files].sort())
  })
})

describe('classification rules', () => {
  const message = (headers: readonly string[], body = 'Thanks, talk soon.') =>
    [
      'From: eva@northwind.example',
      'To: ana@acme.io',
      `In-Reply-To: ${ANA}`,
      'Message-ID: <rule@northwind.example>',
      ...headers,
      '',
      body,
    ].join('\r\n')

  it('a person writing "out of office" further along a subject still replied', async () => {
    expect(
      await classify(message(['Subject: Re: Quick question - I was out of office, sorry'])),
    ).toMatchObject({ kind: 'reply' })
  })

  it('Auto-Submitted: no is a person', async () => {
    expect(await classify(message(['Subject: Re: Quick question', 'Auto-Submitted: no']))).toMatchObject({
      kind: 'reply',
    })
  })

  it('a reply prefixed in another language (AW:, RV:) is still a reply', async () => {
    expect(await classify(message(['Subject: AW: Quick question']))).toMatchObject({ kind: 'reply' })
    expect(await classify(message(['Subject: RV: Quick question']))).toMatchObject({ kind: 'reply' })
  })
})

describe('malformed messages', () => {
  it('never make the classifier throw (fuzzed corpus)', async () => {
    const originals = files.map((file) => readFileSync(`${corpus}/${file}`, 'latin1'))
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant('drop-line' as const), at: fc.nat() }),
      fc.record({
        kind: fc.constant('bytes' as const),
        at: fc.nat(),
        bytes: fc.uint8Array({ maxLength: 30 }),
      }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: originals.length - 1 }),
        fc.array(mutation, { maxLength: 5 }),
        async (index, edits) => {
          let raw = originals[index] ?? ''
          for (const edit of edits) {
            const at = raw.length === 0 ? 0 : edit.at % raw.length
            if (edit.kind === 'truncate') raw = raw.slice(0, at)
            else if (edit.kind === 'insert') raw = raw.slice(0, at) + edit.text + raw.slice(at)
            else if (edit.kind === 'bytes')
              raw = raw.slice(0, at) + Buffer.from(edit.bytes).toString('latin1') + raw.slice(at)
            else {
              const lines = raw.split('\r\n')
              lines.splice(at % Math.max(1, lines.length), 1)
              raw = lines.join('\r\n')
            }
          }
          const result = await classify(Buffer.from(raw, 'latin1'))
          expect(['reply', 'out-of-office', 'bounce', 'own-message', 'other']).toContain(result.kind)
        },
      ),
      { seed: 20261122, numRuns: 300 },
    )
  })
})
