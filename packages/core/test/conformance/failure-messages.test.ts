import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// The conformance suites register their own `describe`/`it`, so they are run here as an adapter author runs
// them: a child vitest on fixtures/broken-*.ts, each running a suite against a reference adapter with one
// behaviour broken. Its JSON report says which tests failed and with what message; its verbose output
// shows the notes of skipped tests.

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const vitestCli = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')

interface TestResult {
  readonly ancestorTitles: readonly string[]
  readonly title: string
  readonly status: string
  readonly failureMessages: readonly string[]
}

let results: readonly TestResult[] = []
let output = ''

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'paceline-conformance-'))
  const report = join(folder, 'report.json')
  // A clean environment: the child must not think it runs inside this vitest's worker.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && name !== 'TEST'),
  )
  try {
    output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          vitestCli,
          'run',
          '--config',
          join(fixtures, 'vitest.config.ts'),
          '--reporter=json',
          `--outputFile.json=${report}`,
          '--reporter=verbose',
        ],
        {
          cwd: fixtures,
          env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', PACELINE_FIXTURES_CACHE_DIR: folder },
        },
      )
      let text = ''
      child.stdout.on('data', (chunk) => {
        text += chunk
      })
      child.stderr.on('data', (chunk) => {
        text += chunk
      })
      child.on('error', reject)
      // The run fails (the adapters are broken): exit code 1 is expected, anything else is not.
      child.on('close', (code) =>
        code === 1 ? resolve(text) : reject(new Error(`the child vitest exited with ${code}:\n${text}`)),
      )
    })
    const parsed = JSON.parse(readFileSync(report, 'utf8')) as {
      testResults: { assertionResults: TestResult[] }[]
    }
    results = parsed.testResults.flatMap((file) => file.assertionResults)
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}, 90_000)

/** The results of the suite run against the adapter broken as `adapter` (the suite's name). */
const suiteResults = (adapter: string) => {
  const found = results.filter((each) => each.ancestorTitles[0]?.endsWith(`conformance: ${adapter}`))
  if (found.length === 0) throw new Error(`no suite named '${adapter}' ran:\n${output}`)
  return found
}

/** The first line of the failure of the test titled `title` (its message, before vitest's stack). */
const failureOf = (adapter: string, title: string) => {
  const test = suiteResults(adapter).find((each) => each.title === title)
  expect(test, `a test titled '${title}' in the suite for '${adapter}'`).toBeDefined()
  expect(test?.status, `the status of '${title}' for '${adapter}'`).toBe('failed')
  return test?.failureMessages[0]?.split('\n')[0] ?? ''
}

/** Each broken adapter, the tests it must fail (and no other), and what each failure message must say. */
const broken: ReadonlyArray<{
  readonly suite: string
  readonly adapter: string
  readonly fails: Readonly<Record<string, readonly string[]>>
}> = [
  {
    suite: 'storage',
    adapter: 'ignores order desc',
    fails: {
      'reads in descending order, with a limit': [
        "query('enrolments', { index: 'ready', equals: ['ana', 'linkedin:message'], order: 'desc', limit: 3 }) must return the first 3 documents in descending index order",
        '— got keys [e2, e3, e7]',
      ],
      'continues after a key, in both orders (paging)': [
        "query('enrolments', { index: 'ready', equals: ['ana', 'linkedin:message'], order: 'desc', after: 'e7' }) must continue after document e7, in descending index order",
        '— got keys [e1]',
      ],
      'orders by key without an index': [
        "query('enrolments', { order: 'desc', after: 'e35' }) must continue after where key e35 sorts, in descending key order",
        '— got keys [e4, e5, e6, e7]',
      ],
      'keeps the conversation indexes: waiting conversations only, newest first; messages in order': [
        "query('conversations', { index: 'needsAnswer', order: 'desc' }) must return only conversations whose needsAnswerAt is set, highest first",
        '— got keys [c1, c3]',
      ],
      'keeps the withdrawal indexes: requested withdrawals by due time; log entries by identity and type': [
        "must return ana's entries of that type, newest first",
        '— got [a1, a3]',
      ],
    },
  },
  {
    suite: 'storage',
    adapter: 'commits the writes of a transaction that throws',
    fails: {
      'rolls back every write of a transaction that throws': [
        "get('leads', 'keep') must return the document as it was before (every write rolled back) — got undefined",
      ],
    },
  },
  {
    suite: 'storage',
    adapter: 'answers a query it cannot run with nothing',
    fails: {
      'refuses to page an index after a document that is not in it, rather than skip or restart': [
        "Error: query('enrolments', { index: 'ready', equals: ['ana', 'linkedin:message'], limit: 2, after: 'e3' }) must reject with code 'invalid_query'",
        '— it resolved with []',
      ],
      'rejects an index the collection does not declare': [
        "Error: query('enrolments', { index: 'nope' }) must reject: 'nope' is not an index of enrolments",
        '— it resolved with []',
      ],
    },
  },
  {
    suite: 'email channel',
    adapter: 'sends a subject with a line break',
    fails: {
      'refuses header values that could inject headers with a "rejected" outcome, sending nothing': [
        "send() of a message whose Subject holds a line break must refuse it (reason 'rejected'), not send it — it returned { ok: true, messageId: '<pl-conformance",
      ],
    },
  },
  {
    suite: 'email channel',
    adapter: 'drops In-Reply-To',
    fails: {
      'threads a follow-up: In-Reply-To and References as given, the subject kept': [
        'the follow-up must arrive with In-Reply-To <pl-conformance',
        'the message it answers — it arrived with inReplyTo undefined',
      ],
    },
  },
  {
    suite: 'LinkedIn channel',
    adapter: 'reports success for an unsupported action',
    fails: {
      'answers "unsupported" for what it declares it cannot do, and acts for the rest': [
        "capabilities.supportsVoice is false, so sendVoice() must answer { ok: false, reason: 'unsupported' }, never act or report success — it returned { ok: true }",
      ],
    },
  },
  {
    suite: 'LinkedIn channel',
    adapter: 'messages strangers',
    fails: {
      'reports a message to someone not connected as "not_connected", sending nothing': [
        "sendMessage() to someone not connected ('ACoAA-stranger-1') must answer { ok: false, reason: 'not_connected' } — it returned { ok: true }",
      ],
    },
  },
  {
    suite: 'CRM',
    adapter: 'search finds nothing',
    fails: {
      'creates once per idempotency key: a retried create returns the same record': [
        "searchRecords('contact', email eq 'alan@example.com') after a retried create must find exactly the one record created",
        '— it found ids []',
      ],
      'searches case-insensitively with eq, as an OR of AND groups': [
        "searchRecords('contact', firstname eq 'ADA' and lastname eq 'byron') must compare case-insensitively and find Ada Byron",
        '— it found ids []',
      ],
      'finds a domain under any extension with starts_with': [
        "searchRecords('company', domain starts_with 'acme.') must find acme.com",
        '— it found ids []',
      ],
    },
  },
  {
    suite: 'CRM',
    adapter: 'declares no tasks, yet creates them',
    fails: {
      'creates a task, reads its state, completes it (when supports.tasks is false: checks tasks are refused cleanly instead)':
        [
          "crm.supports.tasks is false, so createTask() must reject with a PacelineError of code 'crm_failed' that is not retryable — it resolved with { id: '",
        ],
    },
  },
  {
    suite: 'CRM',
    adapter: 'throws a plain Error for a refused field',
    fails: {
      'refuses an unknown field with a crm_failed error that is not retryable': [
        "createRecord('contact', …) with a field the CRM does not have must reject with a PacelineError of code 'crm_failed' that is not retryable — it rejected with Error: 'HTTP 400",
      ],
    },
  },
]

describe('conformance suites say what a broken adapter did and what the port expects', () => {
  for (const { suite, adapter, fails } of broken) {
    it(`${suite} suite, adapter that ${adapter}: fails exactly the tests of that behaviour`, () => {
      const failed = suiteResults(adapter)
        .filter((each) => each.status === 'failed')
        .map((each) => each.title)
      expect(failed.sort(), `the tests the suite failed for the adapter that ${adapter}`).toEqual(
        Object.keys(fails).sort(),
      )
    })

    for (const [title, says] of Object.entries(fails))
      it(`${suite} suite, adapter that ${adapter}: "${title}" names the call and the expectation`, () => {
        const message = failureOf(adapter, title)
        for (const part of says) expect(message, `the failure message of '${title}'`).toContain(part)
      })
  }

  it('names a check skipped for want of an option in its title', () => {
    const skipped = [
      ...suiteResults('sends a subject with a line break'),
      ...suiteResults('reports success for an unsupported action'),
    ]
      .filter((each) => each.status === 'skipped')
      .map((each) => each.title)
    expect(skipped.sort()).toEqual([
      'delivers replies and acceptances as engine events for the identity, naming the profile — skipped: no `events` given (a channel that delivers no events)',
      "delivers the recipient's reply to subscribers as reply-received, naming the message it answers — skipped: no `reply` and `receive` given (a send-only channel)",
      'reports a recipient the server refuses permanently as "invalid_recipient" (the lead bounces) — skipped: no `refusedRecipient` given (a send-only setup without one)',
    ])
  })

  it('checks that a capability declared missing is refused cleanly instead, and says so in its title', () => {
    const title =
      'makes an association primary, and primary_replacing removes the others (when supports.primaryAssociations is false: checks they are refused cleanly instead)'
    const results = suiteResults('without primary associations')
    expect(results.find((each) => each.title === title)?.status).toBe('passed')
    expect(results.filter((each) => each.status === 'failed')).toEqual([])
  })
})
