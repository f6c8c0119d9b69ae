import type { CollectionName, IndexQuery, StorageTransaction, StoredDocument } from '../ports/storage'

/**
 * A storage transaction that keeps the documents of some collections in memory and writes each changed one
 * once, on `flush`: for work that reads and rewrites the same few documents many times (recounting a long
 * action log adds to the same day and all-time counters for every entry). Other collections go straight
 * through. A query of a kept collection first writes what changed in it, so it reads what was written.
 */
export class WriteBackTransaction implements StorageTransaction {
  readonly #tx: StorageTransaction
  readonly #kept: ReadonlySet<CollectionName>
  /** Per kept collection: key → document, or null once deleted. */
  readonly #documents = new Map<CollectionName, Map<string, StoredDocument | null>>()
  readonly #dirty = new Map<CollectionName, Set<string>>()

  constructor(tx: StorageTransaction, kept: readonly CollectionName[]) {
    this.#tx = tx
    this.#kept = new Set(kept)
    for (const collection of kept) {
      this.#documents.set(collection, new Map())
      this.#dirty.set(collection, new Set())
    }
  }

  async get(collection: CollectionName, key: string): Promise<StoredDocument | undefined> {
    const documents = this.#documents.get(collection)
    if (documents === undefined) return this.#tx.get(collection, key)
    if (!documents.has(key)) documents.set(key, (await this.#tx.get(collection, key)) ?? null)
    return documents.get(key) ?? undefined
  }

  async getMany(collection: CollectionName, keys: readonly string[]): Promise<StoredDocument[]> {
    const documents = this.#documents.get(collection)
    if (documents === undefined) return this.#tx.getMany(collection, keys)
    const missing = [...new Set(keys.filter((key) => !documents.has(key)))]
    if (missing.length > 0) {
      const found = new Map(
        (await this.#tx.getMany(collection, missing)).map((document) => [
          String(document.key ?? document.id),
          document,
        ]),
      )
      for (const key of missing) documents.set(key, found.get(key) ?? null)
    }
    return keys.flatMap((key) => {
      const document = documents.get(key)
      return document === null || document === undefined ? [] : [document]
    })
  }

  async put(collection: CollectionName, key: string, document: StoredDocument): Promise<void> {
    const documents = this.#documents.get(collection)
    if (documents === undefined) return this.#tx.put(collection, key, document)
    documents.set(key, document)
    this.#dirty.get(collection)?.add(key)
  }

  async delete(collection: CollectionName, key: string): Promise<void> {
    const documents = this.#documents.get(collection)
    if (documents === undefined) return this.#tx.delete(collection, key)
    documents.set(key, null)
    this.#dirty.get(collection)?.add(key)
  }

  async query(collection: CollectionName, query?: IndexQuery): Promise<StoredDocument[]> {
    if (this.#kept.has(collection)) await this.#flushCollection(collection)
    return this.#tx.query(collection, query)
  }

  /** Writes every kept document that changed. */
  async flush(): Promise<void> {
    for (const collection of this.#kept) await this.#flushCollection(collection)
  }

  async #flushCollection(collection: CollectionName): Promise<void> {
    const dirty = this.#dirty.get(collection)
    const documents = this.#documents.get(collection)
    if (dirty === undefined || documents === undefined) return
    for (const key of dirty) {
      const document = documents.get(key)
      if (document === null || document === undefined) await this.#tx.delete(collection, key)
      else await this.#tx.put(collection, key, document)
    }
    dirty.clear()
  }
}
