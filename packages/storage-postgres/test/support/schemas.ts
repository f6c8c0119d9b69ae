import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, inject } from 'vitest'

export const postgresUrl = (): string => inject('postgresUrl')

/**
 * Fresh schema names for a test file, dropped (with everything in them) after its tests, so test files run
 * side by side on one server without seeing each other's rows.
 */
export function temporarySchemas(): () => string {
  const created: string[] = []
  afterAll(async () => {
    const client = new pg.Client({ connectionString: postgresUrl() })
    await client.connect()
    try {
      for (const schema of created) await client.query(`drop schema if exists "${schema}" cascade`)
    } finally {
      await client.end()
    }
  })
  return () => {
    const schema = `t_${randomBytes(6).toString('hex')}`
    created.push(schema)
    return schema
  }
}
