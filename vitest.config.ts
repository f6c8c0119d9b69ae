import { existsSync, readdirSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

// Tests read sibling packages' TypeScript sources through this export condition, so no build is needed.
const conditions = ['@reachkit/source']

/** One vitest project per workspace package that has tests. */
const projects = ['packages', 'examples'].flatMap((folder) =>
  readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(`${folder}/${entry.name}/package.json`))
    .filter((entry) => existsSync(`${folder}/${entry.name}/test`))
    .map((entry) => ({
      extends: true as const,
      test: {
        name: `${folder}/${entry.name}`,
        root: `${folder}/${entry.name}`,
        include: ['test/**/*.test.ts'],
      },
    })),
)

// CI asks for a machine-readable report as well, to print its closing line from it.
const report = process.env.REACHKIT_TEST_REPORT

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
})
