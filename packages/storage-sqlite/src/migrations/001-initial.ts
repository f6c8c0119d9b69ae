import { type Kysely, type Migration, type SqlBool, sql } from 'kysely'
import { type CollectionSpec, layoutOf } from '../table-layout'

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

/**
 * One table per collection: the workspace, the key, the JSON document and a column per index field
 * (declared BLOB, so SQLite stores numbers and text as given and orders numbers first, like the port).
 * Every index leads with the workspace and is partial: a document is in it only when all its fields are set.
 */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>) {
    for (const [collection, spec] of Object.entries(COLLECTIONS_V1)) {
      const layout = layoutOf(collection, spec)
      let table = db.schema
        .createTable(layout.table)
        .addColumn('workspace_id', 'text', (column) => column.notNull())
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('doc', 'text', (column) => column.notNull())
      for (const { column } of layout.fields) table = table.addColumn(column, 'blob')
      await table.addPrimaryKeyConstraint(`${layout.table}_pk`, ['workspace_id', 'key']).execute()
      for (const index of layout.indexes) {
        const present = index.columns.map((column) => `"${column}" is not null`).join(' and ')
        await db.schema
          .createIndex(index.sqlName)
          .on(layout.table)
          .columns(['workspace_id', ...index.columns, 'key'])
          .where(sql.raw<SqlBool>(present))
          .execute()
      }
    }
  },
}
