import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { runQuickstart } from '../src/quickstart'

const folder = mkdtempSync(join(tmpdir(), 'paceline-quickstart-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

it('builds a campaign from a template and runs it for 21 simulated days on 200 leads', async () => {
  const lines: string[] = []
  const progress: number[] = []
  const report = join(folder, 'reports', 'q2.html')
  const result = await runQuickstart({
    database: ':memory:',
    report,
    write: (line) => lines.push(line),
    onProgress: (step) => progress.push(step.done),
  })
  const output = lines.join('\n')
  expect(output).toContain('Campaign   "Q2 outbound" from template "LinkedIn + Email", priority high')
  expect(output).toContain('Channels   LinkedIn, Email')
  expect(output).toContain('◆ accepted: if connection accepted within 14 days')
  expect(output).toMatch(/Mon 2026-03-02 │ 20\s+│/)
  expect(output).toContain('Funnel')
  expect(output).not.toContain('Resuming')
  expect(progress.at(-1)).toBe(1)
  // 15 working days at 20 invitations a day.
  const invitations = result.events.filter((event) => event.action === 'send_connection').length
  expect(invitations).toBe(200)
  const funnel = result.summary.campaigns[0]
  expect(funnel?.total).toBe(200)
  expect(funnel?.replied).toBeGreaterThan(0)
  expect(funnel?.positive).toBeLessThan(funnel?.replied ?? 0)
  // Then the campaign report, as one HTML file whose path is printed.
  expect(lines.at(-3)).toBe(`Report     ${report} (open it in a browser)`)
  // And last, how to see a workspace like it on the board.
  expect(lines.at(-1)).toBe(
    'See a workspace like this on a dashboard: pnpm --filter board start, then open http://localhost:3000/board',
  )
  const html = readFileSync(report, 'utf8')
  expect(html.startsWith('<!doctype html>')).toBe(true)
  expect(html.includes('<h1>Q2 outbound</h1>')).toBe(true)
  expect(html.includes('<g class="funnel-row" data-value="200">')).toBe(true)
  // One bar per Madrid day from 2 to 23 March, and Ana's sent vs allowed.
  expect(html.match(/<g class="day" /g)?.length).toBe(22)
  expect(html.includes('id="identity-usage"')).toBe(true)
})

it('keeps the run in a SQLite file: stopped half-way, the next run continues and ends as one run would', async () => {
  const database = join(folder, 'quickstart.sqlite')
  const whole = await runQuickstart({ database: ':memory:', days: 10, leads: 60, write: () => {} })

  const stop = new AbortController()
  const first: string[] = []
  const stopped = await runQuickstart({
    database,
    days: 10,
    leads: 60,
    signal: stop.signal,
    write: (line) => first.push(line),
    onProgress: (step) => {
      if (step.done >= 0.5) stop.abort()
    },
  })
  expect(stopped.complete).toBe(false)
  expect(first.join('\n')).toMatch(/Stopped {4}at 2026-03-0\d.* run again to continue/)
  // A run that stopped early does not point to the dashboard.
  expect(first.join('\n')).not.toContain('dashboard')
  // No report for a run that did not finish; the finished one writes it next to the database.
  const report = join(folder, 'quickstart-report.html')
  expect(existsSync(report)).toBe(false)

  const second: string[] = []
  const resumed = await runQuickstart({ database, days: 10, leads: 60, write: (line) => second.push(line) })
  expect(second.join('\n')).toContain(`Resuming   the run saved in`)
  expect(second.join('\n')).toContain(stopped.simulatedUntil)
  expect(resumed.complete).toBe(true)
  expect(second.at(-3)).toBe(`Report     ${report} (open it in a browser)`)
  expect(second.at(-1)).toMatch(/^See a workspace like this on a dashboard: pnpm --filter board start/)
  expect(readFileSync(report, 'utf8').includes('<h1>Q2 outbound</h1>')).toBe(true)
  expect(resumed.summary).toEqual(whole.summary)
  expect(resumed.events.length).toBe(whole.events.length)
})
