import { PacelineError } from '@paceline/core'
import { STORAGE_COLLECTIONS } from '@paceline/core/ports'
import { createMemoryStorage, simulate } from '@paceline/core/testing'
import fc from 'fast-check'
import { Kysely, Migrator, PostgresDialect } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { scenario } from '../../../test-support/storage-scenario'
import { withdrawalScenario } from '../../../test-support/withdrawal-scenario'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { encodeIndexValue } from '../src/index-key'
import { initialMigration } from '../src/migrations/001-initial'
import { postgresUrl, temporarySchemas } from './support/schemas'

// Real server round trips: a busy CI machine can take seconds where a quiet one takes milliseconds.
vi.setConfig({ testTimeout: 30_000 })

const schema = temporarySchemas()
const quiet = { onWarning: () => {} }
const KEY = 'a'.repeat(64)
const opened: PostgresStorage[] = []
afterAll(async () => {
  for (const storage of opened) await storage.close()
})

function open(options: Partial<Parameters<typeof createPostgresStorage>[0]> = {}): PostgresStorage {
  const storage = createPostgresStorage({
    connectionString: postgresUrl(),
    schema: schema(),
    poolSize: 4,
    ...quiet,
    ...options,
  } as Parameters<typeof createPostgresStorage>[0])
  opened.push(storage)
  return storage
}

/** A pool that records the text of every statement it runs. */
function recordingPool(seen: Set<string>): pg.Pool {
  const pool = new pg.Pool({ connectionString: postgresUrl(), max: 4 })
  const connect = pool.connect.bind(pool)
  pool.connect = (async () => {
    const client = await connect()
    const query = client.query.bind(client) as (...args: unknown[]) => unknown
    ;(client as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
      seen.add(typeof config === 'string' ? config : String((config as { text: string }).text))
      return query(config, ...rest)
    }
    return client
  }) as typeof pool.connect
  return pool
}

describe('options', () => {
  it('explains what is wrong with bad options', () => {
    const attempt = (options: unknown) => {
      try {
        createPostgresStorage(options as Parameters<typeof createPostgresStorage>[0])
      } catch (error) {
        return error as PacelineError
      }
      throw new Error('expected a refusal')
    }
    const neither = attempt({})
    expect(neither.code).toBe('invalid_options')
    expect(neither.message).toMatch(/exactly one of `connectionString`/)
    expect(attempt({ connectionString: 'mysql://x' }).message).toMatch(/connectionString.*postgres:\/\//s)
    expect(attempt({ connectionString: postgresUrl(), schema: 'Bad-Name' }).message).toMatch(/schema/)
    expect(attempt({ pool: new pg.Pool(), poolSize: 3 }).message).toMatch(/poolSize/)
    expect(attempt({ connectionString: postgresUrl(), encryptionKey: 'short' }).message).toMatch(/32 bytes/)
    expect(attempt({ connectionString: postgresUrl(), retries: 3 }).message).toMatch(/retries/)
  })

  it('works on your own pool and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 })
    const storage = createPostgresStorage({ pool, schema: schema(), ...quiet })
    await storage.transaction('ws', (tx) => tx.put('leads', 'a', { id: 'a' }))
    await storage.close()
    expect((await pool.query('select 1 as one')).rows).toEqual([{ one: 1 }])
    await pool.end()
  })
})

describe('migrations', () => {
  it('creates the collections of the port as this package knows them', () => {
    // A collection or index added to the port needs a new migration here: this fails until it has one.
    return import('../src/migrations/001-initial').then(async () => {
      const storage = open()
      await storage.ready
      const { rows } = await storage.pool.query<{ indexname: string }>(
        'select indexname from pg_indexes where schemaname = $1',
        [storage.schema],
      )
      const names = new Set(rows.map((row) => row.indexname))
      for (const [collection, spec] of Object.entries(STORAGE_COLLECTIONS)) {
        expect(names.has(`paceline_${collection}_pk`), collection).toBe(true)
        for (const index of spec.indexes)
          expect(names.has(`paceline_${collection}_${index.name}`), `${collection}.${index.name}`).toBe(true)
      }
    })
  })

  it('lets several processes open a new schema at once: migrations are applied once', async () => {
    const name = schema()
    const stores = Array.from({ length: 6 }, () => open({ schema: name }))
    await Promise.all(stores.map((each) => each.ready))
    const { rows } = await (stores[0] as PostgresStorage).pool.query(
      `select name from "${name}".paceline_migration`,
    )
    expect(rows.map((row) => row.name)).toEqual(['001_initial', '002_withdrawals'])
    const again = await (stores[1] as PostgresStorage).migrate()
    expect(again).toEqual({ applied: [], version: '002_withdrawals' })
  })

  it('can leave migrations to an explicit call', async () => {
    const name = schema()
    const storage = open({ schema: name, migrate: false })
    await storage.ready
    const missing = await storage.transaction('ws', (tx) => tx.get('leads', 'x')).catch((error) => error)
    expect(String(missing)).toMatch(/does not exist/)
    expect(await storage.migrate()).toEqual({
      applied: ['001_initial', '002_withdrawals'],
      version: '002_withdrawals',
    })
    expect(await storage.transaction('ws', (tx) => tx.get('leads', 'x'))).toBeUndefined()
  })

  it('lists log entries written before 002 by identity and type once migrated', async () => {
    const name = schema()
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 })
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) })
    await pool.query(`create schema if not exists "${name}"`)
    const first = await new Migrator({
      db,
      provider: { getMigrations: async () => ({ '001_initial': initialMigration(name) }) },
      migrationTableName: 'paceline_migration',
      migrationLockTableName: 'paceline_migration_lock',
      migrationTableSchema: name,
    }).migrateToLatest()
    expect(first.error).toBeUndefined()
    const entries = [
      { key: 'a1', at: 1000, type: 'invitation-withdrawn', identityId: 'ana', leadId: 'eva' },
      { key: 'a2', at: 2000, type: 'invitation-sent', identityId: 'ana', leadId: 'eva' },
      { key: 'a3', at: 3000, type: 'invitation-withdrawn', identityId: 'ana', leadId: 'max' },
    ]
    for (const entry of entries)
      await pool.query(
        `insert into "${name}".paceline_actions (workspace_id, key, doc, "f_identityId", "f_at") values ($1, $2, $3, $4, $5)`,
        [
          'ws',
          entry.key,
          JSON.stringify(entry),
          encodeIndexValue(entry.identityId),
          encodeIndexValue(entry.at),
        ],
      )
    await db.destroy()
    const storage = open({ schema: name })
    // Opening applies 002 (waiting for it first: a migrate() racing it could be the one that applies it).
    await storage.ready
    expect(await storage.migrate()).toEqual({ applied: [], version: '002_withdrawals' })
    const withdrawn = await storage.transaction('ws', (tx) =>
      tx.query('actions', {
        index: 'byIdentityType',
        equals: ['ana', 'invitation-withdrawn'],
        order: 'desc',
      }),
    )
    expect(withdrawn.map((entry) => entry.key)).toEqual(['a3', 'a1'])
  })

  it('refuses a schema migrated by a newer version, without touching it', async () => {
    const name = schema()
    const first = open({ schema: name })
    await first.ready
    await first.pool.query(
      `insert into "${name}".paceline_migration (name, timestamp) values ('999_future', now()::text)`,
    )
    const newer = open({ schema: name })
    const refusal = await newer.ready.catch((error: unknown) => error as PacelineError)
    expect(refusal).toBeInstanceOf(PacelineError)
    expect((refusal as PacelineError).code).toBe('storage_schema_too_new')
    expect((refusal as PacelineError).message).toMatch(/999_future.*Upgrade the package/)
    const blocked = await newer.transaction('ws', (tx) => tx.get('leads', 'x')).catch((error) => error)
    expect((blocked as PacelineError).code).toBe('storage_schema_too_new')
  })
})

describe('secrets at rest', () => {
  it('encrypts secrets with AES-256-GCM when given a key: the plaintext is nowhere in the database', async () => {
    const storage = open({ encryptionKey: KEY })
    await storage.transaction('ws', (tx) =>
      tx.put('secrets', 'imap', { key: 'imap', value: 'hunter2-secret' }),
    )
    const { rows } = await storage.pool.query(`select * from "${storage.schema}".paceline_secrets`)
    expect(JSON.stringify(rows)).not.toContain('hunter2')
    expect(rows[0].doc).toBeNull()
    expect(await storage.transaction('ws', (tx) => tx.get('secrets', 'imap'))).toEqual({
      key: 'imap',
      value: 'hunter2-secret',
    })
    // Bound to its row: copied to another workspace, it does not open.
    await storage.pool.query(
      `insert into "${storage.schema}".paceline_secrets (workspace_id, key, doc, sealed) select 'other', key, doc, sealed from "${storage.schema}".paceline_secrets`,
    )
    const copied = await storage.transaction('other', (tx) => tx.get('secrets', 'imap')).catch((e) => e)
    expect((copied as PacelineError).code).toBe('secret_unreadable')
    // The wrong key, or no key, does not open it either.
    const wrong = open({ schema: storage.schema, encryptionKey: 'b'.repeat(64) })
    expect(
      ((await wrong.transaction('ws', (tx) => tx.get('secrets', 'imap')).catch((e) => e)) as PacelineError)
        .code,
    ).toBe('secret_unreadable')
    const none = open({ schema: storage.schema })
    expect(
      ((await none.transaction('ws', (tx) => tx.get('secrets', 'imap')).catch((e) => e)) as PacelineError)
        .code,
    ).toBe('secret_unreadable')
  })

  it('says once at open that secrets are stored unencrypted when there is no key', async () => {
    const warnings: string[] = []
    const storage = open({ onWarning: (message) => warnings.push(message) })
    await storage.ready
    expect(warnings).toEqual([expect.stringMatching(/no encryptionKey given/)])
  })
})

describe('index values', () => {
  it('orders encoded values as the port orders them: numbers by value, then text by its bytes', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer(),
      fc.string({ unit: 'binary' }),
    )
    const order = (a: string | number, b: string | number) => {
      if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1
      if (typeof a === 'number') return -1
      if (typeof b === 'number') return 1
      return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
    }
    fc.assert(
      fc.property(value, value, (a, b) => {
        const encoded = Buffer.compare(encodeIndexValue(a) as Buffer, encodeIndexValue(b) as Buffer)
        expect(encoded, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(order(a, b))
      }),
      { numRuns: 5000 },
    )
    expect(encodeIndexValue(Number.NaN)).toBeNull()
    expect(encodeIndexValue(null)).toBeNull()
    expect(encodeIndexValue(-0)).toEqual(encodeIndexValue(0))
  })
})

describe('workspaces and indexes', () => {
  it('scopes every statement it runs on a table to one workspace', async () => {
    const seen = new Set<string>()
    const pool = recordingPool(seen)
    const storage = createPostgresStorage({ pool, schema: schema(), ...quiet })
    // Migrations work on the whole schema (a backfill updates every workspace's rows): only what the
    // store does afterwards is judged.
    await storage.ready
    seen.clear()
    await simulate({ ...scenario({ leads: 20, days: 5 }), storage })
    await storage.close()
    await pool.end()
    const statements = [...seen].filter(
      (text) => /paceline_(?!migration)\w+/.test(text) && /^\s*(select|insert|update|delete)/i.test(text),
    )
    expect(statements.length).toBeGreaterThan(15)
    // Reads, updates and deletes filter on it; inserts write it (their conflict target includes it).
    for (const text of statements.filter((each) => !/pg_try_advisory|pg_advisory/.test(each)))
      expect(text, text).toMatch(
        /"?workspace_id"? = \$1|^insert into \S+ \(("?)workspace_id\1, ("?)key\2[^)]*\) (values \(\$1, \$2|select \$1, \* from unnest)/,
      )
  })

  it('answers due-work and counter lookups from indexes, never by scanning a table', async () => {
    const storage = open()
    await simulate({ ...scenario({ leads: 20, days: 3 }), storage })
    const client = await storage.pool.connect()
    try {
      // Without statistics on a small table PostgreSQL could rightly prefer a scan; forbid it to see the plan.
      await client.query('set enable_seqscan = off')
      const s = storage.schema
      const plans = {
        ready: `select key, doc from "${s}".paceline_enrolments where workspace_id = $1 and "f_identityId" is not null and "f_readyLane" is not null and "f_priorityKey" is not null and "f_identityId" = $2 and "f_readyLane" = $3 order by "f_identityId", "f_readyLane", "f_priorityKey", key limit 1`,
        waiting: `select key, doc from "${s}".paceline_enrolments where workspace_id = $1 and "f_identityId" is not null and "f_waitingDueAt" is not null and "f_identityId" = $2 and "f_waitingDueAt" <= $3 order by "f_identityId", "f_waitingDueAt", key limit 200`,
      }
      for (const [index, text] of Object.entries(plans)) {
        const explain = await client.query(`explain ${text}`, [
          'default',
          encodeIndexValue('ana'),
          encodeIndexValue(index === 'ready' ? 'linkedin:message' : 0),
        ])
        const plan = explain.rows.map((row) => row['QUERY PLAN']).join('\n')
        expect(plan, index).toContain(`paceline_enrolments_${index}`)
        expect(plan, index).not.toMatch(/Seq Scan|Sort/)
      }
    } finally {
      client.release()
    }
  })
})

describe('the engine on PostgreSQL', () => {
  it('gives exactly the result of the in-memory store', { timeout: 60_000 }, async () => {
    const input = scenario({ leads: 60, days: 12 })
    const inMemory = await simulate(input)
    const storage = open()
    const onPostgres = await simulate({ ...input, storage })
    expect(onPostgres.events).toEqual(inMemory.events)
    expect(onPostgres.leads).toEqual(inMemory.leads)
    expect(onPostgres.summary).toEqual(inMemory.summary)
    expect(inMemory.events.length).toBeGreaterThan(100)
  })
})

describe('invitation withdrawals on PostgreSQL', () => {
  it('withdraws by hand and lists the history as the in-memory store does', async () => {
    const inMemory = await withdrawalScenario(createMemoryStorage())
    const onPostgres = await withdrawalScenario(open())
    expect(onPostgres).toEqual(inMemory)
    expect(inMemory.withdrawCalls).toBe(6)
    expect(inMemory.history.map((entry) => entry.reason)).toEqual([
      'automatic',
      'automatic',
      'automatic',
      'manual',
      'manual',
      'manual',
    ])
  })
})

describe('writes held until needed', () => {
  it('sends many writes as multi-row statements, and the transaction always sees its own writes', async () => {
    const storage = open()
    const count = 4500
    const seen = await storage.transaction('ws', async (tx) => {
      for (let n = 0; n < count; n++)
        await tx.put('enrolments', `e${n}`, { key: `e${n}`, campaignId: 'c', leadId: `l${n}`, enrolledAt: n })
      await tx.put('enrolments', 'e1', { key: 'e1', campaignId: 'c', leadId: 'l1', enrolledAt: -1 })
      await tx.delete('enrolments', 'e2')
      await tx.put('enrolments', 'e3', { key: 'e3', campaignId: 'd', leadId: 'l3', enrolledAt: 3 })
      await tx.delete('enrolments', 'e3')
      return {
        one: await tx.get('enrolments', 'e1'),
        two: await tx.get('enrolments', 'e2'),
        many: (await tx.getMany('enrolments', ['e4', 'e2', 'e4400', 'e1'])).map((each) => each.key),
        first: (await tx.query('enrolments', { index: 'byCampaignEnrolled', equals: ['c'], limit: 2 })).map(
          (each) => each.key,
        ),
        total: (await tx.query('enrolments', { index: 'byCampaign', equals: ['c'] })).length,
      }
    })
    expect(seen).toEqual({
      one: { key: 'e1', campaignId: 'c', leadId: 'l1', enrolledAt: -1 },
      two: undefined,
      many: ['e4', 'e4400', 'e1'],
      first: ['e1', 'e0'],
      total: count - 2,
    })
    const { rows } = await storage.pool.query(
      `select count(*)::int as n from "${storage.schema}".paceline_enrolments where workspace_id = 'ws'`,
    )
    expect(rows[0].n).toBe(count - 2)
  })

  it('applies nothing of a transaction that fails after some of its writes were sent', async () => {
    const storage = open()
    const failure = await storage
      .transaction('ws', async (tx) => {
        for (let n = 0; n < 3000; n++) await tx.put('leads', `l${n}`, { id: `l${n}` })
        expect((await tx.query('leads', { limit: 1 })).length).toBe(1)
        throw new Error('changed my mind')
      })
      .catch((error: Error) => error.message)
    expect(failure).toBe('changed my mind')
    expect(await storage.transaction('ws', (tx) => tx.query('leads', { limit: 1 }))).toEqual([])
  })

  it('keeps a document as it was when put, even if the caller changes the object afterwards', async () => {
    const storage = open()
    const document = { id: 'a', tags: ['x'] }
    const read = await storage.transaction('ws', async (tx) => {
      await tx.put('leads', 'a', document)
      document.tags.push('y')
      return tx.get('leads', 'a')
    })
    expect(read).toEqual({ id: 'a', tags: ['x'] })
    expect(await storage.transaction('ws', (tx) => tx.get('leads', 'a'))).toEqual({ id: 'a', tags: ['x'] })
  })
})
