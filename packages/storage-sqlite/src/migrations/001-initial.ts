import type { CollectionSpec } from '@paceline/core/ports'
import type { Kysely, Migration } from 'kysely'
import { createCollectionTables } from './collection-tables'

/**
 * The collections of Storage specification v1 as they were when this migration was written. Migrations
 * never change once released, so this copy is frozen here rather than read from the current spec.
 */
const COLLECTIONS_V1: Readonly<Record<string, CollectionSpec>> = {
  identities: { indexes: [] },
  campaigns: { indexes: [{ name: 'byStatus', fields: ['status', 'startAtMs'] }] },
  leads: {
    indexes: [
      { name: 'byEmail', fields: ['emailKey'] },
      { name: 'byLinkedInProfile', fields: ['linkedinProfileId'] },
    ],
  },
  enrolments: {
    indexes: [
      { name: 'byCampaign', fields: ['campaignId', 'leadId'] },
      { name: 'byLead', fields: ['leadId', 'campaignId'] },
      { name: 'waiting', fields: ['identityId', 'waitingDueAt'] },
      { name: 'ready', fields: ['identityId', 'readyLane', 'priorityKey'] },
    ],
  },
  relations: {
    indexes: [
      { name: 'byLead', fields: ['leadId', 'identityId'] },
      { name: 'pendingInvitations', fields: ['identityId', 'pendingSince'] },
    ],
  },
  actions: {
    indexes: [
      { name: 'byCampaign', fields: ['campaignId', 'at'] },
      { name: 'byLead', fields: ['leadId', 'at'] },
      { name: 'byIdentity', fields: ['identityId', 'at'] },
      { name: 'byMessageId', fields: ['messageId'] },
    ],
  },
  tasks: { indexes: [{ name: 'byCampaign', fields: ['campaignId', 'createdAt'] }] },
  counters: { indexes: [{ name: 'byIdentity', fields: ['identityId'] }] },
  claims: { indexes: [{ name: 'open', fields: ['openUntil'] }] },
  leases: { indexes: [] },
  state: { indexes: [] },
}

/** One table per collection (see `createCollectionTables`). */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await createCollectionTables(db, COLLECTIONS_V1)
  },
}
