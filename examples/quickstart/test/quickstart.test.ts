import { expect, it } from 'vitest'
import { runQuickstart } from '../src/quickstart'

it('builds a campaign from a template and runs it for 21 simulated days on 200 leads', async () => {
  const lines: string[] = []
  const progress: number[] = []
  const result = await runQuickstart({
    write: (line) => lines.push(line),
    onProgress: (step) => progress.push(step.done),
  })
  const output = lines.join('\n')
  expect(output).toContain('Campaign   "Q2 outbound" from template "LinkedIn + Email", priority high')
  expect(output).toContain('Channels   LinkedIn, Email')
  expect(output).toContain('◆ accepted: if connection accepted within 14 days')
  expect(output).toMatch(/Mon 2026-03-02 │ 20\s+│/)
  expect(output).toContain('Funnel')
  expect(progress.at(-1)).toBe(1)
  // 15 working days at 20 invitations a day.
  const invitations = result.events.filter((event) => event.action === 'send_connection').length
  expect(invitations).toBe(200)
  const funnel = result.summary.campaigns[0]
  expect(funnel?.total).toBe(200)
  expect(funnel?.replied).toBeGreaterThan(0)
  expect(funnel?.positive).toBeLessThan(funnel?.replied ?? 0)
})
