import { createEngine, sequence } from '@paceline/core'
import { createMemoryLinkedInChannel, VirtualClock } from '@paceline/core/testing'
import { describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../src/index'
import { quiet, temporaryFolder } from './helpers'

const path = temporaryFolder()

const twoMessages = sequence()
  .linkedinMessage({ id: 'one', body: 'Hello {{firstName}}' })
  .linkedinMessage({ id: 'two', delay: { days: 1 }, body: 'Any thoughts?' })
  .build()

describe('deleting campaigns and saving templates on SQLite', () => {
  it('sweeps a deleted campaign out of the file, keeps its history, and stores templates in it', async () => {
    const storage = createSqliteStorage({ filename: path('deletion.sqlite'), ...quiet })
    const clock = new VirtualClock('2026-03-02T08:00:00Z')
    const linkedin = createMemoryLinkedInChannel()
    const engine = createEngine({ storage, linkedin, clock })
    await engine.identities.put({
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      linkedin: { accountId: 'li-ana' },
    })
    await engine.campaigns.create({ id: 'c', identityId: 'ana', sequence: twoMessages, tags: ['q2'] })
    await engine.leads.add(
      'c',
      Array.from({ length: 250 }, (_, n) => ({
        id: `l${n}`,
        profile: { firstName: `L${n}`, linkedinProfileId: `p-${n}` },
      })),
    )
    await engine.campaigns.launch('c')
    for (let ticks = 0; ticks < 200 && linkedin.calls.length < 3; ticks++) {
      const report = await engine.tick()
      const next = report.nextWakeAt === undefined ? clock.now() + 60_000 : Date.parse(report.nextWakeAt)
      clock.set(Math.max(next, clock.now() + 1000))
    }
    expect(linkedin.calls.length).toBeGreaterThanOrEqual(3)
    const sent = linkedin.calls.length

    await engine.templates.save({ fromCampaign: 'c', id: 'two-touch', name: 'Two touches' })
    await expect(engine.campaigns.delete('c')).rejects.toMatchObject({ code: 'campaign_has_active_leads' })
    await engine.campaigns.delete('c', { force: true })

    const left = await storage.transaction(
      'default',
      async (tx) => ({
        enrolments: await tx.query('enrolments', { index: 'byCampaign', equals: ['c'] }),
        analytics: await tx.query('analytics', { index: 'byScope', equals: ['campaign', 'c'] }),
        sweeps: await tx.get('state', 'campaign-sweeps'),
      }),
      { readOnly: true },
    )
    expect(left).toEqual({ enrolments: [], analytics: [], sweeps: undefined })
    expect((await engine.actions({ campaignId: 'c', types: ['message-sent'] })).length).toBe(sent)
    clock.set('2026-03-04T16:00:00Z')
    await engine.tick()
    expect(linkedin.calls).toHaveLength(sent)

    const template = await engine.templates.get('two-touch')
    expect(template).toMatchObject({ source: 'workspace', campaign: { tags: ['q2'], sequence: twoMessages } })
    expect((await engine.templates.list()).filter((each) => each.source === 'workspace')).toHaveLength(1)
    await engine.campaigns.create({ id: 'again', identityId: 'ana', ...template.campaign })
    expect((await engine.campaigns.get('again')).sequence).toEqual(twoMessages)
    await engine.close()
    await storage.close?.()
  })
})
