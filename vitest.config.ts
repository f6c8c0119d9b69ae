import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const root = dirname(fileURLToPath(import.meta.url))

// Tests read sibling packages' TypeScript sources through this export condition, so no build is needed.
const conditions = ['@paceline/source']

/** One vitest project per workspace package that has tests (found from this file, whatever the cwd). */
const projects = ['packages', 'examples'].flatMap((folder) =>
  readdirSync(join(root, folder), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, 'package.json')))
    .filter((entry) => existsSync(join(root, folder, entry.name, 'test')))
    .map((entry) => {
      const packageRoot = join(root, folder, entry.name)
      // A package whose tests need servers (a mail server, a database) starts them once per run here.
      const globalSetup = join(packageRoot, 'test', 'global-setup.ts')
      return {
        extends: true as const,
        test: {
          name: `${folder}/${entry.name}`,
          root: packageRoot,
          include: ['test/**/*.test.ts'],
          ...(existsSync(globalSetup) ? { globalSetup: [globalSetup] } : {}),
        },
      }
    }),
)

// CI asks for a machine-readable report as well, to print its closing line from it.
const report = process.env.PACELINE_TEST_REPORT

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
})
