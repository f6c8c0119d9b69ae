import type { CollectionName } from '@paceline/core/ports'

/** A document written in this transaction and not yet sent: its JSON text and encoded index values. */
export interface BufferedWrite {
  readonly json: string
  readonly index: readonly (Buffer | null)[]
}

/** The writes of one collection to send: documents to upsert and keys to delete (each key once). */
export interface CollectionWrites {
  readonly collection: CollectionName
  readonly puts: readonly (readonly [key: string, write: BufferedWrite])[]
  readonly deletes: readonly string[]
}

/**
 * The writes of one transaction attempt, held back until a read of their collection needs them or the
 * commit, then sent as a few multi-row statements instead of a round trip each (enrolling 100,000 leads is
 * 200,000 writes). A key written several times is sent once, in its last state. Reads of a key still held
 * here are answered from it, so a transaction always sees its own writes.
 */
export class WriteBuffer {
  readonly #pending = new Map<CollectionName, Map<string, BufferedWrite | null>>()
  #size = 0

  put(collection: CollectionName, key: string, write: BufferedWrite): void {
    this.#set(collection, key, write)
  }

  delete(collection: CollectionName, key: string): void {
    this.#set(collection, key, null)
  }

  /** The held state of a key: its write, `null` when deleted here, `undefined` when not held. */
  peek(collection: CollectionName, key: string): BufferedWrite | null | undefined {
    return this.#pending.get(collection)?.get(key)
  }

  /** Writes held, counting each key once. */
  get size(): number {
    return this.#size
  }

  /** Removes and returns the writes held for one collection, or for all. */
  take(collection?: CollectionName): CollectionWrites[] {
    const taken: CollectionWrites[] = []
    for (const [name, writes] of this.#pending) {
      if (collection !== undefined && name !== collection) continue
      const puts: [string, BufferedWrite][] = []
      const deletes: string[] = []
      for (const [key, write] of writes) {
        if (write === null) deletes.push(key)
        else puts.push([key, write])
      }
      taken.push({ collection: name, puts, deletes })
      this.#size -= writes.size
      this.#pending.delete(name)
    }
    return taken
  }

  #set(collection: CollectionName, key: string, write: BufferedWrite | null): void {
    let writes = this.#pending.get(collection)
    if (writes === undefined) {
      writes = new Map()
      this.#pending.set(collection, writes)
    }
    if (!writes.has(key)) this.#size++
    writes.set(key, write)
  }
}
