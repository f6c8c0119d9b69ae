import { createHash } from 'node:crypto'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import {
  afterNotInIndex,
  COLLECTION_NAMES,
  type CollectionName,
  type IndexQuery,
  layoutOf,
  queryShape,
  SecretBox,
  STORAGE_COLLECTIONS,
  type StorageTransaction,
  type StorageV1,
  type StoredDocument,
  secretRowLabel,
  type TableLayout,
  type TransactionOptions,
} from '@paceline/core/ports'
import { Kysely, PostgresDialect } from 'kysely'
import pRetry from 'p-retry'
import pg from 'pg'
import { failureKind } from './database-errors'
import { encodeIndexValue } from './index-key'
import { type MigrationReport, migrateToLatest, refuseNewer } from './migrations/migrations'
import { planQuery, type QueryPlan } from './query-sql'
import { type CreatePostgresStorageOptions, parseStorageOptions } from './storage-options'
import { WriteBuffer } from './write-buffer'

export interface PostgresStorage extends StorageV1 {
  /** Resolves once the schema is migrated (or checked, with `migrate: false`); rejects with the reason it cannot be used. */
  readonly ready: Promise<void>
  /** Runs pending migrations (they also run on open unless `migrate: false`), under an advisory lock. */
  migrate(): Promise<MigrationReport>
  /** The pool the store runs on (its own, or the one you gave). */
  readonly pool: pg.Pool
  /** The schema the tables live in. */
  readonly schema: string
  /** Ends the store's own pool (a pool you gave is left open). */
  close(): Promise<void>
}

/**
 * Writes run SERIALIZABLE. A sequential scan takes a predicate lock on the whole table, which makes every
 * concurrent writer of that table a conflict; every query of the store is an index lookup, so index scans
 * are asked for, keeping the locks to the pages read (sent with BEGIN: no extra round trip).
 */
const BEGIN = 'begin isolation level serializable; set local enable_seqscan = off'
/**
 * Reads run on a snapshot (REPEATABLE READ, read only): consistent, never refused, and without the
 * predicate locks that would make writers conflict with readers. The engine re-checks what it read in the
 * transaction that acts on it.
 */
const BEGIN_READ_ONLY = 'begin isolation level repeatable read read only'

/** Writes held in a transaction before they are sent (see `WriteBuffer`), and rows per statement. */
const FLUSH_AT = 2000
const BATCH = 1000

function ignoreLostConnection(): void {}

/** A database failure that ends this attempt of a transaction; the whole transaction may run again. */
class RetryableAttempt extends Error {
  constructor(
    readonly kind: 'conflict' | 'connection',
    readonly failure: unknown,
  ) {
    super(failure instanceof Error ? failure.message : String(failure))
  }
}

/**
 * paceline on PostgreSQL through kysely and node-postgres, for several workers on several machines sharing
 * one database. Every transaction runs SERIALIZABLE; one that loses a race with a concurrent one
 * (serialization failure, deadlock) or whose connection is lost before its commit is rolled back and run
 * again whole, with jittered backoff, and fails with `storage_busy` only when conflicts persist. Every table
 * and index leads with the workspace id; secrets are sealed with AES-256-GCM when given a key.
 *
 * ```ts
 * const storage = createPostgresStorage({ connectionString: process.env.DATABASE_URL, encryptionKey: process.env.PACELINE_KEY })
 * const engine = createEngine({ storage, linkedin, email, workerId: `worker-${process.pid}` })
 * ```
 */
export function createPostgresStorage(input: CreatePostgresStorageOptions): PostgresStorage {
  const options = parseStorageOptions(input)
  const warn = options.onWarning ?? ((message: string) => console.warn(message))
  const box = options.encryptionKey === undefined ? undefined : new SecretBox(options.encryptionKey)
  const schema = options.schema ?? 'public'
  const owned = 'connectionString' in options
  const pool = owned
    ? new pg.Pool({
        connectionString: options.connectionString,
        max: options.poolSize ?? 10,
        application_name: 'paceline',
      })
    : options.pool
  // An idle connection the server dropped (a restart, pg_terminate_backend) is reported on the pool; without
  // a listener Node would crash the process on it. The next transaction simply takes a fresh connection.
  const onPoolError = (error: Error) =>
    warn(`@paceline/storage-postgres: an idle connection was lost (${error.message}); the pool replaces it.`)
  pool.on('error', onPoolError)
  // Every connection gets a listener for the whole of its life: a connection cut while checked out by
  // anything (a migration, kysely, a transaction between statements) would otherwise raise an 'error' event
  // nobody listens to, which crashes the process. The statement in flight fails, and is handled where it runs.
  const onConnect = (client: pg.PoolClient) => client.on('error', ignoreLostConnection)
  pool.on('connect', onConnect)
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
  const retryForMs = options.retryForMs ?? 30_000
  const maxConflictRetries = options.maxConflictRetries ?? 12

  const layouts = new Map<string, TableLayout>(
    COLLECTION_NAMES.map((name) => [name, layoutOf(name, STORAGE_COLLECTIONS[name])]),
  )
  const layoutFor = (collection: CollectionName): TableLayout => {
    const layout = layouts.get(collection)
    if (layout === undefined) throw new Error(`unknown collection ${String(collection)}`)
    return layout
  }
  const table = (collection: CollectionName) => `"${schema}"."${layoutFor(collection).table}"`
  const plans = new Map<string, QueryPlan>()
  /** Statement names (prepared once per connection by node-postgres), derived from the SQL text. */
  const names = new Map<string, string>()
  const named = (text: string) => {
    let name = names.get(text)
    if (name === undefined) {
      name = `paceline_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
      names.set(text, name)
    }
    return name
  }
  const statements = new Map<string, string>()
  const statement = (key: string, text: () => string) => {
    let found = statements.get(key)
    if (found === undefined) {
      found = text()
      statements.set(key, found)
    }
    return found
  }

  const upsertOne = (collection: CollectionName, layout: TableLayout) =>
    statement(`put:${collection}`, () => {
      const columns = ['workspace_id', 'key', 'doc', ...layout.fields.map((each) => each.column)]
      const updates = columns.slice(2).map((column) => `"${column}" = excluded."${column}"`)
      return `insert into ${table(collection)} (${columns.map((column) => `"${column}"`).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) on conflict (workspace_id, key) do update set ${updates.join(', ')}`
    })
  /** Many documents in one statement: one array parameter per column, unnested into rows. */
  const upsertMany = (collection: CollectionName, layout: TableLayout) =>
    statement(`putMany:${collection}`, () => {
      const columns = ['key', 'doc', ...layout.fields.map((each) => each.column)]
      const types = ['text[]', 'text[]', ...layout.fields.map(() => 'bytea[]')]
      const updates = columns.slice(1).map((column) => `"${column}" = excluded."${column}"`)
      return `insert into ${table(collection)} ("workspace_id", ${columns.map((column) => `"${column}"`).join(', ')}) select $1, * from unnest(${types.map((type, i) => `$${i + 2}::${type}`).join(', ')}) on conflict (workspace_id, key) do update set ${updates.join(', ')}`
    })

  let closed = false
  const migrate = () => migrateToLatest(kysely, pool, schema)
  /** Opening waits out a server that is restarting or a connection cut, like any transaction does. */
  const opening = (step: () => Promise<unknown>) =>
    pRetry(step, {
      retries: Number.POSITIVE_INFINITY,
      minTimeout: 50,
      factor: 2,
      maxTimeout: 1000,
      randomize: true,
      maxRetryTime: retryForMs,
      shouldRetry: ({ error }) => !closed && failureKind(error.cause ?? error) === 'connection',
    })
  const ready: Promise<void> = opening(() =>
    options.migrate === false ? refuseNewer(kysely, schema) : migrate(),
  ).then(() => {
    if (box === undefined)
      warn(
        '@paceline/storage-postgres: no encryptionKey given, so secrets (inbox passwords, tokens) are stored unencrypted. Pass a 32-byte key to encrypt them at rest.',
      )
  })
  // Nobody may miss a failed open: every transaction awaits `ready` and fails with its reason too.
  ready.catch(() => undefined)

  let outage = false
  const attempt = async <T>(
    workspace: string,
    work: (tx: StorageTransaction) => Promise<T>,
    readOnly: boolean,
  ): Promise<T> => {
    let client: pg.PoolClient
    try {
      client = await pool.connect()
    } catch (error) {
      throw new RetryableAttempt('connection', error)
    }
    /** The first database failure of this attempt: it dooms the attempt, whatever `work` does with it. */
    let failure: unknown
    // A connection cut while checked out (pg_terminate_backend, a restart) is reported on the client as an
    // 'error' event, which would crash the process without a listener; the statement in flight fails too.
    const onClientError = (error: Error) => {
      failure ??= error
    }
    client.on('error', onClientError)
    let open = true
    let committing = false
    // One statement at a time on the connection, in the order asked, even when `work` asks for several at
    // once; after a failure the rest are not sent.
    let queue: Promise<unknown> = Promise.resolve()
    const run = (text: string, values: readonly unknown[] = [], prepared = true) => {
      const next = queue.then(() => send(text, values, prepared))
      queue = next.catch(() => undefined)
      return next
    }
    const send = async (text: string, values: readonly unknown[], prepared: boolean) => {
      if (failure !== undefined) throw failure
      try {
        return await client.query(
          prepared
            ? { name: named(text), text, values: values as unknown[] }
            : { text, values: values as unknown[] },
        )
      } catch (error) {
        failure = error
        throw error
      }
    }
    const guard = () => {
      if (!open)
        throw new Error('this transaction has ended; use the transaction object only inside its callback')
    }
    const writable = () => {
      guard()
      if (readOnly) throw new Error('cannot write in a read-only transaction')
    }
    const readSecret = (key: string, row: { doc: string | null; sealed: Buffer | null }) => {
      if (row.sealed !== null) {
        if (box === undefined)
          throw new PacelineError(
            PacelineErrorCodes.secretUnreadable,
            'This secret was stored encrypted; open the store with the encryptionKey it was written with.',
          )
        return JSON.parse(box.open(row.sealed, secretRowLabel(workspace, key))) as StoredDocument
      }
      if (row.doc === null) return undefined
      if (box !== undefined)
        throw new PacelineError(
          PacelineErrorCodes.secretUnreadable,
          `The secret '${key}' is stored unencrypted, but this store encrypts secrets: it was written without the encryption key, or changed outside paceline. Put it again (engine.secrets.put).`,
          { details: { workspace, key } },
        )
      return JSON.parse(row.doc) as StoredDocument
    }
    const parse = (
      collection: CollectionName,
      row: { key: string; doc: string | null; sealed?: Buffer | null },
    ) =>
      collection === 'secrets'
        ? readSecret(row.key, { doc: row.doc, sealed: row.sealed ?? null })
        : (JSON.parse(row.doc as string) as StoredDocument)
    const columnsOf = (collection: CollectionName) =>
      collection === 'secrets' ? 'key, doc, sealed' : 'key, doc'

    const buffer = new WriteBuffer()
    /** Sends the writes held for one collection (or all) as multi-row statements. */
    const flush = async (only?: CollectionName) => {
      for (const writes of buffer.take(only)) {
        const layout = layoutFor(writes.collection)
        for (let from = 0; from < writes.puts.length; from += BATCH) {
          const batch = writes.puts.slice(from, from + BATCH)
          if (batch.length === 1) {
            const [key, write] = batch[0] as (typeof batch)[0]
            await run(upsertOne(writes.collection, layout), [workspace, key, write.json, ...write.index])
          } else {
            await run(upsertMany(writes.collection, layout), [
              workspace,
              batch.map(([key]) => key),
              batch.map(([, write]) => write.json),
              ...layout.fields.map((_, n) => batch.map(([, write]) => write.index[n] ?? null)),
            ])
          }
        }
        for (let from = 0; from < writes.deletes.length; from += BATCH)
          await run(
            statement(
              `deleteMany:${writes.collection}`,
              () =>
                `delete from ${table(writes.collection)} where workspace_id = $1 and key = any($2::text[])`,
            ),
            [workspace, writes.deletes.slice(from, from + BATCH)],
          )
      }
    }

    const tx: StorageTransaction = {
      async get(collection, key) {
        guard()
        const held = buffer.peek(collection, key)
        if (held !== undefined) return held === null ? undefined : (JSON.parse(held.json) as StoredDocument)
        const text = statement(
          `get:${collection}`,
          () =>
            `select ${columnsOf(collection)} from ${table(collection)} where workspace_id = $1 and key = $2`,
        )
        const { rows } = await run(text, [workspace, key])
        return rows[0] === undefined ? undefined : parse(collection, rows[0])
      },
      async getMany(collection, keys) {
        guard()
        const unheld = [...new Set(keys.filter((key) => buffer.peek(collection, key) === undefined))]
        const byKey = new Map<string, StoredDocument>()
        if (unheld.length > 0) {
          const text = statement(
            `getMany:${collection}`,
            () =>
              `select ${columnsOf(collection)} from ${table(collection)} where workspace_id = $1 and key = any($2::text[])`,
          )
          for (const row of (await run(text, [workspace, unheld])).rows) {
            const document = parse(collection, row)
            if (document !== undefined) byKey.set(row.key as string, document)
          }
        }
        const found: StoredDocument[] = []
        for (const key of keys) {
          const held = buffer.peek(collection, key)
          const document =
            held === undefined
              ? byKey.get(key)
              : held === null
                ? undefined
                : (JSON.parse(held.json) as StoredDocument)
          if (document !== undefined) found.push(document)
        }
        return found
      },
      async put(collection, key, document) {
        writable()
        const json = JSON.stringify(document)
        if (collection === 'secrets') {
          // Secrets are few and sealed one by one: written at once, never held.
          const sealed = box === undefined ? null : box.seal(json, secretRowLabel(workspace, key))
          const text = statement(
            'put:secrets',
            () =>
              `insert into ${table('secrets')} (workspace_id, key, doc, sealed) values ($1, $2, $3, $4) on conflict (workspace_id, key) do update set doc = excluded.doc, sealed = excluded.sealed`,
          )
          await run(text, [workspace, key, sealed === null ? json : null, sealed])
          return
        }
        const layout = layoutFor(collection)
        buffer.put(collection, key, {
          json,
          index: layout.fields.map(({ field }) => encodeIndexValue(document[field])),
        })
        if (buffer.size >= FLUSH_AT) await flush()
      },
      async delete(collection, key) {
        writable()
        if (collection === 'secrets') {
          await run(
            statement(
              'delete:secrets',
              () => `delete from ${table('secrets')} where workspace_id = $1 and key = $2`,
            ),
            [workspace, key],
          )
          return
        }
        buffer.delete(collection, key)
        if (buffer.size >= FLUSH_AT) await flush()
      },
      async query(collection, query: IndexQuery = {}) {
        guard()
        // An index query must see this transaction's own writes to the collection.
        await flush(collection)
        const shape = queryShape(collection, query)
        let plan = plans.get(shape)
        if (plan === undefined) {
          plan = planQuery(kysely, schema, layoutFor(collection), query)
          plans.set(shape, plan)
        }
        let anchor: unknown[] | undefined
        if (plan.anchorSql !== undefined && query.after !== undefined && query.index !== undefined) {
          const found = await run(plan.anchorSql, [workspace, query.after])
          const row = found.rows[0] as Record<string, unknown> | undefined
          if (row === undefined) throw afterNotInIndex(collection, query.index, query.after)
          anchor = Object.values(row)
        }
        const text =
          collection === 'secrets'
            ? plan.sql.replace('select "key", "doc"', 'select "key", "doc", "sealed"')
            : plan.sql
        const { rows } = await run(text, plan.bind(workspace, query, anchor))
        const documents: StoredDocument[] = []
        for (const row of rows) {
          const document = parse(collection, row)
          if (document !== undefined) documents.push(document)
        }
        return documents
      },
      async now() {
        guard()
        const { rows } = await run(
          'select floor(extract(epoch from clock_timestamp()) * 1000)::float8 as now',
        )
        return Number(rows[0].now)
      },
      async tryLock(collection, key) {
        guard()
        const { rows } = await run('select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked', [
          `paceline:${schema}:${workspace}:${collection}:${key}`,
        ])
        return rows[0].locked === true
      },
    }

    let broken = false
    try {
      await run(readOnly ? BEGIN_READ_ONLY : BEGIN, [], false)
      const result = await work(tx)
      if (failure !== undefined) throw failure
      await flush()
      committing = true
      await run('commit', [], false)
      outage = false
      return result
    } catch (error) {
      const kind = failure === undefined ? 'other' : failureKind(failure)
      if (kind === 'connection') broken = true
      else
        await client.query('rollback').catch(() => {
          broken = true
        })
      if (kind === 'connection' && committing) {
        throw new PacelineError(
          PacelineErrorCodes.storageFailed,
          'The connection to PostgreSQL was lost while committing a transaction, so whether it was applied is unknown; it is not run again. The engine treats work in flight as "delivery unknown" and never sends it twice.',
          { cause: failure, isRetryable: true },
        )
      }
      if (kind === 'conflict' || kind === 'connection') throw new RetryableAttempt(kind, failure)
      throw error
    } finally {
      open = false
      // A connection that broke (or could not roll back) is closed instead of going back to the pool.
      client.off('error', onClientError)
      client.release(broken ? true : undefined)
    }
  }

  const storage: PostgresStorage = {
    specificationVersion: 'v1',
    ready,
    pool,
    schema,
    migrate,

    async transaction<T>(
      workspace: string,
      work: (tx: StorageTransaction) => Promise<T>,
      transactionOptions: TransactionOptions = {},
    ): Promise<T> {
      if (closed) throw new PacelineError(PacelineErrorCodes.storageFailed, 'The PostgreSQL store is closed.')
      await ready
      const readOnly = transactionOptions.readOnly === true
      let conflicts = 0
      try {
        return await pRetry(() => attempt(workspace, work, readOnly), {
          retries: Number.POSITIVE_INFINITY,
          minTimeout: 5,
          factor: 2,
          maxTimeout: 1000,
          randomize: true,
          maxRetryTime: retryForMs,
          shouldRetry: ({ error }) => {
            if (!(error instanceof RetryableAttempt) || closed) return false
            if (error.kind === 'conflict') return ++conflicts <= maxConflictRetries
            if (!outage) {
              outage = true
              warn(
                `@paceline/storage-postgres: lost the connection to PostgreSQL (${error.message}); retrying for up to ${retryForMs} ms.`,
              )
            }
            return true
          },
        })
      } catch (error) {
        if (!(error instanceof RetryableAttempt)) throw error
        if (error.kind === 'conflict')
          throw new PacelineError(
            PacelineErrorCodes.storageBusy,
            `PostgreSQL kept refusing this transaction because concurrent ones conflicted with it (${conflicts} attempts); nothing of it was applied. Try again; if it persists, fewer workers on the same identities or a larger identityLeaseMs reduce conflicts.`,
            { cause: error.failure, isRetryable: true },
          )
        throw new PacelineError(
          PacelineErrorCodes.storageFailed,
          `Cannot reach PostgreSQL (${error.message}); retried for ${retryForMs} ms. Nothing of this transaction was applied.`,
          { cause: error.failure, isRetryable: true },
        )
      }
    },

    async close() {
      if (closed) return
      closed = true
      await ready.catch(() => undefined)
      if (owned) await pool.end()
      else {
        pool.off('error', onPoolError)
        pool.off('connect', onConnect)
      }
    },
  }
  return storage
}
