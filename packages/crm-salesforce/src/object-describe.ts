import type { CrmField } from '@paceline/core/ports'
import { z } from 'zod'

/** What the adapter reads of a describe result's field (the rest of Salesforce's answer is kept out). */
const fieldSchema = z.looseObject({
  name: z.string(),
  label: z.string().catch(''),
  type: z.string(),
  length: z.number().catch(0),
  createable: z.boolean().catch(false),
  updateable: z.boolean().catch(false),
  calculated: z.boolean().catch(false),
  nillable: z.boolean().catch(true),
  defaultedOnCreate: z.boolean().catch(false),
  filterable: z.boolean().catch(true),
  externalId: z.boolean().nullish().catch(false),
  deprecatedAndHidden: z.boolean().catch(false),
  picklistValues: z
    .array(
      z.looseObject({
        value: z.string(),
        label: z.string().nullish(),
        active: z.boolean().catch(true),
      }),
    )
    .nullish()
    .catch(null),
})

const describeSchema = z.looseObject({
  name: z.string(),
  keyPrefix: z.string().nullish().catch(null),
  fields: z.array(fieldSchema),
})

export type SalesforceFieldDescribe = z.infer<typeof fieldSchema>

/** An sObject's describe result, as far as the adapter uses it. */
export interface SalesforceObjectDescribe {
  readonly name: string
  /** The first three characters of the object's record ids (`003` for Contact). */
  readonly keyPrefix: string | null
  readonly fields: readonly SalesforceFieldDescribe[]
  /** A field by API name, case-insensitively (Salesforce's API names are). */
  field(name: string): SalesforceFieldDescribe | undefined
}

/** Reads `GET /sobjects/{Type}/describe` leniently. */
export function readDescribe(body: unknown): SalesforceObjectDescribe {
  const parsed = describeSchema.parse(body)
  const byName = new Map(parsed.fields.map((field) => [field.name.toLowerCase(), field]))
  return {
    name: parsed.name,
    keyPrefix: parsed.keyPrefix ?? null,
    fields: parsed.fields,
    field: (name) => byName.get(name.toLowerCase()),
  }
}

const TYPES: Readonly<Record<string, CrmField['type']>> = {
  string: 'text',
  combobox: 'text',
  encryptedstring: 'text',
  textarea: 'textarea',
  email: 'email',
  phone: 'phone',
  url: 'url',
  picklist: 'enumeration',
  multipicklist: 'multi_enumeration',
  double: 'number',
  currency: 'number',
  int: 'number',
  long: 'number',
  percent: 'number',
  boolean: 'boolean',
  date: 'date',
  datetime: 'datetime',
  reference: 'reference',
  id: 'reference',
}

const TEXT_TYPES = new Set(['string', 'combobox', 'encryptedstring', 'textarea', 'email', 'phone', 'url'])

/** Salesforce's field types whose SOQL literals are numbers. */
export const NUMBER_TYPES = new Set(['double', 'currency', 'int', 'long', 'percent'])

/**
 * A describe field as paceline's `CrmField`: picklists are enumerations with their active values (the API
 * value is what is written, the label what people see); a field is read-only when the integration user
 * can neither create nor update it, or when Salesforce computes it (formula, roll-up summary).
 */
export function toCrmField(field: SalesforceFieldDescribe): CrmField {
  const type = TYPES[field.type] ?? 'other'
  const options =
    type === 'enumeration' || type === 'multi_enumeration'
      ? (field.picklistValues ?? [])
          .filter((each) => each.active)
          .map((each) => ({ value: each.value, label: each.label ?? each.value }))
      : undefined
  return {
    name: field.name,
    label: field.label,
    type,
    ...(options === undefined ? {} : { options }),
    readOnly: !field.createable || !field.updateable || field.calculated,
    ...(TEXT_TYPES.has(field.type) && field.length > 0 ? { maxLength: field.length } : {}),
  }
}
