import type { CrmValue } from '../ports/crm'
import type { CrmSyncDirection } from './crm-config'

/** What to do with one mapped field: write paceline's value to the CRM, take the CRM's, or nothing. */
export type FieldDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'push'; readonly value: CrmValue }
  | { readonly kind: 'pull'; readonly value: CrmValue; readonly conflict?: true }

const NONE: FieldDecision = { kind: 'none' }

export const isEmpty = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '')

const same = (a: unknown, b: unknown) =>
  (isEmpty(a) && isEmpty(b)) || String(a ?? '').trim() === String(b ?? '').trim()

/**
 * What a field's sync option (`direction`) does in an automatic sync. `lastSynced` is the value both sides
 * held after the previous sync (undefined before the first), which tells which side changed since. A
 * bidirectional field changed on both sides keeps the CRM's value (the CRM is the record others work in)
 * and is reported as a conflict; with no history, an existing CRM value is kept too.
 */
export function decideField(
  direction: CrmSyncDirection,
  mine: CrmValue | undefined,
  theirs: CrmValue | undefined,
  lastSynced: CrmValue | undefined,
): FieldDecision {
  if (same(mine, theirs)) return NONE
  switch (direction) {
    case 'deactivated':
      return NONE
    case 'paceline_overwrites':
      return isEmpty(mine) ? NONE : { kind: 'push', value: mine ?? null }
    case 'crm_overwrites':
      return isEmpty(theirs) ? NONE : { kind: 'pull', value: theirs ?? null }
    case 'sync_if_empty':
      if (isEmpty(theirs)) return { kind: 'push', value: mine ?? null }
      if (isEmpty(mine)) return { kind: 'pull', value: theirs ?? null }
      return NONE
    case 'bidirectional': {
      if (isEmpty(theirs)) return { kind: 'push', value: mine ?? null }
      if (isEmpty(mine)) return { kind: 'pull', value: theirs ?? null }
      if (lastSynced === undefined) return { kind: 'pull', value: theirs ?? null, conflict: true }
      const mineChanged = !same(mine, lastSynced)
      const theirsChanged = !same(theirs, lastSynced)
      if (mineChanged && !theirsChanged) return { kind: 'push', value: mine ?? null }
      if (theirsChanged && !mineChanged) return { kind: 'pull', value: theirs ?? null }
      return { kind: 'pull', value: theirs ?? null, conflict: true }
    }
  }
}

/**
 * A manual export: every mapped field is written whatever its sync option; with "overwrite existing value"
 * paceline's value replaces the CRM's, without it only empty CRM fields are filled.
 */
export function decideExport(
  mine: CrmValue | undefined,
  theirs: CrmValue | undefined,
  overwrite: boolean,
): FieldDecision {
  if (isEmpty(mine) || same(mine, theirs)) return NONE
  return overwrite || isEmpty(theirs) ? { kind: 'push', value: mine ?? null } : NONE
}
