import { expect, it } from 'vitest'
import { runQuickstart } from '../src/quickstart'

it('runs the quickstart: template, validation, tree, channels, preview and errors', () => {
  const lines: string[] = []
  runQuickstart((line) => lines.push(line))
  const output = lines.join('\n')
  expect(output).toContain('Campaign   "Q2 outbound" from template "LinkedIn + Email", priority high')
  expect(output).toContain('Status     draft -> running')
  expect(output).toContain('Channels   LinkedIn, Email')
  expect(output).toContain('◆ accepted: if connection accepted within 14 days')
  expect(output).toContain('Hi Eva, I work with teams like Northwind and would love to connect.')
  expect(output).toContain(
    'steps.connect.note (too_long): is 320 characters; the connection note limit is 300',
  )
  expect(output).toMatch(/replacing its sequence after launch: sequence_locked, \d+ shape changes/)
})
