import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { schedulerDecisionBenchmark } from './scheduler-decision.bench'
import { simulationBenchmark } from './simulation.bench'

const here = dirname(fileURLToPath(import.meta.url))
const output = join(here, '..', '..', '..', 'bench-results', 'core.json')

const progress = (done: number) => {
  const width = 30
  const filled = Math.round(done * width)
  process.stderr.write(
    `\r  simulating [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(done * 100)}%`,
  )
}

process.stderr.write('scheduler decision over 100,000 waiting actions...\n')
const schedulerDecision = schedulerDecisionBenchmark()
process.stderr.write('simulation: 10,000 leads, 10 campaigns, 20 identities, 30 days...\n')
const simulation = await simulationBenchmark({ onProgress: progress })
process.stderr.write('\n')

const results = {
  package: '@reachkit/core',
  node: process.version,
  date: new Date().toISOString(),
  schedulerDecision,
  simulation,
}
mkdirSync(dirname(output), { recursive: true })
writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`)
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
process.stderr.write(`written to ${output}\n`)
