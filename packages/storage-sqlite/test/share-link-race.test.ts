import { shareLinkRaceConformance } from '@paceline/core/conformance'
import { createSqliteStorage } from '../src/index'
import { quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()
let files = 0

// One store per file and process (better-sqlite3 is synchronous): the race is 50 redemptions in flight at
// once through five engines on it.
shareLinkRaceConformance({
  name: 'SQLite file',
  create: async () => {
    const storage = createSqliteStorage({ filename: path(`race-${files++}.sqlite`), ...quiet })
    await storage.ready
    return [storage]
  },
})
