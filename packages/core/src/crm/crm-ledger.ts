import { compoundKey, type Store } from '../engine/store'
import type { CrmValue } from '../ports/crm'

/**
 * What paceline remembers of its work in a CRM (storage collection `state`), so a re-run creates nothing
 * twice: the record each lead became, the values both sides agreed on last time (which tells a
 * bidirectional sync which side changed), and the activities and tasks already written.
 */
export interface ContactLedger {
  readonly contactId: string
  readonly companyId: string | null
  /** The company the contact was associated with, once done. */
  readonly associatedWith: string | null
  /** CRM field -> the value both sides held after the last sync. */
  readonly values: Readonly<Record<string, CrmValue>>
  readonly companyValues: Readonly<Record<string, CrmValue>>
  readonly syncedAt: number
}

export interface TaskLedger {
  readonly crmTaskId: string
  /** The completion was carried to the other side (either way). */
  readonly completionSynced: boolean
}

const CONTACT = 'crm-contact'
const ACTIVITY = 'crm-activity'
const TASK = 'crm-task'
const CONFIG = 'crm-config'
const ACTIVE = 'crm-active'

export const ledgerKeys = {
  contact: (crm: string, leadId: string) => compoundKey(CONTACT, crm, leadId),
  activity: (crm: string, actionKey: string) => compoundKey(ACTIVITY, crm, actionKey),
  task: (crm: string, taskKey: string) => compoundKey(TASK, crm, taskKey),
  config: () => CONFIG,
  active: () => ACTIVE,
}

export async function readState<T>(store: Store, key: string): Promise<T | undefined> {
  return (await store.get('state', key))?.value as T | undefined
}

export async function writeState(store: Store, key: string, value: unknown): Promise<void> {
  await store.put('state', key, { key, value })
}
