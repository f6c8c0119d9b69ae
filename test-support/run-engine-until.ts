/**
 * Runs an engine in virtual time up to `until`: each tick, the clock jumps to the engine's next wake-up (at
 * least a second on, never past `until`), then one last tick runs what is due at `until`. Returns the ticks.
 * Typed by shape, so tests that import the engine from its sources and from the package alike can use it.
 */
export async function runEngineUntil(
  engine: { tick(): Promise<{ readonly nextWakeAt?: string }> },
  clock: { now(): number; set(at: number): void },
  until: number | string,
): Promise<number> {
  const end = typeof until === 'number' ? until : Date.parse(until)
  let ticks = 0
  while (clock.now() < end) {
    const report = await engine.tick()
    ticks++
    const next = report.nextWakeAt === undefined ? end : Date.parse(report.nextWakeAt)
    clock.set(Math.min(Math.max(next, clock.now() + 1000), end))
  }
  await engine.tick()
  return ticks
}
