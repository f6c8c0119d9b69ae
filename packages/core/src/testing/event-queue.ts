/** Items due at a time, taken in time order (and insertion order among equal times): a binary heap. */
export class EventQueue<T> {
  readonly #heap: { at: number; order: number; item: T }[] = []
  #order = 0

  get size(): number {
    return this.#heap.length
  }

  push(at: number, item: T): void {
    const heap = this.#heap
    heap.push({ at, order: this.#order++, item })
    let index = heap.length - 1
    while (index > 0) {
      const parent = (index - 1) >> 1
      if (!this.#before(index, parent)) break
      this.#swap(index, parent)
      index = parent
    }
  }

  /** The time of the earliest item, if any. */
  peekAt(): number | undefined {
    return this.#heap[0]?.at
  }

  pop(): T | undefined {
    const heap = this.#heap
    const top = heap[0]
    if (top === undefined) return undefined
    const last = heap.pop() as (typeof heap)[number]
    if (heap.length > 0) {
      heap[0] = last
      let index = 0
      for (;;) {
        const left = 2 * index + 1
        const right = left + 1
        let smallest = index
        if (left < heap.length && this.#before(left, smallest)) smallest = left
        if (right < heap.length && this.#before(right, smallest)) smallest = right
        if (smallest === index) break
        this.#swap(index, smallest)
        index = smallest
      }
    }
    return top.item
  }

  #before(a: number, b: number): boolean {
    const x = this.#heap[a] as { at: number; order: number }
    const y = this.#heap[b] as { at: number; order: number }
    return x.at < y.at || (x.at === y.at && x.order < y.order)
  }

  #swap(a: number, b: number): void {
    const heap = this.#heap
    const x = heap[a] as (typeof heap)[number]
    heap[a] = heap[b] as (typeof heap)[number]
    heap[b] = x
  }
}
