import { resolve } from 'node:path'
import { PacelineError, PacelineErrorCodes } from '@paceline/core'
import {
  afterNotInIndex,
  COLLECTION_NAMES,
  type CollectionName,
  type IndexQuery,
  indexColumnValue,
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
import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { legacySecretRow } from './migrations/003-paceline-names'
import {
  type MigrationReport,
  migrateToLatest,
  schemaTooNew,
  unknownMigrations,
} from './migrations/migrations'
import { inIndexSql, planQuery, type QueryPlan } from './query-sql'
import { type CreateSqliteStorageOptions, parseStorageOptions } from './storage-options'
import { unreadableDatabase } from './unreadable-database'

type SqliteDatabase = InstanceType<typeof Database>
type Statement = Database.Statement<unknown[]>

export interface SqliteStorage extends StorageV1 {
  /** Resolves once the database is open and migrated; rejects with the reason it cannot be used. */
  readonly ready: Promise<void>
  /** Runs pending migrations (they also run on open unless `migrate: false`). */
  migrate(): Promise<MigrationReport>
  /**
   * Encrypts the secrets stored in plain text, for a file that was used without an `encryptionKey` before
   * one was given: with a key, the store refuses plaintext secrets (`secret_unreadable`) until they are
   * sealed on purpose. Returns how many were sealed.
   */
  sealPlaintextSecrets(): Promise<number>
  /** The underlying better-sqlite3 database (for backups and inspection). */
  readonly database: SqliteDatabase
  close(): Promise<void>
}

/**
 * The embedded default store: SQLite through kysely and better-sqlite3. WAL journal, a busy timeout,
 * write transactions that take the lock up front (`BEGIN IMMEDIATE`), versioned migrations on open,
 * secrets encrypted at rest when given a key. Every table and index leads with the workspace id.
 *
 * ```ts
 * const storage = createSqliteStorage({ filename: 'paceline.sqlite', encryptionKey: process.env.PACELINE_KEY })
 * const engine = createEngine({ storage, linkedin, email })
 * ```
 */
export function createSqliteStorage(input: CreateSqliteStorageOptions): SqliteStorage {
  const options = parseStorageOptions(input)
  const warn = options.onWarning ?? ((message: string) => console.warn(message))
  const box = options.encryptionKey === undefined ? undefined : new SecretBox(options.encryptionKey)
  const owned = 'filename' in options
  let database: SqliteDatabase
  try {
    database = owned ? new Database(options.filename) : options.database
  } catch (cause) {
    throw new PacelineError(
      PacelineErrorCodes.invalidOptions,
      `Cannot open the SQLite database ${owned ? `'${options.filename}'` : ''}: ${cause instanceof Error ? cause.message : String(cause)}. Check that the folder exists and is writable.`,
      { cause },
    )
  }
  const file = openedFile(database)
  if (file !== undefined && (openFiles.get(file) ?? 0) > 0) {
    warn(
      `@paceline/storage-sqlite: '${file}' is already open in this process. Share one store per file: better-sqlite3 is synchronous, so two connections in one thread can only wait on each other's write locks (each waits busyTimeoutMs, then fails with "database is locked"). Several processes on one file are fine.`,
    )
  }
  if (file !== undefined) openFiles.set(file, (openFiles.get(file) ?? 0) + 1)
  let refusal: PacelineError | undefined
  try {
    database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`)
    // A database from a newer package is refused before anything (even the journal mode) is written to it.
    const unknown = unknownMigrations(database)
    refusal = unknown.length > 0 ? schemaTooNew(unknown) : undefined
    if (refusal === undefined) {
      database.pragma('journal_mode = WAL')
      database.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`)
    }
  } catch (error) {
    if (file !== undefined) openFiles.set(file, (openFiles.get(file) ?? 1) - 1)
    if (owned) database.close()
    throw unreadableDatabase(error, file) ?? error
  }
  const kysely = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) })
  const layouts = new Map<string, TableLayout>(
    COLLECTION_NAMES.map((name) => [name, layoutOf(name, STORAGE_COLLECTIONS[name])]),
  )
  const statements = new Map<string, Statement>()
  const plans = new Map<string, QueryPlan>()
  const prepare = (key: string, text: () => string): Statement => {
    let statement = statements.get(key)
    if (statement === undefined) {
      statement = database.prepare<unknown[]>(text())
      statements.set(key, statement)
    }
    return statement
  }

  let queue: Promise<unknown> = Promise.resolve()
  let closed = false
  /** Runs `work` after everything queued before it: one connection, one transaction at a time. */
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work, work)
    queue = result.catch(() => undefined)
    return result
  }
  const migrate = () =>
    enqueue(() =>
      migrateToLatest(kysely, database).catch((error: unknown) => {
        throw unreadableDatabase(error, file) ?? error
      }),
    )
  const ready: Promise<void> = (
    options.migrate === false ? Promise.resolve() : migrate().then(() => undefined)
  ).then(() => {
    if (box === undefined) {
      warn(
        '@paceline/storage-sqlite: no encryptionKey given, so secrets (inbox passwords, tokens) are stored unencrypted. Pass a 32-byte key to encrypt them at rest.',
      )
    }
  })
  // Nobody may miss a failed open: every transaction awaits `ready` and fails with its reason too.
  ready.catch(() => undefined)

  const layoutFor = (collection: CollectionName): TableLayout => {
    const layout = layouts.get(collection)
    if (layout === undefined) throw new Error(`unknown collection ${String(collection)}`)
    return layout
  }
  const secretRow = secretRowLabel

  const readDocument = (
    collection: CollectionName,
    workspace: string,
    key: string,
  ): StoredDocument | undefined => {
    if (collection === 'secrets') {
      const row = prepare(
        'get:secrets',
        () => 'select doc, sealed from paceline_secrets where workspace_id = ? and key = ?',
      ).get(workspace, key) as { doc: string | null; sealed: Buffer | null } | undefined
      if (row === undefined) return undefined
      if (row.sealed !== null) {
        if (box === undefined) {
          throw new PacelineError(
            PacelineErrorCodes.secretUnreadable,
            'This secret was stored encrypted; open the store with the encryptionKey it was written with.',
          )
        }
        return JSON.parse(
          box.open(row.sealed, secretRow(workspace, key), legacySecretRow(workspace, key)),
        ) as StoredDocument
      }
      if (row.doc === null) return undefined
      // With a key, every secret is sealed: a plaintext row was written around the store (or before the
      // key was set) and is not trusted until it is sealed on purpose.
      if (box !== undefined)
        throw new PacelineError(
          PacelineErrorCodes.secretUnreadable,
          `The secret '${key}' is stored unencrypted, but this store encrypts secrets: it was written without the encryption key, or changed outside paceline. Put it again (engine.secrets.put), or, if you just turned encryption on for this file, seal the existing ones once with storage.sealPlaintextSecrets().`,
          { details: { workspace, key } },
        )
      return JSON.parse(row.doc) as StoredDocument
    }
    const layout = layoutFor(collection)
    const row = prepare(
      `get:${collection}`,
      () => `select doc from "${layout.table}" where workspace_id = ? and key = ?`,
    ).get(workspace, key) as { doc: string } | undefined
    return row === undefined ? undefined : (JSON.parse(row.doc) as StoredDocument)
  }

  const writeDocument = (
    collection: CollectionName,
    workspace: string,
    key: string,
    document: StoredDocument,
  ) => {
    const json = JSON.stringify(document)
    if (collection === 'secrets') {
      const sealed = box === undefined ? null : box.seal(json, secretRow(workspace, key))
      prepare(
        'put:secrets',
        () =>
          'insert into paceline_secrets (workspace_id, key, doc, sealed) values (?, ?, ?, ?) on conflict (workspace_id, key) do update set doc = excluded.doc, sealed = excluded.sealed',
      ).run(workspace, key, sealed === null ? json : null, sealed)
      return
    }
    const layout = layoutFor(collection)
    const statement = prepare(`put:${collection}`, () => {
      const columns = ['workspace_id', 'key', 'doc', ...layout.fields.map((each) => each.column)]
      const updates = columns.slice(2).map((column) => `"${column}" = excluded."${column}"`)
      return `insert into "${layout.table}" (${columns.map((column) => `"${column}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (workspace_id, key) do update set ${updates.join(', ')}`
    })
    statement.run(
      workspace,
      key,
      json,
      ...layout.fields.map(({ field }) => indexColumnValue(document[field])),
    )
  }

  const storage: SqliteStorage = {
    specificationVersion: 'v1',
    ready,
    database,
    migrate,

    sealPlaintextSecrets() {
      return enqueue(async () => {
        if (box === undefined)
          throw new PacelineError(
            PacelineErrorCodes.invalidOptions,
            'sealPlaintextSecrets needs a store opened with an encryptionKey.',
          )
        await ready
        const rows = database
          .prepare(
            'select workspace_id, key, doc from paceline_secrets where sealed is null and doc is not null',
          )
          .all() as { workspace_id: string; key: string; doc: string }[]
        database.exec('begin immediate')
        try {
          for (const row of rows)
            database
              .prepare(
                'update paceline_secrets set doc = null, sealed = ? where workspace_id = ? and key = ?',
              )
              .run(box.seal(row.doc, secretRow(row.workspace_id, row.key)), row.workspace_id, row.key)
          database.exec('commit')
        } catch (error) {
          if (database.inTransaction) database.exec('rollback')
          throw error
        }
        return rows.length
      })
    },

    transaction<T>(
      workspace: string,
      work: (tx: StorageTransaction) => Promise<T>,
      transactionOptions: TransactionOptions = {},
    ) {
      const run = async (): Promise<T> => {
        if (closed) throw new PacelineError(PacelineErrorCodes.storageFailed, 'The SQLite store is closed.')
        await ready
        const readOnly = transactionOptions.readOnly === true
        let open = true
        const guard = () => {
          if (!open)
            throw new Error('this transaction has ended; use the transaction object only inside its callback')
        }
        const writable = () => {
          guard()
          if (readOnly) throw new Error('cannot write in a read-only transaction')
        }
        const tx: StorageTransaction = {
          async get(collection, key) {
            guard()
            return readDocument(collection, workspace, key)
          },
          async getMany(collection, keys) {
            guard()
            const found: StoredDocument[] = []
            for (const key of keys) {
              const document = readDocument(collection, workspace, key)
              if (document !== undefined) found.push(document)
            }
            return found
          },
          async put(collection, key, document) {
            writable()
            writeDocument(collection, workspace, key, document)
          },
          async delete(collection, key) {
            writable()
            const table = layoutFor(collection).table
            prepare(
              `delete:${collection}`,
              () => `delete from "${table}" where workspace_id = ? and key = ?`,
            ).run(workspace, key)
          },
          async query(collection, query: IndexQuery = {}) {
            guard()
            const shape = queryShape(collection, query)
            let plan = plans.get(shape)
            if (plan === undefined) {
              plan = planQuery(kysely, layoutFor(collection), query)
              plans.set(shape, plan)
            }
            const rows = prepare(`query:${shape}`, () => (plan as QueryPlan).sql).all(
              ...plan.bind(workspace, query),
            ) as {
              key: string
              doc: string
            }[]
            if (rows.length === 0 && query.after !== undefined && query.index !== undefined) {
              const layout = layoutFor(collection)
              const present = prepare(`in-index:${collection}:${query.index}`, () =>
                inIndexSql(layout, query.index as string),
              ).get(workspace, query.after)
              if (present === undefined) throw afterNotInIndex(collection, query.index, query.after)
            }
            if (collection === 'secrets')
              return rows.map((row) => readDocument('secrets', workspace, row.key) as StoredDocument)
            return rows.map((row) => JSON.parse(row.doc) as StoredDocument)
          },
        }
        database.exec(readOnly ? 'begin' : 'begin immediate')
        try {
          const result = await work(tx)
          database.exec('commit')
          return result
        } catch (error) {
          if (database.inTransaction) database.exec('rollback')
          throw unreadableDatabase(error, file) ?? error
        } finally {
          open = false
        }
      }
      return enqueue(run)
    },

    async close() {
      if (closed) return
      await queue
      closed = true
      if (file !== undefined) openFiles.set(file, (openFiles.get(file) ?? 1) - 1)
      if (owned) database.close()
    },
  }
  return storage
}

/** Files this process has a store open on, with how many stores (to warn about a second one). */
const openFiles = new Map<string, number>()

function openedFile(database: SqliteDatabase): string | undefined {
  return database.memory || database.name === '' ? undefined : resolve(database.name)
}
