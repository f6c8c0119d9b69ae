import { storageConformance } from '../../src/conformance'
import { createMemoryStorage } from '../../src/testing'

storageConformance({ name: 'in-memory', create: () => createMemoryStorage() })
