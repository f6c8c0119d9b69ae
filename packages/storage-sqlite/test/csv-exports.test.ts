import type { Readable } from 'node:stream'
import { createEngine, type Engine, templates } from '@paceline/core'
import { createMemoryStorage, simulate, VirtualClock } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { observedStorage } from '../../../test-support/observed-storage'
import { createSqliteStorage } from '../src/index'
import { quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()
const START = '2026-03-02T06:00:00Z'

const input = () => ({
  start: START,
  days: 10,
  identities: [
    {
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      linkedin: { accountId: 'li-ana' },
      email: { inboxes: [{ address: 'ana@acme.example' }] },
    },
  ],
  campaigns: [{ id: 'c', identityId: 'ana', sequence: templates.linkedinEmail.sequence }],
  leads: Array.from({ length: 30 }, (_, n) => ({
    id: `l${n}`,
    campaignId: 'c',
    profile: {
      firstName: n === 0 ? '=1+1' : `Lead ${n}`,
      linkedinProfileId: `p${n}`,
      professionalEmail: `l${n}@corp.example`,
    },
    behavior: n % 3 === 0 ? { acceptsAfterHours: 5, repliesAfterStep: 'thanks' } : {},
  })),
})

async function text(stream: Readable): Promise<string> {
  let out = ''
  for await (const chunk of stream) out += String(chunk)
  return out
}

/** Every export of the scenario, as text. */
async function exportsOf(engine: Engine) {
  return {
    audience: await text(await engine.csv.audience('c')),
    replied: await text(await engine.csv.audience('c', { status: 'replied', order: 'oldest' })),
    metrics: await text(await engine.csv.metrics('c', { since: '2026-03-02', timeZone: 'Europe/Madrid' })),
    campaigns: await text(await engine.csv.campaigns()),
    activity: await text(await engine.csv.activity({ campaignId: 'c' })),
    identity: await text(await engine.csv.identity('ana', { since: '2026-03-02', until: '2026-03-11' })),
    identities: await text(await engine.csv.identities({ since: '2026-03-02' })),
  }
}

describe('CSV exports on SQLite', () => {
  it('writes exactly the files the in-memory store gives', async () => {
    const storage = createSqliteStorage({ filename: path('exports.sqlite'), ...quiet })
    const onFile = await simulate({ ...input(), storage })
    const memory = createMemoryStorage()
    const inMemory = await simulate({ ...input(), storage: memory })
    expect(onFile.events).toEqual(inMemory.events)
    const clock = new VirtualClock(onFile.simulatedUntil)
    const fromFile = await exportsOf(createEngine({ storage, clock }))
    const fromMemory = await exportsOf(createEngine({ storage: memory, clock }))
    await storage.close()
    expect(fromFile).toEqual(fromMemory)
    expect(fromFile.audience.split('\r\n')).toHaveLength(1 + 30 + 1)
    expect(fromFile.audience).toContain("'=1+1")
    expect(fromFile.activity.split('\r\n').length).toBeGreaterThan(30)
  })

  it('streams a 100,000-lead audience from a file, reading leads only as the reader takes rows', async () => {
    const LEADS = 100_000
    const file = createSqliteStorage({ filename: path('big.sqlite'), ...quiet })
    const read = new Set<string>()
    const counting = observedStorage(file, {
      onQuery: (collection, found) => {
        if (collection === 'enrolments') for (const document of found) read.add(document.key as string)
      },
    })
    const engine = createEngine({ storage: counting, clock: new VirtualClock(Date.parse(START)) })
    await engine.identities.put(input().identities[0] as never)
    await engine.campaigns.create({
      id: 'big',
      identityId: 'ana',
      name: 'Big',
      sequence: templates.linkedinEmail.sequence,
    })
    for (let batch = 0; batch < LEADS / 10_000; batch++)
      await engine.leads.add(
        'big',
        Array.from({ length: 10_000 }, (_, n) => ({
          id: `b${batch * 10_000 + n}`,
          profile: { firstName: `Lead ${batch * 10_000 + n}`, linkedinProfileId: `bp${batch * 10_000 + n}` },
        })),
      )
    read.clear()
    let rows = -1
    let maxAhead = 0
    for await (const chunk of await engine.csv.audience('big')) {
      rows += String(chunk).split('\r\n').length - 1
      maxAhead = Math.max(maxAhead, read.size - rows)
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    await file.close()
    expect(rows).toBe(LEADS)
    expect(read.size).toBe(LEADS)
    expect(maxAhead).toBeLessThan(3_000)
  }, 300_000)
})
