import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'

export interface ReadmeExamplesOptions {
  /**
   * The README to run, when it is not the package's own `README.md` (the repository's root README, say).
   * Its examples still run from `packageFolder`, so that folder's dependencies must hold every package
   * they import.
   */
  readonly readme?: string
  /** The name of the test group. Default `README examples`. */
  readonly title?: string
}

/**
 * Every ```ts block of a package README is a runnable example: this runs each one (from a file inside the
 * package, so its imports resolve like the package's own; in an empty temporary working folder, so the
 * files it creates go nowhere), so the docs stay true.
 */
export function readmeExamples(
  packageFolder: string,
  minimum: number,
  options: ReadmeExamplesOptions = {},
): void {
  const own = options.readme === undefined
  const readmeFile = options.readme ?? join(packageFolder, 'README.md')
  const readme = readFileSync(readmeFile, 'utf8')
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
  // Another README's examples get a folder of their own: the package's own README test may run beside them.
  const examplesFolder = join(packageFolder, 'test', '.readme-examples')
  const folder = own ? examplesFolder : join(examplesFolder, `${basename(dirname(readmeFile))}-readme`)
  const workingFolder = mkdtempSync(join(tmpdir(), 'paceline-readme-'))

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true })
    rmSync(workingFolder, { recursive: true, force: true })
    // The shared folder goes too when empty (the package's own README test may still be using it).
    if (!own) {
      try {
        rmdirSync(examplesFolder)
      } catch {
        // not empty, or already gone
      }
    }
  })

  describe(options.title ?? 'README examples', () => {
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
