import { shareLinkRaceConformance } from '../../src/conformance'
import { createMemoryStorage } from '../../src/testing'
import { retryingStorage } from './retrying-storage'

shareLinkRaceConformance({ name: 'in-memory', create: () => [createMemoryStorage()] })

// Every write conflicts once and runs again, as on a SERIALIZABLE database: the rerun must see the link used.
shareLinkRaceConformance({
  name: 'in-memory, every write transaction run twice',
  create: () => [retryingStorage(createMemoryStorage())],
})
