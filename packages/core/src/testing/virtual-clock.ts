import type { EngineClock } from '../engine/create-engine'

/**
 * A clock that only moves when told to: pass it as `createEngine({ clock })` to test engine behaviour in
 * virtual time. (Effect users can use `TestClock` instead: the engine reads time from Effect's Clock.)
 */
export class VirtualClock implements EngineClock {
  #now: number

  constructor(start: string | number | Date) {
    this.#now =
      typeof start === 'number' ? start : start instanceof Date ? start.getTime() : Date.parse(start)
    if (Number.isNaN(this.#now)) throw new RangeError(`VirtualClock: not a time: ${String(start)}`)
  }

  now(): number {
    return this.#now
  }

  /** Moves to an instant (never backwards: time in the engine only goes forward). */
  set(at: string | number | Date): void {
    const next = typeof at === 'number' ? at : at instanceof Date ? at.getTime() : Date.parse(at)
    if (Number.isNaN(next)) throw new RangeError(`VirtualClock: not a time: ${String(at)}`)
    this.#now = Math.max(this.#now, next)
  }

  advance(ms: number): void {
    this.#now += Math.max(0, ms)
  }
}
