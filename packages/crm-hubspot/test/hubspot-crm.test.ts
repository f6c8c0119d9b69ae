import { Agent } from 'node:http'
import { PacelineError } from '@paceline/core'
import type { CrmActivity } from '@paceline/core/ports'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createHubspotCrm,
  crmFieldOf,
  fromHubspotValue,
  searchRequestsOf,
  toHubspotValue,
} from '../src/index'
import type { FakeHubspot } from './fakes/hubspot-server'
import { hubspotFixture } from './support/hubspot-setup'

type Fixture = Awaited<ReturnType<typeof hubspotFixture>>
let opened: Fixture[] = []
const open = async (...args: Parameters<typeof hubspotFixture>) => {
  const fixture = await hubspotFixture(...args)
  opened.push(fixture)
  return fixture
}
afterEach(async () => {
  for (const fixture of opened) await fixture.close()
  opened = []
})

const failure = async (promise: Promise<unknown>): Promise<PacelineError> => {
  try {
    await promise
  } catch (error) {
    if (PacelineError.is(error)) return error
    throw error
  }
  throw new Error('expected a failure')
}

const contact = (fake: FakeHubspot, properties: Record<string, string>) => fake.seed('contacts', properties)
const company = (fake: FakeHubspot, name: string, domain: string) => fake.seed('companies', { name, domain })

describe('options', () => {
  const invalid = (options: unknown) => {
    try {
      createHubspotCrm(options as never)
    } catch (error) {
      if (PacelineError.is(error, 'invalid_options')) return error
      throw error
    }
    throw new Error('expected invalid options')
  }

  it('requires an access token and names where to find it', () => {
    const error = invalid({})
    expect(error.message).toContain('createHubspotCrm options has 1 problem')
    expect(error.message).toContain('accessToken: is required')
    expect(invalid({ accessToken: '  ' }).message).toContain('Private Apps')
  })

  it('names every wrong option and refuses unknown ones', () => {
    const error = invalid({
      accessToken: 'pat-na1-x',
      basePath: 'not a url',
      requestsPerTenSeconds: 0,
      maxRetries: 2.5,
      idempotencyProperty: 'Has Spaces',
      colour: 'blue',
    })
    expect(error.issues.map((each) => each.field).sort()).toEqual([
      'basePath',
      'colour',
      'idempotencyProperty',
      'maxRetries',
      'requestsPerTenSeconds',
    ])
    expect(error.message).toContain('requestsPerTenSeconds: must be at least 1, got 0')
    expect(error.message).toContain('colour: is not a known field')
  })

  it('says why a fetch cannot be passed', () => {
    const error = invalid({ accessToken: 'pat-na1-x', fetch: globalThis.fetch })
    expect(error.message).toContain('fetch: is not supported')
    expect(error.message).toContain('httpAgent')
  })

  it('accepts a full set of options', async () => {
    const crm = createHubspotCrm({
      accessToken: 'pat-na1-x',
      basePath: 'https://api.hubapi.com',
      requestsPerTenSeconds: 190,
      searchRequestsPerSecond: 4,
      maxRetries: 2,
      timeoutMs: 10_000,
      idempotencyProperty: false,
      contactCompanyAssociation: { additional: { category: 'USER_DEFINED', typeId: 31 } },
    })
    expect(crm.name).toBe('hubspot')
    expect(crm.supports).toEqual({ primaryAssociations: true, tasks: true })
    await crm.close()
  })
})

describe('values', () => {
  it('writes paceline values as HubSpot strings and reads them back as strings, empty as null', () => {
    expect([true, false, 42, 2.5, null, 'text'].map(toHubspotValue)).toEqual([
      'true',
      'false',
      '42',
      '2.5',
      '',
      'text',
    ])
    expect([null, undefined, '', '0', 'false'].map(fromHubspotValue)).toEqual([
      null,
      null,
      null,
      '0',
      'false',
    ])
  })

  it('sends those strings on create and clears a property with null', async () => {
    const { fake, crm } = await open()
    const created = await crm.createRecord('contact', {
      fields: { firstname: 'Ada', paceline_do_not_contact: true, paceline_campaign_opens: 3, jobtitle: null },
      idempotencyKey: 'values-1',
    })
    const create = fake.requestsTo('POST', '/crm/v3/objects/contacts')[0]
    expect((create?.body as { properties?: unknown } | undefined)?.properties).toEqual({
      firstname: 'Ada',
      paceline_do_not_contact: 'true',
      paceline_campaign_opens: '3',
      jobtitle: '',
      paceline_idempotency_key: 'values-1',
    })
    expect(created.fields).toEqual({
      firstname: 'Ada',
      paceline_do_not_contact: 'true',
      paceline_campaign_opens: '3',
      jobtitle: null,
    })
    await crm.updateRecord('contact', created.id, { fields: { firstname: null } })
    expect(fake.object('contacts', created.id)?.properties.firstname).toBe('')
    expect((await crm.getRecord('contact', created.id, ['firstname', 'lastname']))?.fields).toEqual({
      firstname: null,
      lastname: null,
    })
  })
})

describe('users', () => {
  it('finds the integration user from the private app token, as an owner', async () => {
    const { fake, crm } = await open()
    expect(await crm.integrationUser()).toEqual({
      id: '41629779',
      email: 'integration@acme.example',
      name: 'Ines Grant',
      active: true,
    })
    const [tokenInfo] = fake.requestsTo('POST', '/oauth/v2/private-apps/get/access-token-info')
    expect(tokenInfo?.body).toEqual({ tokenKey: fake.accessToken })
    expect(fake.requestsTo('GET', '/crm/v3/owners/9586504')[0]?.query).toMatchObject({ idProperty: 'userId' })
    // Asked once per CRM.
    await crm.integrationUser()
    expect(fake.requestsTo('POST', '/oauth/v2/private-apps/get/access-token-info')).toHaveLength(1)
  })

  it('falls back to the OAuth token endpoint for an OAuth access token', async () => {
    const { fake, connect } = await open()
    fake.addToken('oauth-token-ana', { kind: 'oauth', userId: 9_274_996 })
    const crm = connect({ accessToken: 'oauth-token-ana' })
    expect((await crm.integrationUser()).id).toBe('60158084')
    expect(fake.requestsTo('GET', '/oauth/v1/access-tokens/oauth-token-ana')).toHaveLength(1)
  })

  it('refuses a token user who is not an owner, saying what to do', async () => {
    const { crm } = await open({ tokenUserId: 1234 })
    const error = await failure(crm.integrationUser())
    expect(error.code).toBe('crm_failed')
    expect(error.isRetryable).toBe(false)
    expect(error.message).toContain("the token's user (HubSpot user 1234) is not an owner")
  })

  it('lists owners as users: archived ones inactive, queues left out', async () => {
    const { crm } = await open()
    expect(await crm.listUsers()).toEqual([
      { id: '41629779', email: 'integration@acme.example', name: 'Ines Grant', active: true },
      { id: '60158084', email: 'ana@acme.example', name: 'Ana Ruiz', active: true },
      { id: '52550153', email: 'former@acme.example', name: 'Leo Park', active: false },
    ])
  })
})

describe('field metadata', () => {
  it('maps HubSpot property types, read-only values and enumeration options', async () => {
    const { crm } = await open()
    const fields = new Map((await crm.describeFields('contact')).map((field) => [field.name, field]))
    const pick = (name: string) => {
      const field = fields.get(name)
      return field === undefined ? undefined : { type: field.type, readOnly: field.readOnly }
    }
    expect(pick('firstname')).toEqual({ type: 'text', readOnly: false })
    expect(pick('email')).toEqual({ type: 'email', readOnly: false })
    expect(pick('phone')).toEqual({ type: 'phone', readOnly: false })
    expect(pick('message')).toEqual({ type: 'textarea', readOnly: false })
    expect(pick('paceline_campaign_opens')).toEqual({ type: 'number', readOnly: false })
    expect(pick('paceline_do_not_contact')).toEqual({ type: 'boolean', readOnly: false })
    expect(pick('paceline_next_step_date')).toEqual({ type: 'date', readOnly: false })
    expect(pick('paceline_last_outreach')).toEqual({ type: 'datetime', readOnly: false })
    expect(pick('createdate')).toEqual({ type: 'datetime', readOnly: true })
    expect(pick('hs_analytics_num_visits')).toEqual({ type: 'number', readOnly: true })
    expect(pick('hubspot_owner_id')).toEqual({ type: 'reference', readOnly: false })
    expect(fields.get('lifecyclestage')).toMatchObject({ type: 'enumeration', label: 'Lifecycle Stage' })
    expect(fields.get('lifecyclestage')?.options?.slice(0, 2)).toEqual([
      { value: 'subscriber', label: 'Subscriber' },
      { value: 'lead', label: 'Lead' },
    ])
    expect(fields.get('hs_buying_role')).toMatchObject({ type: 'multi_enumeration' })
    expect(fields.get('hs_buying_role')?.options).toContainEqual({ value: 'CHAMPION', label: 'Champion' })
    const companyFields = await crm.describeFields('company')
    expect(companyFields.find((field) => field.name === 'industry')?.type).toBe('enumeration')
  })

  it('maps the older checkbox forms and unknown types', () => {
    const base = { name: 'x', label: 'X', options: [] }
    expect(crmFieldOf({ ...base, type: 'enumeration', fieldType: 'booleancheckbox' }).type).toBe('boolean')
    expect(crmFieldOf({ ...base, type: 'string', fieldType: 'html' }).type).toBe('textarea')
    expect(crmFieldOf({ ...base, type: 'phone_number', fieldType: 'phonenumber' }).type).toBe('phone')
    expect(crmFieldOf({ ...base, type: 'object_coordinates', fieldType: 'text' }).type).toBe('other')
    expect(crmFieldOf({ ...base, type: 'string', fieldType: 'text', calculated: true }).readOnly).toBe(true)
    expect(crmFieldOf({ ...base, label: '', type: 'string', fieldType: 'file' })).toEqual({
      name: 'x',
      label: 'x',
      type: 'other',
      readOnly: false,
    })
  })
})

describe('search', () => {
  it('sends an OR of AND groups with EQ, and starts_with as a CONTAINS_TOKEN prefix', async () => {
    const { fake, crm } = await open()
    company(fake, 'Acme', 'acme.com')
    const es = company(fake, 'Acme Spain', 'ACME.es')
    company(fake, 'Acmeish', 'acmeish.io')
    const found = await crm.searchRecords('company', {
      anyOf: [
        [{ field: 'domain', operator: 'starts_with', value: 'acme.' }],
        [
          { field: 'name', operator: 'eq', value: 'acme spain' },
          { field: 'domain', operator: 'eq', value: 'acme.es' },
        ],
      ],
      fields: ['name'],
    })
    expect(found.map((each) => each.fields.name)).toEqual(['Acme', 'Acme Spain'])
    expect(found[1]).toEqual({ id: es.id, fields: { name: 'Acme Spain' }, ownerId: null })
    const body = fake.requestsTo('POST', '/crm/v3/objects/companies/search')[0]?.body
    expect(body).toMatchObject({
      filterGroups: [
        { filters: [{ propertyName: 'domain', operator: 'CONTAINS_TOKEN', value: 'acme*' }] },
        {
          filters: [
            { propertyName: 'name', operator: 'EQ', value: 'acme spain' },
            { propertyName: 'domain', operator: 'EQ', value: 'acme.es' },
          ],
        },
      ],
      properties: ['name', 'domain', 'hubspot_owner_id'],
    })
  })

  it('matches eq case-insensitively and respects the limit across pages', async () => {
    const { fake, crm } = await open()
    for (let index = 0; index < 5; index++) contact(fake, { firstname: 'Ada', lastname: `Byron ${index}` })
    contact(fake, { firstname: 'Bob', lastname: 'Byron' })
    const found = await crm.searchRecords('contact', {
      anyOf: [[{ field: 'firstname', operator: 'eq', value: 'ADA' }]],
      fields: ['lastname'],
      limit: 3,
    })
    expect(found.map((each) => each.fields.lastname)).toEqual(['Byron 0', 'Byron 1', 'Byron 2'])
  })

  it('keeps within HubSpot limits: more than five groups split over requests, a group of more than six filters cut', () => {
    const eq = (value: string) => ({ field: 'email', operator: 'eq' as const, value })
    const requests = searchRequestsOf({
      anyOf: [
        ...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((each) => [eq(`${each}@x.io`)]),
        ['1', '2', '3', '4', '5', '6', '7'].map((each) => eq(each)),
        [eq('')],
        [eq('a@x.io')],
      ],
      fields: [],
    })
    expect(requests.map((groups) => groups.length)).toEqual([5, 3])
    expect(requests[1]?.[2]).toHaveLength(6)
    for (const groups of requests) expect(groups.flat().length).toBeLessThanOrEqual(18)
    expect(searchRequestsOf({ anyOf: [[eq(' ')]], fields: [] })).toEqual([])
    expect(
      searchRequestsOf({ anyOf: [[{ field: 'domain', operator: 'starts_with', value: '..' }]], fields: [] }),
    ).toEqual([[[{ propertyName: 'hs_object_id', operator: 'HAS_PROPERTY' }]]])
  })

  it('runs the split requests against HubSpot and merges their answers', async () => {
    const { fake, crm } = await open()
    const people = ['a', 'b', 'c', 'd', 'e', 'f'].map((each) =>
      contact(fake, { email: `${each}@example.com`, firstname: each }),
    )
    const found = await crm.searchRecords('contact', {
      anyOf: people.map((_, index) => [
        { field: 'email', operator: 'eq', value: `${'abcdef'[index]}@EXAMPLE.com` },
      ]),
      fields: ['firstname'],
    })
    expect(found.map((each) => each.id).sort()).toEqual(people.map((each) => each.id).sort())
    expect(fake.requestsTo('POST', '/crm/v3/objects/contacts/search')).toHaveLength(2)
  })

  it('answers nothing, without asking HubSpot, for conditions nothing can match', async () => {
    const { fake, crm } = await open()
    const found = await crm.searchRecords('contact', {
      anyOf: [[{ field: 'email', operator: 'eq', value: '' }]],
      fields: ['email'],
    })
    expect(found).toEqual([])
    expect(fake.requestsTo('POST', '/crm/v3/objects/contacts/search')).toHaveLength(0)
  })

  it('refuses a search on a property that does not exist', async () => {
    const { crm } = await open()
    const error = await failure(
      crm.searchRecords('contact', { anyOf: [[{ field: 'nope', operator: 'eq', value: 'x' }]], fields: [] }),
    )
    expect(error.isRetryable).toBe(false)
    expect(error.message).toContain('400 VALIDATION_ERROR')
    expect(error.message).toContain('Check that every field searched exists on contacts')
  })
})

describe('records', () => {
  it('reads a record with its owner, and answers undefined for an unknown id', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada', hubspot_owner_id: '60158084' })
    expect(await crm.getRecord('contact', ada.id, ['firstname'])).toEqual({
      id: ada.id,
      fields: { firstname: 'Ada' },
      ownerId: '60158084',
    })
    expect(await crm.getRecord('contact', '999999', ['firstname'])).toBeUndefined()
    expect(await crm.getRecord('contact', 'not-an-id', ['firstname'])).toBeUndefined()
  })

  it('refuses an unknown property like HubSpot: 400 VALIDATION_ERROR, not retryable, with its details', async () => {
    const { fake, crm } = await open()
    const error = await failure(
      crm.createRecord('contact', { fields: { colour: 'blue' }, idempotencyKey: 'bad-1' }),
    )
    expect(error.code).toBe('crm_failed')
    expect(error.isRetryable).toBe(false)
    expect(error.message).toMatch(
      /^HubSpot create contact failed: 400 VALIDATION_ERROR: Property values were not valid/,
    )
    expect(error.message).toContain('Property \\"colour\\" does not exist')
    expect(error.details).toMatchObject({ status: 400, category: 'VALIDATION_ERROR' })
    expect(error.details.correlationId).toMatch(/^[0-9a-f-]{36}$/)
    expect(fake.requestsTo('POST', '/crm/v3/objects/contacts')).toHaveLength(1)
  })

  it('refuses a read-only property and an option that is not in the list', async () => {
    const { crm } = await open()
    const readOnly = await failure(
      crm.createRecord('contact', { fields: { hs_analytics_num_visits: 3 }, idempotencyKey: 'ro-1' }),
    )
    expect(readOnly.message).toContain('READ_ONLY_VALUE')
    const option = await failure(
      crm.createRecord('contact', { fields: { lifecyclestage: 'Lead' }, idempotencyKey: 'opt-1' }),
    )
    expect(option.message).toContain('INVALID_OPTION')
  })

  it('passes on a duplicate email as HubSpot answers it: 409 CONFLICT', async () => {
    const { fake, crm } = await open()
    const existing = contact(fake, { email: 'ada@example.com' })
    const error = await failure(
      crm.createRecord('contact', { fields: { email: 'ADA@example.com' }, idempotencyKey: 'dup-1' }),
    )
    expect(error.details).toMatchObject({ status: 409, category: 'CONFLICT' })
    expect(error.message).toContain(`Existing ID: ${existing.id}`)
    expect(error.isRetryable).toBe(false)
  })

  it('updates only the given fields and changes the owner', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada', jobtitle: 'Analyst' })
    const updated = await crm.updateRecord('contact', ada.id, {
      fields: { jobtitle: 'CTO' },
      ownerId: '60158084',
    })
    expect(updated).toEqual({ id: ada.id, fields: { jobtitle: 'CTO' }, ownerId: '60158084' })
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/contacts/${ada.id}`)[0]?.body).toEqual({
      properties: { jobtitle: 'CTO', hubspot_owner_id: '60158084' },
    })
    expect(fake.object('contacts', ada.id)?.properties).toMatchObject({ firstname: 'Ada', jobtitle: 'CTO' })
  })

  it('refuses an owner id that is not an owner', async () => {
    const { crm } = await open()
    const error = await failure(
      crm.createRecord('contact', { fields: { firstname: 'X' }, ownerId: '1', idempotencyKey: 'owner-1' }),
    )
    expect(error.message).toContain('INVALID_OWNER_ID')
  })
})

describe('idempotent creates', () => {
  it('stores the key in the unique property and finds the record by it, even from another process', async () => {
    const { fake, crm, connect } = await open()
    const input = { fields: { firstname: 'Alan' }, idempotencyKey: 'paceline:ws:contact:alan' }
    const first = await crm.createRecord('contact', input)
    expect(fake.object('contacts', first.id)?.properties.paceline_idempotency_key).toBe(
      'paceline:ws:contact:alan',
    )
    // A new CRM remembers nothing: it reads by the key property (no search delay involved).
    const second = await connect().createRecord('contact', input)
    expect(second).toEqual(first)
    expect(fake.all('contacts')).toHaveLength(1)
    const lookup = fake.requestsTo(
      'GET',
      `/crm/v3/objects/contacts/${encodeURIComponent(input.idempotencyKey)}`,
    )
    expect(lookup.at(-1)?.query).toMatchObject({ idProperty: 'paceline_idempotency_key' })
    expect(lookup.at(-1)?.status).toBe(200)
  })

  it('after a create whose answer was lost, finds the created record instead of creating another', async () => {
    const { fake, crm } = await open()
    fake.script({ method: 'POST', path: '/crm/v3/objects/contacts' }, { drop: 'after' })
    const created = await crm.createRecord('contact', {
      fields: { firstname: 'Grace' },
      idempotencyKey: 'lost-answer-1',
    })
    expect(fake.all('contacts').map((each) => each.id)).toEqual([created.id])
    expect(created.fields.firstname).toBe('Grace')
  })

  it('after a 5xx on create that created nothing, checks by key and creates once', async () => {
    const { fake, crm } = await open()
    fake.script(
      { method: 'POST', path: '/crm/v3/objects/companies' },
      { status: 502, body: { status: 'error', message: 'Bad gateway', category: 'INTERNAL_ERROR' } },
    )
    const created = await crm.createRecord('company', { fields: { name: 'Acme' }, idempotencyKey: 'co-5xx' })
    expect(fake.all('companies')).toHaveLength(1)
    expect(fake.requestsTo('POST', '/crm/v3/objects/companies').map((each) => each.status)).toEqual([
      502, 201,
    ])
    expect(created.fields.name).toBe('Acme')
  })

  it('logs an activity once per key, found by search from another process', async () => {
    const { fake, crm, connect } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    const activity: CrmActivity = {
      kind: 'linkedin_message_sent',
      contactId: ada.id,
      at: '2026-11-23T10:00:00.000Z',
      body: 'Hi Ada',
      idempotencyKey: 'paceline:ws:activity:1',
    }
    const first = await crm.logActivity(activity)
    expect(await crm.logActivity(activity)).toEqual(first)
    expect(await connect().logActivity(activity)).toEqual(first)
    expect(fake.all('communications')).toHaveLength(1)
    const search = fake.requestsTo('POST', '/crm/v3/objects/communications/search').at(-1)
    expect(search?.body).toMatchObject({
      filterGroups: [
        {
          filters: [
            { propertyName: 'paceline_idempotency_key', operator: 'EQ', value: 'paceline:ws:activity:1' },
          ],
        },
      ],
    })
  })

  it('an activity whose create answer was lost is found by search, never sent twice', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script({ method: 'POST', path: '/crm/v3/objects/notes' }, { drop: 'after' })
    const logged = await crm.logActivity({
      kind: 'linkedin_profile_visited',
      contactId: ada.id,
      at: '2026-11-23T10:00:00.000Z',
      idempotencyKey: 'visit-1',
    })
    expect(fake.all('notes').map((each) => each.id)).toEqual([logged.id])
    expect(fake.requestsTo('POST', '/crm/v3/objects/notes')).toHaveLength(1)
  })

  it('an activity lost before HubSpot stored it is reported retryable, and the retry creates it', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script({ method: 'POST', path: '/crm/v3/objects/emails' }, { drop: 'before' })
    const activity: CrmActivity = {
      kind: 'email_sent',
      contactId: ada.id,
      at: '2026-11-23T10:00:00.000Z',
      subject: 'Hello',
      idempotencyKey: 'mail-1',
    }
    const error = await failure(crm.logActivity(activity))
    expect(error.isRetryable).toBe(true)
    expect(error.details.outcomeUnknown).toBe(true)
    expect(fake.all('emails')).toHaveLength(0)
    const logged = await crm.logActivity(activity)
    expect(fake.all('emails').map((each) => each.id)).toEqual([logged.id])
  })

  it('without an idempotency property, writes no key and never repeats a create whose answer was lost', async () => {
    const { fake, connect } = await open()
    const crm = connect({ idempotencyProperty: false })
    await crm.createRecord('contact', { fields: { firstname: 'A' }, idempotencyKey: 'k-1' })
    expect(fake.all('contacts')[0]?.properties.paceline_idempotency_key).toBeUndefined()
    fake.script({ method: 'POST', path: '/crm/v3/objects/contacts' }, { drop: 'after' })
    const error = await failure(
      crm.createRecord('contact', { fields: { firstname: 'B' }, idempotencyKey: 'k-2' }),
    )
    expect(error.isRetryable).toBe(false)
    expect(error.message).toContain('without an idempotency property it is not sent again')
    expect(fake.all('contacts')).toHaveLength(2)
  })

  it('says how to create the property when the account lacks it', async () => {
    const { fake, crm } = await open()
    for (const type of ['contacts', 'notes'] as const)
      fake.properties.set(
        type,
        (fake.properties.get(type) ?? []).filter((each) => each.name !== 'paceline_idempotency_key'),
      )
    const error = await failure(
      crm.createRecord('contact', { fields: { firstname: 'A' }, idempotencyKey: 'k' }),
    )
    expect(error.message).toContain(`Reading contacts by 'paceline_idempotency_key' needs that property`)
    const ada = contact(fake, { firstname: 'Ada' })
    const note = await failure(
      crm.logActivity({
        kind: 'linkedin_profile_visited',
        contactId: ada.id,
        at: '2026-11-23T10:00:00.000Z',
        idempotencyKey: 'k',
      }),
    )
    expect(note.message).toContain(`Create the notes property 'paceline_idempotency_key'`)
  })
})

describe('rate limits and retries', () => {
  it('waits out a 429 with Retry-After and succeeds', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script(
      { method: 'GET', path: `/crm/v3/objects/contacts/${ada.id}` },
      {
        status: 429,
        body: {
          status: 'error',
          message: 'You have reached your ten_secondly_rolling limit.',
          errorType: 'RATE_LIMIT',
          policyName: 'TEN_SECONDLY_ROLLING',
        },
        headers: { 'retry-after': '0', 'x-hubspot-ratelimit-remaining': '0' },
      },
    )
    expect((await crm.getRecord('contact', ada.id, ['firstname']))?.fields.firstname).toBe('Ada')
    expect(fake.requestsTo('GET', `/crm/v3/objects/contacts/${ada.id}`).map((each) => each.status)).toEqual([
      429, 200,
    ])
  })

  it('retries a create refused with 429: HubSpot did not carry it out', async () => {
    const { fake, crm } = await open()
    fake.script(
      { method: 'POST', path: '/crm/v3/objects/contacts' },
      {
        status: 429,
        body: { message: 'You have reached your ten_secondly_rolling limit.' },
        headers: { 'retry-after': '0' },
      },
    )
    await crm.createRecord('contact', { fields: { firstname: 'A' }, idempotencyKey: '429-create' })
    expect(fake.requestsTo('POST', '/crm/v3/objects/contacts').map((each) => each.status)).toEqual([429, 201])
    expect(fake.all('contacts')).toHaveLength(1)
  })

  it('gives up after maxRetries with a retryable error that says how long to wait', async () => {
    const { fake, connect } = await open()
    const crm = connect({ maxRetries: 2 })
    const limited = {
      status: 429,
      body: { message: 'You have reached your secondly limit.', policyName: 'SECONDLY' },
      headers: { 'retry-after': '0.002' },
    }
    fake.script({ path: '/crm/v3/objects/contacts/search' }, limited, limited, limited)
    const error = await failure(
      crm.searchRecords('contact', {
        anyOf: [[{ field: 'email', operator: 'eq', value: 'a@b.co' }]],
        fields: [],
      }),
    )
    expect(error.isRetryable).toBe(true)
    expect(error.details).toMatchObject({ status: 429, retryAfterMs: 2, policyName: 'SECONDLY' })
    expect(fake.requestsTo('POST', '/crm/v3/objects/contacts/search')).toHaveLength(3)
  })

  it('reports the daily limit at once as retryable until the reset, and sends nothing more until then', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script(
      { method: 'GET', path: `/crm/v3/objects/contacts/${ada.id}` },
      {
        status: 429,
        body: {
          status: 'error',
          message: 'You have reached your daily limit.',
          errorType: 'RATE_LIMIT',
          policyName: 'DAILY',
        },
        headers: { 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '0' },
      },
    )
    const error = await failure(crm.getRecord('contact', ada.id, ['firstname']))
    expect(error.code).toBe('crm_failed')
    expect(error.isRetryable).toBe(true)
    expect(error.details).toMatchObject({ status: 429, policyName: 'DAILY' })
    // HubSpot's usage endpoint says when the limit resets.
    const usage = fake.requestsTo('GET', '/account-info/v3/api-usage/daily/private-apps')
    expect(usage).toHaveLength(1)
    const retryAfterMs = error.details.retryAfterMs as number
    expect(retryAfterMs).toBeGreaterThan(0)
    expect(retryAfterMs).toBeLessThanOrEqual(29 * 3_600_000)
    expect(fake.requestsTo('GET', `/crm/v3/objects/contacts/${ada.id}`)).toHaveLength(1)
    const next = await failure(crm.updateRecord('contact', ada.id, { fields: { firstname: 'B' } }))
    expect(next.isRetryable).toBe(true)
    expect(next.message).toBe(
      `HubSpot update contact ${ada.id} failed: 429 RATE_LIMITS: You have reached your daily limit. Not sent: the daily request limit of the HubSpot account is used up until it resets.`,
    )
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/contacts/${ada.id}`)).toHaveLength(0)
  })

  it('does not retry a refused request (400)', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    const error = await failure(crm.updateRecord('contact', ada.id, { fields: { lifecyclestage: 'nope' } }))
    expect(error.isRetryable).toBe(false)
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/contacts/${ada.id}`)).toHaveLength(1)
  })

  it('retries reads and repeatable writes after a 5xx or a lost connection', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script(
      { method: 'PATCH' },
      { drop: 'before' },
      {
        status: 503,
        body: { message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' },
        headers: { 'retry-after': '0' },
      },
    )
    await crm.updateRecord('contact', ada.id, { fields: { jobtitle: 'CTO' } })
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/contacts/${ada.id}`).map((each) => each.status)).toEqual(
      [-1, 503, 200],
    )
    expect(fake.object('contacts', ada.id)?.properties.jobtitle).toBe('CTO')
  })

  it('gives up waiting after timeoutMs and tries again', async () => {
    const { fake, connect } = await open()
    const crm = connect({ timeoutMs: 50 })
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script({ method: 'GET' }, { delayMs: 150 })
    expect((await crm.getRecord('contact', ada.id, ['firstname']))?.fields.firstname).toBe('Ada')
    expect(fake.requestsTo('GET', `/crm/v3/objects/contacts/${ada.id}`)).toHaveLength(2)
  })

  it('a 429 holds every request of the token, not only the one refused', async () => {
    const { fake, crm, connect } = await open()
    const other = connect()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script(
      { method: 'GET', path: `/crm/v3/objects/contacts/${ada.id}` },
      {
        status: 429,
        body: { message: 'You have reached your ten_secondly_rolling limit.' },
        headers: { 'retry-after': '0.05' },
      },
    )
    const first = crm.getRecord('contact', ada.id, ['firstname'])
    await vi.waitFor(
      () => expect(fake.requestsTo('GET', `/crm/v3/objects/contacts/${ada.id}`)[0]?.status).toBe(429),
      {
        interval: 1,
      },
    )
    // Let the 429 reach the client, well within its 50 ms.
    await new Promise((resolve) => setTimeout(resolve, 10))
    const started = Date.now()
    await other.getRecord('company', '1', ['name'])
    expect(Date.now() - started).toBeGreaterThanOrEqual(20)
    await first
  })

  it('waits a slot when HubSpot says the 10 s budget is spent (X-HubSpot-RateLimit-Remaining: 0)', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    fake.script(
      { method: 'GET', path: `/crm/v3/objects/contacts/${ada.id}` },
      {
        status: 200,
        body: {
          id: ada.id,
          properties: { firstname: 'Ada' },
          createdAt: ada.createdAt,
          updatedAt: ada.updatedAt,
        },
        headers: {
          'x-hubspot-ratelimit-max': '100',
          'x-hubspot-ratelimit-remaining': '0',
          'x-hubspot-ratelimit-interval-milliseconds': '4000',
        },
      },
    )
    await crm.getRecord('contact', ada.id, ['firstname'])
    const started = Date.now()
    await crm.getRecord('contact', ada.id, ['firstname'])
    // 4,000 ms / 100 requests: one slot is 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(30)
  })

  it("sends through the client's configured middleware: its User-Agent and the httpAgent", async () => {
    const { fake, connect } = await open()
    const agent = new Agent({ keepAlive: true })
    let connections = 0
    const createConnection = agent.createConnection.bind(agent)
    agent.createConnection = ((...args: Parameters<typeof createConnection>) => {
      connections++
      return createConnection(...args)
    }) as typeof agent.createConnection
    const crm = connect({ httpAgent: agent })
    await crm.describeFields('company')
    await crm.listUsers()
    expect(connections).toBeGreaterThan(0)
    expect(fake.requests.map((each) => each.userAgent)).toContain('hubspot-api-client-nodejs; 13.5.0')
    agent.destroy()
  })

  it('spaces requests to requestsPerTenSeconds', async () => {
    const { fake, connect } = await open({}, {})
    const crm = connect({ requestsPerTenSeconds: 500 })
    const ada = contact(fake, { firstname: 'Ada' })
    await Promise.all([1, 2, 3, 4].map(() => crm.getRecord('contact', ada.id, ['firstname'])))
    const times = fake.requestsTo('GET', `/crm/v3/objects/contacts/${ada.id}`).map((each) => each.at)
    expect(times).toHaveLength(4)
    // 10 s / 500 = 20 ms apart: three gaps.
    expect((times[3] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(50)
  })

  it('names the operation and HubSpot category on every failure, with a hint for a bad token', async () => {
    const { fake, connect } = await open()
    const crm = connect({ accessToken: 'pat-na1-wrong' })
    const error = await failure(crm.describeFields('contact'))
    expect(error.message).toContain('HubSpot read the contact properties failed: 401 INVALID_AUTHENTICATION')
    expect(error.message).toContain('Check the access token')
    expect(error.isRetryable).toBe(false)
    fake.script(
      { path: '/crm/v3/owners/' },
      {
        status: 403,
        body: {
          status: 'error',
          message: "This app hasn't been granted all required scopes to make this call.",
          category: 'MISSING_SCOPES',
        },
      },
    )
    const scopes = await failure(connect().listUsers())
    expect(scopes.message).toContain('403 MISSING_SCOPES')
    expect(scopes.message).toContain('lacks a scope')
  })
})

describe('associations', () => {
  const setup = async (options: Parameters<typeof hubspotFixture>[0] = {}) => {
    const fixture = await open(options)
    const person = contact(fixture.fake, { firstname: 'Ada' })
    const [old, next, newest] = ['old', 'next', 'newest'].map((name) =>
      company(fixture.fake, name, `${name}.example`),
    ) as [ReturnType<typeof company>, ReturnType<typeof company>, ReturnType<typeof company>]
    return { ...fixture, person, old, next, newest }
  }

  it('adds an unlabeled association (279) and changes nothing else; twice is not an error', async () => {
    const { fake, crm, person, old, next } = await setup()
    await crm.associate(person.id, old.id, 'primary')
    await crm.associate(person.id, next.id, 'additional')
    await crm.associate(person.id, next.id, 'additional')
    expect(
      fake.requestsTo('PUT', `/crm/v4/objects/contacts/${person.id}/associations/companies/${next.id}`)[0]
        ?.body,
    ).toEqual([{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 }])
    expect(await crm.listAssociatedCompanies(person.id)).toEqual([
      { companyId: old.id, primary: true },
      { companyId: next.id, primary: false },
    ])
  })

  it('makes a company primary (1 and 279), the former primary staying as an unlabeled company', async () => {
    const { fake, crm, person, old, next } = await setup()
    await crm.associate(person.id, old.id, 'primary')
    await crm.associate(person.id, next.id, 'primary')
    expect(
      fake.requestsTo('PUT', `/crm/v4/objects/contacts/${person.id}/associations/companies/${next.id}`)[0]
        ?.body,
    ).toEqual([
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 },
      { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 279 },
    ])
    expect(await crm.listAssociatedCompanies(person.id)).toEqual([
      { companyId: next.id, primary: true },
      { companyId: old.id, primary: false },
    ])
  })

  it('demotes the former primary itself when HubSpot leaves two primaries', async () => {
    const { fake, crm, person, old, next } = await setup({ primaryCompanyIsExclusive: false })
    await crm.associate(person.id, old.id, 'primary')
    await crm.associate(person.id, next.id, 'primary')
    expect(
      fake.requestsTo('POST', '/crm/v4/associations/contacts/companies/batch/labels/archive')[0]?.body,
    ).toEqual({
      inputs: [
        {
          from: { id: person.id },
          to: { id: old.id },
          types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 1 }],
        },
      ],
    })
    expect(fake.associated('contacts', person.id, 'companies')).toEqual([
      { id: old.id, typeIds: [279] },
      { id: next.id, typeIds: [1, 279] },
    ])
  })

  it('primary_replacing sets the primary and removes every other company of the contact', async () => {
    const { fake, crm, person, old, next, newest } = await setup()
    await crm.associate(person.id, old.id, 'primary')
    await crm.associate(person.id, next.id, 'additional')
    await crm.associate(person.id, newest.id, 'primary_replacing')
    expect(await crm.listAssociatedCompanies(person.id)).toEqual([{ companyId: newest.id, primary: true }])
    expect(
      fake.requestsTo('DELETE', /\/crm\/v4\/objects\/contacts\/\d+\/associations\/companies\/\d+/),
    ).toHaveLength(2)
    // The other side sees it too.
    expect(fake.associated('companies', old.id, 'contacts')).toEqual([])
  })

  it('writes a configured user-defined label for additional associations', async () => {
    const { fake, connect, person, old } = await setup()
    fake.addAssociationLabel('contacts', 'companies', 31, 'Former employer')
    const crm = connect({
      contactCompanyAssociation: { additional: { category: 'USER_DEFINED', typeId: 31 } },
    })
    await crm.associate(person.id, old.id, 'additional')
    expect(fake.associated('contacts', person.id, 'companies')).toEqual([{ id: old.id, typeIds: [31] }])
  })

  it('refuses to associate a company that does not exist', async () => {
    const { crm, person } = await setup()
    const error = await failure(crm.associate(person.id, '424242', 'additional'))
    expect(error.details).toMatchObject({ status: 404, category: 'OBJECT_NOT_FOUND' })
    expect(error.isRetryable).toBe(false)
  })
})

describe('activities', () => {
  const logged = async (activity: Omit<CrmActivity, 'contactId' | 'idempotencyKey'>, withCompany = false) => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    const acme = company(fake, 'Acme', 'acme.com')
    const { id } = await crm.logActivity({
      ...activity,
      contactId: ada.id,
      ...(withCompany ? { companyId: acme.id } : {}),
      idempotencyKey: `activity-${activity.kind}`,
    })
    const type = (['notes', 'emails', 'communications'] as const).find(
      (each) => fake.object(each, id) !== undefined,
    )
    if (type === undefined) throw new Error('no engagement stored')
    const stored = fake.object(type, id)
    return {
      type,
      properties: stored?.properties,
      contacts: fake.associated(type, id, 'contacts'),
      companies: fake.associated(type, id, 'companies'),
      ada,
      acme,
    }
  }

  it('logs a sent email as an email engagement (EMAIL), on the contact and the company', async () => {
    const result = await logged(
      {
        kind: 'email_sent',
        ownerId: '60158084',
        at: '2026-11-23T10:00:00.000Z',
        subject: 'Quick question',
        body: 'Hi Ada',
        fields: { hs_email_status: 'SENT' },
      },
      true,
    )
    expect(result.type).toBe('emails')
    expect(result.properties).toMatchObject({
      hs_email_direction: 'EMAIL',
      hs_email_subject: 'Quick question',
      hs_email_text: 'Hi Ada',
      hs_email_status: 'SENT',
      hs_timestamp: '2026-11-23T10:00:00.000Z',
      hubspot_owner_id: '60158084',
      paceline_idempotency_key: 'activity-email_sent',
    })
    expect(result.contacts).toEqual([{ id: result.ada.id, typeIds: [198] }])
    expect(result.companies).toEqual([{ id: result.acme.id, typeIds: [186] }])
  })

  it('logs a received email as INCOMING_EMAIL', async () => {
    const result = await logged({ kind: 'email_received', at: '2026-11-23T11:00:00.000Z', body: 'Sure' })
    expect(result.properties).toMatchObject({ hs_email_direction: 'INCOMING_EMAIL', hs_email_text: 'Sure' })
    expect(result.properties?.hubspot_owner_id).toBeUndefined()
    expect(result.companies).toEqual([])
  })

  it('logs LinkedIn messages as communications on the LINKEDIN_MESSAGE channel', async () => {
    const sent = await logged(
      { kind: 'linkedin_message_sent', at: '2026-11-23T10:00:00.000Z', body: 'Hi Ada' },
      true,
    )
    expect(sent.type).toBe('communications')
    expect(sent.properties).toMatchObject({
      hs_communication_channel_type: 'LINKEDIN_MESSAGE',
      hs_communication_logged_from: 'CRM',
      hs_communication_body: 'LinkedIn message sent\n\nHi Ada',
    })
    expect(sent.contacts).toEqual([{ id: sent.ada.id, typeIds: [81] }])
    expect(sent.companies).toEqual([{ id: sent.acme.id, typeIds: [87] }])
    const received = await logged({
      kind: 'linkedin_message_received',
      at: '2026-11-23T10:00:00.000Z',
      body: 'Hello',
    })
    expect(received.properties?.hs_communication_body).toBe('LinkedIn message received\n\nHello')
  })

  it('logs invitations, acceptances and visits as notes', async () => {
    const invitation = await logged(
      { kind: 'linkedin_invitation_sent', at: '2026-11-23T10:00:00.000Z', body: 'Hi Ada, let us connect' },
      true,
    )
    expect(invitation.type).toBe('notes')
    expect(invitation.properties?.hs_note_body).toBe(
      'LinkedIn connection request sent\n\nHi Ada, let us connect',
    )
    expect(invitation.contacts).toEqual([{ id: invitation.ada.id, typeIds: [202] }])
    expect(invitation.companies).toEqual([{ id: invitation.acme.id, typeIds: [190] }])
    const accepted = await logged({ kind: 'linkedin_connection_accepted', at: '2026-11-24T10:00:00.000Z' })
    expect(accepted.properties?.hs_note_body).toBe('LinkedIn connection request accepted')
    const visited = await logged({ kind: 'linkedin_profile_visited', at: '2026-11-25T10:00:00.000Z' })
    expect(visited.properties).toMatchObject({
      hs_note_body: 'LinkedIn profile visited',
      hs_timestamp: '2026-11-25T10:00:00.000Z',
    })
  })
})

describe('tasks', () => {
  it('creates, reads and completes a task', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    const task = {
      contactId: ada.id,
      ownerId: '41629779',
      title: 'Call Ada',
      body: 'Ask about the pilot',
      dueAt: '2026-11-24T09:00:00.000Z',
      idempotencyKey: 'task-1',
      fields: { hs_task_priority: 'HIGH' },
    }
    const { id } = await crm.createTask(task)
    expect(fake.object('tasks', id)?.properties).toMatchObject({
      hs_task_subject: 'Call Ada',
      hs_task_body: 'Ask about the pilot',
      hs_timestamp: '2026-11-24T09:00:00.000Z',
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'TODO',
      hs_task_priority: 'HIGH',
      hubspot_owner_id: '41629779',
    })
    expect(fake.associated('tasks', id, 'contacts')).toEqual([{ id: ada.id, typeIds: [204] }])
    expect((await crm.createTask(task)).id).toBe(id)
    expect(await crm.getTasks([id])).toEqual([{ id, completed: false, completedAt: null }])
    await crm.completeTask(id)
    expect(fake.object('tasks', id)?.properties.hs_task_status).toBe('COMPLETED')
    const [state] = await crm.getTasks([id])
    expect(state?.completed).toBe(true)
    expect(state?.completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/)
  })

  it('reads tasks in batches of 100 and leaves unknown ids out', async () => {
    const { fake, crm } = await open()
    const ada = contact(fake, { firstname: 'Ada' })
    const ids: string[] = []
    for (let index = 0; index < 101; index++)
      ids.push(
        fake.seed('tasks', {
          hs_task_subject: `T${index}`,
          hs_task_status: index === 100 ? 'COMPLETED' : 'NOT_STARTED',
          hs_timestamp: '2026-11-24T09:00:00.000Z',
        }).id,
      )
    const states = await crm.getTasks([...ids, '999999', 'not-a-task', ada.id])
    expect(states.map((each) => each.id)).toEqual(ids)
    expect(states.at(-1)?.completed).toBe(true)
    const reads = fake.requestsTo('POST', '/crm/v3/objects/tasks/batch/read')
    expect(reads.map((each) => (each.body as { inputs: unknown[] }).inputs.length)).toEqual([100, 3])
    expect(reads.map((each) => each.status)).toEqual([200, 207])
  })

  it('refuses to complete a task that does not exist', async () => {
    const { crm } = await open()
    const error = await failure(crm.completeTask('424242'))
    expect(error.details).toMatchObject({ status: 404, category: 'OBJECT_NOT_FOUND' })
  })
})
