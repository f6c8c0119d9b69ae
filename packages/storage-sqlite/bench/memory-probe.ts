/**
 * Peak memory of one benchmark phase, measured in a process of its own (`process.resourceUsage().maxRSS`
 * is a true high-water mark, which no sampling inside a shared process can give for synchronous SQLite
 * work). Prints `{ "rssMb": ... }`. Run by run.ts; `idle` measures the process with nothing done.
 */
import { claimOnce } from './claim.bench'
import { enrolRaw, enrolThroughEngine, enrolThroughPort, rowsOf } from './enrol.bench'

const [phase, argument] = process.argv.slice(2)
const count = Number(argument)
switch (phase) {
  case 'idle':
    break
  case 'enrol-raw':
    await enrolRaw(rowsOf(count))
    break
  case 'enrol-port':
    await enrolThroughPort(rowsOf(count))
    break
  case 'enrol-engine':
    await enrolThroughEngine(count)
    break
  case 'claim':
    await claimOnce(String(argument))
    break
  default:
    throw new Error(`unknown phase '${phase}': use idle, enrol-raw, enrol-port, enrol-engine or claim`)
}
process.stdout.write(JSON.stringify({ rssMb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10 }))
