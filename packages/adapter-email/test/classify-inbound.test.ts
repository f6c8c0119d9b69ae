import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { autoReplySignals, isAutoReply } from '../src/receiving/auto-reply'
import { classifyInbound, type InboundMail } from '../src/receiving/classify-inbound'
import { readDeliveryReport, readPlainBounce } from '../src/receiving/delivery-status'

const FIXTURES = fileURLToPath(new URL('./fixtures/inbound', import.meta.url))
const OWN = new Set(['ana@acme.io'])

/**
 * What a fixture must classify as. Every other key is a field of the result, compared exactly; `null` means the
 * field must be absent. `textContains`/`textExcludes` check the new text of replies and automatic answers.
 */
interface Expectation {
  readonly kind: InboundMail['kind']
  readonly textContains?: string | readonly string[]
  readonly textExcludes?: string | readonly string[]
  readonly [field: string]: unknown
}

const expectations = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  Expectation
>
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.eml'))
  .sort()

const list = (value: string | readonly string[] | undefined): readonly string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : value

async function classify(raw: string | Buffer): Promise<InboundMail> {
  return classifyInbound(await simpleParser(raw), OWN)
}

const rfc822 = (lines: readonly string[]) => `${lines.join('\r\n')}\r\n`

describe('classifyInbound: a corpus of real-world messages', () => {
  it('has an expectation for every fixture, and a fixture for every expectation', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20)
    expect(Object.keys(expectations).sort()).toEqual(fixtures)
  })

  it.each(fixtures)('%s', async (file) => {
    const expected = expectations[file]
    expect(expected, `${file} has no entry in expected.json`).toBeDefined()
    if (expected === undefined) return
    const mail = await simpleParser(readFileSync(join(FIXTURES, file)))
    const result = classifyInbound(mail, OWN)

    const { kind, textContains, textExcludes, ...fields } = expected
    expect(result.kind).toBe(kind)
    const actual: Record<string, unknown> = { ...result }
    for (const [field, value] of Object.entries(fields))
      expect(actual[field], `${file}: ${field}`).toEqual(value === null ? undefined : value)

    const checksText = textContains !== undefined || textExcludes !== undefined
    if (result.kind === 'reply' || result.kind === 'out-of-office') {
      for (const part of list(textContains)) expect(result.text).toContain(part)
      // The quoted conversation is in the message, and never part of what the person wrote.
      for (const part of list(textExcludes)) {
        expect(mail.text, `${file} quotes "${part}"`).toContain(part)
        expect(result.text).not.toContain(part)
      }
      if (result.kind === 'reply') expect(result.text.length).toBeGreaterThan(0)
    } else {
      expect(checksText, `${file}: only replies and automatic answers have text`).toBe(false)
    }
  })
})

describe('classifyInbound: focused cases', () => {
  const reply = (headers: readonly string[], body = 'Sounds good, call me Thursday.') =>
    rfc822([
      'From: Eva Lind <eva@northwind.example>',
      'To: Ana Ruiz <ana@acme.io>',
      'Date: Tue, 3 Nov 2026 09:12:00 +0100',
      'Message-ID: <focused-1@northwind.example>',
      'In-Reply-To: <pl-0a1b2c3d4e5f@acme.io>',
      'Content-Type: text/plain; charset=utf-8',
      ...headers,
      '',
      body,
    ])

  it('reads a person who mentions being out of office further along a reply subject as a reply', async () => {
    for (const subject of [
      "Re: Quick question - I'm out of office next week, but yes",
      'RE: Quick question (OOO until Monday, answering from my phone)',
      'Re: Quick question / on vacation soon, let us talk before',
    ]) {
      const result = await classify(reply([`Subject: ${subject}`]))
      expect(result, subject).toMatchObject({ kind: 'reply', subject, from: 'eva@northwind.example' })
    }
    expect(await classify(reply(['Subject: Out of office: Quick question']))).toMatchObject({
      kind: 'out-of-office',
    })
  })

  it('reads a reply prefixed in other languages (AW:, RV:, SV:) as a reply', async () => {
    for (const subject of ['AW: Quick question', 'RV: Quick question', 'SV: Quick question'])
      expect(await classify(reply([`Subject: ${subject}`])), subject).toMatchObject({ kind: 'reply' })
  })

  it('reads Auto-Submitted: no as a person, and any other value as automatic (RFC 3834)', async () => {
    const person = await classify(reply(['Subject: Re: Quick question', 'Auto-Submitted: no']))
    expect(person).toMatchObject({ kind: 'reply', threadMessageIds: ['<pl-0a1b2c3d4e5f@acme.io>'] })
    expect(autoReplySignals(new Map([['auto-submitted', 'No']]), 'Re: Quick question')).toEqual({
      subject: false,
    })
    expect(isAutoReply(autoReplySignals(new Map([['auto-submitted', 'no']]), 'Re: Quick question'))).toBe(
      false,
    )

    const vacation = await classify(
      reply(['Subject: Re: Quick question', 'Auto-Submitted: auto-replied (vacation)']),
    )
    expect(vacation).toMatchObject({ kind: 'out-of-office', from: 'eva@northwind.example' })
    expect(autoReplySignals(new Map([['auto-submitted', 'auto-generated']]), 'Re: Quick question')).toEqual({
      header: 'auto-submitted',
      subject: false,
    })
  })

  it('reads a delayed delivery report as a soft bounce, and a failed recipient over a delayed one', () => {
    const report = (groups: readonly string[][]) => [
      {
        contentType: 'message/delivery-status',
        content: ['Reporting-MTA: dns; mail.acme.io', '', ...groups.map((group) => group.join('\n'))].join(
          '\n\n',
        ),
      },
      {
        contentType: 'text/rfc822-headers',
        content: 'From: ana@acme.io\nMessage-ID: <pl-0a1b2c3d4e5f@acme.io>\n',
      },
    ]
    const delayed = ['Final-Recipient: rfc822; hugo@example.fr', 'Action: delayed', 'Status: 4.4.7']
    expect(readDeliveryReport(report([delayed]))).toEqual({
      bounce: 'soft',
      status: '4.4.7',
      recipient: 'hugo@example.fr',
      originalMessageId: '<pl-0a1b2c3d4e5f@acme.io>',
    })
    const failed = [
      'Final-Recipient: rfc822;Sam Olsen <Sam@Northwind.example>',
      'Action: failed',
      'Status: 5.1.1',
    ]
    expect(readDeliveryReport(report([delayed, failed]))).toMatchObject({
      bounce: 'hard',
      status: '5.1.1',
      recipient: 'sam@northwind.example',
    })
    // A report of successful delivery is no bounce at all.
    const delivered = ['Final-Recipient: rfc822; eva@northwind.example', 'Action: delivered', 'Status: 2.0.0']
    expect(readDeliveryReport(report([delivered]))).toBeUndefined()
  })

  it('reads a delivery report whose per-recipient fields come without a per-message group', () => {
    const parts = [
      {
        contentType: 'message/delivery-status',
        content: 'Final-Recipient: rfc822; tom@contoso.com\nAction: failed\nStatus: 5.1.1\n',
      },
    ]
    expect(readDeliveryReport(parts)).toEqual({
      bounce: 'hard',
      status: '5.1.1',
      recipient: 'tom@contoso.com',
    })
  })

  it('takes the failed address out of the mailto: links Exchange writes in its plain-text reports', () => {
    const text = [
      'Delivery has failed to these recipients or groups:',
      '',
      'tom@contoso.com<mailto:tom@contoso.com>',
      "The email address you entered couldn't be found.",
      '',
      "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
      '',
      'Original message headers:',
      'From: Ana Ruiz <ana@acme.io>',
      'Message-ID: <pl-e7f8091a2b3c@acme.io>',
    ].join('\n')
    expect(readPlainBounce(text, OWN)).toMatchObject({
      bounce: 'hard',
      status: '5.1.10',
      recipient: 'tom@contoso.com',
      originalMessageId: '<pl-e7f8091a2b3c@acme.io>',
    })
  })

  it('never reads a notice from a mail system as a person or an auto-responder', async () => {
    const quotaWarning = rfc822([
      'From: Mail Delivery System <MAILER-DAEMON@mail.acme.io>',
      'To: ana@acme.io',
      'Subject: Quota warning: your mailbox is 90% full',
      'Auto-Submitted: auto-generated',
      'Date: Tue, 3 Nov 2026 06:00:00 +0100',
      'Message-ID: <quota-1@mail.acme.io>',
      '',
      'Your mailbox is now 90% full. Please delete some messages.',
    ])
    expect(await classify(quotaWarning)).toMatchObject({ kind: 'other', messageId: '<quota-1@mail.acme.io>' })
  })

  it('reads a notification that answers nothing as bulk mail, even when it says Auto-Submitted', async () => {
    const notification = rfc822([
      'From: Northwind Portal <notifications@northwind.example>',
      'To: ana@acme.io',
      'Subject: Your weekly supplier digest',
      'Auto-Submitted: auto-generated',
      'Precedence: bulk',
      'List-Unsubscribe: <https://portal.northwind.example/unsubscribe?u=ana>',
      'Date: Tue, 3 Nov 2026 06:00:00 +0100',
      'Message-ID: <digest-2026-45@portal.northwind.example>',
      '',
      'Three new tenders match your profile.',
    ])
    expect(await classify(notification)).toMatchObject({ kind: 'other' })
    // A vacation program's Precedence: bulk does not hide the automatic answer.
    const vacation = reply(['Subject: Away', 'Auto-Submitted: auto-replied', 'Precedence: bulk'])
    expect(await classify(vacation.replace(/^In-Reply-To: .*\r\n/m, ''))).toMatchObject({
      kind: 'out-of-office',
      threadMessageIds: [],
    })
  })

  it('gives back the whole text quickly when a line is too long for the quote detector', async () => {
    // One paragraph on one line (format=flowed, or HTML made text), opening like a quote header ("On ...").
    const line = `On ${'our side onboarding a new rep takes about six weeks, '.repeat(5_500)}`
    const started = performance.now()
    const result = await classify(
      reply(['Subject: Re: Quick question'], `Here is the summary:\r\n\r\n${line}`),
    )
    expect(performance.now() - started).toBeLessThan(5_000)
    expect(result).toMatchObject({ kind: 'reply' })
    // Compared as a flag: a failure message quoting 300 kB helps nobody.
    const whole = result.kind === 'reply' && result.text === `Here is the summary:\n\n${line.trimEnd()}`
    expect(whole, 'the reply text is the whole message').toBe(true)
  })
})
