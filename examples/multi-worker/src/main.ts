import { parseArgs } from 'node:util'
import { runMultiWorker } from './multi-worker'

const { values } = parseArgs({
  // `pnpm start -- --workers 2` passes the `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    workers: { type: 'string', default: '4' },
    identities: { type: 'string', default: '100' },
    leads: { type: 'string', default: '20' },
    days: { type: 'string', default: '3' },
  },
})
const count = (name: keyof typeof values, min: number, max: number): number => {
  const value = Number(values[name])
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(`--${name} must be a whole number from ${min} to ${max}, got ${values[name]}\n`)
    process.exit(2)
  }
  return value
}

const result = await runMultiWorker({
  workers: count('workers', 1, 16),
  identities: count('identities', 1, 2000),
  leadsPerIdentity: count('leads', 1, 1000),
  days: count('days', 1, 14),
  write: (line) => process.stdout.write(`${line}\n`),
})
process.exit(result.overCap.length === 0 ? 0 : 1)
