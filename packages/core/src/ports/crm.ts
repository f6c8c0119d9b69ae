/**
 * The CRM port (`CrmV1`): the few primitives paceline needs from a CRM. Everything else — matching
 * leads to records without creating duplicates, field mapping and sync modes, campaign properties computed
 * from the action log, owner and activity attribution, idempotent re-runs — is derived in core
 * (`engine.crm`), so an adapter for a new CRM stays small. `crmConformance` in `@paceline/core/conformance`
 * checks an adapter against this contract; `createMemoryCrm` in `@paceline/core/testing` is the reference.
 *
 * Objects are paceline's two: `contact` (a person: HubSpot contact, Salesforce Contact or Lead) and
 * `company` (HubSpot company, Salesforce Account). Field names are the CRM's own API names.
 */

export type CrmObjectType = 'contact' | 'company'

/** A value as paceline writes and reads it: text, number, boolean, or null for "empty". */
export type CrmValue = string | number | boolean | null

/** A record: its CRM id and the fields asked for (absent and empty fields are `null` or left out). */
export interface CrmRecord {
  readonly id: string
  readonly fields: Readonly<Record<string, CrmValue>>
  /** The record owner (a `CrmUser.id`), when the CRM has one. */
  readonly ownerId?: string | null
}

/**
 * One condition of a search. `eq` compares case-insensitively where the CRM can (names, emails, domains);
 * `starts_with` serves "any domain extension" (`acme.` finds `acme.com` and `acme.es`). Core filters the
 * candidates again with its own rules, so an adapter may return more than an exact match, never fewer.
 */
export interface CrmCondition {
  readonly field: string
  readonly operator: 'eq' | 'starts_with'
  readonly value: string
}

/** Records matching any of the groups, where a group matches when all its conditions do (OR of ANDs). */
export interface CrmSearch {
  readonly anyOf: ReadonlyArray<ReadonlyArray<CrmCondition>>
  /** The fields to return on each record. */
  readonly fields: readonly string[]
  /** At most this many records (default 100). */
  readonly limit?: number
}

/** Field metadata, as CRMs describe their properties; the compatibility check of a mapping reads it. */
export interface CrmField {
  readonly name: string
  readonly label: string
  readonly type:
    | 'text'
    | 'textarea'
    | 'number'
    | 'boolean'
    | 'date'
    | 'datetime'
    | 'enumeration'
    | 'multi_enumeration'
    | 'email'
    | 'phone'
    | 'url'
    | 'reference'
    | 'other'
  /** Allowed values of an enumeration: internal names (what is written) and labels (what people see). */
  readonly options?: ReadonlyArray<{ readonly value: string; readonly label: string }>
  /** The CRM computes it or forbids writing it. */
  readonly readOnly: boolean
  /** Longest text accepted, when the CRM says. */
  readonly maxLength?: number
}

/** A CRM user: the owner of records and the author of activities. */
export interface CrmUser {
  readonly id: string
  readonly email: string | null
  readonly name: string | null
  readonly active: boolean
}

/**
 * How a contact is associated with a company (the association type): `additional` adds it and
 * changes nothing else; `primary` makes it the primary one; `primary_replacing` makes it primary and
 * removes every previous association of the contact with companies.
 */
export type CrmAssociationKind = 'additional' | 'primary' | 'primary_replacing'

/** What an activity records: an email sent, a LinkedIn message (sent or received), a connection event. */
export type CrmActivityKind =
  | 'email_sent'
  | 'email_received'
  | 'linkedin_message_sent'
  | 'linkedin_message_received'
  | 'linkedin_invitation_sent'
  | 'linkedin_connection_accepted'
  | 'linkedin_profile_visited'

export interface CrmActivity {
  readonly kind: CrmActivityKind
  readonly contactId: string
  readonly companyId?: string
  /** The CRM user shown as the one who acted (identities mapping), when mapped. */
  readonly ownerId?: string
  readonly at: string
  readonly subject?: string
  readonly body?: string
  /**
   * The same key on a retry of the same activity: an adapter that can store it (a custom property, an
   * external id) returns the existing activity instead of creating another. Core also remembers what it logged.
   */
  readonly idempotencyKey: string
  /** Extra fields written on the activity (the engagement field of the mapping). */
  readonly fields?: Readonly<Record<string, CrmValue>>
}

export interface CrmTask {
  readonly contactId: string
  readonly ownerId?: string
  readonly title: string
  readonly body?: string
  readonly dueAt: string
  readonly idempotencyKey: string
  readonly fields?: Readonly<Record<string, CrmValue>>
}

export interface CrmTaskState {
  readonly id: string
  readonly completed: boolean
  /** When it was completed, if the CRM says. */
  readonly completedAt?: string | null
}

/** What a CRM can do beyond the required primitives. Suites skip what an adapter lacks, and say so. */
export interface CrmCapabilities {
  /** `primary` and `primary_replacing` associations (default true). HubSpot: yes; Salesforce Contacts: AccountId. */
  readonly primaryAssociations?: boolean
  /** Tasks can be created, read and completed (default true). */
  readonly tasks?: boolean
}

/**
 * A CRM, version 1. Methods throw on failure; a `PacelineError` with `code: 'crm_failed'` and
 * `isRetryable` tells core whether trying the record again later can help (rate limits, outages) or not
 * (a refused value: the record's outcome says why).
 */
export interface CrmV1 {
  readonly specificationVersion: 'v1'
  /** Stable name (`hubspot`, `salesforce`, `memory`): the key of what core remembers about this CRM. */
  readonly name: string
  readonly supports?: CrmCapabilities
  /** The user the API acts as: the integration user whose credentials the adapter holds. */
  integrationUser(): Promise<CrmUser>
  /** Users that can own records and author activities. */
  listUsers(): Promise<CrmUser[]>
  /** The fields of an object, for mapping checks. */
  describeFields(object: CrmObjectType): Promise<CrmField[]>
  searchRecords(object: CrmObjectType, search: CrmSearch): Promise<CrmRecord[]>
  getRecord(object: CrmObjectType, id: string, fields: readonly string[]): Promise<CrmRecord | undefined>
  createRecord(
    object: CrmObjectType,
    record: {
      readonly fields: Readonly<Record<string, CrmValue>>
      readonly ownerId?: string
      readonly idempotencyKey: string
    },
  ): Promise<CrmRecord>
  /** Writes the given fields (only those); `ownerId` changes the owner. */
  updateRecord(
    object: CrmObjectType,
    id: string,
    changes: { readonly fields: Readonly<Record<string, CrmValue>>; readonly ownerId?: string },
  ): Promise<CrmRecord>
  /** Associates a contact with a company; associating twice is not an error. */
  associate(contactId: string, companyId: string, kind: CrmAssociationKind): Promise<void>
  /** The companies a contact is associated with, the primary one first when the CRM has one. */
  listAssociatedCompanies(
    contactId: string,
  ): Promise<ReadonlyArray<{ readonly companyId: string; readonly primary: boolean }>>
  logActivity(activity: CrmActivity): Promise<{ readonly id: string }>
  createTask(task: CrmTask): Promise<{ readonly id: string }>
  /** The state of tasks by id; unknown ids are left out. */
  getTasks(ids: readonly string[]): Promise<CrmTaskState[]>
  completeTask(id: string): Promise<void>
}
