/**
 * The Storage port: a small transactional document store with ordered secondary indexes. paceline's core
 * declares the collections and their indexes (`STORAGE_COLLECTIONS`); an adapter stores documents as JSON
 * and keeps the declared indexes. Everything else (claims, leases, limit counters, due-work queues) is
 * built by the core on these primitives, so an adapter is small and its behaviour is fully checked by
 * `storageConformance` from `@paceline/core/testing`.
 */
export interface StorageV1 {
  readonly specificationVersion: 'v1'
  /**
   * Runs `work` in one transaction scoped to one workspace. All reads see a consistent state, all writes
   * commit together or not at all (a thrown error rolls everything back), and concurrent transactions
   * behave as if run one after another (serializable). No call reads or writes another workspace.
   *
   * A store may roll back and run `work` again when a concurrent transaction conflicts with it (a database
   * at SERIALIZABLE isolation does), so `work` must act only through `tx` and hand back what it produced as
   * its result: no effects outside the transaction that a second run would repeat.
   */
  transaction<T>(
    workspaceId: string,
    work: (tx: StorageTransaction) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>
  /** Releases connections and file handles. */
  close?(): Promise<void>
}

export interface TransactionOptions {
  /** The transaction only reads; adapters may run it without taking a write lock. Default false. */
  readonly readOnly?: boolean
}

/** A stored document: a JSON object (no `undefined`, no functions, no class instances). */
export type StoredDocument = { readonly [field: string]: unknown }

/** A value an index orders by. `null` and absent fields keep a document out of that index. */
export type IndexValue = string | number

export interface StorageTransaction {
  /** The document with this key, or undefined. */
  get(collection: CollectionName, key: string): Promise<StoredDocument | undefined>
  /** The documents with these keys, in the order asked; keys without a document are skipped. */
  getMany(collection: CollectionName, keys: readonly string[]): Promise<StoredDocument[]>
  /** Inserts or replaces the document with this key. */
  put(collection: CollectionName, key: string, document: StoredDocument): Promise<void>
  /** Deletes the document with this key, if any. */
  delete(collection: CollectionName, key: string): Promise<void>
  /** Documents in index order (see `IndexQuery`). */
  query(collection: CollectionName, query?: IndexQuery): Promise<StoredDocument[]>
  /**
   * Optional: the store's own clock in epoch milliseconds — a database server's, shared by every worker.
   * The engine judges leases between processes by it, so a worker whose clock is off can neither keep a
   * lease that ran out nor take one that did not. Without it, leases follow the engine's clock.
   */
  now?(): Promise<number>
  /**
   * Optional: takes an exclusive lock on a key until the transaction ends, without waiting; false when
   * another transaction holds it. Workers use it to skip an identity another worker is taking at that moment
   * rather than queue behind it or conflict with it. Stores that run one transaction at a time need not have it.
   */
  tryLock?(collection: CollectionName, key: string): Promise<boolean>
}

/**
 * A query over one index. Documents are ordered by the index's fields, then by key. `equals` fixes the
 * first fields; `range` bounds the field after them; `after` continues a previous page after the document
 * with that key. Without `index`, the order is by key alone. A document is in an index only when every
 * field of the index is a string or a number. Numbers come before strings and order by value; strings and
 * keys order by code point (the order of their UTF-8 bytes: SQLite's BINARY, PostgreSQL's collation "C"),
 * never by a locale's collation, so a page ends at the same place in every store.
 *
 * With an index, `after` must name a document that is in that index (the last one of the previous page);
 * a key that is not (deleted, or its fields changed since) is an error with code `invalid_query`, never a
 * silently short or restarted page. Without an index, `after` may be any key: the page continues after
 * where that key sorts. To page across transactions while documents change, prefer a `range` on the
 * index's own fields.
 */
export interface IndexQuery {
  readonly index?: string
  readonly equals?: readonly IndexValue[]
  readonly range?: IndexRange
  readonly order?: 'asc' | 'desc'
  readonly limit?: number
  readonly after?: string
}

/** Bounds on the index field after `equals`. Every bound given applies (with `lt` and `lte`, the tighter). */
export interface IndexRange {
  readonly gt?: IndexValue
  readonly gte?: IndexValue
  readonly lt?: IndexValue
  readonly lte?: IndexValue
}

export type CollectionName = keyof typeof STORAGE_COLLECTIONS

export interface IndexDefinition {
  readonly name: string
  /** Top-level document fields, in order. */
  readonly fields: readonly string[]
}

/**
 * The collections of specification v1 and their indexes. Adapters create one table (or map) per
 * collection and one ordered index per entry. Index field values are numbers (epoch milliseconds,
 * counts) or strings, never mixed within one field.
 */
export const STORAGE_COLLECTIONS = {
  identities: { indexes: [] },
  campaigns: { indexes: [{ name: 'byStatus', fields: ['status', 'startAtMs'] }] },
  leads: {
    indexes: [
      { name: 'byEmail', fields: ['emailKey'] },
      { name: 'byLinkedInProfile', fields: ['linkedinProfileId'] },
    ],
  },
  enrolments: {
    indexes: [
      { name: 'byCampaign', fields: ['campaignId', 'leadId'] },
      { name: 'byLead', fields: ['leadId', 'campaignId'] },
      { name: 'waiting', fields: ['identityId', 'waitingDueAt'] },
      { name: 'ready', fields: ['identityId', 'readyLane', 'priorityKey'] },
      /** The lists of a campaign's leads: by time added, and within a status or a step. */
      { name: 'byCampaignEnrolled', fields: ['campaignId', 'enrolledAt'] },
      { name: 'byCampaignStatus', fields: ['campaignId', 'status', 'enrolledAt'] },
      { name: 'byCampaignStep', fields: ['campaignId', 'stepId', 'enrolledAt'] },
    ],
  },
  relations: {
    indexes: [
      { name: 'byLead', fields: ['leadId', 'identityId'] },
      { name: 'pendingInvitations', fields: ['identityId', 'pendingSince'] },
      /** Invitations a person asked to withdraw, by when the next attempt is due. */
      { name: 'withdrawalsDue', fields: ['identityId', 'withdrawDueAt'] },
    ],
  },
  actions: {
    indexes: [
      { name: 'byCampaign', fields: ['campaignId', 'at'] },
      { name: 'byLead', fields: ['leadId', 'at'] },
      { name: 'byIdentity', fields: ['identityId', 'at'] },
      /** One identity's entries of one type, by time (its withdrawal history, for one). */
      { name: 'byIdentityType', fields: ['identityId', 'type', 'at'] },
      { name: 'byMessageId', fields: ['messageId'] },
      /** The workspace's whole activity log, by time. */
      { name: 'byTime', fields: ['at'] },
    ],
  },
  tasks: { indexes: [{ name: 'byCampaign', fields: ['campaignId', 'createdAt'] }] },
  counters: { indexes: [{ name: 'byIdentity', fields: ['identityId'] }] },
  claims: { indexes: [{ name: 'open', fields: ['openUntil'] }] },
  leases: { indexes: [] },
  state: { indexes: [] },
  /**
   * Credentials (inbox passwords, OAuth refresh tokens, API keys) as `{ key, value }`. Adapters that can
   * encrypt at rest must encrypt these documents, bound to their workspace and key.
   */
  secrets: { indexes: [] },
  /** One conversation per (identity, lead, channel): the inbox after the reply, newest activity first. */
  conversations: {
    indexes: [
      { name: 'byActivity', fields: ['lastActivityAt'] },
      { name: 'byCampaign', fields: ['campaignId', 'lastActivityAt'] },
      { name: 'byIdentity', fields: ['identityId', 'lastActivityAt'] },
      { name: 'byLead', fields: ['leadId', 'identityId'] },
      /** Only conversations whose last message is the lead's and waits for an answer. */
      { name: 'needsAnswer', fields: ['needsAnswerAt'] },
      /** Only conversations with AI agent work due (a suggestion to write, an answer to send). */
      { name: 'agentDue', fields: ['agentDueAt'] },
    ],
  },
  /** The messages of conversations, in and out. */
  messages: { indexes: [{ name: 'byConversation', fields: ['conversationId', 'at'] }] },
  /** One entry per tag of a conversation, so conversations can be listed by tag without a scan. */
  conversationTags: { indexes: [{ name: 'byTag', fields: ['tag', 'lastActivityAt'] }] },
  /**
   * Counters kept as things happen, so dashboards never scan the action log: per campaign or identity, one
   * document per hour (`bucket`, epoch ms), and one per UTC day and one for all time (no bucket, so outside
   * the index; read by key).
   */
  analytics: { indexes: [{ name: 'byScope', fields: ['scope', 'scopeId', 'bucket'] }] },
} as const satisfies Record<string, { readonly indexes: readonly IndexDefinition[] }>

export const COLLECTION_NAMES = Object.keys(STORAGE_COLLECTIONS) as CollectionName[]
