import { writeBenchResults } from '../../../bench/measure'
import { progressReporter } from '../../../bench/progress'
import { schedulerDecisionBenchmark } from './scheduler-decision.bench'
import { simulationBenchmark } from './simulation.bench'

const progress = progressReporter('simulating')

process.stderr.write('scheduler decision over 100,000 waiting actions...\n')
const schedulerDecision = schedulerDecisionBenchmark()
process.stderr.write('simulation: 10,000 leads, 10 campaigns, 20 identities, 30 days...\n')
const simulation = await simulationBenchmark({ onProgress: progress.update })
progress.finish()

writeBenchResults('core', '@paceline/core', { schedulerDecision, simulation })
