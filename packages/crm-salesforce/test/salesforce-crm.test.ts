import { PacelineError } from '@paceline/core'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type CreateSalesforceCrmOptions,
  createSalesforceCrm,
  escapeSoqlString,
  type SalesforceCrm,
} from '../src/index'
import { FakeSalesforce, type FakeSalesforceOptions, type SalesforceRow } from './fakes/salesforce-server'

const opened: Array<{ org: FakeSalesforce; crm: SalesforceCrm }> = []

afterEach(async () => {
  for (const { org, crm } of opened.splice(0)) {
    await crm.close()
    await org.stop()
  }
})

/** A fresh org and a CRM on it (fast limiter, tiny backoff); `options` may swap the access token for oauth. */
async function setup(
  orgOptions: FakeSalesforceOptions = {},
  options: (org: FakeSalesforce) => Partial<CreateSalesforceCrmOptions> = () => ({}),
) {
  const org = new FakeSalesforce(orgOptions)
  await org.start()
  const extra = options(org)
  const crm = createSalesforceCrm({
    instanceUrl: org.url,
    ...(extra.oauth === undefined ? { accessToken: org.accessToken } : {}),
    requestsPerSecond: 1_000,
    retryBaseMs: 1,
    ...extra,
  })
  opened.push({ org, crm })
  return { org, crm }
}

async function failure(promise: Promise<unknown>): Promise<PacelineError> {
  try {
    await promise
  } catch (error) {
    if (PacelineError.is(error)) return error
    throw error
  }
  throw new Error('expected the operation to fail')
}

const requestsTo = (org: FakeSalesforce, method: string, path: RegExp) =>
  org.requests.filter((request) => request.method === method && path.test(request.path)).length

let keys = 0
const key = (what: string) => `pl-test-${what}-${++keys}`

const contact = (crm: SalesforceCrm, fields: SalesforceRow, ownerId?: string) =>
  crm.createRecord('contact', {
    fields: { FirstName: 'Ada', LastName: 'Lovelace', ...fields },
    ...(ownerId === undefined ? {} : { ownerId }),
    idempotencyKey: key('contact'),
  })

const account = (crm: SalesforceCrm, name: string, website = `${name.toLowerCase()}.example`) =>
  crm.createRecord('company', { fields: { Name: name, Website: website }, idempotencyKey: key('account') })

describe('createSalesforceCrm options', () => {
  const base = { instanceUrl: 'https://acme.my.salesforce.com' }

  it('needs exactly one of accessToken and oauth, and says so', () => {
    const none = (() => {
      try {
        createSalesforceCrm(base)
      } catch (error) {
        return error
      }
    })()
    expect(PacelineError.is(none, 'invalid_options')).toBe(true)
    expect((none as PacelineError).issues.map((issue) => issue.field)).toEqual(['accessToken'])
    expect(() =>
      createSalesforceCrm({
        ...base,
        accessToken: 'token',
        oauth: { clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh' },
      }),
    ).toThrow(/oauth: cannot be given with accessToken/)
  })

  it('refuses a Lightning URL, a malformed API version, an unknown person object and unknown keys', () => {
    expect(() =>
      createSalesforceCrm({ instanceUrl: 'https://acme.lightning.force.com', accessToken: 't' }),
    ).toThrow(/instanceUrl: is a Lightning URL: use the My Domain URL/)
    expect(() => createSalesforceCrm({ ...base, accessToken: 't', apiVersion: 'v62' })).toThrow(
      /apiVersion: must be a REST API version such as 62.0/,
    )
    expect(() =>
      createSalesforceCrm({ ...base, accessToken: 't', personObject: 'Account' as 'Lead' }),
    ).toThrow(/personObject/)
    expect(() => createSalesforceCrm({ ...base, accessToken: 't', token: 'x' } as never)).toThrow(/token/)
    expect(() =>
      createSalesforceCrm({ ...base, oauth: { clientId: ' ', clientSecret: 's', refreshToken: 'r' } }),
    ).toThrow(/oauth.clientId: is required: the connected app's consumer key/)
  })

  it('refuses an idempotency field that is not a custom field name, and takes false', () => {
    expect(() => createSalesforceCrm({ ...base, accessToken: 't', idempotencyField: 'Key' })).toThrow(
      /idempotencyField: must be the API name of a custom field/,
    )
    expect(createSalesforceCrm({ ...base, accessToken: 't', idempotencyField: false }).name).toBe(
      'salesforce',
    )
  })
})

describe('describe metadata', () => {
  it('maps Contact fields: types, picklist options, read-only and calculated fields, lengths', async () => {
    const { crm } = await setup()
    const fields = await crm.describeFields('contact')
    const field = (name: string) => fields.find((each) => each.name === name)
    expect(field('FirstName')).toEqual({
      name: 'FirstName',
      label: 'First Name',
      type: 'text',
      readOnly: false,
      maxLength: 40,
    })
    expect(field('Email')).toMatchObject({ type: 'email', readOnly: false, maxLength: 80 })
    expect(field('Phone')).toMatchObject({ type: 'phone' })
    expect(field('LinkedIn_URL__c')).toMatchObject({ type: 'url', label: 'LinkedIn URL', readOnly: false })
    expect(field('Description')).toMatchObject({ type: 'textarea', maxLength: 32000 })
    expect(field('Salutation')?.type).toBe('enumeration')
    expect(field('Salutation')?.options?.slice(0, 2)).toEqual([
      { value: 'Mr.', label: 'Mr.' },
      { value: 'Ms.', label: 'Ms.' },
    ])
    expect(field('Products_Of_Interest__c')).toMatchObject({
      type: 'multi_enumeration',
      options: [
        { value: 'Outreach', label: 'Outreach' },
        { value: 'CRM Sync', label: 'CRM Sync' },
        { value: 'Analytics', label: 'Analytics' },
      ],
    })
    expect(field('Lead_Score__c')).toMatchObject({ type: 'number', readOnly: false })
    expect(field('HasOptedOutOfEmail')).toMatchObject({ type: 'boolean', readOnly: false })
    expect(field('AccountId')).toMatchObject({ type: 'reference', readOnly: false })
    expect(field('LastActivityDate')).toMatchObject({ type: 'date', readOnly: true })
    expect(field('CreatedDate')).toMatchObject({ type: 'datetime', readOnly: true })
    // A formula field and a compound name are computed by Salesforce: read-only.
    expect(field('Days_Since_Last_Activity__c')).toMatchObject({ type: 'number', readOnly: true })
    expect(field('Name')?.readOnly).toBe(true)
    expect(field('MailingAddress')?.type).toBe('other')
    expect(field('Paceline_Idempotency_Key__c')).toMatchObject({ type: 'text', maxLength: 255 })
  })

  it('maps Account fields (currency and int are numbers, a formula is read-only) and Lead fields in Lead mode', async () => {
    const { crm } = await setup()
    const company = await crm.describeFields('company')
    expect(company.find((each) => each.name === 'AnnualRevenue')?.type).toBe('number')
    expect(company.find((each) => each.name === 'NumberOfEmployees')?.type).toBe('number')
    expect(company.find((each) => each.name === 'Website_Domain__c')?.readOnly).toBe(true)
    expect(company.find((each) => each.name === 'Industry')?.options).toContainEqual({
      value: 'Technology',
      label: 'Technology',
    })

    const leads = await setup({}, () => ({ personObject: 'Lead' }))
    const leadFields = await leads.crm.describeFields('contact')
    expect(leadFields.find((each) => each.name === 'Company')).toMatchObject({
      type: 'text',
      readOnly: false,
    })
    expect(leadFields.find((each) => each.name === 'Status')?.options?.[0]).toEqual({
      value: 'Open - Not Contacted',
      label: 'Open - Not Contacted',
    })
    expect(leadFields.find((each) => each.name === 'IsConverted')?.readOnly).toBe(true)
  })
})

describe('records', () => {
  it('creates and reads a record: values converted by field type, case-insensitive names, the owner', async () => {
    const { org, crm } = await setup()
    const rep = org.user('Rita', 'Rep', 'rita@example.com')
    const created = await contact(crm, { Lead_Score__c: '42', DoNotCall: 'true', Title: 'CTO' }, rep.id)
    expect(created.id).toMatch(/^003[A-Za-z0-9]{15}$/)
    expect(created.ownerId).toBe(rep.id)
    const row = org.record('Contact', created.id)
    expect(row).toMatchObject({ Lead_Score__c: 42, DoNotCall: true, Title: 'CTO', OwnerId: rep.id })
    const read = await crm.getRecord('contact', created.id, ['firstname', 'Title', 'Email', 'Lead_Score__c'])
    expect(read).toEqual({
      id: created.id,
      fields: { firstname: 'Ada', Title: 'CTO', Email: null, Lead_Score__c: 42 },
      ownerId: rep.id,
    })
  })

  it('reads a field of the record a lookup points to (Account.Name) through SOQL', async () => {
    const { org, crm } = await setup()
    const company = await account(crm, 'Acme')
    const person = await contact(crm, { AccountId: company.id })
    const read = await crm.getRecord('contact', person.id, ['LastName', 'Account.Name'])
    expect(read?.fields).toEqual({ LastName: 'Lovelace', 'Account.Name': 'Acme' })
    expect(org.queries.at(-1)).toBe(
      `SELECT Id, OwnerId, LastName, Account.Name FROM Contact WHERE Id = '${person.id}' LIMIT 1`,
    )
    const found = await crm.searchRecords('contact', {
      anyOf: [[{ field: 'Account.Name', operator: 'eq', value: 'ACME' }]],
      fields: ['Account.Name'],
    })
    expect(found.map((each) => [each.id, each.fields['Account.Name']])).toEqual([[person.id, 'Acme']])
  })

  it('answers undefined for an unknown id, a malformed id and an id of another object (without asking)', async () => {
    const { org, crm } = await setup()
    const created = await contact(crm, {})
    const missing = `${created.id.slice(0, 10)}ZZZZZZZZ`
    expect(await crm.getRecord('contact', missing, ['LastName'])).toBeUndefined()
    expect(await crm.getRecord('contact', "003' OR Id != '", ['LastName'])).toBeUndefined()
    const before = org.requests.length
    expect(await crm.getRecord('company', created.id, ['Name'])).toBeUndefined()
    expect(org.requests.length).toBe(before)
  })

  it('updates only the fields given, clears with null, and changes the owner', async () => {
    const { org, crm } = await setup()
    const rep = org.user('Rita', 'Rep', 'rita@example.com')
    const created = await contact(crm, { Title: 'CTO', Lead_Score__c: 7 })
    const updated = await crm.updateRecord('contact', created.id, {
      fields: { Title: null, Lead_Score__c: '' },
      ownerId: rep.id,
    })
    expect(updated).toEqual({ id: created.id, fields: { Title: null, Lead_Score__c: '' }, ownerId: rep.id })
    expect(org.record('Contact', created.id)).toMatchObject({
      FirstName: 'Ada',
      Title: null,
      Lead_Score__c: null,
      OwnerId: rep.id,
    })
  })

  it('refuses an update of an id that is not a record of the object, before any request', async () => {
    const { org, crm } = await setup()
    const company = await account(crm, 'Acme')
    const before = org.requests.length
    const error = await failure(crm.updateRecord('contact', company.id, { fields: { Title: 'x' } }))
    expect(error.isRetryable).toBe(false)
    expect(error.message).toMatch(/is not the id of a Contact/)
    expect(org.requests.length).toBe(before)
  })
})

describe('search', () => {
  it("finds O'Brien: string literals are escaped, and eq ignores case", async () => {
    const { org, crm } = await setup()
    const obrien = await contact(crm, { FirstName: 'Seán', LastName: "O'Brien" })
    await contact(crm, { LastName: 'Brien' })
    const found = await crm.searchRecords('contact', {
      anyOf: [[{ field: 'LastName', operator: 'eq', value: "o'brien" }]],
      fields: ['FirstName', 'LastName'],
    })
    expect(found).toEqual([
      { id: obrien.id, fields: { FirstName: 'Seán', LastName: "O'Brien" }, ownerId: org.integrationUser.id },
    ])
    expect(org.queries.at(-1)).toBe(
      "SELECT Id, OwnerId, FirstName, LastName FROM Contact WHERE LastName = 'o\\'brien' LIMIT 100",
    )
  })

  it('starts_with is LIKE prefix% with % and _ escaped, and backslashes survive', async () => {
    const { org, crm } = await setup()
    const deal = await account(crm, 'Deals', '50%_off.example')
    await account(crm, 'Other deals', '50xyoff.example')
    const share = await account(crm, 'Share', 'C:\\share\\acme')
    const found = await crm.searchRecords('company', {
      anyOf: [[{ field: 'Website', operator: 'starts_with', value: '50%_' }]],
      fields: ['Website'],
    })
    expect(found.map((each) => each.id)).toEqual([deal.id])
    expect(org.queries.at(-1)).toContain("WHERE Website LIKE '50\\%\\_%'")
    const backslash = await crm.searchRecords('company', {
      anyOf: [[{ field: 'Website', operator: 'eq', value: 'c:\\SHARE\\acme' }]],
      fields: ['Website'],
    })
    expect(backslash.map((each) => each.id)).toEqual([share.id])
  })

  it('ORs AND groups in parentheses, types literals by the describe result, and honours the limit', async () => {
    const { org, crm } = await setup()
    const scored = await contact(crm, { LastName: 'Scored', Lead_Score__c: 42 })
    const titled = await contact(crm, { LastName: 'Titled', Title: 'CEO' })
    await contact(crm, { LastName: 'Other', Title: 'CEO' })
    const found = await crm.searchRecords('contact', {
      anyOf: [
        [{ field: 'Lead_Score__c', operator: 'eq', value: '42' }],
        [
          { field: 'Title', operator: 'eq', value: 'ceo' },
          { field: 'LastName', operator: 'eq', value: 'TITLED' },
        ],
        // A number field never equals text: the group is left out.
        [{ field: 'Lead_Score__c', operator: 'eq', value: 'many' }],
      ],
      fields: ['LastName'],
      limit: 5,
    })
    expect(found.map((each) => each.id).sort()).toEqual([scored.id, titled.id].sort())
    expect(org.queries.at(-1)).toBe(
      "SELECT Id, OwnerId, LastName FROM Contact WHERE (Lead_Score__c = 42) OR (Title = 'ceo' AND LastName = 'TITLED') LIMIT 5",
    )
  })

  it('sends nothing when no group can match, and refuses a field name that is not one', async () => {
    const { org, crm } = await setup()
    await contact(crm, {})
    const before = org.requests.length
    expect(await crm.searchRecords('contact', { anyOf: [], fields: ['LastName'] })).toEqual([])
    expect(
      await crm.searchRecords('contact', {
        anyOf: [[{ field: 'Email', operator: 'eq', value: '  ' }]],
        fields: ['LastName'],
      }),
    ).toEqual([])
    const injected = await failure(
      crm.searchRecords('contact', {
        anyOf: [[{ field: "Email = 'x' OR Name", operator: 'eq', value: 'y' }]],
        fields: ['LastName'],
      }),
    )
    expect(injected.isRetryable).toBe(false)
    expect(injected.details.errorCode).toBe('INVALID_FIELD')
    const notText = await failure(
      crm.searchRecords('contact', {
        anyOf: [[{ field: 'Lead_Score__c', operator: 'starts_with', value: '4' }]],
        fields: ['LastName'],
      }),
    )
    expect(notText.message).toMatch(/starts_with needs a text field/)
    expect(org.requests.length).toBe(before)
  })

  it('escapes every SOQL escape sequence', () => {
    expect(escapeSoqlString('a\'b"c\\d\ne\rf\tg\bh\fi')).toBe('a\\\'b\\"c\\\\d\\ne\\rf\\tg\\bh\\fi')
  })
})

describe('associations with Contacts', () => {
  it('primary sets AccountId; the previous primary stays as an indirect relationship, listed after it', async () => {
    const { org, crm } = await setup()
    const person = await contact(crm, {})
    const first = await account(crm, 'First')
    const second = await account(crm, 'Second')
    await crm.associate(person.id, first.id, 'primary')
    await crm.associate(person.id, second.id, 'primary')
    expect(org.record('Contact', person.id)?.AccountId).toBe(second.id)
    expect(await crm.listAssociatedCompanies(person.id)).toEqual([
      { companyId: second.id, primary: true },
      { companyId: first.id, primary: false },
    ])
    // Back to an account that is an indirect relationship: it becomes the direct one, nothing is duplicated.
    await crm.associate(person.id, first.id, 'primary')
    expect(org.relations(person.id).map((row) => [row.AccountId, row.IsDirect])).toEqual([
      [first.id, true],
      [second.id, false],
    ])
  })

  it('additional sets AccountId on a contact without one, else adds an AccountContactRelation, once', async () => {
    const { org, crm } = await setup()
    const person = await contact(crm, {})
    const home = await account(crm, 'Home')
    const board = await account(crm, 'Board')
    await crm.associate(person.id, home.id, 'additional')
    expect(org.record('Contact', person.id)?.AccountId).toBe(home.id)
    await crm.associate(person.id, board.id, 'additional')
    await crm.associate(person.id, board.id, 'additional')
    await crm.associate(person.id, home.id, 'additional')
    expect(org.record('Contact', person.id)?.AccountId).toBe(home.id)
    expect(org.relations(person.id).map((row) => [row.AccountId, row.IsDirect])).toEqual([
      [home.id, true],
      [board.id, false],
    ])
    expect(requestsTo(org, 'POST', /\/sobjects\/AccountContactRelation$/)).toBe(1)
  })

  it('primary_replacing makes the account the only one: indirect relationships are deleted', async () => {
    const { org, crm } = await setup()
    const person = await contact(crm, {})
    const [old, board, next] = [
      await account(crm, 'Old'),
      await account(crm, 'Board'),
      await account(crm, 'Next'),
    ]
    await crm.associate(person.id, old.id, 'primary')
    await crm.associate(person.id, board.id, 'additional')
    await crm.associate(person.id, next.id, 'primary_replacing')
    expect(await crm.listAssociatedCompanies(person.id)).toEqual([{ companyId: next.id, primary: true }])
    expect(org.relations(person.id)).toHaveLength(1)
    expect(requestsTo(org, 'DELETE', /\/sobjects\/AccountContactRelation\//)).toBe(2)
  })

  it('without Contacts to Multiple Accounts, an additional account is refused rather than made primary', async () => {
    const { org, crm } = await setup({ contactsToMultipleAccounts: false })
    const person = await contact(crm, {})
    const home = await account(crm, 'Home')
    const other = await account(crm, 'Other')
    await crm.associate(person.id, home.id, 'additional')
    const error = await failure(crm.associate(person.id, other.id, 'additional'))
    expect(error.isRetryable).toBe(false)
    expect(error.details.reason).toBe('contacts_to_multiple_accounts_off')
    expect(error.message).toMatch(/turn on Contacts to Multiple Accounts/)
    expect(org.record('Contact', person.id)?.AccountId).toBe(home.id)
    await crm.associate(person.id, other.id, 'primary_replacing')
    expect(await crm.listAssociatedCompanies(person.id)).toEqual([{ companyId: other.id, primary: true }])
  })

  it('refuses a company id that is not an Account, and a contact that does not exist', async () => {
    const { crm } = await setup()
    const person = await contact(crm, {})
    expect((await failure(crm.associate(person.id, person.id, 'primary'))).message).toMatch(
      /is not the id of an Account/,
    )
    const company = await account(crm, 'Acme')
    const gone = await failure(crm.associate(`${person.id.slice(0, 10)}ZZZZZZZZ`, company.id, 'primary'))
    expect(gone.details).toMatchObject({ errorCode: 'NOT_FOUND', status: 404 })
    expect(gone.isRetryable).toBe(false)
  })
})

describe('Lead mode', () => {
  it('creates Leads (Company is required), logs on them without WhatId, and refuses associations', async () => {
    const { org, crm } = await setup({}, () => ({ personObject: 'Lead' }))
    expect(crm.supports).toEqual({ primaryAssociations: false, tasks: true })
    const missing = await failure(contact(crm, {}))
    expect(missing.details).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      fields: ['Company'],
      status: 400,
    })
    expect(missing.isRetryable).toBe(false)
    const lead = await contact(crm, { Company: 'Acme' })
    expect(lead.id).toMatch(/^00Q/)
    expect(org.record('Lead', lead.id)).toMatchObject({ Company: 'Acme', Status: 'Open - Not Contacted' })
    const company = await account(crm, 'Acme')
    for (const kind of ['additional', 'primary', 'primary_replacing'] as const) {
      const refused = await failure(crm.associate(lead.id, company.id, kind))
      expect(refused.isRetryable).toBe(false)
      expect(refused.details.reason).toBe('lead_has_no_account')
    }
    expect(await crm.listAssociatedCompanies(lead.id)).toEqual([])
    const logged = await crm.logActivity({
      kind: 'email_sent',
      contactId: lead.id,
      companyId: company.id,
      at: '2026-11-23T10:00:00.000Z',
      subject: 'Hello',
      idempotencyKey: key('activity'),
    })
    expect(org.record('Task', logged.id)).toMatchObject({
      WhoId: lead.id,
      WhatId: null,
      Subject: 'Email: Hello',
    })
  })
})

describe('activities', () => {
  it('logs an email as a completed Task with subtype Email, on the contact and its company, by its owner', async () => {
    const { org, crm } = await setup()
    const rep = org.user('Rita', 'Rep', 'rita@example.com')
    const company = await account(crm, 'Acme')
    const person = await contact(crm, {})
    const logged = await crm.logActivity({
      kind: 'email_sent',
      contactId: person.id,
      companyId: company.id,
      ownerId: rep.id,
      at: '2026-11-23T23:30:00.000-05:00',
      subject: 'Quick question',
      body: 'Hi Ada,\nare you free on Tuesday?',
      idempotencyKey: key('activity'),
    })
    expect(logged.id).toMatch(/^00T/)
    expect(org.record('Task', logged.id)).toMatchObject({
      Subject: 'Email: Quick question',
      TaskSubtype: 'Email',
      Status: 'Completed',
      IsClosed: true,
      ActivityDate: '2026-11-24',
      WhoId: person.id,
      WhatId: company.id,
      OwnerId: rep.id,
      Description: 'Hi Ada,\nare you free on Tuesday?',
      Paceline_Idempotency_Key__c: expect.stringMatching(/^pl-test-activity-/),
    })
  })

  it('logs LinkedIn events as Tasks with subtype Task and a subject naming the event, once per key', async () => {
    const { org, crm } = await setup()
    const person = await contact(crm, {})
    const visit = {
      kind: 'linkedin_profile_visited' as const,
      contactId: person.id,
      at: '2026-11-23T10:00:00.000Z',
      idempotencyKey: key('visit'),
    }
    const first = await crm.logActivity(visit)
    expect(await crm.logActivity(visit)).toEqual(first)
    const message = await crm.logActivity({
      kind: 'linkedin_message_received',
      contactId: person.id,
      at: '2026-11-23T11:00:00.000Z',
      body: 'Thanks!',
      idempotencyKey: key('message'),
    })
    expect(org.records('Task').map((task) => [task.Subject, task.TaskSubtype, task.Status])).toEqual([
      ['LinkedIn profile visited', 'Task', 'Completed'],
      ['LinkedIn message received', 'Task', 'Completed'],
    ])
    expect(message.id).not.toBe(first.id)
    expect(org.record('Contact', person.id)?.LastActivityDate).toBe('2026-11-23')
  })

  it('refuses a malformed date before any request', async () => {
    const { crm } = await setup()
    const person = await contact(crm, {})
    const error = await failure(
      crm.logActivity({
        kind: 'email_sent',
        contactId: person.id,
        at: 'yesterday',
        idempotencyKey: key('x'),
      }),
    )
    expect(error.message).toMatch(/'yesterday' is not an ISO 8601 date-time/)
  })
})

describe('tasks', () => {
  it('round trip: an open Task due on the day, its state, completed by a person or by paceline', async () => {
    const { org, crm } = await setup()
    const rep = org.user('Rita', 'Rep', 'rita@example.com')
    const person = await contact(crm, {})
    const task = {
      contactId: person.id,
      ownerId: rep.id,
      title: 'Call Ada about the pilot',
      body: 'She asked for pricing.',
      dueAt: '2026-11-24T09:00:00.000Z',
      idempotencyKey: key('task'),
    }
    const created = await crm.createTask(task)
    expect(await crm.createTask(task)).toEqual(created)
    expect(org.record('Task', created.id)).toMatchObject({
      Subject: 'Call Ada about the pilot',
      Description: 'She asked for pricing.',
      Status: 'Not Started',
      Priority: 'Normal',
      TaskSubtype: 'Task',
      ActivityDate: '2026-11-24',
      WhoId: person.id,
      OwnerId: rep.id,
      IsClosed: false,
    })
    const other = await crm.createTask({ ...task, title: 'Follow up', idempotencyKey: key('task') })
    expect(await crm.getTasks([created.id, other.id, '00TDn0000000ZZZZZZ'])).toEqual([
      { id: created.id, completed: false, completedAt: null },
      { id: other.id, completed: false, completedAt: null },
    ])

    org.edit('Task', created.id, { Status: 'Completed' })
    const [closed] = await crm.getTasks([created.id.slice(0, 15)])
    expect(closed).toEqual({ id: created.id.slice(0, 15), completed: true, completedAt: expect.any(String) })

    const patches = requestsTo(org, 'PATCH', /\/sobjects\/Task\//)
    await crm.completeTask(created.id)
    expect(requestsTo(org, 'PATCH', /\/sobjects\/Task\//)).toBe(patches)
    await crm.completeTask(other.id)
    expect(org.record('Task', other.id)).toMatchObject({ Status: 'Completed', IsClosed: true })
    expect((await crm.getTasks([other.id]))[0]?.completed).toBe(true)
  })

  it('uses the org’s own task statuses when told', async () => {
    const { org, crm } = await setup({}, () => ({ openTaskStatus: 'In Progress' }))
    const person = await contact(crm, {})
    const created = await crm.createTask({
      contactId: person.id,
      title: 'Send the deck',
      dueAt: '2026-11-24T09:00:00.000Z',
      idempotencyKey: key('task'),
    })
    expect(org.record('Task', created.id)?.Status).toBe('In Progress')
  })
})

describe('idempotent creates', () => {
  it('a create whose answer was lost is not repeated: the retry finds the record by its key', async () => {
    const { org, crm } = await setup({}, () => ({ timeoutMs: 150 }))
    org.loseAnswerNext({ method: 'POST', path: /\/sobjects\/Contact$/ })
    const input = { fields: { LastName: 'Lost' }, idempotencyKey: key('lost') }
    const lost = await failure(crm.createRecord('contact', input))
    expect(lost.isRetryable).toBe(true)
    expect(lost.details.errorCode).toBe('TIMEOUT')
    expect(requestsTo(org, 'POST', /\/sobjects\/Contact$/)).toBe(1)
    const retried = await crm.createRecord('contact', input)
    expect(org.records('Contact').map((row) => row.Id)).toEqual([retried.id])
    expect(org.record('Contact', retried.id)?.Paceline_Idempotency_Key__c).toBe(input.idempotencyKey)
  })

  it('two creates racing with one key end on one record (the unique key answers DUPLICATE_VALUE)', async () => {
    const { org, crm } = await setup()
    const idempotencyKey = key('race')
    const winner = org.seed('Contact', { LastName: 'Winner', Paceline_Idempotency_Key__c: idempotencyKey })
    // The lookup misses the winner's record (it was not there yet when asked).
    org.failNext(
      { method: 'GET', soql: /Paceline_Idempotency_Key__c = / },
      { status: 200, body: { totalSize: 0, done: true, records: [] } },
    )
    const created = await crm.createRecord('contact', { fields: { LastName: 'Loser' }, idempotencyKey })
    expect(created.id).toBe(winner.Id)
    expect(org.records('Contact')).toHaveLength(1)
  })

  it('keys longer than the field are stored hashed', async () => {
    const { org, crm } = await setup()
    const idempotencyKey = `pl-${'x'.repeat(300)}`
    const first = await crm.createRecord('company', { fields: { Name: 'Long' }, idempotencyKey })
    const again = await crm.createRecord('company', { fields: { Name: 'Long' }, idempotencyKey })
    expect(again.id).toBe(first.id)
    expect(org.record('Account', first.id)?.Paceline_Idempotency_Key__c).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it('without the idempotency field: Tasks carry the key in their Comments; records are created as asked', async () => {
    const { org, crm } = await setup({ idempotencyField: false })
    const setup_ = await crm.checkSetup()
    expect(setup_.idempotencyField).toEqual({
      name: 'Paceline_Idempotency_Key__c',
      present: { Contact: false, Account: false, Task: false },
    })
    const person = await contact(crm, {})
    const activity = {
      kind: 'linkedin_message_sent' as const,
      contactId: person.id,
      at: '2026-11-23T10:00:00.000Z',
      body: 'Hi Ada',
      idempotencyKey: key('marker'),
    }
    const first = await crm.logActivity(activity)
    expect(await crm.logActivity(activity)).toEqual(first)
    expect(org.records('Task')).toHaveLength(1)
    expect(org.record('Task', first.id)?.Description).toBe(`Hi Ada\n\n[paceline:${activity.idempotencyKey}]`)
    const company = { fields: { Name: 'Twice' }, idempotencyKey: key('twice') }
    await crm.createRecord('company', company)
    await crm.createRecord('company', company)
    expect(org.records('Account')).toHaveLength(2)
  })
})

describe('errors', () => {
  it.each([
    { error: 'REQUEST_LIMIT_EXCEEDED', status: 403, retryable: true, sent: 1 },
    { error: 'MALFORMED_QUERY', status: 400, retryable: false, sent: 1 },
    { error: 'INVALID_FIELD', status: 400, retryable: false, sent: 1 },
    { error: 'UNABLE_TO_LOCK_ROW', status: 400, retryable: true, sent: 3 },
    { error: 'SERVER_UNAVAILABLE', status: 503, retryable: true, sent: 3 },
  ])(
    '$error on a query: retryable $retryable, sent $sent time(s)',
    async ({ error, status, retryable, sent }) => {
      const { org, crm } = await setup({}, () => ({ maxRetries: 2 }))
      org.failNext({ method: 'GET', path: /^\/query$/ }, error, 5)
      const failed = await failure(
        crm.searchRecords('contact', {
          anyOf: [[{ field: 'Email', operator: 'eq', value: 'ada@example.com' }]],
          fields: ['Email'],
        }),
      )
      expect(failed.code).toBe('crm_failed')
      expect(failed.isRetryable).toBe(retryable)
      expect(failed.details).toMatchObject({ errorCode: error, status })
      expect(failed.message).toContain(`Salesforce searchRecords(contact) failed: ${error}: `)
      expect(org.queries).toHaveLength(sent)
    },
  )

  it('retries a row lock and a 503 on writes until Salesforce takes the request', async () => {
    const { org, crm } = await setup()
    const person = await contact(crm, {})
    org.failNext({ method: 'PATCH' }, 'UNABLE_TO_LOCK_ROW', 2)
    await crm.updateRecord('contact', person.id, { fields: { Title: 'CEO' } })
    expect(org.record('Contact', person.id)?.Title).toBe('CEO')
    expect(requestsTo(org, 'PATCH', /\/sobjects\/Contact\//)).toBe(3)
    org.failNext({ method: 'POST' }, 'SERVER_UNAVAILABLE')
    await account(crm, 'Later')
    expect(org.records('Account')).toHaveLength(1)
  })

  it('retries a read that timed out, but not a write', async () => {
    const { org, crm } = await setup({}, () => ({ timeoutMs: 100 }))
    const person = await contact(crm, {})
    org.hangNext({ method: 'GET', path: /\/sobjects\/Contact\// })
    expect((await crm.getRecord('contact', person.id, ['LastName']))?.fields.LastName).toBe('Lovelace')
    org.hangNext({ method: 'PATCH' })
    const failed = await failure(crm.updateRecord('contact', person.id, { fields: { Title: 'x' } }))
    expect(failed).toMatchObject({ isRetryable: true, details: { errorCode: 'TIMEOUT' } })
    expect(requestsTo(org, 'PATCH', /\/sobjects\/Contact\//)).toBe(1)
  })

  it('refusals of the data are not retryable: validation rule, required field, duplicate rule, picklist', async () => {
    const { org, crm } = await setup()
    org.addValidationRule(
      'Contact',
      'A contact needs an email or a phone number.',
      (row) => row.Title === 'Ghost',
    )
    org.addDuplicateRule('Contact', ['Email'])
    const rule = await failure(contact(crm, { Title: 'Ghost' }))
    expect(rule).toMatchObject({
      isRetryable: false,
      details: { errorCode: 'FIELD_CUSTOM_VALIDATION_EXCEPTION' },
    })
    expect(rule.message).toContain('A contact needs an email or a phone number.')
    const required = await failure(
      crm.createRecord('contact', { fields: { FirstName: 'No' }, idempotencyKey: key('x') }),
    )
    expect(required).toMatchObject({
      isRetryable: false,
      details: { errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'], status: 400 },
    })
    expect(required.message).toContain('(fields: LastName)')
    await contact(crm, { Email: 'ada@example.com' })
    const duplicate = await failure(contact(crm, { Email: 'ADA@example.com' }))
    expect(duplicate).toMatchObject({ isRetryable: false, details: { errorCode: 'DUPLICATES_DETECTED' } })
    const readOnly = await failure(contact(crm, { Name: 'Ada Lovelace' }))
    expect(readOnly.details).toMatchObject({ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['Name'] })
    // A code the adapter has no entry for is judged by its status: a 4xx is the data's fault.
    const email = await failure(contact(crm, { Email: 'not-an-email' }))
    expect(email).toMatchObject({
      isRetryable: false,
      details: { errorCode: 'INVALID_EMAIL_ADDRESS', status: 400 },
    })
    expect(org.records('Contact')).toHaveLength(1)
  })

  it('an expired token without oauth is INVALID_SESSION_ID, not retryable', async () => {
    const { org, crm } = await setup()
    org.expireAccessTokens()
    const failed = await failure(crm.listUsers())
    expect(failed).toMatchObject({
      isRetryable: false,
      details: { errorCode: 'INVALID_SESSION_ID', status: 401 },
    })
    expect(failed.message).toMatch(/give createSalesforceCrm an oauth connected app/)
  })
})

describe('OAuth refresh', () => {
  const withOauth = (org: FakeSalesforce, onTokenRefresh?: (token: string) => void) => ({
    oauth: { loginUrl: org.url, ...org.oauth },
    ...(onTokenRefresh === undefined ? {} : { onTokenRefresh }),
  })

  it('gets a token first, then refreshes once when Salesforce answers INVALID_SESSION_ID', async () => {
    const tokens: string[] = []
    const { org, crm } = await setup({}, (org) => withOauth(org, (token) => tokens.push(token)))
    expect((await crm.listUsers()).map((user) => user.id)).toEqual([org.integrationUser.id])
    expect(org.refreshes).toBe(1)
    org.expireAccessTokens()
    const person = await contact(crm, {})
    expect(org.refreshes).toBe(2)
    expect(tokens).toHaveLength(2)
    const last = org.requests.at(-1)
    expect(last?.authorization).toBe(`Bearer ${tokens[1]}`)
    expect(org.record('Contact', person.id)).toBeDefined()
  })

  it('refreshes at most once per operation when the new token is refused too', async () => {
    const { org, crm } = await setup({}, (org) => withOauth(org))
    await crm.listUsers()
    org.failNext({ path: /^\/query$/ }, 'INVALID_SESSION_ID', 10)
    const failed = await failure(crm.listUsers())
    expect(failed).toMatchObject({ isRetryable: false, details: { errorCode: 'INVALID_SESSION_ID' } })
    expect(org.refreshes).toBe(2)
    expect(org.queries).toHaveLength(3)
  })

  it('a revoked refresh token fails with INVALID_SESSION_ID, not retryable', async () => {
    const { crm } = await setup({}, (org) => ({
      oauth: { loginUrl: org.url, ...org.oauth, refreshToken: 'revoked' },
    }))
    const failed = await failure(crm.listUsers())
    expect(failed).toMatchObject({ isRetryable: false, details: { errorCode: 'INVALID_SESSION_ID' } })
    expect(failed.message).toMatch(/refreshing it failed \(expired access\/refresh token\)/)
  })

  it('the integration user comes from UserInfo (refreshed after a 403 Bad_OAuth_Token), asked once', async () => {
    const { org, crm } = await setup({}, (org) => withOauth(org))
    await crm.listUsers()
    org.expireAccessTokens()
    expect(await crm.integrationUser()).toEqual({
      id: org.integrationUser.id,
      email: 'integration@example.com',
      name: 'Integration User',
      active: true,
    })
    expect(org.refreshes).toBe(2)
    const asked = org.requests.filter((request) => request.path === '/services/oauth2/userinfo')
    expect(asked.map((request) => request.authorization === asked[1]?.authorization)).toEqual([false, true])
    await crm.integrationUser()
    expect(org.requests.filter((request) => request.path === '/services/oauth2/userinfo')).toHaveLength(2)
  })
})

describe('users, limits and setup', () => {
  it('lists active users by name; the integration user is among them', async () => {
    const { org, crm } = await setup()
    org.user('Zoe', 'Zed', 'zoe@example.com')
    org.user('Old', 'Rep', 'old@example.com', false)
    org.user('Ana', 'Ruiz', 'ana@example.com')
    const users = await crm.listUsers()
    expect(users.map((user) => user.name)).toEqual(['Ana Ruiz', 'Integration User', 'Zoe Zed'])
    expect(users.every((user) => user.active && user.id.startsWith('005'))).toBe(true)
    expect(users.map((user) => user.id)).toContain((await crm.integrationUser()).id)
  })

  it('exposes the Sforce-Limit-Info api usage, and the usage with REQUEST_LIMIT_EXCEEDED', async () => {
    const { org, crm } = await setup({ apiUsed: 14_997, apiLimit: 15_000 })
    expect(crm.usage()).toBeUndefined()
    await crm.listUsers()
    expect(crm.usage()).toEqual({ used: 14_998, limit: 15_000 })
    await crm.listUsers()
    await crm.listUsers()
    expect(crm.usage()).toEqual({ used: 15_000, limit: 15_000 })
    const failed = await failure(crm.listUsers())
    expect(failed).toMatchObject({
      isRetryable: true,
      details: {
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        status: 403,
        apiUsage: { used: 15_000, limit: 15_000 },
      },
    })
    expect(failed.message).toMatch(/24-hour API request limit is used up/)
    expect(org.apiUsage.used).toBe(15_000)
  })

  it('checkSetup reports the idempotency field and Contacts to Multiple Accounts', async () => {
    const { crm } = await setup()
    expect(await crm.checkSetup()).toMatchObject({
      personObject: 'Contact',
      idempotencyField: {
        name: 'Paceline_Idempotency_Key__c',
        present: { Contact: true, Account: true, Task: true },
      },
      contactsToMultipleAccounts: true,
      apiUsage: { used: expect.any(Number), limit: 15_000 },
    })
    const off = await setup({ contactsToMultipleAccounts: false })
    expect((await off.crm.checkSetup()).contactsToMultipleAccounts).toBe(false)
  })

  it('spaces requests by requestsPerSecond', async () => {
    const { crm } = await setup({}, () => ({ requestsPerSecond: 50 }))
    const started = performance.now()
    await Promise.all([crm.listUsers(), crm.listUsers(), crm.listUsers()])
    expect(performance.now() - started).toBeGreaterThanOrEqual(35)
  })
})
