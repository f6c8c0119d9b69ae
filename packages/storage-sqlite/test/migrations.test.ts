import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PacelineError } from '@paceline/core'
import { type CollectionName, STORAGE_COLLECTIONS } from '@paceline/core/ports'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../src/index'
import { fixtureCopy, quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()

describe('migrations', () => {
  it('opens a database written by the older schema, migrates it, and reads its data back', async () => {
    const file = fixtureCopy('v001.sqlite', path)
    const storage = createSqliteStorage({ filename: file, ...quiet })
    await storage.ready
    const applied = storage.database.prepare('select name from paceline_migration order by name').all() as {
      name: string
    }[]
    expect(applied.map((row) => row.name)).toEqual([
      '001_initial',
      '002_secrets',
      '003_paceline_names',
      '004_conversations',
      '005_analytics',
      '006_lists',
      '007_withdrawals',
    ])
    const identity = await storage.transaction('default', (tx) => tx.get('identities', 'ana'))
    expect(identity).toMatchObject({ id: 'ana', identity: { name: 'Ana Ruiz' } })
    const byEmail = await storage.transaction('default', (tx) =>
      tx.query('leads', { index: 'byEmail', equals: ['eva@northwind.example'] }),
    )
    expect(byEmail.map((lead) => lead.id)).toEqual(['eva'])
    expect(await storage.transaction('other', (tx) => tx.get('state', 'cursor'))).toEqual({
      key: 'cursor',
      value: 42,
    })
    expect(await storage.transaction('default', (tx) => tx.get('state', 'cursor'))).toBeUndefined()
    // What the new schema adds works on the migrated database.
    await storage.transaction('default', (tx) =>
      tx.put('secrets', 'smtp', { key: 'smtp', value: 'app-password' }),
    )
    expect(await storage.transaction('default', (tx) => tx.get('secrets', 'smtp'))).toEqual({
      key: 'smtp',
      value: 'app-password',
    })
    expect(await storage.migrate()).toEqual({ applied: [], version: '007_withdrawals' })
    await storage.close()
  })

  it('can leave migrations to an explicit call', async () => {
    const storage = createSqliteStorage({
      filename: fixtureCopy('v001.sqlite', path),
      migrate: false,
      ...quiet,
    })
    await storage.ready
    expect(await storage.migrate()).toEqual({
      applied: [
        '002_secrets',
        '003_paceline_names',
        '004_conversations',
        '005_analytics',
        '006_lists',
        '007_withdrawals',
      ],
      version: '007_withdrawals',
    })
    await storage.close()
  })

  it('applies migrations all or nothing: one that fails half-way leaves the database as it was', async () => {
    const file = path('half-way.sqlite')
    // A table of the host's own that happens to clash with one the first migration creates late.
    const host = new Database(file)
    host.exec('create table paceline_state (anything text)')
    host.close()
    const storage = createSqliteStorage({ filename: file, ...quiet })
    await expect(storage.ready).rejects.toMatchObject({ code: 'storage_failed' })
    await storage.close()
    const after = new Database(file)
    const tables = after
      .prepare("select name from sqlite_master where type = 'table' order by name")
      .pluck()
      .all()
    after.close()
    // paceline_identities, paceline_campaigns... were created before the clash and are gone again with the rest.
    expect(tables).toEqual(['paceline_state'])
  })

  it('lets several processes open a new file at once: each finds one complete schema', {
    timeout: 60_000,
  }, async () => {
    const file = path('together.sqlite')
    const worker = join(dirname(fileURLToPath(import.meta.url)), 'workers', 'open-worker.ts')
    const open = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--conditions=@paceline/source', '--import', 'tsx', worker, file],
          {
            cwd: join(dirname(fileURLToPath(import.meta.url)), '..'),
          },
        )
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (chunk) => {
          stdout += chunk
        })
        child.stderr.on('data', (chunk) => {
          stderr += chunk
        })
        child.on('close', (code) => resolve({ code, stdout, stderr }))
      })
    const results = await Promise.all([open(), open(), open(), open()])
    for (const result of results) expect(result.code, result.stderr).toBe(0)
    const reports = results.map(
      (result) => JSON.parse(result.stdout) as { applied: string[]; version: string },
    )
    expect(
      reports.every((report) => report.version === '007_withdrawals' && report.applied.length === 0),
    ).toBe(true)
    const database = new Database(file)
    expect(database.prepare('select name from paceline_migration order by name').pluck().all()).toEqual([
      '001_initial',
      '002_secrets',
      '003_paceline_names',
      '004_conversations',
      '005_analytics',
      '006_lists',
      '007_withdrawals',
    ])
    expect(database.prepare('select count(*) from paceline_state').pluck().get()).toBe(4)
    database.close()
  })

  it('refuses a database written by a newer version, without touching it', async () => {
    const file = fixtureCopy('future.sqlite', path)
    const before = readFileSync(file)
    const storage = createSqliteStorage({ filename: file, ...quiet })
    const refusal = await storage.ready.then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refusal).toBeInstanceOf(PacelineError)
    expect(refusal).toMatchObject({ code: 'storage_schema_too_new' })
    expect(String((refusal as Error).message)).toContain('999_from_the_future')
    await expect(storage.transaction('default', (tx) => tx.get('identities', 'ana'))).rejects.toMatchObject({
      code: 'storage_schema_too_new',
    })
    await storage.close()
    expect(readFileSync(file).equals(before)).toBe(true)
  })

  it('creates a table per collection and every declared index, each leading with the workspace', async () => {
    const storage = createSqliteStorage({ filename: ':memory:', ...quiet })
    await storage.ready
    const indexes = storage.database
      .prepare("select name, tbl_name, sql from sqlite_master where type = 'index' and sql is not null")
      .all() as {
      name: string
      tbl_name: string
      sql: string
    }[]
    for (const [collection, spec] of Object.entries(STORAGE_COLLECTIONS)) {
      const table = `paceline_${collection}`
      const columns = storage.database.prepare(`pragma table_info("${table}")`).all() as { name: string }[]
      expect(
        columns.map((column) => column.name),
        table,
      ).toEqual(expect.arrayContaining(['workspace_id', 'key']))
      for (const index of spec.indexes) {
        const found = indexes.find((each) => each.name === `${table}_${index.name}`)
        expect(found, `${table}.${index.name}`).toBeDefined()
        expect(found?.sql).toMatch(/\("workspace_id", /)
        for (const field of index.fields) expect(found?.sql).toContain(`"f_${field}"`)
      }
      // The primary key leads with the workspace too.
      const key = storage.database.prepare(`pragma index_list("${table}")`).all() as {
        name: string
        origin: string
      }[]
      const primary = key.find((each) => each.origin === 'pk')
      const primaryColumns = storage.database.prepare(`pragma index_info("${primary?.name}")`).all() as {
        name: string
      }[]
      expect(
        primaryColumns.map((column) => column.name),
        table,
      ).toEqual(['workspace_id', 'key'])
    }
    const collections = Object.keys(STORAGE_COLLECTIONS) as CollectionName[]
    expect(collections).toContain('secrets')
    await storage.close()
  })
})
