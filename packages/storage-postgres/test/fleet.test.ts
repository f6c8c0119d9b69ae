import { describe, expect, it } from 'vitest'
import { seedFleet, startFleet } from './support/fleet'
import { expectSafeFleet } from './support/fleet-assertions'
import { postgresUrl, temporarySchemas } from './support/schemas'

const schema = temporarySchemas()
const WORKERS = ['w1', 'w2', 'w3', 'w4']

describe('four worker processes on one PostgreSQL', () => {
  it('share 200 identities: nothing sent twice, no cap exceeded, no send outside working hours, no lead lost', async () => {
    const url = postgresUrl()
    const name = schema()
    await seedFleet(url, name)
    const run = startFleet(url, name, WORKERS)
    try {
      await run.finished()
      const audit = await expectSafeFleet(run, { sends: 300, atCap: 20 })
      // The work spread across the workers.
      for (const worker of WORKERS)
        expect(audit.byWorker.get(worker) ?? 0, worker).toBeGreaterThan(audit.sends / 10)
      expect(run.reports.map((report) => report.workerId).sort()).toEqual(WORKERS)
    } finally {
      run.dispose()
    }
  }, 240_000)
})
