import type { CrmObjectType, CrmRecord, CrmSearch, CrmValue } from '@paceline/core/ports'
import type { SaveResult } from 'jsforce'
import { searchWhere, selectList } from './record-search'
import { keyFieldOf, queryRecords, type SalesforceContext, sobjectOf, storedKey } from './salesforce-context'
import { refusal } from './salesforce-failure'
import { readFields, toSalesforceFields } from './salesforce-values'
import { isSalesforceId, isSoqlFieldName, soqlString } from './soql'

const MAX_ROWS = 2_000

const ownerOf = (row: Record<string, unknown>) => (typeof row.OwnerId === 'string' ? row.OwnerId : null)

/** The key prefixes of the standard objects the adapter writes (fixed by Salesforce in every org). */
const KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  Task: '00T',
  User: '005',
}

/** Whether `id` can be a record of the object: well formed, and with the object's key prefix. */
export async function isIdOf(context: SalesforceContext, sobject: string, id: string): Promise<boolean> {
  if (!isSalesforceId(id)) return false
  const keyPrefix = KEY_PREFIXES[sobject] ?? (await context.schemas.describe(sobject)).keyPrefix
  return keyPrefix === null || id.startsWith(keyPrefix)
}

export async function searchRecords(
  context: SalesforceContext,
  object: CrmObjectType,
  search: CrmSearch,
): Promise<CrmRecord[]> {
  const sobject = sobjectOf(context, object)
  const operation = `searchRecords(${object})`
  const describe = await context.schemas.describe(sobject)
  const where = searchWhere(search, describe, operation)
  const select = selectList(search.fields, operation)
  if (where === undefined) return []
  const limit = Math.max(1, Math.min(MAX_ROWS, Math.floor(search.limit ?? 100)))
  const rows = await queryRecords(
    context,
    operation,
    `SELECT ${select} FROM ${sobject} WHERE ${where} LIMIT ${limit}`,
  )
  return rows.map((row) => ({
    id: String(row.Id),
    fields: readFields(row, search.fields),
    ownerId: ownerOf(row),
  }))
}

export async function getRecord(
  context: SalesforceContext,
  object: CrmObjectType,
  id: string,
  fields: readonly string[],
): Promise<CrmRecord | undefined> {
  const sobject = sobjectOf(context, object)
  const operation = `getRecord(${object})`
  // An id of another object (a Contact id asked as a company) is simply not a record of this one.
  if (!(await isIdOf(context, sobject, id))) return undefined
  const select = selectList(fields, operation)
  // Relationship fields (`Account.Name`) need SOQL; plain fields are a retrieve of the record.
  const row = select.includes('.')
    ? ((
        await queryRecords(
          context,
          operation,
          `SELECT ${select} FROM ${sobject} WHERE Id = ${soqlString(id)} LIMIT 1`,
        )
      )[0] ?? null)
    : await context.requests.run(
        operation,
        'read',
        async (connection) =>
          (await connection.sobject(sobject).retrieve(id, { fields: select.split(', ') })) as Record<
            string,
            unknown
          >,
        (failure) => (failure.errorCode === 'NOT_FOUND' ? null : undefined),
      )
  if (row === null) return undefined
  return { id: String(row.Id ?? id), fields: readFields(row, fields), ownerId: ownerOf(row) }
}

/** The record holding an idempotency key, if one was created with it. */
async function findByKey(
  context: SalesforceContext,
  operation: string,
  sobject: string,
  keyField: string,
  key: string,
): Promise<Record<string, unknown> | undefined> {
  const rows = await queryRecords(
    context,
    operation,
    `SELECT Id, OwnerId FROM ${sobject} WHERE ${keyField} = ${soqlString(storedKey(key))} LIMIT 1`,
  )
  return rows[0]
}

/**
 * Creates a record of `sobject` once per idempotency key: the key is written to the idempotency field, a
 * retry finds the record by it, and two creates racing with one key end on one record (the field is
 * unique: the loser's `DUPLICATE_VALUE` sends it to the winner's record). Without the field, nothing is
 * stored and the record is created.
 */
export async function createOnce(
  context: SalesforceContext,
  operation: string,
  sobject: string,
  body: Readonly<Record<string, CrmValue>>,
  key: string,
): Promise<{ readonly id: string; readonly ownerId: string | null; readonly existed: boolean }> {
  const keyField = await keyFieldOf(context, sobject)
  if (keyField !== undefined) {
    const existing = await findByKey(context, operation, sobject, keyField, key)
    if (existing !== undefined) return { id: String(existing.Id), ownerId: ownerOf(existing), existed: true }
  }
  const withKey = keyField === undefined ? body : { ...body, [keyField]: storedKey(key) }
  const created = await context.requests.run(
    operation,
    'write',
    async (connection) => (await connection.sobject(sobject).create(withKey)) as SaveResult,
    (failure) =>
      keyField !== undefined &&
      failure.errorCode === 'DUPLICATE_VALUE' &&
      failure.message.toLowerCase().includes(keyField.toLowerCase())
        ? ('raced' as const)
        : undefined,
  )
  if (created === 'raced' && keyField !== undefined) {
    const winner = await findByKey(context, operation, sobject, keyField, key)
    if (winner !== undefined) return { id: String(winner.Id), ownerId: ownerOf(winner), existed: true }
  }
  if (created === 'raced' || !created.success)
    throw refusal(operation, `Salesforce did not create the ${sobject}`, { errorCode: 'DUPLICATE_VALUE' })
  const owner = body.OwnerId
  return { id: created.id, ownerId: typeof owner === 'string' ? owner : null, existed: false }
}

export async function createRecord(
  context: SalesforceContext,
  object: CrmObjectType,
  record: {
    readonly fields: Readonly<Record<string, CrmValue>>
    readonly ownerId?: string
    readonly idempotencyKey: string
  },
): Promise<CrmRecord> {
  const sobject = sobjectOf(context, object)
  const describe = await context.schemas.describe(sobject)
  const body = {
    ...toSalesforceFields(record.fields, describe),
    ...(record.ownerId === undefined ? {} : { OwnerId: record.ownerId }),
  }
  const created = await createOnce(context, `createRecord(${object})`, sobject, body, record.idempotencyKey)
  return {
    id: created.id,
    fields: { ...record.fields },
    ...(created.ownerId === null ? {} : { ownerId: created.ownerId }),
  }
}

export async function updateRecord(
  context: SalesforceContext,
  object: CrmObjectType,
  id: string,
  changes: { readonly fields: Readonly<Record<string, CrmValue>>; readonly ownerId?: string },
): Promise<CrmRecord> {
  const sobject = sobjectOf(context, object)
  const operation = `updateRecord(${object})`
  if (!(await isIdOf(context, sobject, id)))
    throw refusal(operation, `'${id}' is not the id of a ${sobject}`, { errorCode: 'MALFORMED_ID' })
  for (const name of Object.keys(changes.fields))
    if (!isSoqlFieldName(name))
      throw refusal(operation, `'${name}' is not a field API name`, { errorCode: 'INVALID_FIELD' })
  const describe = await context.schemas.describe(sobject)
  const body = {
    ...toSalesforceFields(changes.fields, describe),
    ...(changes.ownerId === undefined ? {} : { OwnerId: changes.ownerId }),
  }
  if (Object.keys(body).length > 0)
    await context.requests.run(operation, 'write', async (connection) =>
      connection.sobject(sobject).update({ Id: id, ...body }),
    )
  return {
    id,
    fields: { ...changes.fields },
    ...(changes.ownerId === undefined ? {} : { ownerId: changes.ownerId }),
  }
}
