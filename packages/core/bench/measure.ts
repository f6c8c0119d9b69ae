import { performance } from 'node:perf_hooks'

/** Runs `work` `runs` times after `warmup` runs and returns the median time in milliseconds. */
export function median(work: () => unknown, runs = 21, warmup = 5): number {
  for (let i = 0; i < warmup; i++) work()
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] as number
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
