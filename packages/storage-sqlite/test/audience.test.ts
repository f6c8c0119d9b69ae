import { createMemoryStorage } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { expectAudienceFacts } from '../../../test-support/audience-facts'
import { audienceScenario } from '../../../test-support/audience-scenario'
import { createSqliteStorage } from '../src/index'
import { quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()

describe('audiences on SQLite', () => {
  it('pages the blocklist, stops a blocked company, enrols from lists and keeps tasks as the in-memory store does', async () => {
    const inMemory = await audienceScenario(createMemoryStorage())
    const storage = createSqliteStorage({ filename: path('audience.sqlite'), ...quiet })
    const onSqlite = await audienceScenario(storage)
    await storage.close()
    expectAudienceFacts(onSqlite)
    expect(onSqlite).toEqual(inMemory)
  })
})
