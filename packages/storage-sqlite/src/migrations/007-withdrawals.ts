import { type Kysely, type Migration, type SqlBool, sql } from 'kysely'

/** The indexes of invitation withdrawals, as they were when this migration was written. */
const INDEXES = [
  {
    table: 'paceline_relations',
    name: 'withdrawalsDue',
    columns: ['f_identityId', 'f_withdrawDueAt'],
  },
  { table: 'paceline_actions', name: 'byIdentityType', columns: ['f_identityId', 'f_type', 'f_at'] },
] as const

/**
 * Withdrawals a person asked for (relations by when the next attempt is due: a field no stored document
 * has yet), and an identity's log entries by type (the withdrawal history), with the type column filled
 * from the stored entries so earlier withdrawals are listed too. Indexes laid out like the others
 * (workspace first, key last, partial).
 */
export const withdrawalsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('paceline_relations').addColumn('f_withdrawDueAt', 'blob').execute()
    await db.schema.alterTable('paceline_actions').addColumn('f_type', 'blob').execute()
    await sql`update paceline_actions set f_type = json_extract(doc, '$.type')`.execute(db)
    for (const index of INDEXES) {
      const present = index.columns.map((column) => `"${column}" is not null`).join(' and ')
      await db.schema
        .createIndex(`${index.table}_${index.name}`)
        .on(index.table)
        .columns(['workspace_id', ...index.columns, 'key'])
        .where(sql.raw<SqlBool>(present))
        .execute()
    }
  },
}
