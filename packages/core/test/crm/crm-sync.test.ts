import { describe, expect, it } from 'vitest'
import { runEngineUntil } from '../../../../test-support/run-engine-until'
import {
  type CrmConfigInput,
  conversationId,
  createEngine,
  type Engine,
  PacelineError,
  type SequenceInput,
} from '../../src/index'
import {
  createMemoryCrm,
  createMemoryEmailChannel,
  createMemoryStorage,
  type MemoryCrm,
  VirtualClock,
} from '../../src/testing'

/** Two emails two days apart, then a call task. */
const sequence = {
  version: 1,
  start: 'e1',
  steps: {
    e1: { kind: 'email', subject: 'Quick question', body: 'Hi {{firstName}}', next: 'e2' },
    e2: { kind: 'email', body: 'Any thoughts?', delay: { days: 2 }, next: 'call' },
    call: { kind: 'task', title: 'Call {{firstName}}', type: 'call', delay: { days: 1 }, next: null },
  },
} satisfies SequenceInput

const emailOnly = {
  version: 1,
  start: 'e1',
  steps: {
    e1: { kind: 'email', subject: 'Quick question', body: 'Hi {{firstName}}', next: 'e2' },
    e2: { kind: 'email', body: 'Any thoughts?', delay: { days: 2 }, next: null },
  },
} satisfies SequenceInput

const people = [
  {
    id: 'ada',
    profile: {
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: { name: 'Analytical', domain: 'analytical.com' },
      linkedinUrl: 'https://www.linkedin.com/in/ada',
      professionalEmail: 'ada@analytical.com',
      jobTitle: 'Countess',
    },
  },
  {
    id: 'bob',
    profile: {
      firstName: 'Bob',
      lastName: 'Kahn',
      company: { name: 'Internet Inc', domain: 'internet.io' },
      professionalEmail: 'bob@internet.io',
      jobTitle: 'Engineer',
    },
  },
  {
    id: 'cy',
    profile: {
      firstName: 'Cy',
      lastName: 'Young',
      company: { name: 'Pitch', domain: 'pitch.es' },
      professionalEmail: 'cy@pitch.es',
    },
  },
]

/** The usual mapping: names, company, title, LinkedIn URL and email; domain and name for companies. */
const baseConfig = (overrides: Partial<CrmConfigInput> = {}): CrmConfigInput => ({
  contacts: {
    fields: [
      { paceline: 'firstName', crm: 'firstname' },
      { paceline: 'lastName', crm: 'lastname' },
      { paceline: 'company.name', crm: 'company' },
      { paceline: 'linkedinUrl', crm: 'linkedin_url' },
      { paceline: 'professionalEmail', crm: 'email' },
      { paceline: 'jobTitle', crm: 'jobtitle', direction: 'bidirectional' },
    ],
    fixed: [{ crm: 'source', value: 'paceline' }],
  },
  companies: {
    fields: [
      { paceline: 'name', crm: 'name' },
      { paceline: 'domain', crm: 'domain' },
    ],
  },
  users: { identities: { ana: 'u-ana' }, users: { maria: 'u-maria' }, defaultOwner: 'u-1' },
  ...overrides,
})

const users = [
  { id: 'u-1', email: 'integration@example.com', name: 'Integration', active: true },
  { id: 'u-ana', email: 'ana@example.com', name: 'Ana Ruiz', active: true },
  { id: 'u-maria', email: 'maria@example.com', name: 'María', active: true },
]

interface World {
  engine: Engine
  crm: MemoryCrm
  clock: VirtualClock
  run(days: number): Promise<void>
}

async function world(
  options: {
    contacts?: 'no' | 'yes' | 'on_reply'
    conversations?: 'no' | 'yes' | 'on_reply'
    sequence?: SequenceInput
    crm?: MemoryCrm
  } = {},
): Promise<World> {
  const clock = new VirtualClock('2026-11-23T08:00:00Z')
  const crm = options.crm ?? createMemoryCrm({ users, now: () => clock.now() })
  const engine = createEngine({
    storage: createMemoryStorage(),
    email: createMemoryEmailChannel(),
    crm,
    clock,
    random: 1,
  })
  await engine.identities.put({
    id: 'ana',
    name: 'Ana Ruiz',
    workingHours: { timezone: 'Europe/Madrid' },
    email: { inboxes: [{ address: 'ana@acme.example' }] },
  })
  await engine.campaigns.create({
    id: 'q4',
    name: 'Q4 Spain',
    identityId: 'ana',
    sequence: options.sequence ?? emailOnly,
    settings: {
      crmSync: {
        ...(options.contacts === undefined ? {} : { contacts: options.contacts }),
        conversations: options.conversations ?? 'no',
      },
      email: { inboxes: 'shuffle', trackOpens: true, trackClicks: true },
    },
  })
  await engine.leads.add('q4', people)
  await engine.campaigns.launch('q4')
  return {
    engine,
    crm,
    clock,
    async run(days) {
      await runEngineUntil(engine, clock, clock.now() + days * 86_400_000)
    },
  }
}

const reply = (engine: Engine, email: string, text = 'Interested, tell me more') =>
  engine.ingest({ type: 'reply-received', channel: 'email', lead: { email }, text })

describe('contacts CRM sync "only when a contact replies"', () => {
  it('exports exactly the leads that replied, and a re-run creates nothing twice', async () => {
    const { engine, crm, run } = await world({ contacts: 'on_reply', conversations: 'on_reply' })
    await engine.crm.configure(baseConfig())
    await run(1)
    await reply(engine, 'bob@internet.io')
    await run(3)

    const first = await engine.crm.sync()
    expect(first.records.map((each) => [each.leadId, each.outcome])).toEqual([['bob', 'created']])
    expect(crm.records('contact').map((each) => each.fields.email)).toEqual(['bob@internet.io'])
    expect(crm.records('company').map((each) => each.fields.domain)).toEqual(['internet.io'])
    // Bob's conversation: the first email and his reply, attributed to Ana's CRM user.
    expect(crm.activities().map((each) => [each.kind, each.ownerId])).toEqual([
      ['email_sent', 'u-ana'],
      ['email_received', 'u-ana'],
    ])

    const again = await engine.crm.sync()
    expect(again.records.map((each) => [each.leadId, each.outcome])).toEqual([['bob', 'unchanged']])
    expect(crm.records('contact')).toHaveLength(1)
    expect(crm.records('company')).toHaveLength(1)
    expect(crm.activities()).toHaveLength(2)
    expect(crm.calls.createRecord).toBe(2)

    // Ada replies later: the next sync adds her, and only her.
    await reply(engine, 'ada@analytical.com')
    const third = await engine.crm.sync()
    expect(third.records.map((each) => [each.leadId, each.outcome]).sort()).toEqual([
      ['ada', 'created'],
      ['bob', 'unchanged'],
    ])
    expect(crm.records('contact').map((each) => each.fields.email)).toEqual([
      'bob@internet.io',
      'ada@analytical.com',
    ])
  })

  it('with contacts sync "yes" exports every lead of the campaign, owned per Users Mapping', async () => {
    const { engine, crm, run } = await world({ contacts: 'yes' })
    await engine.crm.configure(baseConfig())
    await run(1)
    const report = await engine.crm.sync({ userId: 'maria' })
    expect(report.records.map((each) => each.outcome)).toEqual(['created', 'created', 'created'])
    expect(crm.records('contact').map((each) => each.ownerId)).toEqual(['u-maria', 'u-maria', 'u-maria'])
    expect(crm.records('contact').every((each) => each.fields.source === 'paceline')).toBe(true)
    // No conversations sync: no activity.
    expect(crm.activities()).toEqual([])
    // A user who is not mapped gets the default owner.
    const other = await world({ contacts: 'yes' })
    await other.engine.crm.configure(baseConfig())
    await other.engine.crm.sync({ userId: 'nobody' })
    expect(other.crm.records('contact').map((each) => each.ownerId)).toEqual(['u-1', 'u-1', 'u-1'])
  })
})

describe('duplicate prevention under each identifier option', () => {
  const seeded = () => {
    const crm = createMemoryCrm({ users })
    // Existing CRM records, typed by people: other letter case, URL forms and domain extensions.
    const ada = crm.seed('contact', {
      firstname: 'ADA',
      lastname: 'lovelace',
      company: 'analytical',
      linkedin_url: 'linkedin.com/in/Ada/',
    })
    const bob = crm.seed('contact', {
      firstname: 'Robert',
      lastname: 'Kahn',
      company: 'Internet Inc',
      email: 'bob@internet.io',
    })
    const analytical = crm.seed('company', {
      name: 'Analytical Engines',
      domain: 'https://www.analytical.co.uk',
    })
    const pitch = crm.seed('company', { name: 'Pitch', domain: 'pitch.com' })
    return { crm, ada, bob, analytical, pitch }
  }

  it('first name + last name + company name', async () => {
    const { crm, ada } = seeded()
    const { engine } = await world({ contacts: 'yes', crm })
    await engine.crm.configure(baseConfig({ contactIdentifier: { type: 'name_and_company' } }))
    const report = await engine.crm.sync()
    const byLead = Object.fromEntries(report.records.map((each) => [each.leadId, each]))
    expect(byLead.ada?.outcome).toBe('updated')
    expect(byLead.ada?.contactId).toBe(ada.id)
    // Bob's CRM record says Robert: not the same name, so not a match under this rule.
    expect(byLead.bob?.outcome).toBe('created')
    expect(crm.records('contact')).toHaveLength(4)
  })

  it('LinkedIn URL or first name + last name + company name', async () => {
    const { crm, ada } = seeded()
    crm.edit('contact', ada.id, { company: 'Something else' })
    const { engine } = await world({ contacts: 'yes', crm })
    await engine.crm.configure(
      baseConfig({ contactIdentifier: { type: 'linkedin_url_or_name_and_company' } }),
    )
    const report = await engine.crm.sync()
    // The company no longer matches, the LinkedIn URL (another form of the same profile) does.
    expect(report.records.find((each) => each.leadId === 'ada')?.contactId).toBe(ada.id)
  })

  it('custom rules: professional email OR first + last name', async () => {
    const { crm, bob } = seeded()
    const { engine } = await world({ contacts: 'yes', crm })
    await engine.crm.configure(
      baseConfig({
        contactIdentifier: {
          type: 'custom',
          anyOf: [
            [{ paceline: 'professionalEmail', crm: 'email' }],
            [
              { paceline: 'firstName', crm: 'firstname' },
              { paceline: 'lastName', crm: 'lastname' },
            ],
          ],
        },
      }),
    )
    const report = await engine.crm.sync()
    const byLead = Object.fromEntries(report.records.map((each) => [each.leadId, each]))
    expect(byLead.bob?.contactId).toBe(bob.id)
    expect(byLead.ada?.outcome).toBe('updated')
    expect(byLead.cy?.outcome).toBe('created')
    expect(crm.records('contact')).toHaveLength(3)
  })

  it('company by domain, exact or with any domain extension, or domain or name', async () => {
    const exact = seeded()
    const one = await world({ contacts: 'yes', crm: exact.crm })
    await one.engine.crm.configure(baseConfig({ companyIdentifier: { type: 'domain' } }))
    const exactReport = await one.engine.crm.sync()
    // analytical.com is not analytical.co.uk; pitch.es is not pitch.com: new companies.
    expect(exactReport.records.find((each) => each.leadId === 'ada')?.companyId).not.toBe(exact.analytical.id)
    expect(exact.crm.records('company')).toHaveLength(5)

    const any = seeded()
    const two = await world({ contacts: 'yes', crm: any.crm })
    await two.engine.crm.configure(baseConfig({ companyIdentifier: { type: 'domain', anyExtension: true } }))
    const anyReport = await two.engine.crm.sync()
    const byLead = Object.fromEntries(anyReport.records.map((each) => [each.leadId, each]))
    expect(byLead.ada?.companyId).toBe(any.analytical.id)
    expect(byLead.cy?.companyId).toBe(any.pitch.id)
    expect(any.crm.records('company')).toHaveLength(3)

    const named = seeded()
    named.crm.seed('company', { name: 'Internet Inc', domain: 'internet-inc.net' })
    const three = await world({ contacts: 'yes', crm: named.crm })
    await three.engine.crm.configure(baseConfig({ companyIdentifier: { type: 'domain_or_name' } }))
    const namedReport = await three.engine.crm.sync()
    // Bob's company has another domain in the CRM but the same name.
    expect(named.crm.records('company').filter((each) => each.fields.name === 'Internet Inc')).toHaveLength(1)
    expect(namedReport.records.find((each) => each.leadId === 'bob')?.outcome).not.toBe('failed')
  })
})

describe('sync modes in both directions', () => {
  const modes = async (
    direction: 'bidirectional' | 'crm_overwrites' | 'paceline_overwrites' | 'sync_if_empty' | 'deactivated',
  ) => {
    const crm = createMemoryCrm({ users })
    const w = await world({ contacts: 'yes', crm })
    const config = baseConfig()
    const fields = (config.contacts?.fields ?? []).map((each) =>
      each.paceline === 'jobTitle' ? { ...each, direction } : each,
    )
    await w.engine.crm.configure({ ...config, contacts: { ...config.contacts, fields } })
    return w
  }
  const titleOf = async (w: World, leadId: string) =>
    (await w.engine.leads.get('q4', leadId)).profile.jobTitle
  const crmTitle = (w: World, email: string) =>
    w.crm.records('contact').find((each) => each.fields.email === email)?.fields.jobtitle

  it('paceline overwrites: paceline values go out, CRM edits are overwritten, nothing comes back', async () => {
    const w = await modes('paceline_overwrites')
    await w.engine.crm.sync()
    expect(crmTitle(w, 'ada@analytical.com')).toBe('Countess')
    const id = w.crm.records('contact').find((each) => each.fields.email === 'ada@analytical.com')
      ?.id as string
    w.crm.edit('contact', id, { jobtitle: 'Mathematician' })
    await w.engine.crm.sync()
    expect(crmTitle(w, 'ada@analytical.com')).toBe('Countess')
    expect(await titleOf(w, 'ada')).toBe('Countess')
  })

  it('CRM overwrites: the CRM value comes into paceline, never the reverse', async () => {
    const w = await modes('crm_overwrites')
    await w.engine.crm.sync()
    // Not written on creation: the CRM is the source of this field.
    expect(crmTitle(w, 'ada@analytical.com') ?? null).toBeNull()
    const id = w.crm.records('contact').find((each) => each.fields.email === 'ada@analytical.com')
      ?.id as string
    w.crm.edit('contact', id, { jobtitle: 'Mathematician' })
    const report = await w.engine.crm.sync()
    expect(report.records.find((each) => each.leadId === 'ada')?.pulled).toEqual(['jobTitle'])
    expect(await titleOf(w, 'ada')).toBe('Mathematician')
  })

  it('sync if empty: fills the empty side only, on both sides', async () => {
    const w = await modes('sync_if_empty')
    await w.engine.crm.sync()
    expect(crmTitle(w, 'ada@analytical.com')).toBe('Countess')
    // Cy has no title in paceline: the CRM's one fills it; Ada's differs on both sides and stays.
    const cy = w.crm.records('contact').find((each) => each.fields.email === 'cy@pitch.es')?.id as string
    const ada = w.crm.records('contact').find((each) => each.fields.email === 'ada@analytical.com')
      ?.id as string
    w.crm.edit('contact', cy, { jobtitle: 'Pitcher' })
    w.crm.edit('contact', ada, { jobtitle: 'Mathematician' })
    await w.engine.crm.sync()
    expect(await titleOf(w, 'cy')).toBe('Pitcher')
    expect(await titleOf(w, 'ada')).toBe('Countess')
    expect(crmTitle(w, 'ada@analytical.com')).toBe('Mathematician')
  })

  it('bidirectional: the side that changed since the last sync wins; both changed keeps the CRM and says so', async () => {
    const w = await modes('bidirectional')
    await w.engine.crm.sync()
    const ada = w.crm.records('contact').find((each) => each.fields.email === 'ada@analytical.com')
      ?.id as string
    // CRM side changes.
    w.crm.edit('contact', ada, { jobtitle: 'Mathematician' })
    await w.engine.crm.sync()
    expect(await titleOf(w, 'ada')).toBe('Mathematician')
    // paceline side changes (the CRM pulled value is now the agreed one): it goes out.
    const bob = w.crm.records('contact').find((each) => each.fields.email === 'bob@internet.io')?.id as string
    w.crm.edit('contact', bob, { jobtitle: 'Chief Engineer' })
    w.crm.edit('contact', ada, { jobtitle: 'Poet' })
    const report = await w.engine.crm.sync()
    expect(await titleOf(w, 'bob')).toBe('Chief Engineer')
    expect(await titleOf(w, 'ada')).toBe('Poet')
    expect(report.records.every((each) => each.conflicts.length === 0)).toBe(true)
  })

  it('deactivated: no automatic sync either way, but a manual export writes it', async () => {
    const w = await modes('deactivated')
    await w.engine.crm.sync()
    expect(crmTitle(w, 'ada@analytical.com') ?? null).toBeNull()
    await w.engine.crm.export({ leadIds: ['ada'] })
    expect(crmTitle(w, 'ada@analytical.com')).toBe('Countess')
  })
})

describe('manual export', () => {
  it('"overwrite existing value" replaces CRM values; without it only empty fields are filled', async () => {
    const crm = createMemoryCrm({ users })
    const ada = crm.seed('contact', {
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Analytical',
      jobtitle: 'Mathematician',
    })
    const { engine } = await world({ crm })
    await engine.crm.configure(
      baseConfig({ contacts: { ...baseConfig().contacts, manual: [{ crm: 'lifecycle_stage' }] } }),
    )
    const kept = await engine.crm.export({ leadIds: ['ada'], values: { lifecycle_stage: 'lead' } })
    expect(kept.records[0]?.contactId).toBe(ada.id)
    let record = crm.records('contact').find((each) => each.id === ada.id)
    expect(record?.fields.jobtitle).toBe('Mathematician')
    expect(record?.fields.email).toBe('ada@analytical.com')
    expect(record?.fields.lifecycle_stage).toBe('lead')
    await engine.crm.export({ leadIds: ['ada'], overwrite: true })
    record = crm.records('contact').find((each) => each.id === ada.id)
    expect(record?.fields.jobtitle).toBe('Countess')
  })

  it('refuses a value for a field that is not a manual export field, naming it', async () => {
    const { engine } = await world()
    await engine.crm.configure(baseConfig())
    await expect(engine.crm.export({ leadIds: ['ada'], values: { jobtitle: 'x' } })).rejects.toThrow(
      /'jobtitle', which is not a manual export field/,
    )
  })

  it('associates as primary and, when asked, removes previous associations', async () => {
    const crm = createMemoryCrm({ users })
    const old = crm.seed('company', { name: 'Old Employer', domain: 'old.example' })
    const ada = crm.seed('contact', { firstname: 'Ada', lastname: 'Lovelace', company: 'Analytical' })
    await crm.associate(ada.id, old.id, 'primary')
    const { engine } = await world({ crm })
    await engine.crm.configure(baseConfig())
    await engine.crm.export({ leadIds: ['ada'] })
    expect(crm.associations(ada.id)).toHaveLength(2)
    expect(crm.associations(ada.id).find((each) => each.primary)?.companyId).toBe(old.id)
    const other = createMemoryCrm({ users })
    const before = other.seed('company', { name: 'Old Employer', domain: 'old.example' })
    const ada2 = other.seed('contact', { firstname: 'Ada', lastname: 'Lovelace', company: 'Analytical' })
    await other.associate(ada2.id, before.id, 'primary')
    const second = await world({ crm: other })
    await second.engine.crm.configure(baseConfig())
    await second.engine.crm.export({ leadIds: ['ada'], associationType: 'primary_replacing' })
    expect(other.associations(ada2.id)).toEqual([
      { companyId: expect.not.stringMatching(before.id), primary: true },
    ])
  })
})

describe('mapping checks (field mapping)', () => {
  it('gives the three verdicts: ok, warning for text to a dropdown, error for text to a number or a read-only field', async () => {
    const { engine } = await world()
    const checks = await engine.crm.checkMappings(
      baseConfig({
        contacts: {
          fields: [
            { paceline: 'firstName', crm: 'firstname' },
            { paceline: 'lastName', crm: 'lastname' },
            { paceline: 'company.name', crm: 'company' },
            { paceline: 'linkedinUrl', crm: 'linkedin_url' },
            { paceline: 'jobTitle', crm: 'lifecycle_stage' },
            { paceline: 'location', crm: 'age' },
            { paceline: 'mobilePhone', crm: 'created_at' },
          ],
          fixed: [{ crm: 'source', value: 'paceline' }],
        },
      }),
    )
    const verdict = (crmField: string) => checks.find((each) => each.crmField === crmField)?.verdict
    expect(verdict('firstname')).toBe('ok')
    expect(verdict('lifecycle_stage')).toBe('warning')
    expect(verdict('age')).toBe('error')
    expect(verdict('created_at')).toBe('error')
    expect(checks.find((each) => each.crmField === 'created_at')?.message).toMatch(/read-only/)
  })

  it('wants a dropdown fixed value as an internal name, not its label', async () => {
    const { engine } = await world()
    const checks = await engine.crm.checkMappings(
      baseConfig({
        contacts: { ...baseConfig().contacts, fixed: [{ crm: 'lifecycle_stage', value: 'Opportunity' }] },
      }),
    )
    const check = checks.find((each) => each.crmField === 'lifecycle_stage')
    expect(check?.verdict).toBe('error')
    expect(check?.message).toContain("use its internal name 'opportunity'")
  })

  it('reports a misplaced company field in the Contacts tab as the troubleshooting table says, and exports nothing', async () => {
    const crm = createMemoryCrm({ users })
    const { engine } = await world({ contacts: 'yes', crm })
    const config = baseConfig()
    const misplaced = {
      ...config,
      contacts: {
        ...config.contacts,
        fields: [...(config.contacts?.fields ?? []), { paceline: 'company.industry', crm: 'industry' }],
      },
    }
    const error = await engine.crm.configure(misplaced).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(PacelineError)
    expect((error as PacelineError).code).toBe('invalid_crm_config')
    const issue = (error as PacelineError).issues.find((each) => each.field === 'contacts.fields.6')
    expect(issue?.rule).toBe('misplaced_field')
    expect(issue?.message).toContain('Export fails with field-mapping errors')
    expect(issue?.message).toContain("the company field 'industry' is mapped in the Contacts tab")
    expect(issue?.message).toContain(
      'verify that each tab only contains fields belonging to its own object type',
    )
    // Nothing was saved, so nothing syncs.
    await expect(engine.crm.sync()).rejects.toThrow(/not configured/)
    expect(crm.records('contact')).toEqual([])
  })

  it('needs the identifier fields mapped', async () => {
    const { engine } = await world()
    const error = await engine.crm
      .configure({ contacts: { fields: [{ paceline: 'firstName', crm: 'firstname' }] } })
      .catch((caught: unknown) => caught as PacelineError)
    expect((error as PacelineError).issues.map((each) => each.message).join('\n')).toContain(
      "needs the paceline field 'lastName' mapped in the Contacts tab",
    )
  })
})

describe('campaign properties, activities, tasks and users', () => {
  it('writes campaign properties computed from the action log', async () => {
    const { engine, crm, run } = await world({ contacts: 'yes' })
    await engine.crm.configure(
      baseConfig({
        campaignProperties: {
          sequenceDetails: 'sequence_details',
          engagementStatus: 'campaign_status',
          sequenceStatus: 'sequence_status',
          replyAnalysis: 'reply_analysis',
          opens: 'campaign_opens',
          openAnalysis: 'open_analysis',
          campaigns: 'campaigns',
          senders: 'senders',
          activities: 'activities',
        },
      }),
    )
    await run(1)
    await engine.ingest({ type: 'email-opened', lead: { email: 'ada@analytical.com' } })
    await run(3)
    await reply(engine, 'ada@analytical.com')
    await engine.crm.sync()
    const ada = crm.records('contact').find((each) => each.fields.email === 'ada@analytical.com')
    expect(ada?.fields).toMatchObject({
      sequence_details: '1st Email, 2nd Email',
      campaign_status: 'Message Replied (2/2) - Email',
      sequence_status: 'Replied',
      reply_analysis: 'Yes (2nd Message)',
      campaign_opens: 1,
      campaigns: 'Q4 Spain',
      senders: 'Ana Ruiz',
    })
    expect(String(ada?.fields.activities)).toContain('Email sent')
    const bob = crm.records('contact').find((each) => each.fields.email === 'bob@internet.io')
    expect(bob?.fields).toMatchObject({
      campaign_status: 'Message Sent (2/2) - Email',
      sequence_status: 'Finished',
      reply_analysis: 'No',
    })
  })

  it("writes the conversation's tags and categories, a person's tags overriding the AI's", async () => {
    const { engine, crm, run } = await world({ contacts: 'yes' })
    await engine.crm.configure(
      baseConfig({
        campaignProperties: {
          conversationTags: 'conversation_tags',
          conversationTagCategories: 'conversation_tag_categories',
        },
      }),
    )
    await run(1)
    await reply(engine, 'ada@analytical.com', 'Interested, tell me more')
    const fields = () =>
      crm.records('contact').find((each) => each.fields.email === 'ada@analytical.com')?.fields
    // This engine has no AI to tag the reply: a person does.
    const id = conversationId('ana', 'ada', 'email')
    await engine.conversations.tag(id, [{ name: 'Bad fit', category: 'negative' }])
    await engine.crm.sync()
    expect(fields()).toMatchObject({ conversation_tags: 'Bad fit', conversation_tag_categories: 'NEGATIVE' })
    expect((await engine.campaigns.stats('q4')).positive).toBe(0)

    await engine.conversations.tag(id, [{ name: 'Meeting booked', category: 'positive' }])
    await engine.crm.sync()
    expect(fields()).toMatchObject({
      conversation_tags: 'Bad fit, Meeting booked',
      conversation_tag_categories: 'NEGATIVE, POSITIVE',
    })
    expect((await engine.campaigns.stats('q4')).positive).toBe(1)
  })

  it('creates the tasks in the CRM once, and carries completion both ways', async () => {
    const { engine, crm, run } = await world({ sequence })
    await engine.crm.configure(baseConfig())
    await run(5)
    const first = await engine.crm.sync()
    expect(first.records.reduce((sum, each) => sum + each.tasksCreated, 0)).toBe(3)
    expect(crm.tasks().map((each) => [each.title, each.ownerId])).toEqual([
      ['Call Ada', 'u-ana'],
      ['Call Bob', 'u-ana'],
      ['Call Cy', 'u-ana'],
    ])
    await engine.crm.sync()
    expect(crm.tasks()).toHaveLength(3)

    // Done in the CRM -> done in paceline; done in paceline -> done in the CRM.
    const adaTask = crm.tasks().find((each) => each.title === 'Call Ada')?.id as string
    crm.completeTaskByUser(adaTask)
    const bobTask = (await engine.tasks.list('q4', { order: 'oldest', limit: 500 })).items.find(
      (each) => each.leadId === 'bob',
    )
    await engine.ingest({ type: 'task-completed', taskId: bobTask?.taskId as string })
    const report = await engine.crm.sync()
    expect(report.tasksCompleted).toEqual({ fromCrm: 1, toCrm: 1 })
    const tasks = (await engine.tasks.list('q4', { order: 'oldest', limit: 500 })).items
    expect(tasks.find((each) => each.leadId === 'ada')?.status).toBe('completed')
    expect(crm.tasks().find((each) => each.title === 'Call Bob')?.completed).toBe(true)
    expect((await engine.crm.sync()).tasksCompleted).toEqual({ fromCrm: 0, toCrm: 0 })
  })

  it('sets the engagement field when an activity is logged', async () => {
    const { engine, crm, run } = await world({ contacts: 'yes', conversations: 'yes' })
    await engine.crm.configure(
      baseConfig({
        contacts: { ...baseConfig().contacts, engagement: { crm: 'last_outreach', value: 'paceline' } },
      }),
    )
    await run(1)
    await engine.crm.sync()
    expect(crm.records('contact').map((each) => each.fields.last_outreach)).toEqual([
      'paceline',
      'paceline',
      'paceline',
    ])
  })

  it('a failing record never blocks the others, and its outcome says why', async () => {
    const { engine, crm } = await world({ contacts: 'yes' })
    await engine.crm.configure(baseConfig())
    crm.failNext(
      'createRecord',
      new PacelineError('crm_failed', 'Memory CRM: rate limited', { isRetryable: true }),
    )
    const report = await engine.crm.sync()
    expect(report.records.map((each) => each.outcome)).toEqual(['failed', 'created', 'created'])
    expect(report.records[0]?.problems).toEqual([{ message: 'Memory CRM: rate limited', retryable: true }])
    const retry = await engine.crm.sync()
    expect(retry.records.map((each) => each.outcome)).toEqual(['created', 'unchanged', 'unchanged'])
    expect(crm.records('contact')).toHaveLength(3)
  })

  it('only one CRM is active per workspace', async () => {
    const storage = createMemoryStorage()
    const hub = createEngine({ storage, crm: createMemoryCrm({ name: 'hubspot', users }) })
    await hub.identities.put({
      id: 'ana',
      name: 'Ana',
      workingHours: { timezone: 'Europe/Madrid' },
      email: { inboxes: [{ address: 'a@x.example' }] },
    })
    await hub.crm.configure(baseConfig())
    const sales = createEngine({ storage, crm: createMemoryCrm({ name: 'salesforce', users }) })
    await expect(sales.crm.configure(baseConfig())).rejects.toSatisfy(
      (error: unknown) =>
        PacelineError.is(error, 'crm_already_active') && /disconnect it/.test((error as Error).message),
    )
    await hub.crm.disconnect()
    await expect(sales.crm.configure(baseConfig())).resolves.toMatchObject({ warnings: expect.any(Array) })
    await hub.close()
    await sales.close()
  })

  it('syncs only the named leads when asked, and refuses malformed options naming the field', async () => {
    const { engine, crm, run } = await world({ contacts: 'yes' })
    await engine.crm.configure(baseConfig())
    await run(1)
    const report = await engine.crm.sync({ leadIds: ['cy'] })
    expect(report.records.map((each) => each.leadId)).toEqual(['cy'])
    expect(crm.records('contact').map((each) => each.fields.email)).toEqual(['cy@pitch.es'])

    await expect(engine.crm.sync({ leadIds: [''] })).rejects.toThrow(/leadIds\[0\]: must not be empty/)
    await expect(engine.crm.sync({ campaignId: 'q4' } as never)).rejects.toMatchObject({
      code: 'invalid_options',
    })
    await expect(engine.crm.export({ leadIds: [] })).rejects.toThrow(/leadIds: needs at least 1 item/)
    await expect(engine.crm.export({ leadIds: ['ada'], overwrite: 'yes' } as never)).rejects.toThrow(
      /overwrite/,
    )
    // Nothing was written by the refused calls.
    expect(crm.records('contact')).toHaveLength(1)
  })

  it('says how to add a CRM when the engine has none', async () => {
    const engine = createEngine({ storage: createMemoryStorage() })
    await expect(engine.crm.sync()).rejects.toThrow(/createEngine\(\{ crm:/)
    await engine.close()
  })
})
