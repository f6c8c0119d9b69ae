import type { Kysely, Migration } from 'kysely'
import { createCollectionTables } from './collection-tables'

/**
 * The collections and indexes of the Storage port as they were when this package was first released.
 * Frozen: a later change to the port's collections gets its own migration, never an edit here.
 */
const COLLECTIONS = {
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
      { name: 'byCampaignEnrolled', fields: ['campaignId', 'enrolledAt'] },
      { name: 'byCampaignStatus', fields: ['campaignId', 'status', 'enrolledAt'] },
      { name: 'byCampaignStep', fields: ['campaignId', 'stepId', 'enrolledAt'] },
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
      { name: 'byTime', fields: ['at'] },
    ],
  },
  tasks: { indexes: [{ name: 'byCampaign', fields: ['campaignId', 'createdAt'] }] },
  counters: { indexes: [{ name: 'byIdentity', fields: ['identityId'] }] },
  claims: { indexes: [{ name: 'open', fields: ['openUntil'] }] },
  leases: { indexes: [] },
  state: { indexes: [] },
  secrets: { indexes: [] },
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
  analytics: { indexes: [{ name: 'byScope', fields: ['scope', 'scopeId', 'bucket'] }] },
} as const

export function initialMigration(schema: string): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await createCollectionTables(db, schema, COLLECTIONS)
    },
  }
}
