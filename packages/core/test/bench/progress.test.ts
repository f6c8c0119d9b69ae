import { describe, expect, it } from 'vitest'
import { progressReporter } from '../../../../bench/progress'

function stream(isTTY: boolean) {
  const written: string[] = []
  return { isTTY, written, write: (text: string) => written.push(text) }
}

describe('benchmark progress', () => {
  it('prints a line at each tenth, not one per update, when the output is not a terminal', () => {
    const log = stream(false)
    const progress = progressReporter('simulating', log)
    for (let step = 0; step <= 1000; step++) progress.update(step / 1000)
    progress.finish()
    expect(log.written).toEqual([
      '  simulating: 0%\n',
      '  simulating: 10%\n',
      '  simulating: 20%\n',
      '  simulating: 30%\n',
      '  simulating: 40%\n',
      '  simulating: 50%\n',
      '  simulating: 60%\n',
      '  simulating: 70%\n',
      '  simulating: 80%\n',
      '  simulating: 90%\n',
      '  simulating: 100%\n',
    ])
  })

  it('redraws one bar in place on a terminal', () => {
    const tty = stream(true)
    const progress = progressReporter('simulating', tty)
    progress.update(0.5)
    progress.finish()
    expect(tty.written).toEqual(['\r  simulating [###############...............] 50%', '\n'])
  })
})
