import { SingleBar } from 'cli-progress'
import { runQuickstart } from './quickstart'

const bar = new SingleBar({
  format: '  simulating [{bar}] {percentage}% | {day} | {events} events',
  hideCursor: true,
  stream: process.stderr,
  clearOnComplete: true,
})
bar.start(100, 0, { day: '', events: 0 })
await runQuickstart({
  onProgress: (progress) => {
    if (bar.isActive)
      bar.update(Math.round(progress.done * 100), { day: progress.at.slice(0, 10), events: progress.events })
  },
  write: (line) => {
    if (bar.isActive && line.startsWith('Activity')) bar.stop()
    process.stdout.write(`${line}\n`)
  },
})
if (bar.isActive) bar.stop()
