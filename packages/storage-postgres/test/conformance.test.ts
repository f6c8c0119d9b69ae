import { storageConformance } from '@paceline/core/conformance'
import { createPostgresStorage } from '../src/index'
import { postgresUrl, temporarySchemas } from './support/schemas'

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
