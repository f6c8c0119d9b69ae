import type { CollectionSpec } from '@paceline/core/ports'
import type { Kysely, Migration } from 'kysely'
import { createCollectionTables } from './collection-tables'

/**
 * The conversation collections of Storage specification v1 (conversations after a reply, their messages,
 * and the tag index), as they were when this migration was written: frozen here, like 001.
 */
const CONVERSATION_COLLECTIONS: Readonly<Record<string, CollectionSpec>> = {
  conversations: {
    indexes: [
      { name: 'byActivity', fields: ['lastActivityAt'] },
      { name: 'byCampaign', fields: ['campaignId', 'lastActivityAt'] },
      { name: 'byIdentity', fields: ['identityId', 'lastActivityAt'] },
      { name: 'byLead', fields: ['leadId', 'identityId'] },
      { name: 'needsAnswer', fields: ['needsAnswerAt'] },
      { name: 'agentDue', fields: ['agentDueAt'] },
    ],
  },
  messages: { indexes: [{ name: 'byConversation', fields: ['conversationId', 'at'] }] },
  conversationTags: { indexes: [{ name: 'byTag', fields: ['tag', 'lastActivityAt'] }] },
}

/** One table per new collection, laid out like 001's. */
export const conversationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await createCollectionTables(db, CONVERSATION_COLLECTIONS)
  },
}
