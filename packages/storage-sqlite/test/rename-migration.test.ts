import { createEngine } from '@paceline/core'
import { createMemoryCrm, createMemoryEmailChannel, VirtualClock } from '@paceline/core/testing'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../src/index'
import { fixtureCopy, quiet, temporaryFolder } from './helpers'

/**
 * `pre-rename.sqlite` was written through the engine by the last commit before the project took the name
 * paceline (e00af9a): identity `ana` with inbox ana@acme.example, campaign `q4` (two emails two days apart)
 * running with leads `ada` and `bob` after their first email, a CRM configuration with its field mappings,
 * a secret `smtp:ana@acme.example` = `app-password-1`, all under the encryption key below.
 */
const encryptionKey = '11'.repeat(32)
const path = temporaryFolder()

async function openFixture() {
  const file = fixtureCopy('pre-rename.sqlite', path)
  const storage = createSqliteStorage({ filename: file, encryptionKey, ...quiet })
  const clock = new VirtualClock('2026-11-23T09:00:00Z')
  const email = createMemoryEmailChannel()
  const crm = createMemoryCrm({
    users: [{ id: 'u-1', email: 'integration@example.com', name: 'Integration', active: true }],
    now: () => clock.now(),
  })
  const engine = createEngine({ storage, email, crm, clock, random: 1 })
  return { file, storage, clock, email, engine }
}

describe('a database written before the rename', () => {
  it('is carried over: tables and indexes renamed, migrations recorded, nothing left under the old names', async () => {
    const { file, storage, engine } = await openFixture()
    await storage.ready
    const schema = storage.database
      .prepare("select type, name from sqlite_master where name not like 'sqlite_%' order by name")
      .all() as { type: string; name: string }[]
    expect(schema.length).toBeGreaterThan(20)
    expect(schema.filter((each) => !each.name.startsWith('paceline_'))).toEqual([])
    expect(schema).toContainEqual({ type: 'index', name: 'paceline_enrolments_ready' })
    expect(
      storage.database.prepare('select name from paceline_migration order by name').pluck().all(),
    ).toEqual([
      '001_initial',
      '002_secrets',
      '003_paceline_names',
      '004_conversations',
      '005_analytics',
      '006_lists',
      '007_withdrawals',
    ])
    expect(await storage.migrate()).toEqual({ applied: [], version: '007_withdrawals' })
    await engine.close()
    // Opening it again changes nothing more.
    const again = createSqliteStorage({ filename: file, encryptionKey, ...quiet })
    expect(await again.migrate()).toEqual({ applied: [], version: '007_withdrawals' })
    await again.close()
  })

  it('reads back its campaign, leads, CRM configuration and secrets', async () => {
    const { engine } = await openFixture()
    expect(await engine.campaigns.get('q4')).toMatchObject({ id: 'q4', name: 'Q4 Spain', status: 'running' })
    const leads = (await engine.leads.list('q4', { order: 'oldest', limit: 500 })).items
    expect(leads.map((lead) => [lead.leadId, lead.stepId, lead.status])).toEqual([
      ['ada', 'e2', 'in_progress'],
      ['bob', 'e2', 'in_progress'],
    ])
    const config = await engine.crm.config()
    expect(config?.contacts.fields).toContainEqual({
      paceline: 'jobTitle',
      crm: 'jobtitle',
      direction: 'paceline_overwrites',
    })
    expect(config?.companies.fields.map((field) => field.paceline)).toEqual(['name', 'domain'])
    // The configuration works as it is: a sync exports both leads with their mapped fields.
    const report = await engine.crm.sync()
    expect(report.records.map((record) => [record.leadId, record.outcome])).toEqual([
      ['ada', 'created'],
      ['bob', 'created'],
    ])

    expect(await engine.secrets.get('smtp:ana@acme.example')).toBe('app-password-1')
    await engine.close()
  })

  it('reseals a legacy secret under the new name when it is written again, and refuses a wrong key', async () => {
    const { file, engine } = await openFixture()
    await engine.secrets.put('smtp:ana@acme.example', 'app-password-2')
    await engine.close()
    const raw = new Database(file, { readonly: true })
    const row = raw.prepare('select doc, sealed from paceline_secrets').get() as {
      doc: string | null
      sealed: Buffer
    }
    raw.close()
    expect(row.doc).toBeNull()
    expect(row.sealed.toString('utf8')).not.toContain('app-password')
    const reopened = createSqliteStorage({ filename: file, encryptionKey, ...quiet })
    expect(await reopened.transaction('default', (tx) => tx.get('secrets', 'smtp:ana@acme.example'))).toEqual(
      { key: 'smtp:ana@acme.example', value: 'app-password-2' },
    )
    await reopened.close()
    const wrongKey = createSqliteStorage({ filename: file, encryptionKey: '22'.repeat(32), ...quiet })
    await expect(
      wrongKey.transaction('default', (tx) => tx.get('secrets', 'smtp:ana@acme.example')),
    ).rejects.toMatchObject({ code: 'secret_unreadable' })
    await wrongKey.close()
  })

  it('keeps at-most-once across the rename: claims made before are found, no first email goes out twice', async () => {
    const { storage, clock, email, engine } = await openFixture()
    await storage.ready
    const claims = storage.database.prepare('select key, doc from paceline_claims order by key').all() as {
      key: string
      doc: string
    }[]
    expect(claims).toHaveLength(2)
    for (const claim of claims) {
      expect(claim.key).toMatch(/^pl-[0-9a-f]{16}$/)
      expect(JSON.parse(claim.doc)).toMatchObject({ key: claim.key, stepId: 'e1', status: 'sent' })
    }
    const sentBefore = (await engine.actions({ campaignId: 'q4' })).filter(
      (action) => action.type === 'message-sent',
    )
    expect(sentBefore.map((action) => [action.leadId, action.stepId])).toEqual([
      ['ada', 'e1'],
      ['bob', 'e1'],
    ])

    const end = clock.now() + 4 * 86_400_000
    while (clock.now() < end) {
      const report = await engine.tick()
      const next = report.nextWakeAt === undefined ? end : Date.parse(report.nextWakeAt)
      clock.set(Math.min(Math.max(next, clock.now() + 1000), end))
    }
    // Only the follow-ups went out, each once, threaded on the first email as it was sent before the rename.
    expect(email.sent.map((message) => [message.to.address, message.subject])).toEqual([
      ['ada@analytical.com', 'Re: Quick question'],
      ['bob@internet.io', 'Re: Quick question'],
    ])
    const firstIds = new Map(sentBefore.map((action) => [action.leadId, action.messageId]))
    for (const message of email.sent) {
      expect(message.idempotencyKey).toMatch(/^pl-/)
      expect(message.inReplyTo).toBe(firstIds.get(message.to.address.startsWith('ada') ? 'ada' : 'bob'))
    }
    const leads = (await engine.leads.list('q4', { order: 'oldest', limit: 500 })).items
    expect(leads.map((lead) => lead.status)).toEqual(['finished', 'finished'])
    await engine.close()
  })
})
