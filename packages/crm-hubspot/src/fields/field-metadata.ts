import type { CrmField } from '@paceline/core/ports'

/** A property definition as HubSpot's properties API returns it (the fields this adapter reads). */
export interface HubspotPropertyDefinition {
  readonly name: string
  readonly label: string
  /** `string`, `number`, `date`, `datetime`, `enumeration`, `bool`, `phone_number`, `object_coordinates`, `json`. */
  readonly type: string
  /** `text`, `textarea`, `html`, `file`, `number`, `date`, `select`, `radio`, `checkbox`, `booleancheckbox`, `phonenumber`, `calculation_*`. */
  readonly fieldType: string
  readonly options?: ReadonlyArray<{
    readonly label: string
    readonly value: string
    readonly hidden?: boolean
  }>
  readonly calculated?: boolean
  readonly hidden?: boolean
  readonly referencedObjectType?: string
  readonly modificationMetadata?: { readonly readOnlyValue?: boolean }
}

/** HubSpot's property type and field type, as the port's field type. */
export function crmFieldTypeOf(property: HubspotPropertyDefinition): CrmField['type'] {
  const { type, fieldType } = property
  // The owner property (and any property pointing at another record) is an enumeration of ids.
  if (property.referencedObjectType !== undefined && property.referencedObjectType !== '') return 'reference'
  if (type === 'bool' || fieldType === 'booleancheckbox') return 'boolean'
  if (type === 'enumeration') return fieldType === 'checkbox' ? 'multi_enumeration' : 'enumeration'
  if (type === 'number') return 'number'
  if (type === 'date') return 'date'
  if (type === 'datetime') return 'datetime'
  if (type === 'phone_number' || fieldType === 'phonenumber') return 'phone'
  if (type === 'string') {
    // HubSpot validates the contact email property as an address.
    if (property.name === 'email') return 'email'
    if (fieldType === 'textarea' || fieldType === 'html') return 'textarea'
    if (fieldType === 'text') return 'text'
  }
  return 'other'
}

/**
 * A HubSpot property as the port's field: read-only when HubSpot computes it (`calculated`) or forbids
 * writing its value (`modificationMetadata.readOnlyValue`); enumerations list their options (internal
 * value and label). HubSpot states no per-property length limit, so `maxLength` is left out.
 */
export function crmFieldOf(property: HubspotPropertyDefinition): CrmField {
  const type = crmFieldTypeOf(property)
  const readOnly = property.calculated === true || property.modificationMetadata?.readOnlyValue === true
  const field: CrmField = { name: property.name, label: property.label || property.name, type, readOnly }
  if (type === 'enumeration' || type === 'multi_enumeration')
    return {
      ...field,
      options: (property.options ?? []).map((option) => ({ value: option.value, label: option.label })),
    }
  return field
}
