import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, inject, vi } from 'vitest'
import { readmeExamples } from '../../../test-support/readme-examples'

// Each example opens a pool and migrates a schema: seconds on a busy machine, not milliseconds.
vi.setConfig({ testTimeout: 60_000 })

// The examples read DATABASE_URL, as a host's code would, and work in the schema `outreach`.
const dropExampleSchema = async () => {
  const client = new pg.Client({ connectionString: inject('postgresUrl') })
  await client.connect()
  try {
    await client.query('drop schema if exists outreach cascade')
  } finally {
    await client.end()
  }
}
beforeAll(async () => {
  process.env.DATABASE_URL = inject('postgresUrl')
  await dropExampleSchema()
})
afterAll(dropExampleSchema)

readmeExamples(join(dirname(fileURLToPath(import.meta.url)), '..'), 2)
