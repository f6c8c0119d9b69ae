import { shareLinkRaceConformance } from '@paceline/core/conformance'
import { vi } from 'vitest'
import { createPostgresStorage } from '../src/index'
import { postgresUrl, temporarySchemas } from './support/schemas'

// Real server round trips, and conflicting transactions that run again: allow for a busy machine.
vi.setConfig({ testTimeout: 60_000 })

const schema = temporarySchemas()

// Five stores (pools of 4 connections) on one schema: the redemptions really run at once in PostgreSQL,
// and all but one conflict and run again.
shareLinkRaceConformance({
  name: 'PostgreSQL, five pools on one schema',
  create: async () => {
    const name = schema()
    const stores = []
    // One after another: the first creates the schema, the others find it ready.
    for (let n = 0; n < 5; n++) {
      const store = createPostgresStorage({
        connectionString: postgresUrl(),
        schema: name,
        poolSize: 4,
        onWarning: () => {},
      })
      await store.ready
      stores.push(store)
    }
    return stores
  },
})
