import { PacelineError } from '@paceline/core'
import pg from 'pg'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createPostgresStorage, type PostgresStorage } from '../src/index'
import { startPostgresServer } from './support/postgres-server'
import { postgresUrl, temporarySchemas } from './support/schemas'

// Real server round trips: a busy CI machine can take seconds where a quiet one takes milliseconds.
vi.setConfig({ testTimeout: 30_000 })

const schema = temporarySchemas()
const opened: PostgresStorage[] = []
afterAll(async () => {
  for (const storage of opened) await storage.close()
})

function open(options: Record<string, unknown> = {}): PostgresStorage {
  const storage = createPostgresStorage({
    connectionString: postgresUrl(),
    schema: schema(),
    poolSize: 4,
    onWarning: () => {},
    ...options,
  } as Parameters<typeof createPostgresStorage>[0])
  opened.push(storage)
  return storage
}

async function terminate(pid: number) {
  const admin = new pg.Client({ connectionString: postgresUrl() })
  await admin.connect()
  try {
    await admin.query('select pg_terminate_backend($1)', [pid])
  } finally {
    await admin.end()
  }
}

const backendPid = async (storage: PostgresStorage, workspace: string) =>
  storage.transaction(workspace, async (tx) => {
    await tx.get('leads', 'x')
    return undefined
  })

describe('conflicts', () => {
  it('runs a transaction that lost a serialization race again, whole, and applies it once', async () => {
    const storage = open()
    await storage.transaction('ws', (tx) => tx.put('counters', 'c', { key: 'c', count: 0 }))
    let attempts = 0
    await Promise.all(
      Array.from({ length: 8 }, () =>
        storage.transaction('ws', async (tx) => {
          attempts++
          const current = (await tx.get('counters', 'c')) as { count: number }
          await new Promise((resolve) => setImmediate(resolve))
          await tx.put('counters', 'c', { key: 'c', count: current.count + 1 })
        }),
      ),
    )
    expect(await storage.transaction('ws', (tx) => tx.get('counters', 'c'))).toEqual({ key: 'c', count: 8 })
    // The races really happened and were retried, not avoided by running one at a time.
    expect(attempts).toBeGreaterThan(8)
  })

  it('fails with storage_busy, applying nothing, when conflicts persist past the retries', async () => {
    const storage = open({ maxConflictRetries: 0 })
    await storage.transaction('ws', (tx) => tx.put('counters', 'c', { key: 'c', count: 0 }))
    let release = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let reads = 0
    const bump = (by: number) =>
      storage.transaction('ws', async (tx) => {
        const current = (await tx.get('counters', 'c')) as { count: number }
        if (++reads === 2) release()
        await gate
        await tx.put('counters', 'c', { key: 'c', count: current.count + by })
        await tx.put('leads', `written-by-${by}`, { id: `written-by-${by}` })
      })
    const results = await Promise.allSettled([bump(1), bump(10)])
    const failed = results.filter((each) => each.status === 'rejected')
    expect(failed).toHaveLength(1)
    const error = (failed[0] as PromiseRejectedResult).reason as PacelineError
    expect(error).toBeInstanceOf(PacelineError)
    expect(error.code).toBe('storage_busy')
    expect(error.isRetryable).toBe(true)
    const count = ((await storage.transaction('ws', (tx) => tx.get('counters', 'c'))) as { count: number })
      .count
    expect([1, 10]).toContain(count)
    // Nothing of the refused transaction was applied, not even its other write.
    const leads = await storage.transaction('ws', (tx) => tx.query('leads'))
    expect(leads).toEqual([{ id: `written-by-${count}` }])
  })
})

describe('lost connections', () => {
  it('runs a transaction again when pg_terminate_backend cuts its connection before the commit', async () => {
    const storage = open()
    await backendPid(storage, 'ws')
    let attempts = 0
    await storage.transaction('ws', async (tx) => {
      attempts++
      await tx.put('leads', 'a', { id: 'a', attempt: attempts })
      if (attempts === 1) {
        const { rows } = await storage.pool.query<{ pid: number }>(
          "select pid from pg_stat_activity where state like 'idle in transaction%' and application_name = 'paceline'",
        )
        for (const row of rows) await terminate(row.pid)
        await tx.get('leads', 'a')
      }
    })
    expect(attempts).toBe(2)
    expect(await storage.transaction('ws', (tx) => tx.query('leads'))).toEqual([{ id: 'a', attempt: 2 }])
  })

  it('never runs a transaction again when its connection is lost during the commit: the outcome is unknown', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 })
    const connect = pool.connect.bind(pool)
    let cutCommit = false
    pool.connect = (async () => {
      const client = await connect()
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>
      ;(client as { query: unknown }).query = async (config: unknown, ...rest: unknown[]) => {
        const text = typeof config === 'string' ? config : (config as { text: string }).text
        if (cutCommit && text === 'commit') {
          cutCommit = false
          await terminate((client as unknown as { processID: number }).processID)
        }
        return query(config, ...rest)
      }
      return client
    }) as typeof pool.connect
    const storage = createPostgresStorage({ pool, schema: schema(), onWarning: () => {} })
    await storage.ready
    let attempts = 0
    cutCommit = true
    const error = (await storage
      .transaction('ws', async (tx) => {
        attempts++
        await tx.put('leads', 'a', { id: 'a' })
      })
      .catch((caught: unknown) => caught)) as PacelineError
    expect(attempts).toBe(1)
    expect(error.code).toBe('storage_failed')
    expect(error.message).toMatch(/whether it was applied is unknown/)
    // The store itself goes on with a fresh connection.
    expect(await storage.transaction('ws', (tx) => tx.query('leads'))).toEqual([])
    await storage.close()
    await pool.end()
  })

  it('survives a PostgreSQL restart: transactions wait for the server and go on; idle connections do not crash the process', async () => {
    const server = await startPostgresServer()
    const warnings: string[] = []
    const storage = createPostgresStorage({
      connectionString: server.url,
      poolSize: 3,
      onWarning: (message) => warnings.push(message),
    })
    try {
      await storage.transaction('ws', (tx) => tx.put('leads', 'before', { id: 'before' }))
      const restarted = server.restart()
      // Issued while the server goes down and comes back: retried until it answers.
      const during = storage.transaction('ws', (tx) => tx.put('leads', 'during', { id: 'during' }))
      await restarted
      await during
      await storage.transaction('ws', (tx) => tx.put('leads', 'after', { id: 'after' }))
      const keys = (await storage.transaction('ws', (tx) => tx.query('leads'))).map((each) => each.id)
      expect(keys).toEqual(['after', 'before', 'during'])
      expect(warnings.some((each) => /lost the connection|idle connection was lost/.test(each))).toBe(true)
    } finally {
      await storage.close()
      await server.stop()
    }
  }, 60_000)

  it('gives up with storage_failed after retryForMs when PostgreSQL stays unreachable', async () => {
    const storage = createPostgresStorage({
      connectionString: 'postgres://postgres:x@127.0.0.1:1/none',
      retryForMs: 300,
      migrate: false,
      onWarning: () => {},
    })
    const error = (await storage.ready.catch((caught: unknown) => caught)) as Error
    expect(String(error)).toMatch(/ECONNREFUSED|connect/)
    await storage.close()
  })
})
