import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PacelineError } from '../errors/paceline-error'
import type { CrmRecord, CrmV1 } from '../ports/crm'

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
 * fresh CRM per test. Capabilities the adapter declares it lacks (`supports.tasks`,
 * `supports.primaryAssociations`) are skipped, and the skip is named in the test title.
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

    it('declares version v1 and a name', () => {
      expect(crm.specificationVersion).toBe('v1')
      expect(crm.name).toMatch(/\S/)
    })

    it('names its integration user, who is among the users', async () => {
      const user = await crm.integrationUser()
      expect(user.id).toMatch(/\S/)
      const users = await crm.listUsers()
      expect(users.length).toBeGreaterThan(0)
      expect(users.some((each) => each.active)).toBe(true)
      for (const each of users) expect(typeof each.id).toBe('string')
    })

    it('describes the fields of contacts and companies, with writable standard fields', async () => {
      const contactFields = await crm.describeFields('contact')
      const companyFields = await crm.describeFields('company')
      for (const name of [c.firstName, c.lastName, c.email, c.text, c.linkedinUrl]) {
        const field = contactFields.find((each) => each.name === name)
        expect(field, `contact field ${name}`).toBeDefined()
        expect(field?.readOnly, `contact field ${name} is writable`).toBe(false)
      }
      for (const name of [co.name, co.domain])
        expect(
          companyFields.some((each) => each.name === name),
          `company field ${name}`,
        ).toBe(true)
      for (const field of [...contactFields, ...companyFields]) {
        expect(field.label).toEqual(expect.any(String))
        if (field.type === 'enumeration' || field.type === 'multi_enumeration')
          expect(field.options, `${field.name} lists its options`).toBeInstanceOf(Array)
      }
    })

    it('creates a record and reads it back by id', async () => {
      const created = await person('Ada', 'Lovelace', { [c.text]: 'Analyst' })
      expect(created.id).toMatch(/\S/)
      const read = await crm.getRecord('contact', created.id, [c.firstName, c.lastName, c.text])
      expect(read?.id).toBe(created.id)
      expect(read?.fields[c.firstName]).toBe('Ada')
      expect(read?.fields[c.text]).toBe('Analyst')
    })

    it('answers undefined for a record that does not exist', async () => {
      const created = await person('Grace', 'Hopper')
      const other = await crm.getRecord('company', created.id, [co.name])
      expect(other).toBeUndefined()
    })

    it('creates once per idempotency key: a retried create returns the same record', async () => {
      const idempotencyKey = key('retry')
      const fields = { [c.firstName]: 'Alan', [c.lastName]: 'Turing', [c.email]: 'alan@example.com' }
      const first = await crm.createRecord('contact', { fields, idempotencyKey })
      const second = await crm.createRecord('contact', { fields, idempotencyKey })
      expect(second.id).toBe(first.id)
      const found = await crm.searchRecords('contact', {
        anyOf: [[{ field: c.email, operator: 'eq', value: 'alan@example.com' }]],
        fields: [c.email],
      })
      expect(found.map((each) => each.id)).toEqual([first.id])
    })

    it('updates only the fields given, and clears a field with null', async () => {
      const created = await person('Edsger', 'Dijkstra', { [c.text]: 'Professor' })
      await crm.updateRecord('contact', created.id, {
        fields: { [c.linkedinUrl]: 'https://www.linkedin.com/in/ed' },
      })
      let read = await crm.getRecord('contact', created.id, [c.firstName, c.text, c.linkedinUrl])
      expect(read?.fields[c.firstName]).toBe('Edsger')
      expect(read?.fields[c.text]).toBe('Professor')
      expect(read?.fields[c.linkedinUrl]).toBe('https://www.linkedin.com/in/ed')
      await crm.updateRecord('contact', created.id, { fields: { [c.text]: null } })
      read = await crm.getRecord('contact', created.id, [c.text])
      expect(read?.fields[c.text] ?? null).toBeNull()
    })

    it('sets and changes the owner', async () => {
      const users = (await crm.listUsers()).filter((each) => each.active)
      const owner = users[0]
      if (owner === undefined) throw new Error('the CRM under test has no active user')
      const created = await crm.createRecord('contact', {
        fields: { [c.firstName]: 'Owned', [c.lastName]: 'Person' },
        ownerId: owner.id,
        idempotencyKey: key('owned'),
      })
      const read = await crm.getRecord('contact', created.id, [c.firstName])
      expect(read?.ownerId).toBe(owner.id)
      const next = users[1] ?? owner
      const updated = await crm.updateRecord('contact', created.id, { fields: {}, ownerId: next.id })
      expect(updated.ownerId ?? (await crm.getRecord('contact', created.id, []))?.ownerId).toBe(next.id)
    })

    // The port lets a CRM answer more than the exact matches (core filters again), never fewer: the suite
    // asks for every match, and for no record that matches none of the conditions.
    it('searches case-insensitively with eq, as an OR of AND groups', async () => {
      const ada = await person('Ada', 'Byron', { [c.text]: 'Countess' })
      const bob = await person('Bob', 'Byron')
      const cy = await person('Cy', 'Other')
      const ids = (records: readonly CrmRecord[]) => records.map((each) => each.id)
      const byName = await crm.searchRecords('contact', {
        anyOf: [
          [
            { field: c.firstName, operator: 'eq', value: 'ADA' },
            { field: c.lastName, operator: 'eq', value: 'byron' },
          ],
        ],
        fields: [c.firstName, c.lastName],
      })
      expect(ids(byName)).toContain(ada.id)
      expect(ids(byName)).not.toContain(cy.id)
      expect(byName.find((each) => each.id === ada.id)?.fields[c.lastName]).toBe('Byron')
      const either = await crm.searchRecords('contact', {
        anyOf: [
          [{ field: c.email, operator: 'eq', value: 'bob.byron@example.com' }],
          [{ field: c.text, operator: 'eq', value: 'countess' }],
        ],
        fields: [c.email],
      })
      expect(ids(either)).toEqual(expect.arrayContaining([ada.id, bob.id]))
      expect(ids(either)).not.toContain(cy.id)
      const none = await crm.searchRecords('contact', {
        anyOf: [[{ field: c.firstName, operator: 'eq', value: 'Nobody' }]],
        fields: [c.firstName],
      })
      expect(none).toEqual([])
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
      const found = await crm.searchRecords('company', {
        anyOf: [[{ field: co.domain, operator: 'starts_with', value: 'acme.' }]],
        fields: [co.domain],
      })
      const foundIds = found.map((each) => each.id)
      expect(foundIds).toEqual(expect.arrayContaining([com.id, es.id]))
      expect(foundIds).not.toContain(other.id)
    })

    it('refuses an unknown field with a crm_failed error that is not retryable', async () => {
      const attempt = crm.createRecord('contact', {
        fields: { [c.firstName]: 'X', paceline_field_that_does_not_exist: 'y' },
        idempotencyKey: key('bad'),
      })
      await expect(attempt).rejects.toSatisfy(refused)
    })

    it('associates a contact with companies: additional, and twice is not an error', async () => {
      const contact = await person('Assoc', 'One')
      const first = await crm.createRecord('company', {
        fields: { [co.name]: 'First Co', [co.domain]: 'first.example' },
        idempotencyKey: key('company'),
      })
      await crm.associate(contact.id, first.id, 'additional')
      await crm.associate(contact.id, first.id, 'additional')
      const linked = await crm.listAssociatedCompanies(contact.id)
      expect(linked.map((each) => each.companyId)).toEqual([first.id])
    })

    it('makes an association primary, and primary_replacing removes the others (or refuses both, as declared)', async () => {
      if (crm.supports?.primaryAssociations === false) {
        // A CRM without primary associations says so, and refuses them rather than silently adding one.
        const contact = await person('Assoc', 'Refused')
        const company = await crm.createRecord('company', {
          fields: { [co.name]: 'Refused Co', [co.domain]: 'refused.example' },
          idempotencyKey: key('company'),
        })
        await expect(crm.associate(contact.id, company.id, 'primary')).rejects.toSatisfy(refused)
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
      expect(linked.find((each) => each.primary)?.companyId).toBe(next.id)
      await crm.associate(contact.id, newest.id, 'primary_replacing')
      linked = await crm.listAssociatedCompanies(contact.id)
      expect(linked).toEqual([{ companyId: newest.id, primary: true }])
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
      expect(first.id).toMatch(/\S/)
      expect(again.id).toBe(first.id)
      const email = await crm.logActivity({
        ...activity,
        kind: 'email_sent',
        subject: 'Quick question',
        idempotencyKey: key('activity'),
      })
      expect(email.id).not.toBe(first.id)
    })

    it('creates a task, reads its state, completes it (or refuses tasks, as declared)', async () => {
      const contact = await person('Task', 'Lead')
      const owner = await crm.integrationUser()
      if (crm.supports?.tasks === false) {
        const attempt = crm.createTask({
          contactId: contact.id,
          title: 'x',
          dueAt: '2026-11-24T09:00:00.000Z',
          idempotencyKey: key('task'),
        })
        await expect(attempt).rejects.toSatisfy(refused)
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
      expect((await crm.createTask(task)).id).toBe(created.id)
      expect(await crm.getTasks([created.id])).toEqual([
        expect.objectContaining({ id: created.id, completed: false }),
      ])
      await crm.completeTask(created.id)
      await crm.completeTask(created.id)
      expect(await crm.getTasks([created.id])).toEqual([
        expect.objectContaining({ id: created.id, completed: true }),
      ])
    })
  })
}
