/**
 * The ids this CRM created, by idempotency key, so that a retry in the same process finds its object
 * without waiting for HubSpot's search index (which shows new objects after a few seconds). Bounded: the
 * oldest keys are forgotten first.
 */
export class IdempotencyCache {
  readonly #ids = new Map<string, string>()

  constructor(private readonly capacity = 10_000) {}

  get(objectType: string, key: string): string | undefined {
    return this.#ids.get(`${objectType}:${key}`)
  }

  set(objectType: string, key: string, id: string): void {
    const entry = `${objectType}:${key}`
    this.#ids.delete(entry)
    this.#ids.set(entry, id)
    if (this.#ids.size > this.capacity) {
      const oldest = this.#ids.keys().next().value
      if (oldest !== undefined) this.#ids.delete(oldest)
    }
  }
}
