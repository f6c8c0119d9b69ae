import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PacelineError } from '../errors/paceline-error'
import type { CrmCondition, CrmObjectType, CrmV1 } from '../ports/crm'
import { fail, list, rejectionOf, show } from './conformance-messages'

/** The CRM's API names of the fields the suite writes (every CRM names them differently). */
export interface CrmConformanceFields {
  readonly contact: {
    readonly firstName: string
    readonly lastName: string
    readonly email: string
    /** Any writable text field (a job title). */
    readonly text: string
    readonly linkedinUrl: string
  }
  readonly company: { readonly name: string; readonly domain: string }
}

export interface CrmConformanceOptions {
  /** Shown in the suite name. */
  readonly name?: string
  /** A fresh, empty CRM (with at least one active user) for each test, and how to shut it down. */
  readonly create: () => Promise<{ readonly crm: CrmV1; readonly close?: () => Promise<void> }>
  readonly fields: CrmConformanceFields
}

let counter = 0
const key = (what: string) => `pl-conformance-${what}-${++counter}`

/**
 * The Crm port's conformance suite, for an adapter's own vitest file: every primitive core relies on, on a
 * fresh CRM per test. For a capability the adapter declares it lacks (`supports.tasks: false`,
 * `supports.primaryAssociations: false`) the suite checks that it is refused cleanly (a `crm_failed` error
 * that is not retryable) instead of exercising it; the test's title says so.
 */
export function crmConformance(options: CrmConformanceOptions): void {
  const { contact: c, company: co } = options.fields
  describe(`Crm v1 conformance${options.name === undefined ? '' : `: ${options.name}`}`, () => {
    let crm: CrmV1
    let close: (() => Promise<void>) | undefined
    beforeEach(async () => {
      const created = await options.create()
      crm = created.crm
      close = created.close
    })
    afterEach(async () => {
      await close?.()
    })

    const person = (first: string, last: string, extra: Record<string, string> = {}) =>
      crm.createRecord('contact', {
        fields: {
          [c.firstName]: first,
          [c.lastName]: last,
          [c.email]: `${first}.${last}@example.com`,
          ...extra,
        },
        idempotencyKey: key('contact'),
      })

    const refused = (error: unknown) => PacelineError.is(error, 'crm_failed') && !error.isRetryable
    const cleanly = "reject with a PacelineError of code 'crm_failed' that is not retryable"
    /** Checks that `attempt` is refused cleanly: `<call> must reject … — it resolved with …`. */
    const expectRefused = async (attempt: Promise<unknown>, call: string) => {
      const expectation = `${call} must ${cleanly}`
      const error = await rejectionOf(attempt, expectation)
      expect(error, `${expectation} — it rejected with ${show(error)}`).toSatisfy(refused)
    }
    /** How a message names a search: `searchRecords('contact', firstname eq 'ADA' and lastname eq 'byron')`. */
    const searchCall = (object: CrmObjectType, anyOf: ReadonlyArray<ReadonlyArray<CrmCondition>>) =>
      `searchRecords('${object}', ${anyOf
        .map((group) =>
          group.map((each) => `${each.field} ${each.operator} ${show(each.value)}`).join(' and '),
        )
        .map((group) => (anyOf.length > 1 && group.includes(' and ') ? `(${group})` : group))
        .join(' or ')})`
    const ids = (records: readonly { readonly id: string }[]) => list(records.map((each) => each.id))

    it('declares version v1 and a name', () => {
      expect(
        crm.specificationVersion,
        `crm.specificationVersion must be 'v1', the version of the port this suite checks — got ${show(crm.specificationVersion)}`,
      ).toBe('v1')
      expect(
        crm.name,
        `crm.name must be a stable, non-empty name (what core remembers about this CRM is keyed by it) — got ${show(crm.name)}`,
      ).toMatch(/\S/)
    })

    it('names its integration user, who is among the users', async () => {
      const user = await crm.integrationUser()
      expect(
        user.id,
        `integrationUser() must return the user the API acts as, with an id — it returned ${show(user)}`,
      ).toMatch(/\S/)
      const users = await crm.listUsers()
      expect(
        users.length,
        'listUsers() must return the users that can own records and author activities — it returned none',
      ).toBeGreaterThan(0)
      expect(
        users.some((each) => each.active),
        `listUsers() must include an active user — it returned ${show(users)}`,
      ).toBe(true)
      for (const each of users)
        expect(typeof each.id, `listUsers() must give every user a text id — it returned ${show(each)}`).toBe(
          'string',
        )
    })

    it('describes the fields of contacts and companies, with writable standard fields', async () => {
      const contactFields = await crm.describeFields('contact')
      const companyFields = await crm.describeFields('company')
      for (const name of [c.firstName, c.lastName, c.email, c.text, c.linkedinUrl]) {
        const field = contactFields.find((each) => each.name === name)
        expect(
          field,
          `describeFields('contact') must list the field ${name} (named in the suite's fields option) — it listed ${list(contactFields.map((each) => each.name))}`,
        ).toBeDefined()
        expect(
          field?.readOnly,
          `describeFields('contact') must describe ${name} as writable (readOnly: false) — it described ${show(field)}`,
        ).toBe(false)
      }
      for (const name of [co.name, co.domain])
        expect(
          companyFields.some((each) => each.name === name),
          `describeFields('company') must list the field ${name} (named in the suite's fields option) — it listed ${list(companyFields.map((each) => each.name))}`,
        ).toBe(true)
      for (const field of [...contactFields, ...companyFields]) {
        expect(
          field.label,
          `describeFields() must give every field a text label — it described ${show(field)}`,
        ).toEqual(expect.any(String))
        if (field.type === 'enumeration' || field.type === 'multi_enumeration')
          expect(
            field.options,
            `describeFields() must list the options of ${field.type} field ${field.name} — it described ${show(field)}`,
          ).toBeInstanceOf(Array)
      }
    })

    it('creates a record and reads it back by id', async () => {
      const created = await person('Ada', 'Lovelace', { [c.text]: 'Analyst' })
      expect(
        created.id,
        `createRecord('contact', …) must return the new record with its id — it returned ${show(created)}`,
      ).toMatch(/\S/)
      const read = await crm.getRecord('contact', created.id, [c.firstName, c.lastName, c.text])
      const reading = `getRecord('contact', ${show(created.id)}, [${c.firstName}, ${c.lastName}, ${c.text}]) of the record just created`
      expect(read?.id, `${reading} must return it — it returned ${show(read)}`).toBe(created.id)
      expect(
        read?.fields[c.firstName],
        `${reading} must return ${c.firstName} as written ('Ada') — it returned ${show(read)}`,
      ).toBe('Ada')
      expect(
        read?.fields[c.text],
        `${reading} must return ${c.text} as written ('Analyst') — it returned ${show(read)}`,
      ).toBe('Analyst')
    })

    it('answers undefined for a record that does not exist', async () => {
      const created = await person('Grace', 'Hopper')
      const other = await crm.getRecord('company', created.id, [co.name])
      expect(
        other,
        `getRecord('company', ${show(created.id)}) must answer undefined: that id is a contact's, no company has it — it returned ${show(other)}`,
      ).toBeUndefined()
    })

    it('creates once per idempotency key: a retried create returns the same record', async () => {
      const idempotencyKey = key('retry')
      const fields = { [c.firstName]: 'Alan', [c.lastName]: 'Turing', [c.email]: 'alan@example.com' }
      const first = await crm.createRecord('contact', { fields, idempotencyKey })
      const second = await crm.createRecord('contact', { fields, idempotencyKey })
      expect(
        second.id,
        `createRecord('contact', …) retried with the same idempotencyKey must return the record the first call created (${first.id}) — it returned ${show(second)}`,
      ).toBe(first.id)
      const anyOf = [[{ field: c.email, operator: 'eq', value: 'alan@example.com' }]] as const
      const found = await crm.searchRecords('contact', { anyOf, fields: [c.email] })
      expect(
        found.map((each) => each.id),
        `${searchCall('contact', anyOf)} after a retried create must find exactly the one record created (${first.id}) — it found ids ${ids(found)}`,
      ).toEqual([first.id])
    })

    it('updates only the fields given, and clears a field with null', async () => {
      const created = await person('Edsger', 'Dijkstra', { [c.text]: 'Professor' })
      await crm.updateRecord('contact', created.id, {
        fields: { [c.linkedinUrl]: 'https://www.linkedin.com/in/ed' },
      })
      const updating = `updateRecord('contact', id, { fields: { ${c.linkedinUrl}: … } })`
      let read = await crm.getRecord('contact', created.id, [c.firstName, c.text, c.linkedinUrl])
      expect(
        read?.fields[c.firstName],
        `${updating} must leave ${c.firstName} as it was ('Edsger') — getRecord() returned ${show(read)}`,
      ).toBe('Edsger')
      expect(
        read?.fields[c.text],
        `${updating} must leave ${c.text} as it was ('Professor') — getRecord() returned ${show(read)}`,
      ).toBe('Professor')
      expect(
        read?.fields[c.linkedinUrl],
        `${updating} must write ${c.linkedinUrl} — getRecord() returned ${show(read)}`,
      ).toBe('https://www.linkedin.com/in/ed')
      await crm.updateRecord('contact', created.id, { fields: { [c.text]: null } })
      read = await crm.getRecord('contact', created.id, [c.text])
      expect(
        read?.fields[c.text] ?? null,
        `updateRecord('contact', id, { fields: { ${c.text}: null } }) must clear the field — getRecord() returned ${show(read)}`,
      ).toBeNull()
    })

    it('sets and changes the owner', async () => {
      const users = (await crm.listUsers()).filter((each) => each.active)
      const owner = users[0]
      if (owner === undefined)
        fail(
          'the CRM under test has no active user to own a record (listUsers() returned none that is active)',
        )
      const created = await crm.createRecord('contact', {
        fields: { [c.firstName]: 'Owned', [c.lastName]: 'Person' },
        ownerId: owner.id,
        idempotencyKey: key('owned'),
      })
      const read = await crm.getRecord('contact', created.id, [c.firstName])
      expect(
        read?.ownerId,
        `createRecord('contact', { ownerId: ${show(owner.id)}, … }) must set the owner: getRecord() must report ownerId ${show(owner.id)} — it returned ${show(read)}`,
      ).toBe(owner.id)
      const next = users[1] ?? owner
      const updated = await crm.updateRecord('contact', created.id, { fields: {}, ownerId: next.id })
      const ownerId = updated.ownerId ?? (await crm.getRecord('contact', created.id, []))?.ownerId
      expect(
        ownerId,
        `updateRecord('contact', id, { ownerId: ${show(next.id)} }) must change the owner (on the record it returns, or as getRecord() reports it) — the owner is ${show(ownerId)}`,
      ).toBe(next.id)
    })

    // The port lets a CRM answer more than the exact matches (core filters again), never fewer: the suite
    // asks for every match, and for no record that matches none of the conditions.
    it('searches case-insensitively with eq, as an OR of AND groups', async () => {
      const ada = await person('Ada', 'Byron', { [c.text]: 'Countess' })
      const bob = await person('Bob', 'Byron')
      const cy = await person('Cy', 'Other')
      const byNameSearch = [
        [
          { field: c.firstName, operator: 'eq', value: 'ADA' },
          { field: c.lastName, operator: 'eq', value: 'byron' },
        ],
      ] as const
      const byName = await crm.searchRecords('contact', {
        anyOf: byNameSearch,
        fields: [c.firstName, c.lastName],
      })
      const byNameCall = searchCall('contact', byNameSearch)
      expect(
        byName.map((each) => each.id),
        `${byNameCall} must compare case-insensitively and find Ada Byron (${ada.id}) — it found ids ${ids(byName)}`,
      ).toContain(ada.id)
      expect(
        byName.map((each) => each.id),
        `${byNameCall} must not return Cy Other (${cy.id}), who matches neither condition — it found ids ${ids(byName)}`,
      ).not.toContain(cy.id)
      const adaFound = byName.find((each) => each.id === ada.id)
      expect(
        adaFound?.fields[c.lastName],
        `${byNameCall} must return the fields asked for, as stored: ${c.lastName} 'Byron' on Ada's record — it returned ${show(adaFound)}`,
      ).toBe('Byron')
      const eitherSearch = [
        [{ field: c.email, operator: 'eq', value: 'bob.byron@example.com' }],
        [{ field: c.text, operator: 'eq', value: 'countess' }],
      ] as const
      const either = await crm.searchRecords('contact', { anyOf: eitherSearch, fields: [c.email] })
      const eitherCall = searchCall('contact', eitherSearch)
      expect(
        either.map((each) => each.id),
        `${eitherCall} must return every record matching either group: Bob Byron (${bob.id}) and Ada Byron (${ada.id}) — it found ids ${ids(either)}`,
      ).toEqual(expect.arrayContaining([ada.id, bob.id]))
      expect(
        either.map((each) => each.id),
        `${eitherCall} must not return Cy Other (${cy.id}), who matches neither group — it found ids ${ids(either)}`,
      ).not.toContain(cy.id)
      const noneSearch = [[{ field: c.firstName, operator: 'eq', value: 'Nobody' }]] as const
      const none = await crm.searchRecords('contact', { anyOf: noneSearch, fields: [c.firstName] })
      expect(
        none,
        `${searchCall('contact', noneSearch)} must return nothing: no record matches — it returned ${show(none)}`,
      ).toEqual([])
    })

    it('finds a domain under any extension with starts_with', async () => {
      const com = await crm.createRecord('company', {
        fields: { [co.name]: 'Acme', [co.domain]: 'acme.com' },
        idempotencyKey: key('company'),
      })
      const es = await crm.createRecord('company', {
        fields: { [co.name]: 'Acme Spain', [co.domain]: 'acme.es' },
        idempotencyKey: key('company'),
      })
      const other = await crm.createRecord('company', {
        fields: { [co.name]: 'Globex', [co.domain]: 'globex.io' },
        idempotencyKey: key('company'),
      })
      const anyOf = [[{ field: co.domain, operator: 'starts_with', value: 'acme.' }]] as const
      const found = await crm.searchRecords('company', { anyOf, fields: [co.domain] })
      const foundIds = found.map((each) => each.id)
      expect(
        foundIds,
        `${searchCall('company', anyOf)} must find acme.com (${com.id}) and acme.es (${es.id}) — it found ids ${ids(found)}`,
      ).toEqual(expect.arrayContaining([com.id, es.id]))
      expect(
        foundIds,
        `${searchCall('company', anyOf)} must not return globex.io (${other.id}) — it found ids ${ids(found)}`,
      ).not.toContain(other.id)
    })

    it('refuses an unknown field with a crm_failed error that is not retryable', async () => {
      const attempt = crm.createRecord('contact', {
        fields: { [c.firstName]: 'X', paceline_field_that_does_not_exist: 'y' },
        idempotencyKey: key('bad'),
      })
      await expectRefused(attempt, "createRecord('contact', …) with a field the CRM does not have")
    })

    it('associates a contact with companies: additional, and twice is not an error', async () => {
      const contact = await person('Assoc', 'One')
      const first = await crm.createRecord('company', {
        fields: { [co.name]: 'First Co', [co.domain]: 'first.example' },
        idempotencyKey: key('company'),
      })
      await crm.associate(contact.id, first.id, 'additional')
      try {
        await crm.associate(contact.id, first.id, 'additional')
      } catch (error) {
        fail(
          `associate(contact, company, 'additional') of a contact and company already associated must succeed (associating twice is not an error) — it rejected with ${show(error)}`,
          error,
        )
      }
      const linked = await crm.listAssociatedCompanies(contact.id)
      expect(
        linked.map((each) => each.companyId),
        `after associate(contact, company, 'additional') twice, listAssociatedCompanies(contact) must return that company once (${first.id}) — it returned ${show(linked)}`,
      ).toEqual([first.id])
    })

    it('makes an association primary, and primary_replacing removes the others (when supports.primaryAssociations is false: checks they are refused cleanly instead)', async () => {
      if (crm.supports?.primaryAssociations === false) {
        // A CRM without primary associations says so, and refuses them rather than silently adding one.
        const contact = await person('Assoc', 'Refused')
        const company = await crm.createRecord('company', {
          fields: { [co.name]: 'Refused Co', [co.domain]: 'refused.example' },
          idempotencyKey: key('company'),
        })
        await expectRefused(
          crm.associate(contact.id, company.id, 'primary'),
          "crm.supports.primaryAssociations is false, so associate(contact, company, 'primary')",
        )
        return
      }
      const contact = await person('Assoc', 'Two')
      const companies = []
      for (const name of ['Old', 'New', 'Newest'])
        companies.push(
          await crm.createRecord('company', {
            fields: { [co.name]: `${name} Co`, [co.domain]: `${name.toLowerCase()}.example` },
            idempotencyKey: key('company'),
          }),
        )
      const [old, next, newest] = companies as [
        (typeof companies)[0],
        (typeof companies)[0],
        (typeof companies)[0],
      ]
      await crm.associate(contact.id, old.id, 'primary')
      await crm.associate(contact.id, next.id, 'primary')
      let linked = await crm.listAssociatedCompanies(contact.id)
      expect(
        linked.find((each) => each.primary)?.companyId,
        `after associate(contact, Old Co, 'primary') then associate(contact, New Co, 'primary'), listAssociatedCompanies() must mark New Co (${next.id}) primary — it returned ${show(linked)} (Old Co is ${old.id})`,
      ).toBe(next.id)
      await crm.associate(contact.id, newest.id, 'primary_replacing')
      linked = await crm.listAssociatedCompanies(contact.id)
      expect(
        linked,
        `after associate(contact, Newest Co, 'primary_replacing'), listAssociatedCompanies() must return only Newest Co (${newest.id}), primary: every other association removed — it returned ${show(linked)}`,
      ).toEqual([{ companyId: newest.id, primary: true }])
    })

    it('logs an activity on a contact once per idempotency key', async () => {
      const contact = await person('Active', 'Lead')
      const owner = await crm.integrationUser()
      const activity = {
        kind: 'linkedin_message_sent' as const,
        contactId: contact.id,
        ownerId: owner.id,
        at: '2026-11-23T10:00:00.000Z',
        body: 'Hi Active, glad to connect.',
        idempotencyKey: key('activity'),
      }
      const first = await crm.logActivity(activity)
      const again = await crm.logActivity(activity)
      expect(
        first.id,
        `logActivity() must return the id of the activity it logged — it returned ${show(first)}`,
      ).toMatch(/\S/)
      expect(
        again.id,
        `logActivity() retried with the same idempotencyKey must return the activity already logged (${first.id}), not log another — it returned ${show(again)}`,
      ).toBe(first.id)
      const email = await crm.logActivity({
        ...activity,
        kind: 'email_sent',
        subject: 'Quick question',
        idempotencyKey: key('activity'),
      })
      expect(
        email.id,
        `logActivity() with a new idempotencyKey must log a new activity — it returned the id of the earlier one (${first.id})`,
      ).not.toBe(first.id)
    })

    it('creates a task, reads its state, completes it (when supports.tasks is false: checks tasks are refused cleanly instead)', async () => {
      const contact = await person('Task', 'Lead')
      const owner = await crm.integrationUser()
      if (crm.supports?.tasks === false) {
        const attempt = crm.createTask({
          contactId: contact.id,
          title: 'x',
          dueAt: '2026-11-24T09:00:00.000Z',
          idempotencyKey: key('task'),
        })
        await expectRefused(attempt, 'crm.supports.tasks is false, so createTask()')
        return
      }
      const task = {
        contactId: contact.id,
        ownerId: owner.id,
        title: 'Call Task Lead',
        body: 'Ask about the pilot',
        dueAt: '2026-11-24T09:00:00.000Z',
        idempotencyKey: key('task'),
      }
      const created = await crm.createTask(task)
      const again = await crm.createTask(task)
      expect(
        again.id,
        `createTask() retried with the same idempotencyKey must return the task already created (${created.id}) — it returned ${show(again)}`,
      ).toBe(created.id)
      const open = await crm.getTasks([created.id])
      expect(
        open,
        `getTasks([${show(created.id)}]) of the task just created must return it, not completed — it returned ${show(open)}`,
      ).toEqual([expect.objectContaining({ id: created.id, completed: false })])
      await crm.completeTask(created.id)
      await crm.completeTask(created.id)
      const done = await crm.getTasks([created.id])
      expect(
        done,
        `after completeTask(${show(created.id)}) (called twice), getTasks() must return the task completed — it returned ${show(done)}`,
      ).toEqual([expect.objectContaining({ id: created.id, completed: true })])
    })
  })
}
