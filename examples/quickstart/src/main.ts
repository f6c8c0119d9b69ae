import { rmSync } from 'node:fs'
import { SingleBar } from 'cli-progress'
import { DEFAULT_DATABASE, runQuickstart } from './quickstart'
import { REAL_INBOX_DATABASE, realInboxFromEnv, runRealInbox, wantsRealInbox } from './real-inbox'

const real = wantsRealInbox(process.env)

// `pnpm start -- --fresh` forgets the saved run and starts over.
if (process.argv.includes('--fresh')) {
  const database = real ? REAL_INBOX_DATABASE : DEFAULT_DATABASE
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true })
}

// Ctrl-C stops the simulation cleanly: its state stays in the SQLite file and the next run continues.
const stop = new AbortController()
process.once('SIGINT', () => stop.abort())

if (real) {
  // PACELINE_EMAIL_ADDRESS and friends are set: a real inbox, in real time (see the README).
  await runRealInbox({ setup: realInboxFromEnv(process.env), signal: stop.signal })
} else await simulated()

async function simulated() {
  const bar = new SingleBar({
    format: '  simulating [{bar}] {percentage}% | {day} | {events} events',
    hideCursor: true,
    stream: process.stderr,
    clearOnComplete: true,
  })
  let started = false
  await runQuickstart({
    signal: stop.signal,
    onProgress: (progress) => {
      if (!started) {
        started = true
        bar.start(100, 0, { day: '', events: 0 })
      }
      if (bar.isActive)
        bar.update(Math.round(progress.done * 100), {
          day: progress.at.slice(0, 10),
          events: progress.events,
        })
    },
    write: (line) => {
      if (bar.isActive && (line.startsWith('Activity') || line.startsWith('Stopped'))) bar.stop()
      process.stdout.write(`${line}\n`)
    },
  })
  if (bar.isActive) bar.stop()
}
