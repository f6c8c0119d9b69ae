import { type Kysely, type Migration, type SqlBool, sql } from 'kysely'

const TABLE = 'paceline_enrolments'

/** The indexes of the lead lists, as they were when this migration was written. */
const INDEXES = [
  { name: 'byCampaignEnrolled', columns: ['f_campaignId', 'f_enrolledAt'] },
  { name: 'byCampaignStatus', columns: ['f_campaignId', 'f_status', 'f_enrolledAt'] },
  { name: 'byCampaignStep', columns: ['f_campaignId', 'f_stepId', 'f_enrolledAt'] },
] as const

/**
 * Lists of a campaign's leads by time added, status or step: three index columns on enrolments, filled
 * from the stored documents (the status column from the lead's state, which newer documents also carry at
 * the top level), and their indexes, laid out like the others (workspace first, key last, partial). And the
 * workspace's activity log by time (the actions table already has the column).
 */
export const listsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createIndex('paceline_actions_byTime')
      .on('paceline_actions')
      .columns(['workspace_id', 'f_at', 'key'])
      .where(sql.raw<SqlBool>('"f_at" is not null'))
      .execute()
    for (const column of ['f_status', 'f_stepId', 'f_enrolledAt'])
      await db.schema.alterTable(TABLE).addColumn(column, 'blob').execute()
    await sql`update ${sql.table(TABLE)} set
      f_status = json_extract(doc, '$.state.status'),
      f_stepId = json_extract(doc, '$.stepId'),
      f_enrolledAt = json_extract(doc, '$.enrolledAt')`.execute(db)
    for (const index of INDEXES) {
      const present = index.columns.map((column) => `"${column}" is not null`).join(' and ')
      await db.schema
        .createIndex(`${TABLE}_${index.name}`)
        .on(TABLE)
        .columns(['workspace_id', ...index.columns, 'key'])
        .where(sql.raw<SqlBool>(present))
        .execute()
    }
  },
}
