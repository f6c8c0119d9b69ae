import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteStorage } from '../src/index'

export const WORKSPACE = 'default'
let files = 0

/** Removes a database file with its WAL and shared-memory files. */
export function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
}

/** A fresh temporary file holding the store's schema (migrated, nothing else). */
export async function migratedFile(name: string): Promise<string> {
  const file = join(tmpdir(), `paceline-bench-${process.pid}-${files++}-${name}.sqlite`)
  removeDatabase(file)
  const storage = createSqliteStorage({ filename: file, onWarning: () => {} })
  await storage.ready
  await storage.close()
  return file
}
