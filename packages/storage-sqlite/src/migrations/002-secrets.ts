import type { Kysely, Migration } from 'kysely'

/**
 * Credentials: a row holds either the JSON document (`doc`, when the store has no encryption key) or
 * `sealed` = nonce, AES-256-GCM ciphertext and tag, with the workspace and key as additional data.
 */
export const secretsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('paceline_secrets')
      .addColumn('workspace_id', 'text', (column) => column.notNull())
      .addColumn('key', 'text', (column) => column.notNull())
      .addColumn('doc', 'text')
      .addColumn('sealed', 'blob')
      .addPrimaryKeyConstraint('paceline_secrets_pk', ['workspace_id', 'key'])
      .execute()
  },
}
