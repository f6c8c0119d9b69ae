import { createEngine } from '@paceline/core'
import { crmConformance } from '@paceline/core/conformance'
import { createMemoryEmailChannel, createMemoryStorage, VirtualClock } from '@paceline/core/testing'
import { expect, it } from 'vitest'
import { createPipelinePalCrm } from '../src/pipeline-pal-crm'
import { fakePipelinePal } from './fake-pipeline-pal'

// One line in your own test file: the whole Crm port contract, on a fresh Pipeline Pal each test.
crmConformance({
  name: 'Pipeline Pal',
  create: async () => ({ crm: createPipelinePalCrm(fakePipelinePal()) }),
  fields: {
    contact: {
      firstName: 'first_name',
      lastName: 'last_name',
      email: 'email',
      text: 'title',
      linkedinUrl: 'linkedin',
    },
    company: { name: 'name', domain: 'website' },
  },
})

it('syncs a campaign into Pipeline Pal through the engine, once', async () => {
  const pal = fakePipelinePal()
  const clock = new VirtualClock('2026-11-23T08:00:00Z')
  const engine = createEngine({
    storage: createMemoryStorage(),
    email: createMemoryEmailChannel(),
    crm: createPipelinePalCrm(pal),
    clock,
  })
  await engine.identities.put({
    id: 'ana',
    name: 'Ana',
    workingHours: { timezone: 'Europe/Madrid' },
    email: { inboxes: [{ address: 'ana@acme.example' }] },
  })
  await engine.campaigns.create({
    id: 'q4',
    identityId: 'ana',
    sequence: {
      version: 1,
      start: 'hi',
      steps: { hi: { kind: 'email', subject: 'Hi', body: 'Hi {{firstName}}', next: null } },
    },
    settings: { crmSync: { contacts: 'yes', conversations: 'yes' } },
  })
  await engine.leads.add('q4', [
    {
      id: 'eva',
      profile: {
        firstName: 'Eva',
        lastName: 'Lind',
        company: { name: 'Lind AB', domain: 'lind.se' },
        professionalEmail: 'eva@lind.se',
      },
    },
  ])
  await engine.campaigns.launch('q4')
  await engine.crm.configure({
    contactIdentifier: { type: 'custom', anyOf: [[{ paceline: 'professionalEmail', crm: 'email' }]] },
    contacts: {
      fields: [
        { paceline: 'firstName', crm: 'first_name' },
        { paceline: 'lastName', crm: 'last_name' },
        { paceline: 'professionalEmail', crm: 'email' },
      ],
      fixed: [{ crm: 'stage', value: 'new' }],
    },
    companies: {
      fields: [
        { paceline: 'name', crm: 'name' },
        { paceline: 'domain', crm: 'website' },
      ],
    },
    users: { identities: { ana: 'm-2' } },
  })
  for (let hour = 0; hour < 6; hour++) {
    await engine.tick()
    clock.advance(3_600_000)
  }
  const first = await engine.crm.sync()
  const second = await engine.crm.sync()
  expect(first.records.map((each) => each.outcome)).toEqual(['created'])
  expect(second.records.map((each) => each.outcome)).toEqual(['unchanged'])
  expect([...pal.rows.person.values()].map((row) => row.props)).toEqual([
    { first_name: 'Eva', last_name: 'Lind', email: 'eva@lind.se', stage: 'new' },
  ])
  expect([...pal.rows.org.values()].map((row) => row.props.website)).toEqual(['lind.se'])
  expect(first.records[0]?.activitiesLogged).toBe(1)
  await engine.close()
})
