import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeBenchResults } from '../../../bench/measure'
import { claimBenchmark, prepareClaimDatabases } from './claim.bench'
import { enrolBenchmark } from './enrol.bench'
import { removeDatabase } from './files'
import { queryBenchmark } from './queries.bench'
import { prepareQueryDataset } from './query-dataset'

const here = dirname(fileURLToPath(import.meta.url))
const log = (line: string) => process.stderr.write(`${line}\n`)
const LEADS = 100_000

/** Peak resident memory of one phase, run in a fresh process (see memory-probe.ts). */
function peakRssMb(phase: string, argument = ''): number {
  const stdout = execFileSync(
    process.execPath,
    [...process.execArgv, join(here, 'memory-probe.ts'), phase, argument],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  return (JSON.parse(stdout) as { rssMb: number }).rssMb
}

log(`enrolling ${LEADS.toLocaleString('en')} leads: Storage port vs raw better-sqlite3`)
const enrol = await enrolBenchmark(LEADS, 3, log)
log('claiming the next 1,000 due actions: 10,000 vs 1,000,000 enrolled leads')
const databases = await prepareClaimDatabases([10_000, 1_000_000], log)
let claim: Awaited<ReturnType<typeof claimBenchmark>>
let peakMemoryMb: Record<string, number | string>
try {
  claim = await claimBenchmark(databases as [(typeof databases)[0], (typeof databases)[0]], 5, log)
  log('peak memory of each phase, each in a process of its own')
  peakMemoryMb = {
    idleProcess: peakRssMb('idle'),
    enrolRaw: peakRssMb('enrol-raw', String(LEADS)),
    enrolStoragePort: peakRssMb('enrol-port', String(LEADS)),
    enrolEngineLeadsAdd: peakRssMb('enrol-engine', String(LEADS)),
    claim10k: peakRssMb('claim', databases[0]?.file),
    claim1m: peakRssMb('claim', databases[1]?.file),
    note: 'maxRSS of a fresh process per phase; enrol phases include building the 100,000 input rows',
  }
} finally {
  for (const { file } of databases) removeDatabase(file)
}
log('dashboard and list queries on 100,000 leads and 1,000,000 actions, against a raw read of 50 rows')
const dataset = await prepareQueryDataset(log)
const queries = await queryBenchmark(dataset, 300, log)
log(`  ${queries.summary}`)
writeBenchResults('storage-sqlite', '@paceline/storage-sqlite', { enrol, claim, peakMemoryMb, queries })
