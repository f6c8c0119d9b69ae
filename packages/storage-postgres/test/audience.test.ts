import { randomBytes } from 'node:crypto'
import { createMemoryStorage } from '@paceline/core/testing'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { expectAudienceFacts } from '../../../test-support/audience-facts'
import { type AudienceObservations, audienceScenario } from '../../../test-support/audience-scenario'
import { createPostgresStorage } from '../src/index'
import { postgresUrl, temporarySchemas } from './support/schemas'

// Real server round trips for every tick of ten virtual days: allow for a busy machine.
vi.setConfig({ testTimeout: 60_000 })

const schema = temporarySchemas()
/** A database whose default collation is a locale's (ICU en-US), where 'a' < 'B' and 'é' < 'f'. */
const localeDatabase = `paceline_icu_${randomBytes(4).toString('hex')}`
let inMemory: AudienceObservations

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl() })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

async function onPostgres(connectionString: string): Promise<AudienceObservations> {
  const storage = createPostgresStorage({
    connectionString,
    schema: schema(),
    poolSize: 4,
    onWarning: () => {},
  })
  try {
    return await audienceScenario(storage)
  } finally {
    await storage.close()
  }
}

beforeAll(async () => {
  inMemory = await audienceScenario(createMemoryStorage())
})
afterAll(() => admin((client) => client.query(`drop database if exists ${localeDatabase}`)))

describe('audiences on PostgreSQL', () => {
  it('pages the blocklist, stops a blocked company, enrols from lists and keeps tasks as the in-memory store does', async () => {
    const observed = await onPostgres(postgresUrl())
    expectAudienceFacts(observed)
    expect(observed).toEqual(inMemory)
  })

  it('pages the blocklist in the same order in a database whose default collation is a locale’s', async () => {
    await admin(async (client) => {
      await client.query(
        `create database ${localeDatabase} locale_provider icu icu_locale 'en-US' locale 'C' template template0`,
      )
      // The premise: this database orders text unlike the port, so only the store's own order can hold.
      const url = new URL(postgresUrl())
      url.pathname = `/${localeDatabase}`
      const check = new pg.Client({ connectionString: url.toString() })
      await check.connect()
      const { rows } = await check.query<{ mixed: boolean }>(`select 'a' < 'B' and 'é' < 'f' as mixed`)
      await check.end()
      expect(rows[0]?.mixed).toBe(true)
    })
    const url = new URL(postgresUrl())
    url.pathname = `/${localeDatabase}`
    const observed = await onPostgres(url.toString())
    expectAudienceFacts(observed)
    expect(observed).toEqual(inMemory)
  })
})
