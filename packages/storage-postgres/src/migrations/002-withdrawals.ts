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
 * from the stored entries in the index encoding of `index-key.ts` (a string: byte 0x02, then its UTF-8), so
 * earlier withdrawals are listed too. Indexes laid out like the others (workspace first, key last, partial).
 */
export function withdrawalsMigration(schema: string): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const scoped = db.schema.withSchema(schema)
      await scoped.alterTable('paceline_relations').addColumn('f_withdrawDueAt', 'bytea').execute()
      await scoped.alterTable('paceline_actions').addColumn('f_type', 'bytea').execute()
      await sql`update ${sql.table(`${schema}.paceline_actions`)}
        set "f_type" = '\\x02'::bytea || convert_to(doc::json ->> 'type', 'UTF8')
        where json_typeof(doc::json -> 'type') = 'string'`.execute(db)
      for (const index of INDEXES) {
        const present = index.columns.map((column) => `"${column}" is not null`).join(' and ')
        await scoped
          .createIndex(`${index.table}_${index.name}`)
          .on(index.table)
          .columns(['workspace_id', ...index.columns, 'key'])
          .where(sql.raw<SqlBool>(present))
          .execute()
      }
    },
  }
}
