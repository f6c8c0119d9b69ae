import type { CollectionName, IndexQuery, StorageTransaction, StoredDocument } from '../ports/storage'
import type { AnalyticsRecord } from './analytics/analytics-counters'
import { countEnrolmentChange } from './analytics/enrolment-metrics'
import type {
  ActionRecord,
  CampaignRecord,
  ClaimRecord,
  ConversationRecord,
  ConversationTagRecord,
  CounterRecord,
  EnrolmentRecord,
  IdentityRecord,
  LeadRecord,
  LeaseRecord,
  MessageRecord,
  RelationRecord,
  TaskRecord,
} from './records'
import { WriteBackTransaction } from './write-back-transaction'

interface Documents {
  identities: IdentityRecord
  campaigns: CampaignRecord
  leads: LeadRecord
  enrolments: EnrolmentRecord
  relations: RelationRecord
  actions: ActionRecord
  tasks: TaskRecord
  counters: CounterRecord
  claims: ClaimRecord
  leases: LeaseRecord
  state: { readonly key: string; readonly value: unknown }
  secrets: { readonly key: string; readonly value: string }
  conversations: ConversationRecord
  messages: MessageRecord
  conversationTags: ConversationTagRecord
  analytics: AnalyticsRecord
}

/** Separates the parts of compound keys; ids may not contain control characters, so it cannot clash. */
const SEPARATOR = '\u001f'

export function compoundKey(...parts: readonly string[]): string {
  return parts.join(SEPARATOR)
}

/** The storage transaction, typed with the engine's records. */
export class Store {
  readonly #tx: StorageTransaction

  constructor(tx: StorageTransaction) {
    this.#tx = tx
  }

  async get<C extends keyof Documents & CollectionName>(
    collection: C,
    key: string,
  ): Promise<Documents[C] | undefined> {
    return (await this.#tx.get(collection, key)) as Documents[C] | undefined
  }

  async getMany<C extends keyof Documents & CollectionName>(
    collection: C,
    keys: readonly string[],
  ): Promise<Documents[C][]> {
    return (await this.#tx.getMany(collection, keys)) as Documents[C][]
  }

  async put<C extends keyof Documents & CollectionName>(
    collection: C,
    key: string,
    document: Documents[C],
  ): Promise<void> {
    // Every change of a lead's place goes through here: the audience counts follow it in the same write.
    if (collection === 'enrolments') {
      const enrolment = document as EnrolmentRecord
      const before = (await this.#tx.get('enrolments', key)) as EnrolmentRecord | undefined
      const indexed: EnrolmentRecord = { ...enrolment, status: enrolment.state.status }
      await this.#tx.put(collection, key, indexed as unknown as StoredDocument)
      await countEnrolmentChange(this, before, indexed)
      return
    }
    return this.#tx.put(collection, key, document as unknown as StoredDocument)
  }

  /** The store's own clock (a database server's) when it has one: leases between processes follow it. */
  async storeClock(): Promise<number | undefined> {
    return this.#tx.now === undefined ? undefined : this.#tx.now()
  }

  /** Locks a key for this transaction without waiting; false when another transaction holds it. */
  async tryLock(collection: CollectionName, key: string): Promise<boolean> {
    return this.#tx.tryLock === undefined ? true : this.#tx.tryLock(collection, key)
  }

  delete(collection: CollectionName, key: string): Promise<void> {
    return this.#tx.delete(collection, key)
  }

  async query<C extends keyof Documents & CollectionName>(
    collection: C,
    query?: IndexQuery,
  ): Promise<Documents[C][]> {
    return (await this.#tx.query(collection, query)) as Documents[C][]
  }

  /**
   * A store over this transaction that keeps `collections` in memory and writes each changed document once,
   * on `flush` (see `WriteBackTransaction`): for recounting, which rewrites the same documents many times.
   */
  writeBack(collections: readonly CollectionName[]): { readonly store: Store; flush(): Promise<void> } {
    const tx = new WriteBackTransaction(this.#tx, collections)
    return { store: new Store(tx), flush: () => tx.flush() }
  }

  /** Every document of a query, page by page. */
  async *all<C extends keyof Documents & CollectionName>(
    collection: C,
    query: IndexQuery = {},
    pageSize = 500,
  ): AsyncGenerator<Documents[C]> {
    let after: string | undefined
    for (;;) {
      const page = await this.query(collection, {
        ...query,
        limit: pageSize,
        ...(after === undefined ? {} : { after }),
      })
      for (const document of page) yield document
      if (page.length < pageSize) return
      const last = page[page.length - 1] as unknown as StoredDocument
      after = keyOf(collection, last)
    }
  }
}

/** The key a record was stored under. */
export function keyOf(collection: CollectionName, document: StoredDocument): string {
  if (collection === 'identities' || collection === 'campaigns' || collection === 'leads')
    return String(document.id)
  return String(document.key)
}
