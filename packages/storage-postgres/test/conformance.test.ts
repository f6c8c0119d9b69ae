import { storageConformance } from '@paceline/core/conformance'
import { vi } from 'vitest'
import { createPostgresStorage } from '../src/index'
import { postgresUrl, temporarySchemas } from './support/schemas'

// Real server round trips: a busy CI machine can take seconds where a quiet one takes milliseconds.
vi.setConfig({ testTimeout: 30_000 })

const schema = temporarySchemas()

storageConformance({
  name: 'PostgreSQL',
  create: async () => {
    const storage = createPostgresStorage({
      connectionString: postgresUrl(),
      schema: schema(),
      poolSize: 4,
      onWarning: () => {},
    })
    await storage.ready
    return storage
  },
})
