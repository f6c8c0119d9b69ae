import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

/**
 * Every ```ts block of a package README is a runnable example: this runs each one (from a file inside the
 * package, so its imports resolve like the package's own; in an empty temporary working folder, so the
 * files it creates go nowhere), so the docs stay true.
 */
export function readmeExamples(packageFolder: string, minimum: number): void {
  const readme = readFileSync(join(packageFolder, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
  const folder = join(packageFolder, 'test', '.readme-examples')
  const workingFolder = mkdtempSync(join(tmpdir(), 'paceline-readme-'))

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true })
    rmSync(workingFolder, { recursive: true, force: true })
  })

  describe('README examples', () => {
    it(`has at least ${minimum}`, () => {
      expect(blocks.length).toBeGreaterThanOrEqual(minimum)
    })

    it.each(blocks.map((code, index) => ({ index, name: `example ${index + 1}`, code })))(
      '$name runs',
      async ({ index, code }) => {
        mkdirSync(folder, { recursive: true })
        const file = join(folder, `example-${index}.ts`)
        writeFileSync(file, code)
        const quiet = [
          vi.spyOn(console, 'log').mockImplementation(() => {}),
          vi.spyOn(console, 'warn').mockImplementation(() => {}),
        ]
        const cwd = process.cwd()
        process.chdir(workingFolder)
        try {
          await import(file)
        } finally {
          process.chdir(cwd)
          for (const spy of quiet) spy.mockRestore()
        }
      },
    )
  })
}
