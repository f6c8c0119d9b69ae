/**
 * Progress of a long benchmark on stderr. On a terminal: one bar redrawn in place. Elsewhere (CI logs, a
 * file), where `\r` cannot redraw and every redraw would be a new line: a line at each tenth, and nothing in
 * between.
 */
export function progressReporter(
  label: string,
  stream: { readonly isTTY?: boolean; write(text: string): unknown } = process.stderr,
): { update(done: number): void; finish(): void } {
  let lastTenth = -1
  return {
    update(done) {
      const fraction = Math.min(Math.max(done, 0), 1)
      if (stream.isTTY === true) {
        const width = 30
        const filled = Math.round(fraction * width)
        stream.write(
          `\r  ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round(fraction * 100)}%`,
        )
        return
      }
      const tenth = Math.floor(fraction * 10)
      if (tenth === lastTenth) return
      lastTenth = tenth
      stream.write(`  ${label}: ${tenth * 10}%\n`)
    },
    finish() {
      if (stream.isTTY === true) stream.write('\n')
      else if (lastTenth < 10) stream.write(`  ${label}: 100%\n`)
    },
  }
}
