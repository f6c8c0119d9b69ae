import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { classifyInbound, type InboundMail } from '../src/receiving/classify-inbound'

const FIXTURES = fileURLToPath(new URL('./fixtures/inbound', import.meta.url))
const OWN = new Set(['ana@acme.io'])
const KINDS: readonly InboundMail['kind'][] = [
  'reply',
  'out-of-office',
  'bounce',
  'complaint',
  'own-message',
  'other',
]

// Byte-for-byte as strings (latin1), so that mutations can cut multi-byte characters and encoded words in half.
const corpus = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml'))
  .sort()
  .map((name) => ({ name, raw: readFileSync(join(FIXTURES, name)).toString('latin1') }))

type Mutation = { readonly label: string; readonly apply: (raw: string) => string }

/** Where the header ends (the first empty line), or the end of the message when it has none. */
function headerEnd(raw: string): number {
  const blank = /\r?\n\r?\n/.exec(raw)
  return blank === null ? raw.length : blank.index
}

const at = (raw: string, fraction: number) => Math.floor(raw.length * fraction)
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fraction.map((cut) => ({
    label: `truncate at ${cut.toFixed(3)}`,
    apply: (raw: string) => raw.slice(0, at(raw, cut)),
  })),
  fc
    .array(fc.tuple(fraction, fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 24 })
    .map((flips) => ({
      label: `flip ${flips.length} bytes`,
      apply: (raw: string) => {
        const bytes = Buffer.from(raw, 'latin1')
        for (const [where, mask] of flips) {
          const index = Math.floor(bytes.length * where)
          if (index < bytes.length) bytes[index] = (bytes[index] ?? 0) ^ mask
        }
        return bytes.toString('latin1')
      },
    })),
  fc.tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([where, bytes]) => ({
    label: `insert ${bytes.length} bytes`,
    apply: (raw: string) => {
      const index = at(raw, where)
      return raw.slice(0, index) + Buffer.from(bytes).toString('latin1') + raw.slice(index)
    },
  })),
  fc.tuple(fc.boolean(), fraction).map(([duplicate, which]) => ({
    label: `${duplicate ? 'duplicate' : 'remove'} a header line`,
    apply: (raw: string) => {
      const end = headerEnd(raw)
      const lines = raw.slice(0, end).split('\n')
      const index = Math.floor(lines.length * which)
      const line = lines[index] ?? ''
      lines.splice(index, duplicate ? 0 : 1, ...(duplicate ? [line] : []))
      return lines.join('\n') + raw.slice(end)
    },
  })),
  fc.constantFrom('drop-closing', 'corrupt-one', 'unquote', 'forget').map((how) => ({
    label: `broken MIME boundary (${how})`,
    apply: (raw: string) => {
      const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1]
      if (boundary === undefined) return raw
      switch (how) {
        case 'drop-closing':
          return raw.split(`--${boundary}--`).join('')
        case 'corrupt-one': {
          const index = raw.lastIndexOf(`--${boundary}`)
          return `${raw.slice(0, index)}--${boundary.slice(1)}x${raw.slice(index + boundary.length + 2)}`
        }
        case 'unquote':
          return raw.replace(/boundary="([^"]*)"/i, 'boundary=$1; x="')
        default:
          return raw.replace(/;\s*boundary="?[^";\r\n]+"?/i, '')
      }
    },
  })),
  fc
    .constantFrom('x-unknown-charset', 'utf-7', 'ISO-2022-JP', 'utf-16le', '', '"', 'binary', 'utf-8"; foo="')
    .map((charset) => ({
      label: `charset=${charset}`,
      apply: (raw: string) => raw.replace(/charset="?[^";\s]*"?/gi, `charset=${charset}`),
    })),
  fc.constantFrom('base64', 'quoted-printable', 'x-uuencode', '8bit', 'bogus', '').map((encoding) => ({
    label: `Content-Transfer-Encoding: ${encoding}`,
    apply: (raw: string) =>
      raw.replace(/content-transfer-encoding:[^\r\n]*/gi, `Content-Transfer-Encoding: ${encoding}`),
  })),
  fc
    .tuple(
      fc.constantFrom('X-Giant', 'Subject', 'References', 'From', 'Content-Type', 'Auto-Submitted'),
      fc.integer({ min: 1_000, max: 120_000 }),
      fc.boolean(),
    )
    .map(([name, length, folded]) => ({
      label: `giant ${folded ? 'folded ' : ''}${name} header (${length})`,
      apply: (raw: string) => {
        const unit = name === 'References' ? '<pl-0a1b2c3d4e5f@acme.io> ' : 'a;b=c <x@y> =?utf-8?Q?=C3=A9?= '
        const value = unit.repeat(Math.ceil(length / unit.length)).slice(0, length)
        const header = `${name}: ${folded ? value.replace(/ /g, '\r\n ') : value}\r\n`
        return header + raw
      },
    })),
  fc.integer({ min: 5_000, max: 300_000 }).map((length) => ({
    label: `giant body line (${length})`,
    apply: (raw: string) =>
      `${raw}\r\nOn ${'our side the new reps ramp in six weeks, '.repeat(length / 42)}\r\n`,
  })),
  fc.constantFrom('\n', '\r', '\r\r\n').map((ending) => ({
    label: `line endings ${JSON.stringify(ending)}`,
    apply: (raw: string) => raw.replace(/\r?\n/g, ending),
  })),
)

describe('classifyInbound on damaged real-world messages', () => {
  it('never throws, and always answers with a well-formed classification', {
    timeout: 60_000,
  }, async () => {
    const seen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...corpus),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        async (fixture, mutations) => {
          const raw = mutations.reduce((message, { apply }) => apply(message), fixture.raw)
          const mail = await simpleParser(Buffer.from(raw, 'latin1'))
          const result = classifyInbound(mail, OWN)
          seen.add(result.kind)
          expect(KINDS).toContain(result.kind)
          switch (result.kind) {
            case 'reply':
            case 'out-of-office':
              expect(result.from).toBe(result.from.toLowerCase())
              for (const id of result.threadMessageIds) expect(id).toMatch(/^<[^<>\s]+>$/)
              expect(typeof result.text).toBe('string')
              expect(typeof result.subject).toBe('string')
              break
            case 'bounce':
              expect(['hard', 'soft']).toContain(result.bounce)
              if (result.status !== undefined) expect(result.status).toMatch(/^[245]\.\d{1,3}\.\d{1,3}$/)
              if (result.originalMessageId !== undefined)
                expect(result.originalMessageId).toMatch(/^<[^<>\s]+>$/)
              break
            case 'complaint':
              if (result.originalMessageId !== undefined)
                expect(result.originalMessageId).toMatch(/^<[^<>\s]+>$/)
              if (result.feedbackType !== undefined) expect(result.feedbackType).toMatch(/^[a-z][a-z0-9_-]*$/)
              break
            case 'other':
              expect(result.reason).not.toBe('')
              break
          }
        },
      ),
      { seed: 20261102, numRuns: 300 },
    )
    // The damage leaves most messages recognisable: the runs covered every kind, not just `other`.
    expect([...seen].sort()).toEqual([...KINDS].sort())
  })
})
