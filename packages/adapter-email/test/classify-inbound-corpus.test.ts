import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { classifyInbound, type InboundMail } from '../src/receiving/classify-inbound'
import { readMessage } from '../src/receiving/read-message'

/**
 * Public corpora of real-world messages (see fixtures/corpus/README.md for their sources and licences), each
 * folder with a manifest of what every message is. Bounce and complaint labels are the source projects' own
 * (sisimai's test expectations give each bounce's status); the replies are the reply parsers' fixtures.
 */
const CORPUS = fileURLToPath(new URL('./fixtures/corpus', import.meta.url))
const OWN = new Set(['ana@acme.io'])
const KINDS = ['reply', 'out-of-office', 'bounce', 'complaint', 'own-message', 'other'] as const

interface Expected {
  readonly kind: InboundMail['kind']
  /** For bounces: the failed recipient's status (the first 5.x.x one, else the first), per the source. */
  readonly status?: string
  readonly bounce?: 'hard' | 'soft'
  readonly feedbackType?: string
  /** For bounces: the failed recipients, when the source names them (flufl.bounce does). */
  readonly recipients?: readonly string[]
}

interface Manifest {
  /** `message`: a whole RFC 5322 message; `body`: only the text a person wrote, sent here as a reply. */
  readonly format: 'message' | 'body'
  readonly messages: Readonly<Record<string, Expected>>
}

interface Sample {
  readonly name: string
  readonly raw: Buffer
  readonly expected: Expected
}

/** A reply parser's fixture is the body of a reply: here it answers a message the inbox sent. */
function asReply(body: Buffer, index: number): Buffer {
  const headers = [
    'From: Eva Lind <eva@northwind.example>',
    'To: Ana Ruiz <ana@acme.io>',
    'Subject: Re: Quick question',
    'Date: Tue, 3 Nov 2026 09:12:00 +0100',
    `Message-ID: <corpus-reply-${index}@northwind.example>`,
    'In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ]
  return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`), body])
}

const samples: Sample[] = readdirSync(CORPUS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((folder) => {
    const manifest = JSON.parse(readFileSync(join(CORPUS, folder.name, 'manifest.json'), 'utf8')) as Manifest
    return Object.entries(manifest.messages).map(([file, expected], index) => {
      const raw = readFileSync(join(CORPUS, folder.name, file))
      return {
        name: `${folder.name}/${file}`,
        raw: manifest.format === 'body' ? asReply(raw, index) : raw,
        expected,
      }
    })
  })

/** As the inbox poller reads a message. */
const read = readMessage

/** Rows: what the source says; columns: what the classifier said. */
function confusionTable(results: readonly { expected: Expected; actual: InboundMail }[]): string {
  const count = (expected: string, actual: string) =>
    results.filter((result) => result.expected.kind === expected && result.actual.kind === actual).length
  const rows = KINDS.filter((kind) => results.some((result) => result.expected.kind === kind))
  const width = Math.max(...KINDS.map((kind) => kind.length)) + 2
  const line = (cells: readonly string[]) => cells.map((cell) => cell.padStart(width)).join('')
  return [
    line(['source \\ classified', ...KINDS]),
    ...rows.map((expected) => line([expected, ...KINDS.map((actual) => String(count(expected, actual)))])),
  ].join('\n')
}

describe('classifyInbound on public corpora of real-world messages', () => {
  it('recognises bounces, complaints and replies', { timeout: 120_000 }, async () => {
    expect(samples.length).toBeGreaterThanOrEqual(300)
    const results: { name: string; expected: Expected; actual: InboundMail }[] = []
    for (const sample of samples)
      results.push({
        name: sample.name,
        expected: sample.expected,
        actual: classifyInbound(await read(sample.raw), OWN),
      })

    const bounces = results.filter((result) => result.expected.kind === 'bounce')
    const recognised = bounces.filter((result) => result.actual.kind === 'bounce')
    const graded = recognised.filter((result) => result.expected.bounce !== undefined)
    const agreeing = graded.filter(
      (result) => result.actual.kind === 'bounce' && result.actual.bounce === result.expected.bounce,
    )
    // sisimai's pseudo codes (x.0.9xx) are its judgement from the text, not a DSN status: shown, not graded.
    const judged = recognised.filter(
      (result) => result.expected.bounce === undefined && result.expected.status !== undefined,
    )
    const judgedAgreeing = judged.filter(
      (result) =>
        result.actual.kind === 'bounce' &&
        (result.actual.bounce === 'hard') === result.expected.status?.startsWith('5'),
    )
    const named = recognised.filter((result) => (result.expected.recipients?.length ?? 0) > 0)
    const attributed = named.filter(
      (result) =>
        result.actual.kind === 'bounce' &&
        result.expected.recipients?.includes(result.actual.recipient ?? '') === true,
    )
    const complaints = results.filter((result) => result.expected.kind === 'complaint')
    const replies = results.filter((result) => result.expected.kind === 'reply')
    const misread = (list: typeof results, kind: InboundMail['kind']) =>
      list
        .filter((result) => result.actual.kind !== kind)
        .map((result) => `${result.name}: ${result.actual.kind}`)
    const wrongGrade = graded
      .filter((result) => !agreeing.includes(result))
      .map(
        (result) =>
          `${result.name}: ${result.expected.status} read as ${result.actual.kind === 'bounce' ? `${result.actual.bounce} ${result.actual.status ?? ''}` : ''}`,
      )

    // biome-ignore lint/suspicious/noConsole: the figures are the point of this test; they go in its output.
    console.log(
      [
        `${results.length} messages from ${new Set(results.map((result) => result.name.split('/')[0])).size} corpora`,
        confusionTable(results),
        `bounces recognised: ${recognised.length}/${bounces.length}; hard/soft agreeing with the status: ${agreeing.length}/${graded.length}`,
        `(not graded: hard/soft agreeing with sisimai's pseudo statuses x.0.9xx: ${judgedAgreeing.length}/${judged.length})`,
        `failed recipient found, where the source names it: ${attributed.length}/${named.length}`,
        ...misread(bounces, 'bounce').map((line) => `  bounce misread: ${line}`),
        ...wrongGrade.map((line) => `  wrong grade: ${line}`),
        ...misread(complaints, 'complaint').map((line) => `  complaint misread: ${line}`),
        ...misread(replies, 'reply').map((line) => `  reply misread: ${line}`),
      ].join('\n'),
    )

    expect(recognised.length / bounces.length).toBeGreaterThanOrEqual(0.99)
    expect(agreeing.length / graded.length).toBeGreaterThanOrEqual(0.99)
    expect(attributed.length / named.length).toBeGreaterThanOrEqual(0.9)
    expect(misread(complaints, 'complaint')).toEqual([])
    const answered = results.filter(
      (result) =>
        (result.expected.kind === 'bounce' || result.expected.kind === 'complaint') &&
        (result.actual.kind === 'reply' || result.actual.kind === 'out-of-office'),
    )
    expect(answered.map((result) => result.name)).toEqual([])
    expect(misread(replies, 'reply')).toEqual([])
  })
})
