import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'

/** Runs `work` `runs` times after `warmup` runs and returns the median time in milliseconds. */
export function median(work: () => unknown, runs = 21, warmup = 5): number {
  for (let i = 0; i < warmup; i++) work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    times.push(performance.now() - start)
  }
  return medianOf(times)
}

/** The median of some numbers. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

/** Samples the process's resident memory and heap while work runs; returns the peaks in MB. */
export function memoryPeaks(): { sample: () => void; stop: () => { rssMb: number; heapMb: number } } {
  let rss = 0
  let heap = 0
  const sample = () => {
    const usage = process.memoryUsage()
    rss = Math.max(rss, usage.rss)
    heap = Math.max(heap, usage.heapUsed)
  }
  const timer = setInterval(sample, 50)
  sample()
  return {
    sample,
    stop: () => {
      clearInterval(timer)
      sample()
      return { rssMb: Math.round(rss / 1e5) / 10, heapMb: Math.round(heap / 1e5) / 10 }
    },
  }
}

export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits

/**
 * Writes a package's figures to `bench-results/<name>.json` at the repository root (and to stdout),
 * stamped with the package, the Node version and the date.
 */
export function writeBenchResults(name: string, packageName: string, figures: Record<string, unknown>): void {
  const output = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench-results', `${name}.json`)
  const results = { package: packageName, node: process.version, date: new Date().toISOString(), ...figures }
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, `${JSON.stringify(results, null, 2)}\n`)
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  process.stderr.write(`written to ${output}\n`)
}
