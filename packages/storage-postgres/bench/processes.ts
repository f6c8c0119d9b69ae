import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const packageRoot = join(here, '..')

/** Worker processes started together: each says `ready`, then all get one go line, then each reports. */
export interface WorkerGroup<Report> {
  /** Resolves when every worker has said `ready`. */
  readonly ready: Promise<void>
  /** Sends the same go line to every worker. */
  go(line: string): void
  /** Each worker's last stdout line, parsed, once all have exited. */
  readonly reports: Promise<Report[]>
  kill(): void
}

/**
 * Starts one process per environment running `file` (under bench/workers) the way this process runs: the
 * same Node and loader flags (`tsx`), so the workers load the same builds as the benchmark itself.
 */
export function startWorkers<Report>(
  file: string,
  environments: readonly Record<string, string>[],
): WorkerGroup<Report> {
  const children: ChildProcess[] = []
  const readies: Promise<void>[] = []
  const exits: Promise<Report>[] = []
  for (const environment of environments) {
    const child = spawn(process.execPath, [...process.execArgv, join(here, 'workers', file)], {
      cwd: packageRoot,
      env: { ...process.env, ...environment },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    let err = ''
    let signalReady: () => void = () => {}
    let failReady: (error: Error) => void = () => {}
    readies.push(
      new Promise<void>((resolve, reject) => {
        signalReady = resolve
        failReady = reject
      }),
    )
    child.stdout?.on('data', (chunk) => {
      out += chunk
      if (out.startsWith('ready\n')) signalReady()
    })
    child.stderr?.on('data', (chunk) => {
      err += chunk
    })
    exits.push(
      new Promise<Report>((resolve, reject) => {
        child.on('exit', (code, signal) => {
          const failure = new Error(`worker ${file} exited with ${code ?? signal}: ${err.slice(-2000)}`)
          failReady(failure)
          if (code !== 0) return reject(failure)
          resolve(JSON.parse(out.trim().split('\n').pop() as string) as Report)
        })
      }),
    )
  }
  // A worker that fails before its report must not leave the others waiting for the go line forever.
  const reports = Promise.all(exits)
  reports.catch(() => {
    for (const child of children) child.kill('SIGKILL')
  })
  return {
    ready: Promise.all(readies).then(() => undefined),
    go(line) {
      for (const child of children) child.stdin?.end(`${line}\n`)
    },
    reports,
    kill() {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
    },
  }
}
