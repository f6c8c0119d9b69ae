import { expect, it } from 'vitest'
import { runMultiWorker } from '../src/multi-worker'

it('runs two worker processes on one PostgreSQL: both get work, and every identity stays within its caps', async () => {
  const lines: string[] = []
  const result = await runMultiWorker({
    workers: 2,
    identities: 20,
    leadsPerIdentity: 8,
    days: 1,
    write: (line) => lines.push(line),
  })
  const output = lines.join('\n')
  expect(output).toContain('Seeding 20 identities, 160 leads')
  expect(output).toContain('Running 2 worker processes for 1 virtual days')
  expect(output).toMatch(/Throughput \d+ actions a second/)
  expect(output).toContain('every identity stayed within its daily caps on every day')
  expect(result.overCap).toEqual([])
  const counts = Object.values(result.executedByWorker)
  expect(counts).toHaveLength(2)
  for (const count of counts) expect(count).toBeGreaterThan(0)
  // The caps were reached, so "within its caps" was put to the test.
  expect(result.busiestDay.connections.sent).toBe(result.busiestDay.connections.cap)
}, 180_000)
