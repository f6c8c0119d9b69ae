import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { storageConformance } from '@paceline/core/conformance'
import { afterAll } from 'vitest'
import { createSqliteStorage } from '../src/index'

const folder = mkdtempSync(join(tmpdir(), 'paceline-sqlite-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))
let files = 0

storageConformance({
  name: 'SQLite file',
  create: async () => {
    const storage = createSqliteStorage({
      filename: join(folder, `store-${files++}.sqlite`),
      onWarning: () => {},
    })
    await storage.ready
    return storage
  },
})

storageConformance({
  name: 'SQLite :memory:',
  create: () => createSqliteStorage({ filename: ':memory:', onWarning: () => {} }),
})
