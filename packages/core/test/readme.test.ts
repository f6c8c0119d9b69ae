import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'

// Every ```ts block of the package README is a runnable example: run each, so the docs stay true.
const here = dirname(fileURLToPath(import.meta.url))
const readme = readFileSync(join(here, '..', 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
const folder = join(here, '.readme-examples')

afterAll(() => rmSync(folder, { recursive: true, force: true }))

describe('README examples', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(6)
  })

  it.each(blocks.map((code, index) => ({ index, name: `example ${index + 1}`, code })))(
    '$name runs',
    async ({ index, code }) => {
      mkdirSync(folder, { recursive: true })
      const file = join(folder, `example-${index}.ts`)
      writeFileSync(file, code)
      const log = vi.spyOn(console, 'log').mockImplementation(() => {})
      try {
        await import(file)
      } finally {
        log.mockRestore()
      }
    },
  )
})
