import { readFileSync, writeFileSync } from 'node:fs'
import { PacelineError } from '@paceline/core'
import { createMemoryStorage, simulate } from '@paceline/core/testing'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { scenario } from '../../../test-support/storage-scenario'
import { withdrawalScenario } from '../../../test-support/withdrawal-scenario'
import { createSqliteStorage } from '../src/index'
import { quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()
const KEY = 'k'.repeat(43).replace(/k/g, 'A').slice(0, 43)
const key32 = () => Buffer.alloc(32, 7)

describe('opening', () => {
  it('uses WAL, a busy timeout and the requested durability on a file', async () => {
    const storage = createSqliteStorage({
      filename: path('wal.sqlite'),
      busyTimeoutMs: 1234,
      synchronous: 'full',
      ...quiet,
    })
    await storage.ready
    expect(storage.database.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(storage.database.pragma('busy_timeout', { simple: true })).toBe(1234)
    expect(storage.database.pragma('synchronous', { simple: true })).toBe(2)
    await storage.close()
  })

  it('works on your own better-sqlite3 database and leaves it open on close', async () => {
    const database = new Database(':memory:')
    const storage = createSqliteStorage({ database, ...quiet })
    await storage.transaction('w', (tx) => tx.put('state', 'x', { key: 'x', value: 1 }))
    await storage.close()
    expect(database.open).toBe(true)
    expect(database.prepare('select count(*) as n from paceline_state').get()).toEqual({ n: 1 })
    database.close()
  })

  it('explains what is wrong with bad options', () => {
    expect(() => createSqliteStorage({ filename: '/nonexistent-folder/x/y.sqlite', ...quiet })).toThrow(
      PacelineError,
    )
    expect(() => createSqliteStorage({ filename: ':memory:', encryptionKey: 'too short', ...quiet })).toThrow(
      expect.objectContaining({ code: 'invalid_options' }),
    )
    expect(() => createSqliteStorage({} as never)).toThrow(
      expect.objectContaining({
        code: 'invalid_options',
        issues: [expect.objectContaining({ rule: 'one_of' })],
      }),
    )
    // Every wrong field is named with its rule, in one error.
    let error: unknown
    try {
      createSqliteStorage({ filename: ':memory:', busyTimeoutMs: -1, synchronous: 'off', cache: 1 } as never)
    } catch (caught) {
      error = caught
    }
    expect(error).toMatchObject({
      code: 'invalid_options',
      issues: expect.arrayContaining([
        expect.objectContaining({ field: 'busyTimeoutMs', rule: 'too_small' }),
        expect.objectContaining({ field: 'synchronous', rule: 'invalid_value' }),
        expect.objectContaining({ field: 'cache', rule: 'unknown_field' }),
      ]),
    })
    expect(String((error as Error).message)).toContain(
      'synchronous: must be one of "normal", "full", got "off"',
    )
  })
})

describe('one store per file per process', () => {
  it('warns when a second store opens a file this process already has open, and not after it closed', async () => {
    const file = path('shared.sqlite')
    const warnings: string[] = []
    const onWarning = (message: string) => warnings.push(message)
    const first = createSqliteStorage({ filename: file, encryptionKey: KEY, onWarning })
    await first.ready
    const second = createSqliteStorage({ filename: file, encryptionKey: KEY, onWarning })
    await second.ready
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('is already open in this process. Share one store per file')
    await Promise.all([first.close(), second.close()])
    const third = createSqliteStorage({ filename: file, encryptionKey: KEY, onWarning })
    await third.ready
    await third.close()
    expect(warnings).toHaveLength(1)
  })
})

describe('secrets at rest', () => {
  it('encrypts secrets with AES-256-GCM when given a key: the plaintext is nowhere in the database', async () => {
    const file = path('secrets.sqlite')
    const storage = createSqliteStorage({ filename: file, encryptionKey: key32(), ...quiet })
    await storage.transaction('acme', (tx) =>
      tx.put('secrets', 'smtp:ana', { key: 'smtp:ana', value: 'hunter2-app-password' }),
    )
    expect(await storage.transaction('acme', (tx) => tx.get('secrets', 'smtp:ana'))).toEqual({
      key: 'smtp:ana',
      value: 'hunter2-app-password',
    })
    const row = storage.database.prepare('select doc, sealed from paceline_secrets').get() as {
      doc: string | null
      sealed: Buffer
    }
    expect(row.doc).toBeNull()
    expect(row.sealed.includes('hunter2')).toBe(false)
    await storage.close()
    const { readFileSync } = await import('node:fs')
    const bytes = Buffer.concat([
      readFileSync(file),
      ...['-wal'].map((suffix) => {
        try {
          return readFileSync(file + suffix)
        } catch {
          return Buffer.alloc(0)
        }
      }),
    ])
    expect(bytes.includes('hunter2')).toBe(false)
  })

  it('binds each value to its row: copied to another key or workspace, it does not open', async () => {
    const storage = createSqliteStorage({ filename: ':memory:', encryptionKey: key32(), ...quiet })
    await storage.transaction('acme', (tx) => tx.put('secrets', 'a', { key: 'a', value: 'one' }))
    await storage.transaction('acme', (tx) => tx.put('secrets', 'b', { key: 'b', value: 'two' }))
    storage.database
      .prepare(
        "update paceline_secrets set sealed = (select sealed from paceline_secrets where key = 'a') where key = 'b'",
      )
      .run()
    await expect(storage.transaction('acme', (tx) => tx.get('secrets', 'b'))).rejects.toMatchObject({
      code: 'secret_unreadable',
    })
    storage.database
      .prepare(
        "insert into paceline_secrets (workspace_id, key, sealed) select 'evil', key, sealed from paceline_secrets where key = 'a'",
      )
      .run()
    await expect(storage.transaction('evil', (tx) => tx.get('secrets', 'a'))).rejects.toMatchObject({
      code: 'secret_unreadable',
    })
    await storage.close()
  })

  it('refuses the wrong key, and a missing key for encrypted values', async () => {
    const file = path('keys.sqlite')
    const first = createSqliteStorage({ filename: file, encryptionKey: key32().toString('hex'), ...quiet })
    await first.transaction('w', (tx) => tx.put('secrets', 's', { key: 's', value: 'v' }))
    await first.close()
    const wrong = createSqliteStorage({ filename: file, encryptionKey: Buffer.alloc(32, 9), ...quiet })
    await expect(wrong.transaction('w', (tx) => tx.get('secrets', 's'))).rejects.toMatchObject({
      code: 'secret_unreadable',
    })
    await wrong.close()
    const none = createSqliteStorage({ filename: file, ...quiet })
    await expect(none.transaction('w', (tx) => tx.get('secrets', 's'))).rejects.toMatchObject({
      code: 'secret_unreadable',
    })
    await none.close()
    const right = createSqliteStorage({ filename: file, encryptionKey: key32().toString('base64'), ...quiet })
    expect(await right.transaction('w', (tx) => tx.get('secrets', 's'))).toEqual({ key: 's', value: 'v' })
    await right.close()
    expect(KEY).toHaveLength(43)
  })

  it('refuses a plaintext secret when it encrypts, until the plaintext ones are sealed on purpose', async () => {
    const file = path('planted.sqlite')
    const sealed = createSqliteStorage({ filename: file, encryptionKey: key32(), ...quiet })
    await sealed.transaction('w', (tx) => tx.put('secrets', 'smtp', { key: 'smtp', value: 'real' }))
    // Someone with write access to the file replaces the sealed value with their own, in plain text.
    sealed.database
      .prepare("update paceline_secrets set sealed = null, doc = ? where key = 'smtp'")
      .run(JSON.stringify({ key: 'smtp', value: 'planted' }))
    await expect(sealed.transaction('w', (tx) => tx.get('secrets', 'smtp'))).rejects.toMatchObject({
      code: 'secret_unreadable',
      message: expect.stringMatching(/stored unencrypted, but this store encrypts secrets/),
    })
    await expect(sealed.transaction('w', (tx) => tx.query('secrets'))).rejects.toMatchObject({
      code: 'secret_unreadable',
    })
    await sealed.close()

    // A store used without a key, then given one: its secrets are refused until sealed once.
    const later = path('later.sqlite')
    const plain = createSqliteStorage({ filename: later, ...quiet })
    await plain.transaction('w', (tx) => tx.put('secrets', 'a', { key: 'a', value: 'one' }))
    await plain.transaction('v', (tx) => tx.put('secrets', 'b', { key: 'b', value: 'two' }))
    expect(await plain.sealPlaintextSecrets().catch((error: unknown) => error)).toMatchObject({
      code: 'invalid_options',
    })
    await plain.close()
    const keyed = createSqliteStorage({ filename: later, encryptionKey: key32(), ...quiet })
    await expect(keyed.transaction('w', (tx) => tx.get('secrets', 'a'))).rejects.toMatchObject({
      code: 'secret_unreadable',
    })
    expect(await keyed.sealPlaintextSecrets()).toBe(2)
    expect(await keyed.transaction('w', (tx) => tx.get('secrets', 'a'))).toEqual({ key: 'a', value: 'one' })
    expect(await keyed.transaction('v', (tx) => tx.get('secrets', 'b'))).toEqual({ key: 'b', value: 'two' })
    const rows = keyed.database.prepare('select doc, sealed from paceline_secrets').all() as {
      doc: string | null
      sealed: Buffer | null
    }[]
    expect(rows.every((row) => row.doc === null && row.sealed !== null)).toBe(true)
    expect(await keyed.sealPlaintextSecrets()).toBe(0)
    await keyed.close()
  })

  it('says which file cannot be read and what to do: not a database, or a corrupt one', async () => {
    const text = path('notes.sqlite')
    writeFileSync(text, 'These are my meeting notes, not a database.\n'.repeat(200))
    const before = readFileSync(text)
    let refusal: unknown
    try {
      createSqliteStorage({ filename: text, ...quiet })
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(PacelineError)
    expect(refusal).toMatchObject({
      code: 'storage_unreadable',
      details: { file: text, sqliteCode: 'SQLITE_NOTADB' },
    })
    expect((refusal as Error).message).toContain(`'${text}' cannot be opened as a paceline store`)
    expect((refusal as Error).message).toMatch(/Check the filename/)
    expect(readFileSync(text).equals(before)).toBe(true)

    // A real store whose pages were damaged on disk.
    const damaged = path('damaged.sqlite')
    const good = createSqliteStorage({ filename: damaged, ...quiet })
    await good.transaction('w', async (tx) => {
      for (let i = 0; i < 400; i++) await tx.put('state', `k${i}`, { key: `k${i}`, value: 'x'.repeat(200) })
    })
    await good.close()
    const bytes = readFileSync(damaged)
    const pageSize = bytes.readUInt16BE(16)
    for (let page = 2; page * pageSize < bytes.length; page += 2)
      bytes.fill(0x5a, page * pageSize, page * pageSize + 64)
    writeFileSync(damaged, bytes)
    const reopened = (() => {
      try {
        return createSqliteStorage({ filename: damaged, ...quiet })
      } catch (error) {
        return error
      }
    })()
    const failure =
      reopened instanceof Error
        ? reopened
        : await (reopened as ReturnType<typeof createSqliteStorage>)
            .transaction('w', (tx) => tx.query('state'))
            .then(
              () => undefined,
              (error: unknown) => error,
            )
    expect(failure).toMatchObject({ code: 'storage_unreadable' })
    expect(String((failure as Error).message)).toMatch(/corrupt|not a SQLite database/)
    if (!(reopened instanceof Error)) await (reopened as ReturnType<typeof createSqliteStorage>).close()
  })

  it('says once at open that secrets are stored unencrypted when there is no key', async () => {
    const warnings: string[] = []
    const storage = createSqliteStorage({
      filename: ':memory:',
      onWarning: (message) => warnings.push(message),
    })
    await storage.transaction('w', (tx) => tx.put('secrets', 's', { key: 's', value: 'v' }))
    await storage.transaction('w', (tx) => tx.get('secrets', 's'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('unencrypted')
    expect(
      (storage.database.prepare('select doc from paceline_secrets').get() as { doc: string }).doc,
    ).toContain('"v"')
    await storage.close()
  })
})

describe('workspaces and indexes', () => {
  it('scopes every statement it runs on a table to one workspace', async () => {
    const database = new Database(':memory:')
    const seen = new Set<string>()
    const prepare = database.prepare.bind(database)
    database.prepare = ((source: string) => {
      seen.add(source)
      return prepare(source)
    }) as typeof database.prepare
    const storage = createSqliteStorage({ database, ...quiet })
    await simulate({ ...scenario({ leads: 20, days: 5 }), storage })
    // Schema changes and their one-off backfills run on whole tables by design; every other statement is scoped.
    const migrating = (text: string) =>
      /^alter table|^update "?paceline_\w+"? set\s+f_\w+ = json_extract/i.test(text.trim())
    const statements = [...seen].filter(
      (text) => /"?paceline_(?!migration)\w+"?/.test(text) && !migrating(text),
    )
    expect(statements.length).toBeGreaterThan(15)
    for (const text of statements) expect(text, text).toMatch(/workspace_id/)
    await storage.close()
  })

  it('answers due-work and counter lookups from indexes, never by scanning a table', async () => {
    const storage = createSqliteStorage({ filename: ':memory:', ...quiet })
    const seen: string[] = []
    const prepare = storage.database.prepare.bind(storage.database)
    await simulate({ ...scenario({ leads: 20, days: 3 }), storage })
    for (const [collection, index] of [
      ['enrolments', 'ready'],
      ['enrolments', 'waiting'],
      ['counters', 'byIdentity'],
      ['claims', 'open'],
      ['relations', 'pendingInvitations'],
    ] as const) {
      const plan = prepare(
        `explain query plan select key, doc from paceline_${collection} where workspace_id = ? and ${
          index === 'ready'
            ? 'f_identityId is not null and f_readyLane is not null and f_priorityKey is not null and f_identityId = ? and f_readyLane = ? order by f_identityId, f_readyLane, f_priorityKey, key limit 1'
            : index === 'waiting'
              ? 'f_identityId is not null and f_waitingDueAt is not null and f_identityId = ? and f_waitingDueAt <= ? order by f_identityId, f_waitingDueAt, key limit 200'
              : index === 'byIdentity'
                ? 'f_identityId is not null and f_identityId = ? order by f_identityId, key'
                : index === 'open'
                  ? 'f_openUntil is not null and f_openUntil <= ? order by f_openUntil, key limit 200'
                  : 'f_identityId is not null and f_pendingSince is not null and f_identityId = ? and f_pendingSince <= ? order by f_identityId, f_pendingSince, key limit 1'
        }`,
      ).all(
        ...(index === 'ready'
          ? ['default', 'ana', 'linkedin:message']
          : index === 'byIdentity'
            ? ['default', 'ana']
            : index === 'open'
              ? ['default', 0]
              : ['default', 'ana', 0]),
      ) as { detail: string }[]
      const details = plan.map((step) => step.detail).join(' | ')
      seen.push(details)
      expect(details, `${collection}.${index}`).toContain(`paceline_${collection}_${index}`)
      expect(details, `${collection}.${index}`).not.toMatch(/SCAN paceline_/)
      expect(details, `${collection}.${index}`).not.toContain('TEMP B-TREE')
    }
    expect(seen).toHaveLength(5)
    await storage.close()
  })
})

describe('the engine on SQLite', () => {
  it('gives exactly the result of the in-memory store', async () => {
    const input = scenario({ leads: 60, days: 12 })
    const inMemory = await simulate(input)
    const storage = createSqliteStorage({ filename: path('same.sqlite'), ...quiet })
    const onSqlite = await simulate({ ...input, storage })
    await storage.close()
    expect(onSqlite.events).toEqual(inMemory.events)
    expect(onSqlite.leads).toEqual(inMemory.leads)
    expect(onSqlite.summary).toEqual(inMemory.summary)
    expect(inMemory.events.length).toBeGreaterThan(100)
  })

  it('withdraws invitations by hand and lists the withdrawal history as the in-memory store does', async () => {
    const inMemory = await withdrawalScenario(createMemoryStorage())
    const storage = createSqliteStorage({ filename: path('withdrawals.sqlite'), ...quiet })
    const onSqlite = await withdrawalScenario(storage)
    await storage.close()
    expect(onSqlite).toEqual(inMemory)
    expect(inMemory).toMatchObject({
      queued: ['l0', 'l2', 'l4'],
      repeated: { queued: [], alreadyQueued: ['l0', 'l2'] },
      withdrawCalls: 6,
      pending: [],
    })
    expect(inMemory.pendingWhileQueued.filter((each) => each.dueAt !== undefined)).toHaveLength(3)
    // Newest first: the three automatic ones (after 5 days), then the three asked for by hand.
    expect(inMemory.history.map((entry) => entry.reason)).toEqual([
      'automatic',
      'automatic',
      'automatic',
      'manual',
      'manual',
      'manual',
    ])
  })

  it('resumes a stopped simulation from the file and ends where an uninterrupted run ends', async () => {
    const input = scenario({ leads: 60, days: 12 })
    const whole = await simulate(input)
    const file = path('resume.sqlite')
    const stop = new AbortController()
    const first = createSqliteStorage({ filename: file, ...quiet })
    const partial = await simulate({
      ...input,
      storage: first,
      onProgress: (progress) => {
        if (progress.done > 0.45) stop.abort()
      },
      signal: stop.signal,
    })
    await first.close()
    expect(partial.complete).toBe(false)
    expect(partial.events.length).toBeLessThan(whole.events.length)
    const second = createSqliteStorage({ filename: file, ...quiet })
    const resumed = await simulate({ ...input, storage: second })
    await second.close()
    expect(resumed.complete).toBe(true)
    expect(resumed.events).toEqual(whole.events)
    expect(resumed.leads).toEqual(whole.leads)
  })
})
