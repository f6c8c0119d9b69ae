import { writeBenchResults } from '../../../bench/measure'
import { schedulerDecisionBenchmark } from './scheduler-decision.bench'
import { simulationBenchmark } from './simulation.bench'

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

writeBenchResults('core', '@paceline/core', { schedulerDecision, simulation })
