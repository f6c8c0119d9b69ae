import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

const here = dirname(fileURLToPath(import.meta.url))

/** A temporary folder removed after the file's tests. */
export function temporaryFolder(): (name: string) => string {
  const folder = mkdtempSync(join(tmpdir(), 'paceline-sqlite-'))
  afterAll(() => rmSync(folder, { recursive: true, force: true }))
  return (name) => join(folder, name)
}

/** A copy of a fixture database, so opening it (which migrates) leaves the fixture as it is. */
export function fixtureCopy(fixture: string, path: (name: string) => string): string {
  const target = path(`${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${fixture}`)
  copyFileSync(join(here, 'fixtures', fixture), target)
  return target
}

export const quiet = { onWarning: () => {} }
